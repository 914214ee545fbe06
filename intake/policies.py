"""Who may do what to a use case. Visibility itself comes from guardian grants (see selectors and permissions)."""

from collections.abc import Mapping
from typing import Any

from accounts.roles import APPROVER_ROLES, Role, roles_of
from config.errors import DomainError, InvalidTransition, NotAllowed
from intake.answers import applicable_answers, missing_for_submission
from intake.consistency import contradictions
from intake.models import UseCase
from intake.workflow import EDITABLE_STATES, TABLE, WITHDRAWABLE_STATES, Action, Status


def can_create(user: Any, team: Any | None = None) -> bool:
    """A requester, for one of their teams (any of them when `team` is not given: they need at least one)."""
    if Role.REQUESTER not in roles_of(user):
        return False
    teams = user.teams.all()
    return teams.filter(pk=team.pk).exists() if team is not None else teams.exists()


def ensure_can_create(user: Any, team: Any | None = None) -> None:
    if Role.REQUESTER not in roles_of(user):
        raise NotAllowed("Only requesters can bring a use case.")
    if not user.teams.exists():
        raise NotAllowed("You are not in a team yet: ask an administrator to add you to one.")
    if team is not None and not user.teams.filter(pk=team.pk).exists():
        raise NotAllowed(
            "You can only submit for a team you belong to.", errors={"team": ["Not one of your teams."]}
        )


def is_submitter(user: Any, use_case: UseCase) -> bool:
    return getattr(user, "pk", None) is not None and use_case.submitter_id == user.pk


def can_edit(user: Any, use_case: UseCase) -> bool:
    return is_submitter(user, use_case) and use_case.status in EDITABLE_STATES


def ensure_is_submitter(user: Any, use_case: UseCase, doing: str) -> None:
    if not is_submitter(user, use_case):
        raise NotAllowed(f"Only the person who submitted {use_case.reference} can {doing} it.")


def can_submit(user: Any, use_case: UseCase) -> bool:
    return can_edit(user, use_case)


def can_withdraw(user: Any, use_case: UseCase) -> bool:
    return is_submitter(user, use_case) and use_case.status in WITHDRAWABLE_STATES


# Obligations are tracked while the use case may still run: not once it is closed for good.
OBLIGATION_CLOSED_STATES = frozenset({Status.REJECTED, Status.WITHDRAWN, Status.RETIRED})


def can_update_obligations(user: Any, use_case: UseCase) -> bool:
    """The requester who owns the use case, and the CIO and the CISO, keep its EU AI Act checklist (the team reads it)."""
    if use_case.status in OBLIGATION_CLOSED_STATES or not getattr(user, "is_active", False):
        return False
    return is_submitter(user, use_case) or bool(roles_of(user) & {Role.CIO, Role.CISO})


def can_see_ruleset_upgrades(user: Any) -> bool:
    """A newer ruleset's changes are the CIO's and the CISO's to see and acknowledge."""
    return bool(roles_of(user) & APPROVER_ROLES)


def ruleset_acknowledgement_refusal(
    user: Any, state: str, role: str, acknowledged: Mapping[str, int]
) -> DomainError | None:
    """Why ``user`` may not acknowledge a ruleset upgrade in ``state`` as ``role`` now, given who acknowledged it
    so far (role -> person id); None when they may. One acknowledgement per role, by two different people, once the
    portfolio is re-assessed. The service raises it; the page offers only the roles it allows."""
    if role not in (Role.CIO, Role.CISO):
        return DomainError(
            "The ruleset was not acknowledged.", errors={"role": ["Acknowledge as the CIO or the CISO."]}
        )
    if role not in roles_of(user):
        return NotAllowed(f"Only the {Role(role).label} acknowledges a ruleset as the {Role(role).label}.")
    if state != "awaiting":
        return InvalidTransition(
            "The portfolio is still being re-assessed under this ruleset."
            if state == "assessing"
            else "This ruleset is already acknowledged by both."
        )
    if role in acknowledged:
        return InvalidTransition(f"The {Role(role).label} has already acknowledged this ruleset.")
    if getattr(user, "pk", None) in acknowledged.values():
        return NotAllowed("One person acknowledges once: the other executive must acknowledge it too.")
    return None


def submission_gaps(title: str, answers: Mapping[str, Any]) -> dict[str, list[str]]:
    """What still stops a use case from being submitted, by field: its title, each required question unanswered, then
    the answers that contradict each other (consistency.CONTRADICTIONS, each naming every field involved). The form's
    checklist and the submit service both ask this; empty when it may be submitted."""
    gaps = {"title": ["Give the request a title."]} if not title else {}
    gaps.update(missing_for_submission(answers))
    for name, messages in contradictions(applicable_answers(answers)).items():
        gaps.setdefault(name, []).extend(messages)
    return gaps


def judged_on_submission_check(use_case: UseCase, revision: Any) -> bool:
    """Whether a submitted use case is held to the boundary check frozen at its submission (True) or checked live
    against the boundary in force now (False). The one rule the use-case page, the review page and the decision itself
    follow: a first decision is held to what was checked when it was submitted; a re-review is judged against the
    boundary that sent it there; and a revision submitted while no boundary was active is checked against today's."""
    return (
        revision is not None
        and revision.boundary_version is not None
        and use_case.status not in EDITABLE_STATES
        and use_case.status != Status.RE_REVIEW_DUE
    )


def requester_actions(user: Any, use_case: UseCase) -> list[str]:
    """The workflow actions this user may take on this use case now (the decisions are added by approvals)."""
    actions = []
    if can_edit(user, use_case):
        actions.append(Action.EDIT)
        actions.append(Action.RESUBMIT if TABLE.allows(use_case.status, Action.RESUBMIT) else Action.SUBMIT)
    if can_withdraw(user, use_case):
        actions.append(Action.WITHDRAW)
    return [str(a) for a in actions]
