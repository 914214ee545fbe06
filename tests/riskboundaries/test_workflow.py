"""The boundary lifecycle table, exhaustively."""

import pytest

from riskboundaries.workflow import TABLE, TRANSITIONS, BoundaryAction, BoundaryState
from tests.state_tables import check_pair, every_pair

S, A = BoundaryState, BoundaryAction

EXPECTED = {
    (S.DRAFT, A.EDIT): S.DRAFT,
    (S.DRAFT, A.SIGN): S.AWAITING_SIGNATURES,
    (S.AWAITING_SIGNATURES, A.EDIT): S.DRAFT,
    (S.AWAITING_SIGNATURES, A.ACTIVATE): S.ACTIVE,
    (S.ACTIVE, A.SUPERSEDE): S.SUPERSEDED,
}


@pytest.mark.parametrize(("state", "action"), every_pair(S, A))
def test_every_state_and_action(state, action):
    check_pair(TABLE, EXPECTED, state, action)


def test_the_table_is_exactly_the_expected_one():
    assert dict(TRANSITIONS) == EXPECTED


def test_editable_states_are_derived_from_the_table():
    from riskboundaries.workflow import EDITABLE_STATES, BoundaryState

    assert {BoundaryState.DRAFT, BoundaryState.AWAITING_SIGNATURES} == EDITABLE_STATES
