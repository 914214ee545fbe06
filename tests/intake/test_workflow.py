"""The use-case state table, exhaustively: every state × action is either the listed transition or a 409."""

import pytest

from config.errors import InvalidTransition
from intake.workflow import TRANSITIONS, Action, Status, allowed_actions, next_state

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


@pytest.mark.parametrize(("state", "action"), [(s, a) for s in Status.values for a in Action.values])
def test_every_state_and_action(state, action):
    if (state, action) in EXPECTED:
        assert next_state(state, action) == EXPECTED[(state, action)]
    else:
        with pytest.raises(InvalidTransition):
            next_state(state, action)


def test_the_table_is_exactly_the_expected_one():
    assert dict(TRANSITIONS) == EXPECTED


@pytest.mark.parametrize("closed", [S.REJECTED, S.WITHDRAWN, S.RETIRED])
def test_closed_states_are_final(closed):
    assert allowed_actions(closed) == []


def test_every_state_is_reachable_from_draft():
    reached, frontier = {S.DRAFT.value}, [S.DRAFT.value]
    while frontier:
        state = frontier.pop()
        for action in allowed_actions(state):
            target = next_state(state, action)
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(Status.values)


def test_a_refusal_says_what_is_possible_instead():
    with pytest.raises(
        InvalidTransition, match=r"Cannot submit a use case that is approved\. Possible now: .*retire"
    ):
        next_state(S.APPROVED, A.SUBMIT)
    with pytest.raises(InvalidTransition, match="Nothing more can happen"):
        next_state(S.WITHDRAWN, A.EDIT)
