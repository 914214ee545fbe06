"""People read audit events as words: the audit page and the home page show each event's registered label, never its
code (the audit page keeps the code in a tooltip, since auditors filter the API by it); the API keeps the code."""

import pytest

from audit.services import audit_record
from intake.events import PERMISSION_GRANTED, USE_CASE_SUBMITTED

pytestmark = pytest.mark.django_db


@pytest.fixture
def granted(cio):
    audit_record(
        actor=cio,
        action=PERMISSION_GRANTED,
        object_type="intake.usecase",
        object_id=1,
        payload={"to_group": "ciso", "permission": "view_usecase"},
    )


def test_the_audit_page_shows_the_label_and_keeps_the_code_out_of_sight(client, cio, granted):
    client.force_login(cio)
    content = client.get("/audit/").content.decode()
    assert ">Access granted<" in content
    assert 'title="intake.permission_granted"' in content
    assert ">intake.permission_granted<" not in content and "<code>intake." not in content


def test_the_audit_page_shows_the_payload_in_words(client, cio):
    audit_record(
        actor=cio, action=USE_CASE_SUBMITTED, payload={"revision": 1, "tier": "high", "band": "medium"}
    )
    client.force_login(cio)
    content = client.get("/audit/").content.decode()
    assert ">Submitted for decision<" in content
    assert "EU AI Act: High risk; risk band: Medium" in content


def test_an_unregistered_code_reads_as_words_on_the_audit_page(client, cio):
    audit_record(actor=None, action="test.something_odd_happened")
    client.force_login(cio)
    content = client.get("/audit/").content.decode()
    assert ">Something odd happened<" in content
    assert ">test.something_odd_happened<" not in content


def test_the_home_page_lists_recent_activity_in_words(client, cio, granted, make_use_case):
    use_case = make_use_case(submit=True)
    client.force_login(cio)
    content = client.get("/").content.decode()
    section = content[content.index('id="home-activity-heading"') :]
    # What happened, by whom, linked to its object; not the housekeeping (access granted, the CIO's own sign-in).
    assert "Submitted for decision" in section
    assert f'<a href="/requests/{use_case.reference}/">Use case {use_case.reference}</a>' in section
    assert f"{use_case.submitter}, <time" in section and ">just now<" in section
    assert "Access granted" not in section and "Signed in" not in section
    assert "intake.permission_granted" not in content


def test_the_api_keeps_the_code_and_adds_the_label(api_as, cio, granted):
    results = api_as(cio).get("/api/v1/audit-events/", {"action": PERMISSION_GRANTED}).json()["results"]
    assert [(e["action"], e["label"]) for e in results] == [("intake.permission_granted", "Access granted")]
