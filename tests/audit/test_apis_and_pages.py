"""The audit trail through the API and the page: CIO and CISO only; cursor-paginated; verification named."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from audit.models import AuditEvent, AuditVerification
from audit.services import audit_record, audit_verification_run

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/audit-events/"
VERIFY = "/api/v1/audit-events/verify/"


@pytest.mark.parametrize("who", ["cio", "ciso"])
def test_cio_and_ciso_read_the_audit_trail(api_as, request, who):
    audit_record(actor=None, action="test.visible")
    body = api_as(request.getfixturevalue(who)).get(EVENTS).json()
    assert "results" in body and "next" in body and "count" not in body
    assert any(event["action"] == "test.visible" for event in body["results"])


@pytest.mark.parametrize("who", ["requester", "secretary", "admin_user"])
def test_other_people_may_not_read_the_audit_trail(api_as, request, who):
    client = api_as(request.getfixturevalue(who))
    assert client.get(EVENTS).status_code == 403
    assert client.get(VERIFY).status_code == 403


def test_verify_reports_an_intact_chain(api_as, cio):
    audit_record(actor=None, action="test.one")
    body = api_as(cio).get(VERIFY).json()
    assert body["ok"] is True and body["broken_at"] is None and body["checked"] >= 1


def test_the_list_pages_with_a_cursor_and_a_flat_query_count(api_as, cio, django_assert_max_num_queries):
    for i in range(30):
        audit_record(actor=cio, action="test.page", payload={"i": i})
    client = api_as(cio)
    with django_assert_max_num_queries(3):
        first = client.get(EVENTS, {"page_size": 10}).json()
    with django_assert_max_num_queries(3):
        second = client.get(first["next"]).json()
    sequences = [e["sequence"] for e in first["results"] + second["results"]]
    assert sequences == sorted(sequences, reverse=True) and len(set(sequences)) == 20


def test_the_list_can_be_filtered_by_action(api_as, cio):
    audit_record(actor=None, action="test.wanted")
    audit_record(actor=None, action="test.other")
    actions = {e["action"] for e in api_as(cio).get(EVENTS, {"action": "test.wanted"}).json()["results"]}
    assert actions == {"test.wanted"}


def test_the_audit_page_is_for_cio_and_ciso_only(client, cio, requester):
    client.force_login(requester)
    assert client.get("/audit/").status_code == 403
    client.force_login(cio)
    response = client.get("/audit/")
    assert response.status_code == 200 and b"Chain verification" in response.content


def test_the_audit_page_query_count_does_not_grow_with_events(client, cio, django_assert_max_num_queries):
    client.force_login(cio)
    for i in range(60):
        audit_record(actor=cio, action="test.many", payload={"i": i})
    with django_assert_max_num_queries(8):
        response = client.get("/audit/")
    assert response.status_code == 200 and b"Older events" in response.content


def test_the_verify_button_queues_a_run_and_answers_with_a_fragment_that_polls(client, cio):
    client.force_login(cio)
    audit_record(actor=None, action="test.one")
    response = client.post("/audit/verify/", {"kind": "incremental"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b"<html" not in response.content
    assert b'hx-trigger="every 2s"' in response.content and b"New events: queued" in response.content
    run = AuditVerification.objects.get()
    assert (run.kind, run.status, run.requested_by) == ("incremental", "queued", cio)


def test_asking_twice_while_a_run_waits_queues_one_run(client, cio):
    client.force_login(cio)
    client.post("/audit/verify/", {"kind": "full"}, HTTP_HX_REQUEST="true")
    client.post("/audit/verify/", {"kind": "full"}, HTTP_HX_REQUEST="true")
    assert AuditVerification.objects.filter(kind="full").count() == 1


def test_the_page_shows_the_latest_result_and_when_it_ran(client, cio, django_capture_on_commit_callbacks):
    client.force_login(cio)
    audit_record(actor=None, action="test.one")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/audit/verify/", {"kind": "full"})  # the worker (in-process here) runs it after commit
    run, total = AuditVerification.objects.get(), AuditEvent.objects.count()
    fragment = client.get("/audit/verification/").content.decode()
    assert f"Chain intact: {total} events verified (full re-verification), through event #{total}" in fragment
    assert (
        f'datetime="{timezone.localtime(run.finished_at).isoformat()}"' in fragment
        and "asked for by cio_user" in fragment
    )
    assert "hx-trigger" not in fragment  # nothing to poll for
    page = client.get("/audit/").content.decode()
    assert "Chain intact" in page and "Verify new events now" in page and "Full re-verification" in page


def _forge_event_after(head) -> None:
    """An event inserted straight into the table, with a hash made up without the chain key."""
    AuditEvent.objects.create(
        sequence=head.sequence + 1,
        occurred_at=timezone.now(),
        action="test.forged",
        prev_hash=head.hash,
        hash="f" * 64,
        key_id=head.key_id,
    )


def test_the_page_shows_a_broken_chain(client, cio, django_capture_on_commit_callbacks):
    client.force_login(cio)
    head = audit_record(actor=None, action="test.one")
    _forge_event_after(head)
    audit_verification_run(kind="full")
    page = client.get("/audit/").content.decode()
    assert f"Chain broken at event #{head.sequence + 1}: its content does not match its hash" in page


def test_a_verification_row_written_into_the_database_neither_hides_a_break_nor_silences_its_alarm(
    client, cio, django_capture_on_commit_callbacks
):
    client.force_login(cio)
    head = audit_record(actor=None, action="test.one")
    # Unsealed, dated far ahead, "not broken": what someone with the application's database role can insert.
    AuditVerification.objects.create(
        kind="full", status="done", finished_at=timezone.now() + timedelta(days=3650), ok=None
    )
    _forge_event_after(head)
    with django_capture_on_commit_callbacks(execute=True):
        run = audit_verification_run(kind="full")
    assert run.ok is False
    assert any(f"failed verification at event #{head.sequence + 1}" in m.body for m in mail.outbox)
    assert f"Chain broken at event #{head.sequence + 1}" in client.get("/audit/").content.decode()


def test_without_htmx_the_verify_button_returns_to_the_page(client, cio):
    client.force_login(cio)
    response = client.post("/audit/verify/", {"kind": "full"})
    assert response.status_code == 302 and response["Location"] == "/audit/"


@pytest.mark.parametrize("path", ["/audit/verification/"])
def test_the_verification_fragment_is_for_cio_and_ciso_only(client, requester, path):
    client.force_login(requester)
    assert client.get(path).status_code == 403
    assert client.post("/audit/verify/").status_code == 403
    assert AuditVerification.objects.count() == 0


def test_verify_answers_live_when_few_events_are_unverified(api_as, cio):
    for i in range(3):
        audit_record(actor=None, action="test.live", payload={"i": i})
    total = AuditEvent.objects.count()
    body = api_as(cio).get(VERIFY).json()
    assert body["ok"] is True and body["source"] == "live" and body["checked"] == total
    assert body["verified_through"] == body["head_sequence"] == total and body["unverified"] == total
    assert body["run_queued"] is False and body["checkpoint"] is None and body["verified_at"]
    assert AuditVerification.objects.count() == 0  # answering wrote nothing


def test_verify_answers_the_recorded_result_and_queues_a_run_when_many_are_unverified(api_as, cio, settings):
    for i in range(3):
        audit_record(actor=None, action="test.many", payload={"i": i})
    total = AuditEvent.objects.count()
    settings.AUDIT_VERIFY_INLINE_LIMIT = total - 1
    body = api_as(cio).get(VERIFY).json()
    assert body["source"] == "none" and body["ok"] is None and body["run_queued"] is True
    assert body["unverified"] == body["head_sequence"] == total
    assert AuditVerification.objects.get().status == "queued"


def test_verify_is_documented_in_the_schema(api_as, cio):
    schema = api_as(cio).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    fields = schema["components"]["schemas"]["AuditVerifyOutput"]["properties"]
    assert {
        "ok",
        "checked",
        "broken_at",
        "reason",
        "kind",
        "source",
        "verified_at",
        "verified_through",
    } <= set(fields)
    assert {"head_sequence", "unverified", "checkpoint", "run_queued"} <= set(fields)
    assert fields["source"]["description"]


def test_payload_html_is_shown_as_text(client, cio):
    client.force_login(cio)
    audit_record(actor=None, action="test.xss", payload={"note": "<script>alert(1)</script>"})
    content = client.get("/audit/").content
    assert b"<script>alert(1)</script>" not in content and b"&lt;script&gt;" in content
