"""The pass that follows an activation: the signature returns at once, and the worker moves the approved use cases
that breach the new limits to re-review in batches, resumable, idempotent, with progress."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from audit.selectors import audit_chain_check
from intake.models import UseCase
from intake.workflow import Status
from outbox.models import OutboxMessage
from riskboundaries import services
from riskboundaries.models import ReReviewRun
from tests.answer_sets import CHATBOT
from tests.riskboundaries.conftest import PERMISSIVE, approve, run_re_review_passes

pytestmark = pytest.mark.django_db

FLAGGED = "intake.use_case_flag_re_review"
STRICTER = {**PERMISSIVE, "max_autonomy": 1}


def _approved(make_use_case, n: int, *, autonomy: int = 3, prefix: str = "Agent") -> list[UseCase]:
    return [
        approve(make_use_case(title=f"{prefix} {i}", answers={**CHATBOT, "autonomy": autonomy}, submit=True))
        for i in range(n)
    ]


def _activate(cio, ciso, limits=STRICTER):
    draft = services.boundary_create(actor=cio, limits=limits)
    services.boundary_sign(actor=cio, boundary=draft, role="cio", seen_hash=draft.content_hash)
    return services.boundary_sign(actor=ciso, boundary=draft, role="ciso", seen_hash=draft.content_hash)


def _statuses(use_cases) -> set[str]:
    return set(UseCase.objects.filter(pk__in=[u.pk for u in use_cases]).values_list("status", flat=True))


def test_the_signature_that_activates_returns_without_touching_the_use_cases(
    make_use_case, active_boundary, cio, ciso
):
    breaching = _approved(make_use_case, 3)
    draft = services.boundary_create(actor=cio, limits=STRICTER)
    services.boundary_sign(actor=cio, boundary=draft, role="cio", seen_hash=draft.content_hash)
    with CaptureQueriesContext(connection) as signing:
        services.boundary_sign(actor=ciso, boundary=draft, role="ciso", seen_hash=draft.content_hash)
    assert not [q for q in signing.captured_queries if "intake_usecaserevision" in q["sql"]]
    assert not [q for q in signing.captured_queries if q["sql"].startswith('UPDATE "intake_usecase"')]
    assert _statuses(breaching) == {Status.APPROVED}
    run = ReReviewRun.objects.get(boundary=draft)
    assert (run.state, run.started_at, run.checked, run.flagged) == (ReReviewRun.State.QUEUED, None, 0, 0)
    activated = AuditEvent.objects.get(action="riskboundaries.boundary_activate", object_id=str(draft.pk))
    assert activated.payload["content_hash"] == draft.content_hash
    assert activated.payload["supersedes"] == active_boundary.version
    superseded = AuditEvent.objects.get(
        action="riskboundaries.boundary_supersede", object_id=str(active_boundary.pk)
    )
    assert superseded.payload["by_version"] == draft.version
    assert not [
        q for q in signing.captured_queries if "COUNT(" in q["sql"]
    ]  # nothing proportional: the worker counts
    assert OutboxMessage.objects.filter(
        task="riskboundaries.tasks.flag_breaching_use_cases", args=[run.pk]
    ).exists()


def test_the_pass_moves_only_what_breaches_and_was_approved_before_the_boundary_took_effect(
    make_use_case, active_boundary, cio, ciso
):
    breaching = _approved(make_use_case, 4)
    within = _approved(make_use_case, 2, autonomy=0, prefix="Tame")
    boundary = _activate(cio, ciso)
    late = _approved(make_use_case, 1, prefix="Decided after")  # decided against the new limits already
    UseCase.objects.filter(pk=late[0].pk).update(updated_at=boundary.activated_at + timedelta(seconds=1))

    run = services.boundary_re_review_run(run_id=boundary.re_review_run.pk, batch_size=3)

    assert (run.state, run.total, run.checked, run.flagged) == (ReReviewRun.State.DONE, 6, 6, 4)
    assert _statuses(breaching) == {Status.RE_REVIEW_DUE}
    assert _statuses(within) == {Status.APPROVED} and _statuses(late) == {Status.APPROVED}
    moved = UseCase.objects.get(pk=breaching[0].pk)
    assert moved.status_reason.startswith(f"Risk boundary v{boundary.version} took effect")
    assert "highest autonomy" in moved.status_reason
    assert moved.boundary_verdict == "exceeds" and moved.awaiting_decision_since is not None
    assert moved.review_round == breaching[0].review_round + 1
    events = AuditEvent.objects.filter(action=FLAGGED)
    assert events.count() == 4
    payload = events.get(object_id=str(moved.pk)).payload
    assert payload["boundary_version"] == boundary.version and payload["to"] == Status.RE_REVIEW_DUE
    assert payload["review_round"] == moved.review_round and payload["breaches"]
    done = AuditEvent.objects.get(action="riskboundaries.re_review_pass_done")
    assert done.payload == {"version": boundary.version, "checked": 6, "flagged": 4, "superseded": False}
    assert audit_chain_check(checkpoint=None).ok


def test_a_pass_that_dies_resumes_where_it_stopped_and_moves_each_use_case_once(
    make_use_case, active_boundary, cio, ciso, monkeypatch
):
    breaching = _approved(make_use_case, 5)
    boundary = _activate(cio, ciso)
    run_id = boundary.re_review_run.pk
    real = services.use_cases_flag_re_review
    calls = {"n": 0}

    def dies_on_the_second_batch(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker lost")
        return real(**kwargs)

    monkeypatch.setattr(services, "use_cases_flag_re_review", dies_on_the_second_batch)
    with pytest.raises(RuntimeError, match="worker lost"):
        services.boundary_re_review_run(run_id=run_id, batch_size=2)
    run = ReReviewRun.objects.get(pk=run_id)
    assert (run.state, run.checked, run.flagged) == (
        ReReviewRun.State.RUNNING,
        2,
        2,
    )  # the first batch committed
    assert AuditEvent.objects.filter(action=FLAGGED).count() == 2  # the second batch left nothing behind

    monkeypatch.setattr(services, "use_cases_flag_re_review", real)
    run = services.boundary_re_review_run(run_id=run_id, batch_size=2)
    assert (run.state, run.checked, run.flagged) == (ReReviewRun.State.DONE, 5, 5)
    assert _statuses(breaching) == {Status.RE_REVIEW_DUE}
    assert AuditEvent.objects.filter(action=FLAGGED).count() == 5

    queued = OutboxMessage.objects.filter(task="riskboundaries.tasks.flag_breaching_use_cases").count()
    again = services.boundary_re_review_run(run_id=run_id, batch_size=2)  # a redelivered message
    assert (
        OutboxMessage.objects.filter(task="riskboundaries.tasks.flag_breaching_use_cases").count() == queued
    )
    assert (again.checked, again.flagged) == (5, 5)
    assert AuditEvent.objects.filter(action=FLAGGED).count() == 5
    assert AuditEvent.objects.filter(action="riskboundaries.re_review_pass_done").count() == 1
    assert audit_chain_check(checkpoint=None).ok


def test_a_long_pass_hands_over_to_a_fresh_task_when_its_slice_of_time_is_up(
    make_use_case, active_boundary, cio, ciso
):
    _approved(make_use_case, 3)
    boundary = _activate(cio, ciso)
    run_id = boundary.re_review_run.pk
    run = services.boundary_re_review_run(run_id=run_id, batch_size=2, slice_seconds=0)
    assert (run.state, run.checked) == (ReReviewRun.State.RUNNING, 2)
    queued = OutboxMessage.objects.filter(task="riskboundaries.tasks.flag_breaching_use_cases", args=[run_id])
    assert queued.count() == 2  # the activation's message, and the next slice's
    assert services.boundary_re_review_run(run_id=run_id, batch_size=2).state == ReReviewRun.State.DONE


def test_a_batch_costs_the_same_statements_however_many_of_it_breach(
    make_use_case, active_boundary, cio, ciso
):
    _approved(make_use_case, 2)
    _approved(make_use_case, 8, autonomy=0, prefix="Tame")
    first = _activate(cio, ciso)
    with CaptureQueriesContext(connection) as few:
        services._re_review_batch(first.re_review_run.pk, batch_size=20)

    _approved(make_use_case, 10, prefix="More")
    second = _activate(cio, ciso, limits={**STRICTER, "max_inherent_score": 24})
    with CaptureQueriesContext(connection) as many:
        services._re_review_batch(second.re_review_run.pk, batch_size=20)
    assert ReReviewRun.objects.get(boundary=second).flagged == 10
    # The run's lock, the batch read, one lock of the rows, one update, one audit append (lock, head, insert), the cursor.
    assert len(few.captured_queries) == len(many.captured_queries) <= 12, [
        q["sql"][:80] for q in many.captured_queries
    ]


def test_a_pass_stops_when_a_newer_boundary_took_effect_first(make_use_case, active_boundary, cio, ciso):
    breaching = _approved(make_use_case, 2)
    older = _activate(cio, ciso)
    newer = _activate(cio, ciso, limits=PERMISSIVE)  # nothing breaches this one
    run = services.boundary_re_review_run(run_id=older.re_review_run.pk)
    assert (run.state, run.flagged) == (ReReviewRun.State.DONE, 0)
    assert _statuses(breaching) == {Status.APPROVED}
    assert AuditEvent.objects.get(
        action="riskboundaries.re_review_pass_done", object_id=str(older.pk)
    ).payload["superseded"]
    assert services.boundary_re_review_run(run_id=newer.re_review_run.pk).flagged == 0


def test_both_executives_get_one_e_mail_naming_what_moved(
    make_use_case, active_boundary, cio, ciso, django_capture_on_commit_callbacks
):
    _approved(make_use_case, 12)
    boundary = _activate(cio, ciso)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.boundary_re_review_run(run_id=boundary.re_review_run.pk)
    sent = [m for m in mail.outbox if "due for re-review" in m.subject]
    assert len(sent) == 1 and sorted(sent[0].to) == sorted([cio.email, ciso.email])
    assert (
        sent[0].subject
        == f"12 approved use cases are due for re-review under risk boundary v{boundary.version}"
    )
    assert "and 2 more" in sent[0].body and "/decisions/" in sent[0].body


def test_the_api_shows_the_pass_and_its_progress(api_as, make_use_case, active_boundary, cio, ciso):
    _approved(make_use_case, 2)
    boundary = _activate(cio, ciso)
    body = api_as(cio).get(f"/api/v1/risk-boundaries/{boundary.version}/").json()
    assert body["re_review"]["state"] == "queued" and body["re_review"]["started_at"] is None
    run_re_review_passes()
    body = api_as(cio).get("/api/v1/risk-boundaries/active/").json()
    assert {k: body["re_review"][k] for k in ("state", "checked", "flagged")} == {
        "state": "done",
        "checked": 2,
        "flagged": 2,
    }
    assert datetime.fromisoformat(body["re_review"]["finished_at"]) <= timezone.now()
