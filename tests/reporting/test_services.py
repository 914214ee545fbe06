"""Board packs on the real database: request, render once, fail with the error, versions, permissions, downloads."""

import hashlib
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEvent
from config.errors import DomainError, NotAllowed
from config.quarters import Quarter
from reporting import services
from reporting.models import BoardPack
from tests.reporting.conftest import CURRENT

pytestmark = pytest.mark.django_db


def test_a_requested_pack_is_rendered_with_its_hash_size_and_pages(
    people, django_capture_on_commit_callbacks
):
    secretary = people["secretary"]
    with django_capture_on_commit_callbacks(execute=True):
        pack = services.board_pack_request(actor=secretary, quarter=CURRENT)
    pack.refresh_from_db()
    assert pack.status == BoardPack.Status.READY, pack.error
    data = pack.file.read()
    assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == pack.sha256
    assert pack.size_bytes == len(data) and pack.page_count > 1
    assert AuditEvent.objects.filter(action="reporting.board_pack_ready", object_id=str(pack.pk)).exists()


def test_a_regeneration_is_a_new_version(people, django_capture_on_commit_callbacks):
    cio = people["cio"]
    first = services.board_pack_request(actor=cio, quarter=CURRENT)
    second = services.board_pack_request(actor=cio, quarter=CURRENT)
    assert (first.version, second.version) == (1, 2)


