"""The audit trail read by who, what, when and which object: the selector, the page and the API share the filters;
bad input is named by its field and dropped; each event links to its object's page."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from audit.filters import parse_audit_filter
from audit.models import AuditEvent
from audit.selectors import ObjectLink, audit_events_for, audit_filter_resolve, audit_object_links
from audit.services import audit_record
from config.pages import page_before
from intake.events import PERMISSION_GRANTED, USE_CASE_CREATED, USE_CASE_SUBMITTED
from riskboundaries import services as boundary_services
from tests.riskboundaries.conftest import PERMISSIVE

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")
EVENTS = "/api/v1/audit-events/"


def _at(day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=BRUSSELS)


def _record(actor, action, *, when=None, **fields):
    if when is None:
        return audit_record(actor=actor, action=action, **fields)
    with time_machine.travel(when, tick=False):
        return audit_record(actor=actor, action=action, **fields)


def _filtered(user, **params):
    wanted, errors = parse_audit_filter(params)
    wanted, unknown = audit_filter_resolve(wanted)
    assert errors | unknown == {}
    return audit_events_for(user, wanted)


@pytest.fixture
def trail(cio, ciso):
    """Events by two people, of two kinds, on three days, about two objects."""
    return [
        _record(cio, USE_CASE_CREATED, when=_at(2), object_type="intake.usecase", object_id="1"),
        _record(ciso, USE_CASE_CREATED, when=_at(3), object_type="intake.usecase", object_id="2"),
        _record(cio, USE_CASE_SUBMITTED, when=_at(3, 23, 30), object_type="intake.usecase", object_id="1"),
        _record(ciso, USE_CASE_SUBMITTED, when=_at(4, 0, 30), object_type="intake.usecase", object_id="2"),
        _record(cio, PERMISSION_GRANTED, when=_at(5), object_type="intake.usecase", object_id="2"),
    ]


def _sequences(events):
    return [event.sequence for event in events]


# --- the selector ----------------------------------------------------------------------------------------------------


def test_the_filters_combine(cio, trail):
    assert _sequences(_filtered(cio, actor="cio_user")) == _sequences(trail[4::-2])
    assert _sequences(_filtered(cio, actor="cio_user", action=USE_CASE_SUBMITTED)) == [trail[2].sequence]
    assert _sequences(_filtered(cio, object="intake.usecase:2", action=USE_CASE_CREATED)) == [
        trail[1].sequence
    ]
    assert _filtered(cio, actor="ciso_user", action=PERMISSION_GRANTED).count() == 0


def test_the_days_are_whole_local_days_from_and_to_inclusive(cio, trail):
    # 23:30 on the 3rd and 00:30 on the 4th, Brussels time: either side of midnight, whatever UTC says.
    assert _sequences(_filtered(cio, since="2026-11-03", until="2026-11-03")) == _sequences(trail[2:0:-1])
    assert _sequences(_filtered(cio, since="2026-11-04", until="2026-11-26")) == _sequences(trail[:2:-1])
    assert _sequences(_filtered(cio, until="2026-11-02")) == [trail[0].sequence]


def test_an_object_is_found_by_its_reference(cio, make_use_case, trail):
    use_case = make_use_case()
    created = AuditEvent.objects.filter(object_type="intake.usecase", object_id=str(use_case.pk))
    assert created.exists()
    assert _sequences(_filtered(cio, object=use_case.reference.lower())) == _sequences(
        created.order_by("-sequence")
    )


def test_a_boundary_is_found_by_its_version(cio):
    boundary = boundary_services.boundary_create(actor=cio, limits=PERMISSIVE, change_note="First")
    found = _filtered(cio, object=f"boundary v{boundary.version}")
    assert found.count() >= 1
    assert {event.object_id for event in found} == {str(boundary.pk)}


def test_keyset_pages_keep_the_filters(cio, ciso):
    for n in range(7):
        _record(cio if n % 2 else ciso, USE_CASE_CREATED)
        _record(cio, PERMISSION_GRANTED)
    mine = _filtered(cio, actor="ciso_user", action=USE_CASE_CREATED)
    first = page_before(mine, "", size=3, key="sequence")
    second = page_before(mine, str(first.older_before), size=3, key="sequence")
    assert (len(first.items), len(second.items), second.older_before) == (3, 1, None)
    read = first.items + second.items
    assert all((e.actor_username, e.action) == ("ciso_user", USE_CASE_CREATED) for e in read)
    assert _sequences(read) == sorted(_sequences(read), reverse=True)


def test_an_unknown_person_or_object_is_named_and_dropped(cio, trail):
    wanted, _ = parse_audit_filter({"actor": "nobody", "object": "GAI-2030-9999", "action": USE_CASE_CREATED})
    wanted, errors = audit_filter_resolve(wanted)
    assert set(errors) == {"actor", "object"}
    assert "nobody" in errors["actor"][0] and "GAI-2030-9999" in errors["object"][0]
    assert audit_events_for(cio, wanted).count() == 2  # the kind still applies


def test_an_unregistered_kind_filters_when_the_trail_holds_it_and_is_named_when_not(cio):
    written = audit_record(actor=None, action="test.from_an_older_release")
    assert _sequences(_filtered(cio, action="test.from_an_older_release")) == [written.sequence]
    wanted, errors = audit_filter_resolve(parse_audit_filter({"action": "test.never_written"})[0])
    assert wanted.action == "" and "not a kind of event" in errors["action"][0]


def test_people_who_do_not_read_the_trail_get_nothing_whatever_the_filter(requester, trail):
    assert _filtered(requester, actor="cio_user").count() == 0


# --- the page --------------------------------------------------------------------------------------------------------


def _page(client, user, **params):
    client.force_login(user)
    response = client.get("/audit/", params)
    assert response.status_code == 200
    return response


def test_the_page_shows_labels_names_and_times_people_read(client, cio):
    with time_machine.travel(_at(27, 14, 3), tick=False):
        audit_record(actor=cio, action=PERMISSION_GRANTED, object_type="intake.usecase", object_id="1")
    content = _page(client, cio).content.decode()
    assert ">Access granted<" in content and 'title="intake.permission_granted"' in content
    assert ">intake.permission_granted<" not in content
    assert ">27 Nov 2026 14:03<" in content and "2026-11-27 14:03" not in content
    assert f">{cio.display_name}<" in content


def test_the_latest_verification_reads_as_a_day_and_a_time(client, cio, django_capture_on_commit_callbacks):
    client.force_login(cio)
    with time_machine.travel(_at(27, 14, 3), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/audit/verify/", {"kind": "full"})
        fragment = client.get("/audit/verification/").content.decode()
    assert ">27 Nov 2026 14:03<" in fragment and "2026-11-27 14:03" not in fragment


def test_the_page_filters_and_says_so_when_nothing_matches(client, cio, trail):
    rows = _page(client, cio, actor="ciso_user", action=USE_CASE_SUBMITTED).context["rows"]
    assert [event.sequence for event, _ in rows] == [trail[3].sequence]
    content = _page(client, cio, actor="ciso_user", action=PERMISSION_GRANTED).content.decode()
    assert "No events match these filters." in content


def test_the_kind_select_groups_the_labels_by_area(client, cio):
    content = _page(client, cio, action=USE_CASE_SUBMITTED).content.decode()
    assert '<optgroup label="Use cases">' in content
    assert f'<option value="{USE_CASE_SUBMITTED}" selected>Submitted for decision</option>' in content


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"action": "intake.no_such_thing"}, "What", "is not a kind of event"),
        ({"since": "27/11/2026"}, "From", "Give the From date as a date"),
        ({"until": "2026-02-30"}, "To", "Give the To date as a date"),
        ({"since": "2026-11-05", "until": "2026-11-01"}, "To", "The To date is before the From date."),
        ({"actor": "nobody"}, "Who", "No one has the username"),
        ({"object": "nothing at all"}, "Object", "Name the object like"),
        ({"object": "GAI-2030-9999"}, "Object", "There is no Use case GAI-2030-9999"),
    ],
)
def test_bad_input_is_named_and_that_filter_dropped(client, cio, trail, params, field, message):
    response = _page(client, cio, **params)
    content = response.content.decode()
    assert f">{field}</a>: " in content and message in content
    assert "is-invalid" in content
    shown = [event.sequence for event, _ in response.context["rows"]]
    if "since" in params and "until" in params:
        assert shown == _sequences(_filtered(cio, since=params["since"]))
    else:
        assert set(_sequences(trail)) <= set(shown)


def test_the_older_link_keeps_the_filters(client, cio, ciso):
    for _ in range(52):
        audit_record(actor=ciso, action=USE_CASE_CREATED)
    audit_record(actor=cio, action=USE_CASE_CREATED)
    first = _page(client, cio, actor="ciso_user", action=USE_CASE_CREATED)
    older = first.context["older_before"]
    assert (
        f'href="?actor=ciso_user&amp;action={USE_CASE_CREATED}&amp;before={older}"' in first.content.decode()
    )
    second = _page(client, cio, actor="ciso_user", action=USE_CASE_CREATED, before=older)
    assert [e.actor_username for e, _ in second.context["rows"]] == ["ciso_user", "ciso_user"]
    assert f'href="/audit/?actor=ciso_user&amp;action={USE_CASE_CREATED}"' in second.content.decode()


def test_events_link_to_the_objects_the_reader_may_open(client, cio, ciso, make_use_case):
    draft = make_use_case(title="Still a draft")
    submitted = make_use_case(title="Sent for decision", submit=True)
    boundary = boundary_services.boundary_create(actor=cio, limits=PERMISSIVE, change_note="First")
    audit_record(actor=cio, action=PERMISSION_GRANTED, object_type="intake.usecase", object_id="999999")
    content = _page(client, cio).content.decode()
    assert f'<a href="/requests/{submitted.reference}/">Use case {submitted.reference}</a>' in content
    assert f'<a href="/risk-boundaries/{boundary.version}/">Risk boundary v{boundary.version}</a>' in content
    # A draft the CIO may not see yet is named without a link; an object that is gone reads as its id.
    assert f"Use case {draft.reference}" in content and f'href="/requests/{draft.reference}/"' not in content
    assert "Use case #999999" in content
    # People's pages are for administrators: the CIO reads the person's name without a link.
    assert "Person cio_user" in content and 'href="/people/' not in content


def test_people_link_to_their_page_for_those_who_manage_people(cio, admin_user):
    # No reader of the trail manages people today (an administrator cannot be CIO or CISO); the link waits for one.
    events = list(AuditEvent.objects.filter(object_type="accounts.user", object_id=str(cio.pk)))
    assert events
    assert audit_object_links(admin_user, events)["accounts.user", str(cio.pk)] == ObjectLink(
        f"Person {cio.username}", f"/people/{cio.username}/"
    )
    assert audit_object_links(cio, events)["accounts.user", str(cio.pk)] == ObjectLink(
        f"Person {cio.username}"
    )


def test_the_page_query_count_does_not_grow_with_events_or_objects(
    client, cio, ciso, make_use_case, django_assert_max_num_queries
):
    use_cases = [make_use_case(title=f"Assistant {n}", submit=True) for n in range(3)]
    boundary = boundary_services.boundary_create(actor=cio, limits=PERMISSIVE, change_note="First")
    for n in range(60):
        audit_record(actor=cio if n % 2 else ciso, action=PERMISSION_GRANTED, obj=use_cases[n % 3])
        audit_record(actor=ciso, action=USE_CASE_CREATED, obj=boundary if n % 5 else ciso)
    client.force_login(cio)
    with django_assert_max_num_queries(12):
        response = client.get("/audit/", {"action": PERMISSION_GRANTED, "since": "2026-01-01"})
    assert len(response.context["rows"]) == 50 and b"Older events" in response.content
    with django_assert_max_num_queries(12):
        response = client.get("/audit/")
    assert len({object.url for _, object in response.context["rows"] if object and object.url}) >= 3


# --- the API ---------------------------------------------------------------------------------------------------------


def test_the_api_takes_the_same_filters(api_as, cio, trail):
    client = api_as(cio)
    body = client.get(EVENTS, {"actor": "ciso_user", "kind": USE_CASE_SUBMITTED}).json()
    assert [e["sequence"] for e in body["results"]] == [trail[3].sequence]
    body = client.get(
        EVENTS, {"since": "2026-11-03", "until": "2026-11-03", "object": "intake.usecase:1"}
    ).json()
    assert [e["sequence"] for e in body["results"]] == [trail[2].sequence]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"action": "nope.nothing"}, "action"),
        ({"since": "tomorrow"}, "since"),
        ({"since": "2026-11-05", "until": "2026-11-01"}, "until"),
        ({"actor": "nobody"}, "actor"),
        ({"object": "GAI-2030-9999"}, "object"),
    ],
)
def test_the_api_answers_bad_filters_with_400_naming_the_field(api_as, cio, params, field):
    response = api_as(cio).get(EVENTS, params)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] and list(body["errors"]) == [field] and body["errors"][field][0]


def test_the_api_documents_its_filters(api_as, cio):
    schema = api_as(cio).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    parameters = {p["name"]: p for p in schema["paths"][EVENTS]["get"]["parameters"]}
    assert {"actor", "action", "kind", "since", "until", "object", "cursor"} <= set(parameters)
    assert parameters["since"]["schema"]["format"] == "date"
