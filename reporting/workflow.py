"""The board pack's lifecycle as a table: (status, action) -> next status. Pure; every change of status goes through it.

When a worker may take a pack (queued, or its render silent past the lease) and which take may finish it (the latest
attempt) are decided in reporting.services under the pack's row lock; this table says only which moves exist.
"""

from django.db import models

from config.statetable import StateTable


class PackStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RENDERING = "rendering", "Rendering"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class PackAction(models.TextChoices):
    START = "start", "Start rendering"
    TAKE_OVER = "take_over", "Take over a silent render"
    FINISH = "finish", "Finish"
    FAIL = "fail", "Fail"


S, A = PackStatus, PackAction

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.QUEUED, A.START): S.RENDERING,
    # its worker died (no heartbeat for the lease): the next render takes it, as a new attempt
    (S.RENDERING, A.TAKE_OVER): S.RENDERING,
    (S.RENDERING, A.FINISH): S.READY,
    (S.RENDERING, A.FAIL): S.FAILED,
    # a pack that cannot be rendered at all may be failed before a worker takes it
    (S.QUEUED, A.FAIL): S.FAILED,
}

# No "possible now" hint: every move is the worker's, none a person's.
TABLE = StateTable(TRANSITIONS, PackStatus, "a board pack", hint=False)
next_state = TABLE.next_state
allowed_actions = TABLE.allowed_actions

# Nothing more happens to a pack in these: it has its file, or says why it has none.
FINISHED = TABLE.terminal_states()
# Still to be rendered: what the pages show as being prepared, and what the sweep looks at.
IN_PROGRESS = frozenset(PackStatus) - FINISHED


class IssuanceState(models.TextChoices):
    """Whether a rendered version is the board's paper: a draft until the CIO and the CISO have both signed it."""

    UNSIGNED = "unsigned", "Draft — not issued"
    PART_SIGNED = "part_signed", "Draft — one signature"
    ISSUING = "issuing", "Signed — issuing"
    ISSUED = "issued", "Issued"
    VOID = "void", "Void"


class IssuanceAction(models.TextChoices):
    SIGN = "sign", "Sign"
    COUNTERSIGN = "countersign", "Sign second"
    ISSUE = "issue", "Issue"
    VOID = "void", "Void"


IS, IA = IssuanceState, IssuanceAction

ISSUANCE_TRANSITIONS: dict[tuple[str, str], str] = {
    (IS.UNSIGNED, IA.SIGN): IS.PART_SIGNED,
    # the second signature: the worker renders the issued copy of the same content
    (IS.PART_SIGNED, IA.COUNTERSIGN): IS.ISSUING,
    (IS.ISSUING, IA.ISSUE): IS.ISSUED,
    # the statement changed, another version was issued, or (at the issued render) the content no longer matches
    (IS.UNSIGNED, IA.VOID): IS.VOID,
    (IS.PART_SIGNED, IA.VOID): IS.VOID,
    (IS.ISSUING, IA.VOID): IS.VOID,
}

ISSUANCE = StateTable(ISSUANCE_TRANSITIONS, IssuanceState, "a board pack version", hint=False)
next_issuance = ISSUANCE.next_state

# Open for signatures (and voided when the statement changes).
SIGNABLE = ISSUANCE.states_allowing(IA.SIGN, IA.COUNTERSIGN)
# Not yet the board's paper, and still able to become it.
UNISSUED = ISSUANCE.states_allowing(IA.VOID)
