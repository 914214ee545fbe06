"""A version's issuance as a table, exhaustively: a draft is signed, countersigned, issued by the worker, or void."""

import pytest

from config.errors import InvalidTransition
from reporting.models import BoardPack
from reporting.workflow import (
    ISSUANCE,
    ISSUANCE_TRANSITIONS,
    SIGNABLE,
    UNISSUED,
    IssuanceAction,
    IssuanceState,
    next_issuance,
)
from tests.state_tables import check_pair, every_pair, reachable_from

A, S = IssuanceAction, IssuanceState

EXPECTED = {
    (S.UNSIGNED, A.SIGN): S.PART_SIGNED,
    (S.PART_SIGNED, A.COUNTERSIGN): S.ISSUING,
    (S.ISSUING, A.ISSUE): S.ISSUED,
    (S.UNSIGNED, A.VOID): S.VOID,
    (S.PART_SIGNED, A.VOID): S.VOID,
    (S.ISSUING, A.VOID): S.VOID,
}


@pytest.mark.parametrize(("state", "action"), every_pair(IssuanceState, IssuanceAction))
def test_every_state_and_action(state, action):
    check_pair(ISSUANCE, EXPECTED, state, action)


def test_the_table_is_exactly_the_expected_one():
    assert dict(ISSUANCE_TRANSITIONS) == EXPECTED


def test_issued_and_void_are_final():
    assert ISSUANCE.terminal_states() == {S.ISSUED, S.VOID}


def test_only_drafts_with_fewer_than_two_signatures_can_be_signed():
    assert {S.UNSIGNED, S.PART_SIGNED} == SIGNABLE


def test_an_issued_version_is_never_voided():
    assert S.ISSUED not in UNISSUED and S.VOID not in UNISSUED


def test_every_state_is_reachable_from_unsigned():
    assert reachable_from(ISSUANCE, S.UNSIGNED) == set(IssuanceState.values)


def test_a_refusal_names_the_version_and_its_state():
    with pytest.raises(InvalidTransition, match=r"^Cannot sign a board pack version that is issued\.$"):
        next_issuance(S.ISSUED, A.SIGN)


def test_the_model_reads_its_issuance_states_from_the_table():
    assert BoardPack._meta.get_field("issuance").choices == IssuanceState.choices
