"""The oversight pages through the test client: the report form (errors named, nothing lost), the incident page, the
use case's panel, the home section with its deadlines and kill switch, and who sees what."""

from datetime import UTC, datetime

import pytest
import time_machine

from oversight import clocks
from oversight.models import Incident, Suspension
from tests.oversight.conftest import report_incident

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 10, 8, 0, tzinfo=UTC)  # 10:00 in Brussels
FORM = {
    "title": "Qualified applicants rejected",
    "occurred_at": "2026-06-08T09:30",
    "what_happened": "Every applicant over 50 scored unsuitable.",
    "who_was_affected": "About 40 applicants.",
    "harm": "Unequal treatment.",
    "serious": "on",
    "serious_kind": clocks.FUNDAMENTAL_RIGHTS,
}


def new_url(use_case):
    return f"/oversight/requests/{use_case.reference}/incidents/new/"


@time_machine.travel(NOW, tick=False)
def test_a_requester_reports_a_serious_incident_from_the_form_and_sees_its_deadlines(
    high_risk, requester, as_user
):
    client = as_user(requester)
    page = client.get(f"/requests/{high_risk.reference}/")
    assert "Report an incident" in page.content.decode()
    response = client.post(new_url(high_risk), FORM, follow=True)
    incident = Incident.objects.get()
    assert response.redirect_chain[-1][0] == f"/oversight/incidents/{incident.pk}/"
    html = response.content.decode()
    assert "Serious incident" in html and "Inform the provider" in html and "11 Jun 2026 10:00" in html
    assert incident.occurred_at == datetime(
        2026, 6, 8, 7, 30, tzinfo=UTC
    )  # entered in the company's time zone


@time_machine.travel(NOW, tick=False)
def test_a_refused_report_names_each_field_and_keeps_what_was_typed(high_risk, requester, as_user):
    response = as_user(requester).post(
        new_url(high_risk), {**FORM, "harm": "", "occurred_at": "2026-06-12T09:30", "serious_kind": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The incident was not reported" in html
    assert "The harm done</a>: This field is required." in html
    assert "Every applicant over 50 scored unsuitable." in html  # kept
    assert not Incident.objects.exists()
    # The service's own checks reach the same list (the form alone would accept these).
    response = as_user(requester).post(new_url(high_risk), {**FORM, "occurred_at": "2026-06-12T09:30"})
    assert response.status_code == 400 and "It cannot be in the future." in response.content.decode()
    response = as_user(requester).post(new_url(high_risk), {**FORM, "serious_kind": ""})
    assert "What made it serious</a>: Say what made it a serious incident" in response.content.decode()
    assert not Incident.objects.exists()


def test_someone_who_cannot_see_the_use_case_gets_not_found(high_risk, other_team_requester, as_user):
    client = as_user(other_team_requester)
    assert client.get(new_url(high_risk)).status_code == 404
    assert client.post(new_url(high_risk), FORM).status_code == 404
    assert (
        client.post(f"/oversight/requests/{high_risk.reference}/suspend/", {"reason": "x"}).status_code == 404
    )
    assert not Incident.objects.exists()


def test_a_draft_offers_no_report(make_use_case, requester, as_user):
    draft = make_use_case()
    client = as_user(requester)
    assert "Report an incident" not in client.get(f"/requests/{draft.reference}/").content.decode()
    page = client.get(new_url(draft))
    assert "Incidents are reported on live use cases" in page.content.decode()
    assert client.post(new_url(draft), FORM).status_code == 409


@time_machine.travel(NOW, tick=False)
def test_the_ciso_suspends_from_home_and_the_cio_sees_the_deadline_there(
    high_risk, requester, cio, ciso, as_user, client
):
    report_incident(requester, high_risk, title="Applicants rejected")
    home = as_user(ciso).get("/").content.decode()
    assert "Serious incidents, still running" in home and f"Suspend {high_risk.reference}" in home
    response = client.post(
        f"/oversight/requests/{high_risk.reference}/suspend/",
        {"reason": "Stop it", "next": "home"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/"
    assert Suspension.objects.get().suspended_by == ciso
    assert "Serious incidents, still running" not in response.content.decode()

    client.logout()
    home = as_user(cio).get("/").content.decode()
    assert "Incidents: reporting duties due" in home and "Inform the market surveillance authority" in home
    assert "11 Jun 2026 10:00" in home
    detail = as_user(requester).get(f"/requests/{high_risk.reference}/").content.decode()
    # At the top of the page, before anything else is read: it is suspended, by whom and why.
    notice = detail.index('id="suspended-notice"')
    assert notice < detail.index("About this request")
    assert "Suspended: do not use it." in detail and "Stop it" in detail


@time_machine.travel(NOW, tick=False)
def test_a_teammate_sees_no_deadline_section_on_home_and_cannot_suspend(
    high_risk, requester, teammate, as_user
):
    report_incident(requester, high_risk, title="Applicants rejected")
    client = as_user(teammate)
    assert "reporting duties due" not in client.get("/").content.decode()
    assert "Suspend it now" not in client.get(f"/requests/{high_risk.reference}/").content.decode()
    client.post(f"/oversight/requests/{high_risk.reference}/suspend/", {"reason": "x"})
    assert not Suspension.objects.exists()
    # The owner sees the duties of their own use case on their home.
    assert "reporting duties due" in as_user(requester).get("/").content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_owner_records_a_duty_done_from_the_incident_page(high_risk, requester, as_user):
    incident = report_incident(requester, high_risk, title="Applicants rejected")
    deadline = incident.deadlines.first()
    response = as_user(requester).post(
        f"/oversight/deadlines/{deadline.pk}/met/", {"note": "Told the vendor"}, follow=True
    )
    assert "Recorded as done." in response.content.decode()
    deadline.refresh_from_db()
    assert deadline.met_by == requester and deadline.met_note == "Told the vendor"
