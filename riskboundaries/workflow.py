"""The risk-boundary lifecycle as a table: (state, action) -> next state. Pure."""

from django.db import models

from config.statetable import StateTable


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


# No "possible now" hint: after a signature, the next steps (activate, supersede) are the system's, not a person's.
TABLE = StateTable(TRANSITIONS, BoundaryState, "a risk boundary", hint=False)
next_state = TABLE.next_state

# Still being written or signed (draft, awaiting signatures): the limits can change, and signing is open.
EDITABLE_STATES = TABLE.states_allowing(A.EDIT)
