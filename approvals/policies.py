"""Who may decide, in which slot: segregation of duties, enforced here for every interface alike."""

from typing import Any

from accounts.roles import roles_of
from approvals.rules import Slot
from config.errors import NotAllowed
from intake.models import UseCase


def slots_of(user: Any) -> list[str]:
    """The slots the user may fill by role (administrators hold none: roles_of already removes them)."""
    held = roles_of(user)
    return [slot for slot in Slot.values if slot in held]


def slot_for(user: Any, use_case: UseCase, requested: str | None, my_slots: set[str]) -> str:
    """The slot this person decides in, or NotAllowed with the reason.

    `my_slots` are the slots this person has already filled on this use case, on any revision or review: one person
    keeps one slot for the whole life of a use case, so they can never fill both.
    """
    if use_case.submitter_id == getattr(user, "pk", None):
        raise NotAllowed("You submitted this request, so you cannot decide on it.")
    slots = slots_of(user)
    if not slots:
        raise NotAllowed("Only the CIO and the CISO (or their delegates) decide on use cases.")
    if requested is not None:
        if requested not in Slot.values:
            raise NotAllowed("Decide as cio or ciso.", errors={"slot": ["Choose cio or ciso."]})
        if requested not in slots:
            raise NotAllowed(f"You do not hold the {requested.upper()} role.")
        slots = [requested]
    if my_slots:
        kept = sorted(my_slots)[0]
        if kept not in slots:
            raise NotAllowed(
                f"You already decided on this use case as {kept.upper()}; one person cannot fill both slots."
            )
        return kept
    if len(slots) > 1:
        raise NotAllowed(
            "You hold both roles: say whether you decide as CIO or as CISO.", errors={"slot": ["Choose."]}
        )
    return slots[0]


def can_decide(user: Any, use_case: UseCase) -> bool:
    """Whether to offer the decision at all (the service still checks every rule when it is made)."""
    return bool(slots_of(user)) and use_case.submitter_id != getattr(user, "pk", None)


def can_mark_condition_met(user: Any, use_case: UseCase) -> bool:
    return use_case.submitter_id == getattr(user, "pk", None)
