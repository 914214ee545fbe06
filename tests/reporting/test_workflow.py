"""The board pack's state table, exhaustively: every status × action is either the listed move or refused; which
statuses are finished and which are still being prepared."""

import pytest

from config.errors import InvalidTransition
from reporting.models import BoardPack
from reporting.workflow import (
    FINISHED,
    IN_PROGRESS,
    TABLE,
    TRANSITIONS,
    PackAction,
    PackStatus,
    allowed_actions,
    next_state,
)
from tests.state_tables import check_pair, every_pair, reachable_from

A, S = PackAction, PackStatus

EXPECTED = {
    (S.QUEUED, A.START): S.RENDERING,
    (S.QUEUED, A.FAIL): S.FAILED,
    (S.RENDERING, A.TAKE_OVER): S.RENDERING,
    (S.RENDERING, A.FINISH): S.READY,
    (S.RENDERING, A.FAIL): S.FAILED,
}


@pytest.mark.parametrize(("status", "action"), every_pair(PackStatus, PackAction))
def test_every_status_and_action(status, action):
    check_pair(TABLE, EXPECTED, status, action)


def test_the_table_is_exactly_the_expected_one():
    assert dict(TRANSITIONS) == EXPECTED


def test_a_ready_or_failed_pack_is_finished_and_the_others_are_in_progress():
    assert {S.READY, S.FAILED} == FINISHED
    assert {S.QUEUED, S.RENDERING} == IN_PROGRESS
    assert all(allowed_actions(status) == [] for status in FINISHED)


def test_every_status_is_reachable_from_queued():
    assert reachable_from(TABLE, S.QUEUED) == set(PackStatus.values)


def test_a_refusal_names_the_pack_and_its_status():
    with pytest.raises(InvalidTransition, match=r"^Cannot finish a board pack that is queued\.$"):
        next_state(S.QUEUED, A.FINISH)


def test_the_model_reads_its_statuses_from_the_table():
    assert BoardPack.Status is PackStatus
    assert BoardPack._meta.get_field("status").choices == PackStatus.choices
