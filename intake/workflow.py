"""The use-case state machine as a table: (state, action) -> next state. Pure; every transition goes through it."""

from django.db import models

from config.errors import InvalidTransition


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    RE_REVIEW_DUE = "re_review_due", "Re-review due"
    RETIRED = "retired", "Retired"


class Action(models.TextChoices):
    EDIT = "edit", "Edit"
    SUBMIT = "submit", "Submit"
    RESUBMIT = "resubmit", "Resubmit"
    WITHDRAW = "withdraw", "Withdraw"
    SYSTEM_REJECT = "system_reject", "Reject as prohibited"
    APPROVE = "approve", "Approve"
    REJECT = "reject", "Reject"
    REQUEST_CHANGES = "request_changes", "Request changes"
    FLAG_RE_REVIEW = "flag_re_review", "Flag for re-review"
    RETIRE = "retire", "Retire"


S, A = Status, Action

TRANSITIONS: dict[tuple[str, str], str] = {
    # the requester
    (S.DRAFT, A.EDIT): S.DRAFT,
    (S.DRAFT, A.SUBMIT): S.SUBMITTED,
    (S.DRAFT, A.WITHDRAW): S.WITHDRAWN,
    (S.CHANGES_REQUESTED, A.EDIT): S.CHANGES_REQUESTED,
    (S.CHANGES_REQUESTED, A.RESUBMIT): S.SUBMITTED,
    (S.CHANGES_REQUESTED, A.WITHDRAW): S.WITHDRAWN,
    (S.SUBMITTED, A.WITHDRAW): S.WITHDRAWN,
    # the system: a request with an Art. 5 practice is closed on submission
    (S.SUBMITTED, A.SYSTEM_REJECT): S.REJECTED,
    # the joint decision (CIO and CISO)
    (S.SUBMITTED, A.APPROVE): S.APPROVED,
    (S.SUBMITTED, A.REJECT): S.REJECTED,
    (S.SUBMITTED, A.REQUEST_CHANGES): S.CHANGES_REQUESTED,
    # re-review: scheduled sweeps and boundary changes; decided again on the current revision
    (S.APPROVED, A.FLAG_RE_REVIEW): S.RE_REVIEW_DUE,
    (S.RE_REVIEW_DUE, A.APPROVE): S.APPROVED,
    (S.RE_REVIEW_DUE, A.REJECT): S.REJECTED,
    (S.APPROVED, A.RETIRE): S.RETIRED,
    (S.RE_REVIEW_DUE, A.RETIRE): S.RETIRED,
}

EDITABLE_STATES = frozenset({S.DRAFT, S.CHANGES_REQUESTED})
OPEN_STATES = frozenset({S.SUBMITTED, S.CHANGES_REQUESTED, S.RE_REVIEW_DUE})
CLOSED_STATES = frozenset({S.REJECTED, S.WITHDRAWN, S.RETIRED})


def next_state(state: str, action: str) -> str:
    """The state after `action`, or InvalidTransition (HTTP 409) naming what is and is not possible."""
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        allowed = sorted(a for (s, a) in TRANSITIONS if s == state)
        label = Status(state).label.lower() if state in Status.values else state
        hint = f" Possible now: {', '.join(allowed)}." if allowed else " Nothing more can happen to it."
        raise InvalidTransition(
            f"Cannot {action.replace('_', ' ')} a use case that is {label}.{hint}"
        ) from None


def allowed_actions(state: str) -> list[str]:
    return [a for (s, a) in TRANSITIONS if s == state]
