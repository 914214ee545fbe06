"""Board packs and the register through the API and the pages: who may, 202, status, audited downloads."""

import re

import pytest

from audit.models import AuditEvent
from tests.reporting.conftest import CURRENT

pytestmark = pytest.mark.django_db


def test_request_is_202_then_ready_and_the_download_is_audited(
    api_as, people, django_capture_on_commit_callbacks
):
    client = api_as(people["secretary"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/board-packs/", {"quarter": CURRENT}, format="json")
    assert response.status_code == 202 and response.json()["status"] == "queued"
    pack_id = response.json()["id"]
    status = client.get(f"/api/v1/board-packs/{pack_id}/").json()
    assert status["status"] == "ready" and status["download_url"]
    download = client.get(status["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["X-Content-SHA256"] == status["sha256"]
    assert AuditEvent.objects.filter(
        action="reporting.board_pack_downloaded", actor=people["secretary"]
    ).exists()


def test_requesters_get_404_for_packs_and_403_for_requests_and_exports(api_as, people):
    api_as(people["cio"]).post("/api/v1/board-packs/", {"quarter": CURRENT}, format="json")
    client = api_as(people["requester1"])
    assert client.get("/api/v1/board-packs/").json()["results"] == []
    assert client.get("/api/v1/board-packs/1/").status_code == 404
    assert client.get("/api/v1/board-packs/1/download/").status_code == 404
    assert client.post("/api/v1/board-packs/", {"quarter": CURRENT}, format="json").status_code == 403
    assert client.get("/api/v1/register.csv").status_code == 403


def test_a_bad_quarter_is_400_naming_the_field(api_as, people):
    response = api_as(people["secretary"]).post("/api/v1/board-packs/", {"quarter": "last"}, format="json")
    assert response.status_code == 400 and "quarter" in response.json()["errors"]


def test_the_register_exports_list_every_submitted_use_case(api_as, people):
    from intake.models import UseCase

    client = api_as(people["secretary"])
    csv_text = client.get("/api/v1/register.csv").content.decode("utf-8-sig")
    for use_case in UseCase.objects.exclude(status="draft"):
        assert use_case.reference in csv_text
    for draft in UseCase.objects.filter(status="draft"):
        assert draft.reference not in csv_text  # drafts belong to their team
    xlsx = client.get("/api/v1/register.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_the_board_packs_page_is_for_the_pack_roles(client, people):
    client.force_login(people["requester1"])
    assert client.get("/board-packs/").status_code == 403
    client.force_login(people["secretary"])
    page = client.get("/board-packs/")
    assert page.status_code == 200 and b"Prepare the pack" in page.content


def test_the_dashboard_shows_the_packs_charts_to_the_cio_and_ciso_only(
    client, people, django_assert_max_num_queries
):
    client.force_login(people["cio"])
    response = client.get("/board-packs/dashboard/")
    html = response.content.decode()
    assert response.status_code == 200 and html.count("<svg") >= 6 and "Portfolio dashboard" in html
    # The charts' style elements carry this response's nonce, and only this page's policy names one.
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert html.count(f'<style nonce="{nonce}"') == html.count("<style") == 5
    assert "nonce-" not in client.get("/requests/")["Content-Security-Policy"]
    for other in ("secretary", "requester1"):
        client.force_login(people[other])
        assert client.get("/board-packs/dashboard/").status_code == 403
