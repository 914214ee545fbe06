"""The review round's state table, exhaustively: every state × action is either the listed move or a 409; the state
read from a round's fields, and the outcome that ends it."""

from datetime import UTC, datetime

import pytest

from approvals.rules import Outcome
from approvals.workflow import (
    ENDED_BY,
    TABLE,
    TRANSITIONS,
    CycleAction,
    CycleState,
    allowed_actions,
    cycle_state,
    ended_state,
)
from config.errors import InvalidTransition
from tests.state_tables import check_pair, every_pair, reachable_from

A, S = CycleAction, CycleState
CLOSED = datetime(2026, 1, 1, tzinfo=UTC)

EXPECTED = {
    (S.OPEN, A.DECIDE): S.DECIDED,
    (S.OPEN, A.WITHDRAW): S.WITHDRAWN,
}


@pytest.mark.parametrize(("state", "action"), every_pair(CycleState, CycleAction))
def test_every_state_and_action(state, action):
    check_pair(TABLE, EXPECTED, state, action)


def test_the_table_is_exactly_the_expected_one():
    assert dict(TRANSITIONS) == EXPECTED


@pytest.mark.parametrize("ended", [S.DECIDED, S.WITHDRAWN])
def test_an_ended_round_is_final(ended):
    assert allowed_actions(ended) == []


def test_every_state_is_reachable_from_open():
    assert reachable_from(TABLE, S.OPEN) == set(CycleState.values)


@pytest.mark.parametrize(
    ("outcome", "ended"),
    [
        (Outcome.APPROVED, S.DECIDED),
        (Outcome.REJECTED, S.DECIDED),
        (Outcome.CHANGES_REQUESTED, S.DECIDED),
        (Outcome.WITHDRAWN, S.WITHDRAWN),
    ],
)
def test_an_open_round_ends_by_its_outcome_and_reads_back_the_same(outcome, ended):
    assert ended_state(S.OPEN, outcome) == ended
    assert cycle_state(closed_at=CLOSED, outcome=outcome) == ended


def test_every_outcome_but_waiting_ends_a_round():
    assert set(ENDED_BY) == set(Outcome.values) - {Outcome.WAITING}


def test_waiting_ends_nothing():
    with pytest.raises(InvalidTransition, match="Cannot end as waiting a review round that is open"):
        ended_state(S.OPEN, Outcome.WAITING)


@pytest.mark.parametrize("outcome", sorted(ENDED_BY))
@pytest.mark.parametrize("ended", [S.DECIDED, S.WITHDRAWN])
def test_a_round_ends_once(ended, outcome):
    with pytest.raises(InvalidTransition, match="a review round that is"):
        ended_state(ended, outcome)


@pytest.mark.parametrize("outcome", ["", *Outcome.values])
def test_a_round_is_open_until_it_closes(outcome):
    assert cycle_state(closed_at=None, outcome=outcome) == S.OPEN
