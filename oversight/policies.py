"""Who may do what in live oversight: report incidents, suspend a use case and lift it, record a duty as met."""

from typing import Any

from accounts.roles import APPROVER_ROLES, roles_of
from config.errors import InvalidTransition, NotAllowed, Refusal
from intake.workflow import CLOSED_STATES, LIVE_STATES


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_executive(user: Any) -> bool:
    """The sitting CIO or CISO (never an administrator as such: roles_of leaves them out)."""
    return _active(user) and bool(roles_of(user) & APPROVER_ROLES)


def incident_report_refusal(user: Any, use_case: Any) -> Refusal | None:
    """Anyone who can see a live use case may report an incident on it (the caller has checked they can see it)."""
    if not _active(user):
        return Refusal("Sign in to report an incident.", NotAllowed)
    if use_case.status not in LIVE_STATES:
        return Refusal(
            "Incidents are reported on live use cases (approved, or being re-reviewed).", InvalidTransition
        )
    return None


def suspend_refusal(user: Any, use_case: Any, *, suspended: bool) -> Refusal | None:
    if not is_executive(user):
        return Refusal("Only the CIO and the CISO can suspend a use case.", NotAllowed)
    if use_case.status not in LIVE_STATES:
        return Refusal("Only a live use case can be suspended.", InvalidTransition)
    if suspended:
        return Refusal("It is already suspended.", InvalidTransition)
    return None


def lift_refusal(user: Any, *, suspended: bool) -> Refusal | None:
    if not is_executive(user):
        return Refusal("Only the CIO and the CISO can lift a suspension.", NotAllowed)
    if not suspended:
        return Refusal("It is not suspended.", InvalidTransition)
    return None


def can_record_deadline_met(user: Any, use_case: Any) -> bool:
    """The CIO, the CISO and the requester who owns the use case say a reporting duty was done."""
    return _active(user) and (is_executive(user) or use_case.submitter_id == user.pk)


def can_add_evidence(user: Any, use_case: Any) -> bool:
    """The requester who owns the use case, the CIO and the CISO add evidence, while the use case is not closed."""
    if not _active(user) or use_case.status in CLOSED_STATES:
        return False
    return use_case.submitter_id == user.pk or is_executive(user)


def attestation_refusal(user: Any, use_case: Any) -> Refusal | None:
    """The requester who owns a live use case attests each quarter that it runs as approved."""
    if not _active(user) or use_case.submitter_id != user.pk:
        return Refusal("The requester who owns the use case attests it.", NotAllowed)
    if use_case.status not in LIVE_STATES:
        return Refusal("Only a live use case is attested.", InvalidTransition)
    return None


def can_manage_inventory(user: Any) -> bool:
    """The CIO and the CISO keep the inventory of providers and models; everyone signed in reads it."""
    return is_executive(user)
