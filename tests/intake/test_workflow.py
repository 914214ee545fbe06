"""The use-case state table, exhaustively: every state × action is either the listed transition or a 409."""

import pytest

from config.errors import InvalidTransition
from intake.workflow import TABLE, TRANSITIONS, Action, Status, allowed_actions, next_state
from tests.state_tables import check_pair, every_pair, reachable_from

A, S = Action, Status

EXPECTED = {
    (S.DRAFT, A.EDIT): S.DRAFT,
    (S.DRAFT, A.SUBMIT): S.SUBMITTED,
    (S.DRAFT, A.WITHDRAW): S.WITHDRAWN,
    (S.CHANGES_REQUESTED, A.EDIT): S.CHANGES_REQUESTED,
    (S.CHANGES_REQUESTED, A.RESUBMIT): S.SUBMITTED,
    (S.CHANGES_REQUESTED, A.WITHDRAW): S.WITHDRAWN,
    (S.SUBMITTED, A.WITHDRAW): S.WITHDRAWN,
    (S.SUBMITTED, A.SYSTEM_REJECT): S.REJECTED,
    (S.SUBMITTED, A.APPROVE): S.APPROVED,
    (S.SUBMITTED, A.REJECT): S.REJECTED,
    (S.SUBMITTED, A.REQUEST_CHANGES): S.CHANGES_REQUESTED,
    (S.APPROVED, A.FLAG_RE_REVIEW): S.RE_REVIEW_DUE,
    (S.APPROVED, A.RETIRE): S.RETIRED,
    (S.RE_REVIEW_DUE, A.APPROVE): S.APPROVED,
    (S.RE_REVIEW_DUE, A.REJECT): S.REJECTED,
    (S.RE_REVIEW_DUE, A.RETIRE): S.RETIRED,
}


@pytest.mark.parametrize(("state", "action"), every_pair(Status, Action))
def test_every_state_and_action(state, action):
    check_pair(TABLE, EXPECTED, state, action)


def test_the_table_is_exactly_the_expected_one():
    assert dict(TRANSITIONS) == EXPECTED


@pytest.mark.parametrize("closed", [S.REJECTED, S.WITHDRAWN, S.RETIRED])
def test_closed_states_are_final(closed):
    assert allowed_actions(closed) == []


def test_every_state_is_reachable_from_draft():
    assert reachable_from(TABLE, S.DRAFT) == set(Status.values)


def test_a_refusal_says_what_is_possible_instead():
    with pytest.raises(
        InvalidTransition, match=r"Cannot submit a use case that is approved\. Possible now: .*retire"
    ):
        next_state(S.APPROVED, A.SUBMIT)
    with pytest.raises(InvalidTransition, match="Nothing more can happen"):
        next_state(S.WITHDRAWN, A.EDIT)


def test_the_named_sets_of_states_are_derived_from_the_table():
    from intake import workflow

    assert {S.DRAFT, S.CHANGES_REQUESTED} == workflow.EDITABLE_STATES
    assert {S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED} == workflow.WITHDRAWABLE_STATES
    assert {S.SUBMITTED, S.RE_REVIEW_DUE} == workflow.WAITING_FOR_DECISION
    assert {S.SUBMITTED, S.CHANGES_REQUESTED, S.RE_REVIEW_DUE} == workflow.OPEN_STATES
    assert {S.APPROVED, S.RE_REVIEW_DUE} == workflow.LIVE_STATES
    assert {S.REJECTED, S.WITHDRAWN, S.RETIRED} == workflow.CLOSED_STATES
    assert {S.SUBMITTED, S.CHANGES_REQUESTED, S.APPROVED, S.RE_REVIEW_DUE} == workflow.PORTFOLIO_STATES


def test_a_named_set_follows_the_table_when_it_changes():
    from config.statetable import StateTable

    table = StateTable({**TRANSITIONS, (S.REJECTED, A.RESUBMIT): S.SUBMITTED}, Status, "a use case")
    assert S.REJECTED in table.states_allowing(A.APPROVE, A.RESUBMIT)
    assert S.REJECTED not in table.terminal_states()
    assert table.allows(S.REJECTED, A.RESUBMIT) and not table.allows(S.REJECTED, A.APPROVE)
