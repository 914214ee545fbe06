"""The role grant request's state table, exhaustively: every state × action is either the listed move or refused."""

import pytest

from accounts.models import RoleGrantRequest
from accounts.workflow import TABLE, TRANSITIONS, GrantAction, GrantState, allowed_actions
from tests.state_tables import check_pair, every_pair

A, S = GrantAction, GrantState

EXPECTED = {
    (S.PENDING, A.CONFIRM): S.CONFIRMED,
    (S.PENDING, A.DECLINE): S.DECLINED,
    (S.PENDING, A.CANCEL): S.CANCELLED,
    (S.PENDING, A.EXPIRE): S.CANCELLED,
}


@pytest.mark.parametrize(("state", "action"), every_pair(GrantState, GrantAction))
def test_every_state_and_action(state, action):
    check_pair(TABLE, EXPECTED, state, action)


def test_the_table_is_exactly_the_expected_one():
    assert dict(TRANSITIONS) == EXPECTED


@pytest.mark.parametrize("decided", [S.CONFIRMED, S.DECLINED, S.CANCELLED])
def test_a_decided_request_is_final(decided):
    assert allowed_actions(decided) == []


def test_the_model_reads_its_states_from_the_table():
    assert RoleGrantRequest.State is GrantState