def test_rendering_twice_makes_one_file(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pack = services.board_pack_request(actor=people["cio"], quarter=CURRENT)
    pack.refresh_from_db()
    name, digest = pack.file.name, pack.sha256
    again = services.board_pack_render(pack_id=pack.pk)  # a redelivered message
    assert (again.file.name, again.sha256) == (name, digest)


def test_a_failing_render_ends_failed_with_the_error(people, monkeypatch):
    pack = services.board_pack_request(actor=people["cio"], quarter=CURRENT)

    def broken(context, **_):
        raise RuntimeError("font missing")

    monkeypatch.setattr("reporting.rendering.render_pack", broken)
    with pytest.raises(RuntimeError):
        services.board_pack_render(pack_id=pack.pk)
    pack.refresh_from_db()
    assert pack.status == BoardPack.Status.FAILED and "font missing" in pack.error


def test_only_pack_roles_request_and_quarters_are_validated(people):
    with pytest.raises(NotAllowed):
        services.board_pack_request(actor=people["requester1"], quarter=CURRENT)
    with pytest.raises(DomainError) as excinfo:
        services.board_pack_request(actor=people["secretary"], quarter="2099-Q1")
    assert "quarter" in excinfo.value.errors


def test_a_script_in_a_title_is_text_in_the_pack(people, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from config.quarters import Quarter
    from intake import services as intake_services
    from reporting.pack import pack_context
    from reporting.rendering import pack_html
    from tests.answer_sets import CHATBOT

    requester = people["requester1"]
    use_case = intake_services.use_case_create(
        actor=requester,
        team=requester.teams.first(),
        title="<script>alert('x')</script> bot",
        answers=CHATBOT,
    )
    intake_services.use_case_submit(actor=requester, use_case=use_case)
    quarter = Quarter.containing(timezone.localdate())
    html = pack_html(pack_context(quarter, timezone.now()))
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html


def test_the_register_export_is_the_packs_register_in_four_queries(people, django_assert_num_queries):
    from reporting.pack import pack_context
    from reporting.selectors import register_rows

    now = timezone.now()
    expected = pack_context(Quarter.containing(timezone.localdate()), now)["register"]
    assert len(expected) >= 10  # the demo's portfolio: approved, rejected, in review, re-review due...

    with django_assert_num_queries(4):  # the role check, use cases, revisions, approvals
        rows = register_rows(people["secretary"], now=now)

    assert rows == expected
    assert register_rows(people["requester1"], now=now) == []


def test_the_pack_prints_the_audit_trails_head_at_the_cut_off(people, django_capture_on_commit_callbacks):
    from pypdf import PdfReader

    with django_capture_on_commit_callbacks(execute=True):
        pack = services.board_pack_request(actor=people["secretary"], quarter=CURRENT)
    pack.refresh_from_db()
    head = AuditEvent.objects.filter(occurred_at__lt=pack.cutoff).order_by("-sequence").first()
    # The request's own events come after the cut-off, so the head is not simply the newest event.
    assert AuditEvent.objects.filter(sequence__gt=head.sequence).exists()

    text = " ".join(page.extract_text() for page in PdfReader(pack.file.open("rb")).pages)
    assert f"event {head.sequence} of" in " ".join(text.split())
    assert f"HMAC-SHA256{head.hash}" in "".join(text.split())  # keyed; the hash may wrap across lines


def test_the_demo_plays_out_over_last_quarter_so_its_pack_has_something_to_show(people):
    from reporting.pack import pack_context

    pack = BoardPack.objects.get()
    previous = Quarter.containing(timezone.localdate()).previous()
    assert pack.quarter == str(previous)  # rendered on commit, which this test's transaction never reaches

    context = pack_context(previous, pack.cutoff)
    assert len(context["register"]) >= 5 and context["decisions"]["count"] >= 3
    assert context["summary"]["approved"] >= 2 and context["boundary"]["signatures"]
    # This quarter: the re-review flagged three weeks ago is overdue since that day.
    current = pack_context(Quarter.containing(timezone.localdate()), timezone.now())
    [overdue] = current["overdue_re_reviews"]
    assert overdue["due_since"] < timezone.localdate() - timedelta(days=7)
    # The history was written in date order: the audit trail's times follow its sequence.
    times = list(AuditEvent.objects.order_by("sequence").values_list("occurred_at", flat=True))
    assert times == sorted(times) and times[0] < pack.cutoff < times[-1]


@pytest.mark.parametrize(
    "moment",
    [
        "2027-01-01T00:30:00+01:00",  # the first half hour of a year, in Brussels: still 31 December in UTC
        "2026-10-02T09:00:00+00:00",  # the second day of a quarter
    ],
)
def test_the_demo_history_holds_together_on_the_first_days_of_a_quarter(db, settings, tmp_path, moment):
    import time_machine

    from reporting.pack import pack_context

    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(moment, tick=True):
        call_command("seed_demo", "--password", "demo-password-123")
        pack = BoardPack.objects.get()
        assert pack.quarter == str(Quarter.containing(timezone.localdate()).previous())
        context = pack_context(Quarter.parse(pack.quarter), pack.cutoff)
    assert len(context["register"]) >= 5 and context["decisions"]["count"] >= 3
    times = list(AuditEvent.objects.order_by("sequence").values_list("occurred_at", flat=True))
    assert times == sorted(times)


def test_a_production_demo_writes_no_backdated_history(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEMO_HISTORY = False
    started = timezone.now()
    call_command("seed_demo", "--password", "demo-password-123")
    assert AuditEvent.objects.filter(occurred_at__lt=started).count() == 0


def test_the_latest_revisions_summary_reads_as_the_whole_assessment(people):
    """The pack reads each latest revision's assessment summary from the database (not its whole JSON): it must read
    exactly as the stored assessment does, on this database's JSON functions, and be the last revision submitted."""
    from django.db.models import Max

    from intake.contracts import SavedAssessment
    from intake.models import UseCaseRevision
    from reporting.selectors import latest_revisions

    revisions = UseCaseRevision.objects.filter(submitted_at__isnull=False)
    ids = set(revisions.values_list("use_case_id", flat=True))
    cutoff = timezone.now()

    latest = latest_revisions(ids, cutoff)

    assert set(latest) == ids and len(ids) > 5
    last = dict(revisions.values("use_case_id").annotate(n=Max("number")).values_list("use_case_id", "n"))
    whole = {r.pk: r.assessment for r in revisions}
    for use_case_id, revision in latest.items():
        assert revision.number == last[use_case_id]
        assert SavedAssessment.of(revision.assessment_summary) == SavedAssessment.of(whole[revision.pk])
        assert SavedAssessment.of(revision.assessment_summary).tier is not None
    earlier = (
        min(r.submitted_at for r in revisions if r.number > 1) if revisions.filter(number__gt=1) else None
    )
    if earlier is not None:  # a revision submitted after a cut-off is not the latest at that cut-off
        assert all(r.submitted_at < earlier for r in latest_revisions(ids, earlier).values())


def test_a_register_row_says_whether_its_use_case_is_outside_the_boundary(people):
    from reporting.selectors import register_rows

    rows = register_rows(people["secretary"], now=timezone.now())

    assert any(row["outside"] for row in rows)
    assert all(row["outside"] == (row["verdict"] in ("exceeds", "prohibited")) for row in rows)


def test_the_packs_readiness_counts_the_live_use_cases_obligations_by_state(people):
    from intake import services as intake_services
    from reporting.pack import pack_context
    from reporting.rendering import pack_html
    from tests.answer_sets import CV_SCREENING

    requester = people["requester1"]
    use_case = intake_services.use_case_create(
        actor=requester, team=requester.teams.first(), title="CV screener", answers=CV_SCREENING
    )
    intake_services.use_case_submit(actor=requester, use_case=use_case)
    intake_services.obligation_set_state(
        actor=requester, use_case=use_case, obligation="EU-ART26-9-DPIA", state="met", reason="DPIA-1"
    )
    intake_services.obligation_set_state(
        actor=requester,
        use_case=use_case,
        obligation="EU-ART26-7-INFORM-WORKERS",
        state="not_applicable",
        reason="Candidates only.",
    )
    before = pack_context(Quarter.containing(timezone.localdate()), timezone.now())["regulatory"][
        "obligations"
    ]

    counts = {row["state"]: row["count"] for row in before["by_state"]}
    assert counts["met"] >= 1 and counts["not_applicable"] >= 1
    assert before["total"] == sum(counts.values())
    deployer = next(row for row in before["by_role"] if row["label"] == "As the deployer")
    assert deployer["met"] >= 1 and deployer["not_applicable"] >= 1
    html = pack_html(pack_context(Quarter.containing(timezone.localdate()), timezone.now()))
    assert "already in force and not yet met" in html
