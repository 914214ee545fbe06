"""The state-table shape the workflows share: pure, no database."""

import pytest
from django.db import models

from config.errors import InvalidTransition
from config.statetable import StateTable


class Light(models.TextChoices):
    RED = "red", "Red"
    GREEN = "green", "Green"
    BROKEN = "broken", "Broken"


TABLE = StateTable(
    {("red", "go"): "green", ("green", "stop"): "red", ("red", "fail"): "broken"}, Light, "a light"
)


def test_a_listed_transition_gives_the_next_state():
    assert TABLE.next_state("red", "go") == "green"
    assert TABLE.allowed_actions("red") == ["go", "fail"]


def test_a_refusal_names_the_object_its_state_and_what_is_possible():
    with pytest.raises(
        InvalidTransition, match=r"^Cannot stop a light that is red\. Possible now: fail, go\.$"
    ):
        TABLE.next_state("red", "stop")
    with pytest.raises(InvalidTransition, match="Nothing more can happen to it"):
        TABLE.next_state("broken", "go")


def test_hints_can_be_left_out():
    quiet = StateTable(TABLE.transitions, Light, "a light", hint=False)
    with pytest.raises(InvalidTransition, match=r"^Cannot stop a light that is red\.$"):
        quiet.next_state("red", "stop")
