"""The use-case state machine as a table: (state, action) -> next state. Pure; every transition goes through it."""

from django.db import models

from config.statetable import StateTable


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

TABLE = StateTable(TRANSITIONS, Status, "a use case")
next_state = TABLE.next_state
allowed_actions = TABLE.allowed_actions

# The named sets of states, derived from the table (tests/intake/test_workflow.py pins what each holds).
# The requester can still change it: draft, changes requested.
EDITABLE_STATES = TABLE.states_allowing(A.EDIT)
# The requester can still take it back: draft, submitted, changes requested.
WITHDRAWABLE_STATES = TABLE.states_allowing(A.WITHDRAW)
# Waiting for the CIO's and the CISO's decision: submitted, re-review due.
WAITING_FOR_DECISION = TABLE.states_allowing(A.APPROVE)
# Open: a decision or the requester's resubmission is pending (submitted, changes requested, re-review due).
OPEN_STATES = TABLE.states_allowing(A.APPROVE, A.RESUBMIT)
# Live: approved and in use, including while it is being re-reviewed (approved, re-review due).
LIVE_STATES = TABLE.states_allowing(A.RETIRE)
# Closed: nothing more can happen to it (rejected, withdrawn, retired).
CLOSED_STATES = TABLE.terminal_states()
# In the portfolio the board sees: submitted at least once and not closed.
PORTFOLIO_STATES = frozenset(Status) - {S.DRAFT} - CLOSED_STATES


# A newer ruleset's upgrade of the portfolio (intake.models.RulesetUpgrade), one step after the other: re-assessed by
# the worker, acknowledged by both executives, applied by the worker. Each state and the only one it may go to.
RULESET_UPGRADE_STEPS: dict[str, str] = {
    "assessing": "awaiting",
    "awaiting": "applying",
    "applying": "applied",
}
