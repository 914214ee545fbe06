"""The audit trail's filters read from query parameters, without the database: each bad value is named and dropped."""

from datetime import date

import pytest

from audit.events import kinds_by_area
from audit.filters import parse_audit_filter, parse_object
from intake.events import PERMISSION_GRANTED, USE_CASE_SUBMITTED


def test_the_filters_read_every_field():
    wanted, errors = parse_audit_filter(
        {
            "actor": " cio_user ",
            "action": USE_CASE_SUBMITTED,
            "since": "2026-11-01",
            "until": "2026-11-27",
            "object": "gai-2026-0007",
        }
    )
    assert errors == {}
    assert (wanted.actor, wanted.action, wanted.since, wanted.until) == (
        "cio_user",
        USE_CASE_SUBMITTED,
        date(2026, 11, 1),
        date(2026, 11, 27),
    )
    assert (wanted.object.object_type, wanted.object.key) == ("intake.usecase", "GAI-2026-0007")
    assert wanted.params()["object"] == "GAI-2026-0007"


def test_an_unregistered_code_is_left_to_the_trail_to_answer():
    wanted, errors = parse_audit_filter({"action": "intake.written_by_an_older_release"})
    assert (wanted.action, errors) == ("intake.written_by_an_older_release", {})


def test_kind_is_read_as_the_action_when_no_action_is_given():
    wanted, errors = parse_audit_filter({"kind": PERMISSION_GRANTED})
    assert (wanted.action, errors) == (PERMISSION_GRANTED, {})


def test_a_kind_that_cannot_be_a_code_is_named_and_dropped():
    wanted, errors = parse_audit_filter({"action": "<script>", "actor": "cio_user"})
    assert wanted.action == "" and wanted.actor == "cio_user"
    assert "not a kind of event" in errors["action"][0]


@pytest.mark.parametrize("value", ["27/11/2026", "2026-13-01", "yesterday", "2026-11-1", "٢٠٢٦-١١-٢٧"])
def test_a_malformed_date_is_named_and_dropped(value):
    wanted, errors = parse_audit_filter({"since": value, "until": value})
    assert (wanted.since, wanted.until) == (None, None)
    assert set(errors) == {"since", "until"}
    assert "From date" in errors["since"][0] and "To date" in errors["until"][0]


def test_a_to_date_before_the_from_date_is_named_and_dropped():
    wanted, errors = parse_audit_filter({"since": "2026-11-27", "until": "2026-11-01"})
    assert (wanted.since, wanted.until) == (date(2026, 11, 27), None)
    assert errors == {"until": ["The To date is before the From date."]}


@pytest.mark.parametrize(
    ("text", "object_type", "key", "object_id"),
    [
        ("GAI-2026-0001", "intake.usecase", "GAI-2026-0001", ""),
        ("boundary v3", "riskboundaries.riskboundary", "3", ""),
        ("v12", "riskboundaries.riskboundary", "12", ""),
        ("Risk boundary version 4", "riskboundaries.riskboundary", "4", ""),
        ("pack 12", "reporting.boardpack", "12", "12"),
        ("board pack #7", "reporting.boardpack", "7", "7"),
        ("person alice", "accounts.user", "alice", ""),
        ("intake.usecase:42", "intake.usecase", "42", "42"),
    ],
)
def test_an_object_is_named_by_its_reference_version_or_id(text, object_type, key, object_id):
    ref = parse_object(text)
    assert (ref.object_type, ref.key, ref.object_id) == (object_type, key, object_id)


@pytest.mark.parametrize("text", ["GAI-26-1", "something", "pack twelve", "x" * 200])
def test_an_object_that_names_nothing_is_named_and_dropped(text):
    wanted, errors = parse_audit_filter({"object": text})
    assert wanted.object is None
    assert "GAI-2026-0001" in errors["object"][0]


def test_the_kinds_of_event_are_grouped_by_area_with_their_labels():
    areas = dict(kinds_by_area())
    assert (USE_CASE_SUBMITTED, "Submitted for decision") in areas["Use cases"]
    assert ("auth.login", "Signed in") in areas["Signing in"]
    assert all(not label.startswith(("intake.", "auth.")) for kinds in areas.values() for _, label in kinds)
