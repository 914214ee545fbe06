"""A state machine as a table, (state, action) -> next state: pure, and the one shape every workflow here uses."""

from collections.abc import Mapping

from django.db import models

from config.errors import InvalidTransition


class StateTable:
    def __init__(
        self,
        transitions: Mapping[tuple[str, str], str],
        states: type[models.TextChoices],
        noun: str,
        *,
        hint: bool = True,
    ) -> None:
        self.transitions = dict(transitions)
        self.states = states
        self.noun = noun  # "a use case": how refusals name the object
        self.hint = hint  # say which actions are possible instead (when people can take them)

    def next_state(self, state: str, action: str) -> str:
        """The state after ``action``, or InvalidTransition (HTTP 409) naming what is and is not possible."""
        try:
            return self.transitions[(state, action)]
        except KeyError:
            allowed = self.allowed_actions(state)
            label = self.states(state).label.lower() if state in self.states.values else state
            hint = ""
            if self.hint and allowed:
                hint = f" Possible now: {', '.join(sorted(allowed))}."
            elif self.hint:
                hint = " Nothing more can happen to it."
            raise InvalidTransition(
                f"Cannot {action.replace('_', ' ')} {self.noun} that is {label}.{hint}"
            ) from None

    def allowed_actions(self, state: str) -> list[str]:
        return [a for (s, a) in self.transitions if s == state]

    def allows(self, state: str, action: str) -> bool:
        return (state, action) in self.transitions

    def states_allowing(self, *actions: str) -> frozenset[str]:
        """The states in which any of ``actions`` can be taken: how named sets of states are derived, never listed."""
        return frozenset(self.states(s) for (s, a) in self.transitions if a in actions)

    def terminal_states(self) -> frozenset[str]:
        """The states nothing more can happen to."""
        return frozenset(s for s in self.states if not self.allowed_actions(s))
