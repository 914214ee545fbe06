"""The registry of audit event types: one label per code, the payload in words, unknown codes still in words, and
which events move an object to which state. Pure: no database."""

import pytest

from audit.events import (
    EventTypeConflict,
    event_type,
    is_registered,
    label_of,
    register,
    registered_codes,
    state_changes,
    unregister,
    words_of,
)

TEST_CODES = ("test.thing_done", "test.thing_moved", "test.other_moved", "test.elsewhere_moved")


@pytest.fixture(autouse=True)
def _forget_test_codes():
    yield
    for code in TEST_CODES:
        unregister(code)


def test_registering_returns_the_code_so_the_constant_and_its_words_are_one_line():
    assert register("test.thing_done", "Thing done") == "test.thing_done"
    assert is_registered("test.thing_done") and "test.thing_done" in registered_codes()
    assert label_of("test.thing_done") == "Thing done"


def test_a_registered_type_reads_its_payload_through_its_formatters():
    register(
        "test.thing_done",
        "Thing done",
        sentence=lambda p: f"Did the thing {p['times']} times",
        detail=lambda p: f"Because {p['why']}",
        minor=True,
    )
    kind = event_type("test.thing_done")
    assert kind.text({"times": 3, "why": "asked"}) == "Did the thing 3 times"
    assert kind.detail({"times": 3, "why": "asked"}) == "Because asked"
    assert kind.minor is True


def test_without_formatters_the_sentence_is_the_label_and_there_is_no_detail():
    register("test.thing_done", "Thing done")
    kind = event_type("test.thing_done")
    assert (kind.text({"any": 1}), kind.detail({"any": 1}), kind.minor) == ("Thing done", "", False)
    assert (kind.text(None), kind.detail(None)) == ("Thing done", "")


def test_an_unknown_code_reads_as_words_never_as_the_code():
    kind = event_type("test.never_registered_here")
    assert kind.label == "Never registered here"
    assert kind.text({"to": "approved"}) == "Never registered here"
    assert "." not in kind.label and "_" not in kind.label
    assert kind.state_after({"to": "approved"}) is None  # an unknown event moves nothing


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("intake.use_case_flag_re_review", "Use case flag re review"),
        ("plain", "Plain"),
        ("", "Recorded event"),
    ],
)
def test_words_of_a_code_are_its_last_part(code, words):
    assert words_of(code) == words


def test_registering_the_same_words_twice_is_harmless_but_other_words_clash():
    register("test.thing_done", "Thing done", detail=lambda p: "one")
    register("test.thing_done", "Thing done", detail=lambda p: "two")  # the module imported again
    assert event_type("test.thing_done").detail({}) == "two"
    with pytest.raises(EventTypeConflict, match=r"test\.thing_done"):
        register("test.thing_done", "Something else")
    with pytest.raises(EventTypeConflict):
        register("test.thing_done", "Thing done", moves="test.thing")


def test_a_moving_event_names_the_state_it_left_its_object_in():
    register("test.thing_moved", "Thing moved", moves="test.thing")
    register("test.thing_done", "Thing done")
    assert event_type("test.thing_moved").state_after({"from": "draft", "to": "submitted"}) == "submitted"
    assert event_type("test.thing_moved").state_after({"from": "draft"}) is None
    assert event_type("test.thing_moved").state_after(None) is None
    assert event_type("test.thing_done").state_after({"to": "submitted"}) is None


def test_the_state_changes_of_an_object_type_are_its_moving_events_only():
    register("test.thing_moved", "Thing moved", moves="test.thing")
    register("test.other_moved", "Other moved", moves="test.thing")
    register("test.elsewhere_moved", "Elsewhere moved", moves="test.elsewhere")
    register("test.thing_done", "Thing done")
    assert state_changes("test.thing") == {"test.thing_moved", "test.other_moved"}
    assert state_changes("test.elsewhere") == {"test.elsewhere_moved"}
    assert state_changes("test.nothing") == frozenset()
