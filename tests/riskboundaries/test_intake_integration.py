"""The boundary verdict where a requester meets it: the live preview, the use-case page and the API assessment."""

import pytest

from tests.answer_sets import CHATBOT

pytestmark = pytest.mark.django_db


def test_the_api_assessment_carries_the_live_then_frozen_verdict(
    api_as, requester, active_boundary, make_use_case
):
    use_case = make_use_case(answers={**CHATBOT, "autonomy": 3})
    client = api_as(requester)
    live = client.get(f"/api/v1/use-cases/{use_case.reference}/assessment/").json()
    assert live["boundary_version"] == active_boundary.version
    assert live["boundary_check"]["verdict"] in {"within", "within_with_conditions"}
    client.post(f"/api/v1/use-cases/{use_case.reference}/submit/")
    frozen = client.get(f"/api/v1/use-cases/{use_case.reference}/assessment/").json()
    assert frozen["source"] == "revision 1" and frozen["boundary_version"] == active_boundary.version


def test_without_an_active_boundary_there_is_no_verdict(api_as, requester, make_use_case):
    use_case = make_use_case()
    body = api_as(requester).get(f"/api/v1/use-cases/{use_case.reference}/assessment/").json()
    assert body["boundary_check"] is None and body["boundary_version"] is None


def test_the_preview_warns_before_submission_that_the_request_exceeds(client, requester, cio, ciso):
    from riskboundaries import services

    strict = {"max_autonomy": 1, "max_inherent_score": 25, "max_data_classification_external": "restricted"}
    boundary = services.boundary_create(actor=cio, limits=strict)
    services.boundary_sign(actor=cio, boundary=boundary, role="cio", seen_hash=boundary.content_hash)
    services.boundary_sign(actor=ciso, boundary=boundary, role="ciso", seen_hash=boundary.content_hash)
    client.force_login(requester)
    form = {"title": "Agent", "autonomy": "3", "users": "employees_limited"}
    html = client.post("/requests/preview/", form).content.decode()
    assert "Exceeds the risk boundary" in html and "autonomy" in html.lower()


def test_the_use_case_page_shows_the_frozen_verdict(client, requester, active_boundary, make_use_case):
    use_case = make_use_case(submit=True)
    client.force_login(requester)
    html = client.get(f"/requests/{use_case.reference}/").content.decode()
    assert "Against the risk boundary" in html
    assert f"v{active_boundary.version}, as checked at submission" in html
