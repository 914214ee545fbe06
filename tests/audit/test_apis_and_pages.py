"""The audit trail through the API and the page: CIO and CISO only; cursor-paginated; verification named."""

import pytest

from audit.services import audit_record

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
    assert response.status_code == 200 and b"Verify the chain" in response.content


def test_the_audit_page_query_count_does_not_grow_with_events(client, cio, django_assert_max_num_queries):
    client.force_login(cio)
    for i in range(60):
        audit_record(actor=cio, action="test.many", payload={"i": i})
    with django_assert_max_num_queries(8):
        response = client.get("/audit/")
    assert response.status_code == 200 and b"Older events" in response.content


def test_the_verify_button_answers_with_a_fragment(client, cio):
    client.force_login(cio)
    audit_record(actor=None, action="test.one")
    response = client.post("/audit/verify/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b"Chain intact" in response.content and b"<html" not in response.content


def test_payload_html_is_shown_as_text(client, cio):
    client.force_login(cio)
    audit_record(actor=None, action="test.xss", payload={"note": "<script>alert(1)</script>"})
    content = client.get("/audit/").content
    assert b"<script>alert(1)</script>" not in content and b"&lt;script&gt;" in content
