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
