"""The oversight API through the test client: report, list, read, record a duty done, suspend and lift; scoped by
the use case's visibility; bad input answered 400 with the field named."""

from datetime import UTC, datetime

import pytest
import time_machine

from oversight import clocks
from oversight.models import Incident, Suspension

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 10, 8, 0, tzinfo=UTC)
BODY = {
    "title": "Qualified applicants rejected",
    "what_happened": "Every applicant over 50 scored unsuitable.",
    "who_was_affected": "About 40 applicants.",
    "harm": "Unequal treatment.",
    "occurred_at": "2026-06-08T09:30:00+02:00",
    "serious": True,
    "serious_kind": clocks.FUNDAMENTAL_RIGHTS,
}


def url(use_case, tail="incidents/"):
    return f"/api/v1/use-cases/{use_case.reference}/{tail}"


@time_machine.travel(NOW, tick=False)
def test_a_requester_reports_a_serious_incident_and_reads_its_deadlines(high_risk, requester, api_as):
    api = api_as(requester)
    created = api.post(url(high_risk), BODY, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["ref"] == high_risk.reference and body["serious"] is True and body["role"] == "deployer"
    assert body["reference"] == f"INC-{body['id']:05d}"
    assert [d["duty"] for d in body["deadlines"]] == [
        clocks.DEPLOYER_TO_PROVIDER,
        clocks.DEPLOYER_TO_AUTHORITY,
    ]
    assert (
        body["deadlines"][0]["due_at"] == "2026-06-11T10:00:00+02:00"
    )  # 24 hours, shown in the company's zone
    assert body["deadlines"][0]["overdue"] is False
    assert api.get(url(high_risk)).json()[0]["id"] == body["id"]
    assert api.get(f"/api/v1/incidents/{body['id']}/").json()["title"] == BODY["title"]
    assert [i["id"] for i in api.get("/api/v1/incidents/").json()["results"]] == [body["id"]]


@time_machine.travel(NOW, tick=False)
def test_an_incident_on_a_use_case_you_cannot_see_is_not_found_and_nothing_is_stored(
    high_risk, other_team_requester, api_as
):
    api = api_as(other_team_requester)
    assert api.post(url(high_risk), BODY, format="json").status_code == 404
    assert api.get(url(high_risk)).status_code == 404
    assert not Incident.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_someone_who_cannot_see_the_use_case_cannot_read_or_touch_its_incidents(
    high_risk, requester, other_team_requester, api_as
):
    created = api_as(requester).post(url(high_risk), BODY, format="json").json()
    api = api_as(other_team_requester)
    assert api.get(f"/api/v1/incidents/{created['id']}/").status_code == 404
    assert api.get("/api/v1/incidents/").json()["results"] == []
    met = f"/api/v1/incidents/{created['id']}/deadlines/{created['deadlines'][0]['id']}/met/"
    assert api.post(met, {}, format="json").status_code == 404
    assert api.post(url(high_risk, "suspension/"), {"reason": "x"}, format="json").status_code == 404


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"occurred_at": "2026-06-12T09:00:00Z"}, "occurred_at"),  # in the future
        ({"serious": "very"}, "serious"),
        ({"serious_kind": "bad luck"}, "serious_kind"),
        ({"serious": False}, "serious"),  # a kind given, yet not serious
        ({"harm": "h" * 4001}, "harm"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(high_risk, requester, api_as, change, field):
    response = api_as(requester).post(url(high_risk), {**BODY, **change}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"], response.json()
    assert not Incident.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_ciso_suspends_and_the_cio_lifts_through_the_api(high_risk, requester, cio, ciso, api_as):
    incident = api_as(requester).post(url(high_risk), BODY, format="json").json()
    assert (
        api_as(requester).post(url(high_risk, "suspension/"), {"reason": "x"}, format="json").status_code
        == 403
    )
    assert api_as(ciso).get(url(high_risk, "suspension/")).status_code == 204
    suspended = api_as(ciso).post(
        url(high_risk, "suspension/"),
        {"reason": "Serious incident", "incident": incident["id"]},
        format="json",
    )
    assert suspended.status_code == 201 and suspended.json()["incident"] == incident["id"]
    assert (
        api_as(cio).post(url(high_risk, "suspension/"), {"reason": "Again"}, format="json").status_code == 409
    )
    assert api_as(requester).get(url(high_risk, "suspension/")).json()["suspended_by"] == ciso.username
    lifted = api_as(cio).post(url(high_risk, "suspension/lift/"), {"reason": "Retested"}, format="json")
    assert lifted.status_code == 200 and lifted.json()["lifted_by"] == cio.username
    assert (
        api_as(cio).post(url(high_risk, "suspension/lift/"), {"reason": "x"}, format="json").status_code
        == 409
    )
    assert Suspension.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_the_owner_records_a_duty_done_once(high_risk, requester, api_as):
    incident = api_as(requester).post(url(high_risk), BODY, format="json").json()
    met = f"/api/v1/incidents/{incident['id']}/deadlines/{incident['deadlines'][0]['id']}/met/"
    done = api_as(requester).post(met, {"note": "Vendor told by phone"}, format="json")
    assert done.status_code == 200 and done.json()["met_by"] == requester.username
    assert api_as(requester).post(met, {}, format="json").status_code == 409
    other = incident["deadlines"][0]["id"] + 1000
    assert (
        api_as(requester)
        .post(f"/api/v1/incidents/{incident['id']}/deadlines/{other}/met/", {}, format="json")
        .status_code
        == 404
    )


def test_the_incident_list_costs_the_same_queries_for_one_incident_or_many(live, requester, api_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    use_case = live()
    api = api_as(requester)
    with time_machine.travel(NOW, tick=False):
        api.post(url(use_case), BODY, format="json")
    with CaptureQueriesContext(connection) as one:
        api.get("/api/v1/incidents/")
    with time_machine.travel(NOW, tick=False):
        for _ in range(6):
            api.post(url(use_case), {**BODY, "serious": False, "serious_kind": ""}, format="json")
    with CaptureQueriesContext(connection) as seven:
        assert len(api.get("/api/v1/incidents/").json()["results"]) == 7
    assert len(seven.captured_queries) == len(one.captured_queries) <= 6
