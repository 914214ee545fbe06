"""Evidence for conditions and obligations: files checked by content and size, stored through the storage API under a
name of ours, served only through an authenticated, permission-checked, audited view with safe headers; a condition
the risk boundary requires is met only with evidence."""

import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals.models import Condition
from approvals.services import condition_mark_met
from audit.models import AuditEvent
from config.errors import DomainError, NotAllowed
from oversight import events, services
from oversight.models import Evidence

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture
def boundary_condition(high_risk):
    return Condition.objects.create(
        use_case=high_risk,
        source=Condition.Source.BOUNDARY,
        control_id="C-13",
        text="Kill switch and playbook",
    )


def upload(content: bytes, name: str = "report.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_a_pdf_is_kept_under_a_name_of_ours_with_its_digest_and_audited(
    high_risk, requester, boundary_condition, media
):
    item = services.evidence_add(
        actor=requester,
        use_case=high_risk,
        condition_id=boundary_condition.pk,
        note="Tested on 3 June",
        upload=upload(PDF, name="../../etc/Kill switch test<script>.pdf"),
    )
    assert (item.content_type, item.size, item.sha256) == (
        "application/pdf",
        len(PDF),
        hashlib.sha256(PDF).hexdigest(),
    )
    assert item.original_name == "Kill switch test_script_.pdf"
    assert item.file.name.startswith(f"evidence/{high_risk.pk}/") and "Kill" not in item.file.name
    assert (media / item.file.name).read_bytes() == PDF
    event = AuditEvent.objects.filter(action=events.EVIDENCE_ADDED).get()
    assert event.payload["sha256"] == item.sha256 and event.payload["condition"] == boundary_condition.pk


def test_an_office_document_named_as_anything_is_kept_as_what_it_is(high_risk, requester):
    from intake.assessment import duties
    from intake.selectors import use_case_assessment

    obligation = duties.items_of(use_case_assessment(high_risk)[0])[0]["id"]
    item = services.evidence_add(
        actor=requester, use_case=high_risk, obligation=obligation, upload=upload(docx(), name="log.txt")
    )
    assert item.original_name == "log.docx" and item.content_type.endswith("wordprocessingml.document")


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (b"<html><script>alert(document.cookie)</script>", "report.pdf", "not accepted"),
        (b"", "empty.pdf", "The file is empty."),
        (b"MZ\x90\x00" + b"\x00" * 64, "invoice.pdf", "not accepted"),
    ],
)
def test_a_file_that_is_not_what_it_claims_or_empty_is_refused_and_nothing_is_stored(
    high_risk, requester, boundary_condition, media, content, name, words
):
    with pytest.raises(DomainError) as refused:
        services.evidence_add(
            actor=requester,
            use_case=high_risk,
            condition_id=boundary_condition.pk,
            upload=upload(content, name=name),
        )
    assert any(words in message for message in refused.value.errors["file"])
    assert not Evidence.objects.exists() and not media.exists()
    assert not AuditEvent.objects.filter(action=events.EVIDENCE_ADDED).exists()


def test_a_file_over_the_limit_is_refused_naming_the_limit(
    high_risk, requester, boundary_condition, settings, media
):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    with pytest.raises(DomainError) as refused:
        services.evidence_add(
            actor=requester,
            use_case=high_risk,
            condition_id=boundary_condition.pk,
            upload=upload(PDF + b"0" * (1024 * 1024)),
        )
    assert "at most 1 MiB" in refused.value.errors["file"][0]
    assert not Evidence.objects.exists() and not media.exists()


def test_evidence_names_one_condition_or_obligation_of_this_use_case(
    live, high_risk, requester, boundary_condition
):
    with pytest.raises(DomainError) as refused:
        services.evidence_add(actor=requester, use_case=high_risk, note="For nothing")
    assert "target" in refused.value.errors
    other = live(title="Another screening")
    with pytest.raises(DomainError) as refused:
        services.evidence_add(actor=requester, use_case=other, condition_id=boundary_condition.pk, note="x")
    assert "condition" in refused.value.errors
    with pytest.raises(DomainError) as refused:
        services.evidence_add(actor=requester, use_case=high_risk, obligation="NOT-A-DUTY", note="x")
    assert "obligation" in refused.value.errors
    with pytest.raises(DomainError) as refused:
        services.evidence_add(actor=requester, use_case=high_risk, condition_id=boundary_condition.pk)
    assert "file" in refused.value.errors
    assert not Evidence.objects.exists()


