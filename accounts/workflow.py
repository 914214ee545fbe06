"""The approver-role grant request's lifecycle as a table: (state, action) -> next state. Pure; every decision on a
request goes through it."""

from django.db import models

from config.statetable import StateTable


class GrantState(models.TextChoices):
    PENDING = "pending", "Awaiting confirmation"
    CONFIRMED = "confirmed", "Confirmed"
    DECLINED = "declined", "Declined"
    CANCELLED = "cancelled", "Cancelled"


class GrantAction(models.TextChoices):
    CONFIRM = "confirm", "Confirm"
    DECLINE = "decline", "Decline"
    CANCEL = "cancel", "Cancel"
    EXPIRE = "expire", "Expire"


S, A = GrantState, GrantAction

TRANSITIONS: dict[tuple[str, str], str] = {
    # a sitting CIO or CISO, other than the grantee and the one who asked
    (S.PENDING, A.CONFIRM): S.CONFIRMED,
    (S.PENDING, A.DECLINE): S.DECLINED,
    # an administrator calls it off, or the grantee's or asker's access ended
    (S.PENDING, A.CANCEL): S.CANCELLED,
    # unconfirmed past its expiry: recorded as cancelled, noted as expired
    (S.PENDING, A.EXPIRE): S.CANCELLED,
}

# No "possible now" hint: the services already say why a decided request cannot be decided again.
TABLE = StateTable(TRANSITIONS, GrantState, "a role grant request", hint=False)
next_state = TABLE.next_state
allowed_actions = TABLE.allowed_actions
