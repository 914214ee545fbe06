"""The risk-boundary lifecycle as a table: (state, action) -> next state. Pure."""

from django.db import models

from config.errors import InvalidTransition


class BoundaryState(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_SIGNATURES = "awaiting_signatures", "Awaiting signatures"
    ACTIVE = "active", "Active"
    SUPERSEDED = "superseded", "Superseded"


class BoundaryAction(models.TextChoices):
    EDIT = "edit", "Edit"
    SIGN = "sign", "Sign"
    ACTIVATE = "activate", "Activate"
    SUPERSEDE = "supersede", "Supersede"


S, A = BoundaryState, BoundaryAction

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, A.EDIT): S.DRAFT,
    (S.DRAFT, A.SIGN): S.AWAITING_SIGNATURES,
    # Editing after a signature voids it: the boundary goes back to draft.
    (S.AWAITING_SIGNATURES, A.EDIT): S.DRAFT,
    (S.AWAITING_SIGNATURES, A.ACTIVATE): S.ACTIVE,
    (S.ACTIVE, A.SUPERSEDE): S.SUPERSEDED,
}


def next_state(state: str, action: str) -> str:
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        label = BoundaryState(state).label.lower() if state in BoundaryState.values else state
        raise InvalidTransition(f"Cannot {action} a risk boundary that is {label}.") from None
