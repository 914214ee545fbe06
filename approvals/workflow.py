"""The review round's lifecycle as a table: (state, action) -> next state. Pure; every end of a round goes through it.

A round (approvals.models.ReviewCycle) keeps no state column: its state is read from when it closed and with which
outcome, the two fields the database constraints already rely on (one open round per use case).
"""

from datetime import datetime

from django.db import models

from approvals.rules import Outcome
from config.statetable import StateTable


class CycleState(models.TextChoices):
    OPEN = "open", "Open"
    DECIDED = "decided", "Decided"
    WITHDRAWN = "withdrawn", "Withdrawn"


class CycleAction(models.TextChoices):
    DECIDE = "decide", "Decide"
    WITHDRAW = "withdraw", "Withdraw"


S, A = CycleState, CycleAction

TRANSITIONS: dict[tuple[str, str], str] = {
    # the second decision completes the joint outcome (approved, rejected or changes requested)
    (S.OPEN, A.DECIDE): S.DECIDED,
    # the requester withdrew between the two decisions; the decision made stays on record
    (S.OPEN, A.WITHDRAW): S.WITHDRAWN,
}

# The outcome a round ends with, and the move that ends it so ("waiting" ends nothing).
ENDED_BY: dict[str, str] = {
    Outcome.APPROVED: A.DECIDE,
    Outcome.REJECTED: A.DECIDE,
    Outcome.CHANGES_REQUESTED: A.DECIDE,
    Outcome.WITHDRAWN: A.WITHDRAW,
}


# No "possible now" hint: rounds end by the decisions and withdrawals people make elsewhere, never by asking the round.
TABLE = StateTable(TRANSITIONS, CycleState, "a review round", hint=False)
next_state = TABLE.next_state
allowed_actions = TABLE.allowed_actions


def ended_state(state: str, outcome: str) -> str:
    """The state a round in ``state`` reaches by ending with ``outcome``; InvalidTransition when it cannot end so (it
    has ended already, or the outcome is "waiting", which ends nothing)."""
    return next_state(state, ENDED_BY.get(outcome, f"end_as_{outcome}"))


def cycle_state(*, closed_at: datetime | None, outcome: str) -> str:
    """A round's state from its two stored fields: open until it closes, then withdrawn or decided by its outcome."""
    if closed_at is None:
        return S.OPEN
    return S.WITHDRAWN if outcome == Outcome.WITHDRAWN else S.DECIDED