def test_a_teammate_reads_but_does_not_add_and_an_outsider_does_not_find_it(
    high_risk, teammate, other_team_requester, boundary_condition
):
    from config.errors import NotFound

    with pytest.raises(NotAllowed):
        services.evidence_add(
            actor=teammate, use_case=high_risk, condition_id=boundary_condition.pk, note="x"
        )
    with pytest.raises(NotFound):
        services.evidence_add(
            actor=other_team_requester, use_case=high_risk, condition_id=boundary_condition.pk, note="x"
        )
    assert not Evidence.objects.exists()


def test_a_condition_the_boundary_requires_is_met_only_with_evidence(
    high_risk, requester, boundary_condition
):
    with pytest.raises(DomainError) as refused:
        condition_mark_met(actor=requester, condition=boundary_condition)
    assert "evidence" in refused.value.errors
    boundary_condition.refresh_from_db()
    assert boundary_condition.met_at is None
    services.evidence_add(
        actor=requester, use_case=high_risk, condition_id=boundary_condition.pk, note="Done"
    )
    assert condition_mark_met(actor=requester, condition=boundary_condition).met_at is not None
    # A reviewer's own condition needs none.
    reviewer = Condition.objects.create(
        use_case=high_risk, source=Condition.Source.REVIEWER, text="Train the team"
    )
    assert condition_mark_met(actor=requester, condition=reviewer).met_at is not None


def test_the_download_is_an_audited_attachment_with_safe_headers_for_those_who_may_see_it(
    high_risk, requester, teammate, other_team_requester, boundary_condition, as_user, client, api_as
):
    item = services.evidence_add(
        actor=requester, use_case=high_risk, condition_id=boundary_condition.pk, upload=upload(PDF)
    )
    response = as_user(teammate).get(f"/oversight/evidence/{item.pk}/download/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, no-store"
    downloaded = AuditEvent.objects.filter(action=events.EVIDENCE_DOWNLOADED).get()
    assert downloaded.actor_id == teammate.pk and downloaded.payload["sha256"] == item.sha256

    client.logout()
    assert client.get(f"/oversight/evidence/{item.pk}/download/").status_code == 302  # to sign in
    assert as_user(other_team_requester).get(f"/oversight/evidence/{item.pk}/download/").status_code == 404
    assert api_as(other_team_requester).get(f"/api/v1/evidence/{item.pk}/download/").status_code == 404
    assert AuditEvent.objects.filter(action=events.EVIDENCE_DOWNLOADED).count() == 1


def test_the_evidence_page_adds_a_file_and_keeps_the_note_when_a_file_is_refused(
    high_risk, requester, boundary_condition, as_user
):
    client = as_user(requester)
    target = f"condition:{boundary_condition.pk}"
    refused = client.post(
        f"/oversight/requests/{high_risk.reference}/evidence/",
        {"target": target, "note": "Drill on 3 June", "file": upload(b"<html></html>", name="drill.pdf")},
    )
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "File: drill.pdf: This kind of file is not accepted" in html and "Drill on 3 June" in html
    assert f'value="{target}" selected' in html
    added = client.post(
        f"/oversight/requests/{high_risk.reference}/evidence/",
        {"target": target, "note": "Drill on 3 June", "file": upload(PDF, name="drill.pdf")},
        follow=True,
    )
    assert "Evidence added." in added.content.decode() and "drill.pdf" in added.content.decode()
    assert Evidence.objects.get().original_name == "drill.pdf"


def test_the_api_takes_a_multipart_upload_and_lists_it(high_risk, requester, boundary_condition, api_as):
    api = api_as(requester)
    url = f"/api/v1/use-cases/{high_risk.reference}/evidence/"
    created = api.post(url, {"condition": boundary_condition.pk, "file": upload(PDF)}, format="multipart")
    assert created.status_code == 201, created.content
    assert created.json()["download"] == f"/api/v1/evidence/{created.json()['id']}/download/"
    assert [e["id"] for e in api.get(url).json()] == [created.json()["id"]]
    bad = api.post(url, {"condition": boundary_condition.pk, "file": upload(b"")}, format="multipart")
    assert bad.status_code == 400 and "file" in bad.json()["errors"]
    download = api.get(created.json()["download"])
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
