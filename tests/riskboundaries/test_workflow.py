"""The boundary lifecycle table, exhaustively."""

import pytest

from config.errors import InvalidTransition
from riskboundaries.workflow import TRANSITIONS, BoundaryAction, BoundaryState, next_state

S, A = BoundaryState, BoundaryAction

EXPECTED = {
    (S.DRAFT, A.EDIT): S.DRAFT,
    (S.DRAFT, A.SIGN): S.AWAITING_SIGNATURES,
    (S.AWAITING_SIGNATURES, A.EDIT): S.DRAFT,
    (S.AWAITING_SIGNATURES, A.ACTIVATE): S.ACTIVE,
    (S.ACTIVE, A.SUPERSEDE): S.SUPERSEDED,
}


@pytest.mark.parametrize(("state", "action"), [(s, a) for s in S.values for a in A.values])
def test_every_state_and_action(state, action):
    if (state, action) in EXPECTED:
        assert next_state(state, action) == EXPECTED[(state, action)]
    else:
        with pytest.raises(InvalidTransition):
            next_state(state, action)


def test_the_table_is_exactly_the_expected_one():
    assert dict(TRANSITIONS) == EXPECTED
