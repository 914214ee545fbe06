"""Checks every state table's tests share: each (state, action) pair is the expected move or a 409, and every state
can be reached."""

import pytest

from config.errors import InvalidTransition
from config.statetable import StateTable


def every_pair(states, actions) -> list[tuple[str, str]]:
    return [(state, action) for state in states.values for action in actions.values]


def check_pair(table: StateTable, expected: dict, state: str, action: str) -> None:
    if (state, action) in expected:
        assert table.next_state(state, action) == expected[(state, action)]
    else:
        with pytest.raises(InvalidTransition):
            table.next_state(state, action)


def reachable_from(table: StateTable, start: str) -> set[str]:
    reached, frontier = {str(start)}, [str(start)]
    while frontier:
        state = frontier.pop()
        for action in table.allowed_actions(state):
            target = str(table.next_state(state, action))
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    return reached
