"""A register too large for a request is produced by the worker, streamed a chunk at a time, and downloaded when
ready by the person who asked for it; a small one still downloads at once. Every download is audited."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from reporting import services
from reporting.exports import register_csv
from reporting.models import RegisterExport
from reporting.selectors import register_rows, register_rows_iter

pytestmark = pytest.mark.django_db

EXPORTS = "/api/v1/register-exports/"


@pytest.fixture
def large(settings):
    """Every register of the demo counts as large."""
    settings.REGISTER_EXPORT_INLINE_ROWS = 2


def test_a_small_register_downloads_at_once_and_is_audited(api_as, people):
    response = api_as(people["secretary"]).get("/api/v1/register.csv")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    event = AuditEvent.objects.get(action="reporting.register_downloaded")
    assert (
        event.actor == people["secretary"] and event.payload["kind"] == "csv" and event.payload["rows"] >= 10
    )


def test_a_large_register_is_asked_of_the_worker_and_downloaded_when_ready(api_as, people, large):
    client = api_as(people["secretary"])
    refused = client.get("/api/v1/register.csv")
    assert refused.status_code == 409 and "kind" in refused.json()["errors"]
    assert EXPORTS in refused.json()["detail"]

    asked = client.post(EXPORTS, {"kind": "csv"}, format="json")
    assert asked.status_code == 202, asked.json()
    body = asked.json()
    assert body["status"] == "queued" and body["download_url"] is None
    assert asked["Location"] == f"{EXPORTS}{body['id']}/"
    assert (
        client.post(EXPORTS, {"kind": "csv"}, format="json").json()["id"] == body["id"]
    )  # one waiting is reused
    assert client.get(f"{EXPORTS}{body['id']}/file/").status_code == 404

    export = services.register_export_run(export_id=body["id"])  # what the worker does
    assert export.status == RegisterExport.Status.READY
    detail = client.get(asked["Location"]).json()
    assert detail["status"] == "ready" and detail["rows"] == len(register_rows(people["secretary"]))
    downloaded = client.get(detail["download_url"])
    assert downloaded.status_code == 200
    assert downloaded["Content-Disposition"].startswith("attachment;")
    assert downloaded["Cache-Control"] == "private, no-store"
    content = b"".join(downloaded.streaming_content)
    expected = register_csv(register_rows(people["secretary"], now=export.requested_at))
    assert content == expected
    assert [
        e.action
        for e in AuditEvent.objects.filter(action__startswith="reporting.register").order_by("sequence")
    ] == [
        "reporting.register_export_requested",
        "reporting.register_export_ready",
        "reporting.register_downloaded",
    ]
    assert [e["id"] for e in client.get(EXPORTS).json()["results"]] == [body["id"]]


def test_an_excel_export_holds_every_row(api_as, people, large):
    from openpyxl import load_workbook

    client = api_as(people["cio"])
    export_id = client.post(EXPORTS, {"kind": "xlsx"}, format="json").json()["id"]
    services.register_export_run(export_id=export_id)
    response = client.get(f"{EXPORTS}{export_id}/file/")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)["Register"]
    refs = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert refs == [row["ref"] for row in register_rows(people["cio"])]


def test_an_export_is_only_its_requesters(api_as, people, large):
    export_id = api_as(people["secretary"]).post(EXPORTS, {"kind": "csv"}, format="json").json()["id"]
    services.register_export_run(export_id=export_id)
    other = api_as(people["cio"])  # may export the register too, but this one is not theirs
    assert other.get(f"{EXPORTS}{export_id}/").status_code == 404
    assert other.get(f"{EXPORTS}{export_id}/file/").status_code == 404
    assert other.get(EXPORTS).json()["results"] == []
    requester = api_as(people["requester1"])
    assert requester.post(EXPORTS, {"kind": "csv"}, format="json").status_code == 403
    assert requester.get(f"{EXPORTS}{export_id}/file/").status_code == 404


def test_a_bad_kind_is_400_naming_the_field(api_as, people):
    response = api_as(people["secretary"]).post(EXPORTS, {"kind": "pdf"}, format="json")
    assert response.status_code == 400 and "kind" in response.json()["errors"]
    assert not RegisterExport.objects.exists()


def test_an_export_is_produced_once_and_a_failure_is_recorded(people, large, monkeypatch):
    from reporting import exports

    export = services.register_export_request(actor=people["secretary"], kind="csv")
    done = services.register_export_run(export_id=export.pk)
    again = services.register_export_run(export_id=export.pk)  # a redelivered message
    assert again.file.name == done.file.name and again.finished_at == done.finished_at

    def broken(rows, out):
        raise OSError("disk full")

    monkeypatch.setitem(exports.WRITERS, "xlsx", broken)
    failing = services.register_export_request(actor=people["secretary"], kind="xlsx")
    with pytest.raises(OSError):
        services.register_export_run(export_id=failing.pk)
    failing.refresh_from_db()
    assert (
        failing.status == RegisterExport.Status.FAILED and "disk full" in failing.error and not failing.file
    )
    event = AuditEvent.objects.get(action="reporting.register_export_failed")
    assert "disk full" in event.payload["error"]


def test_rows_stream_a_chunk_at_a_time_in_a_fixed_number_of_queries_per_chunk(people):
    everything = register_rows(people["secretary"])
    with CaptureQueriesContext(connection) as streamed:
        rows = list(register_rows_iter(chunk=4))
    assert rows == everything
    chunks = -(-len(rows) // 4)
    assert (
        len(streamed.captured_queries) <= 1 + 2 * chunks
    )  # the use cases; per chunk revisions and approvals


def test_the_pages_send_a_large_register_to_the_exports_page(client, people, large):
    client.force_login(people["secretary"])
    response = client.get("/board-packs/register.csv", follow=True)
    assert response.redirect_chain[-1][0] == "/board-packs/exports/"
    assert "too many to build while you wait" in response.content.decode()

    response = client.post("/board-packs/exports/", {"kind": "csv"}, follow=True)
    page = response.content.decode()
    assert "Waiting for the worker" in page and 'hx-trigger="every 2s"' in page
    export = RegisterExport.objects.get()
    services.register_export_run(export_id=export.pk)
    page = client.get("/board-packs/exports/").content.decode()
    assert f"/board-packs/exports/{export.pk}/download/" in page and "hx-trigger" not in page
    download = client.get(f"/board-packs/exports/{export.pk}/download/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment;")
    assert client.post("/board-packs/exports/", {"kind": "pdf"}).status_code == 400

    client.force_login(people["cio"])
    assert client.get(f"/board-packs/exports/{export.pk}/download/").status_code == 404
