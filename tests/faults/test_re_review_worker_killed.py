"""A worker killed with SIGKILL in the middle of the re-review pass that follows a boundary's activation: another
worker resumes it at its cursor and finishes it, each breaching use case moved exactly once (real worker and beat
processes, PostgreSQL, Redis)."""

import time

import pytest

from audit.models import AuditEvent
from audit.selectors import audit_chain_check
from intake.models import UseCase
from intake.workflow import Status
from riskboundaries import services
from riskboundaries.models import ReReviewRun
from tests.answer_sets import CHATBOT
from tests.riskboundaries.conftest import PERMISSIVE, approve
from tests.services.processes import celery_beat, celery_worker, kill_hard, wait_for_worker, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

BREACHING = 60


def test_a_pass_interrupted_by_a_killed_worker_is_resumed_and_moves_each_use_case_once(
    production_env, tmp_path, monkeypatch, make_use_case, cio, ciso
):
    from outbox import services as outbox

    first_boundary = services.boundary_create(actor=cio, limits=PERMISSIVE)
    services.boundary_sign(
        actor=cio, boundary=first_boundary, role="cio", seen_hash=first_boundary.content_hash
    )
    services.boundary_sign(
        actor=ciso, boundary=first_boundary, role="ciso", seen_hash=first_boundary.content_hash
    )
    for i in range(BREACHING):
        approve(make_use_case(title=f"Agent {i}", answers={**CHATBOT, "autonomy": 3}, submit=True))
    # Only the worker side publishes (through its sweep): nothing runs in this process.
    monkeypatch.setattr(outbox, "publish", lambda message_id: False)
    draft = services.boundary_create(actor=cio, limits={**PERMISSIVE, "max_autonomy": 1})
    services.boundary_sign(actor=cio, boundary=draft, role="cio", seen_hash=draft.content_hash)
    services.boundary_sign(actor=ciso, boundary=draft, role="ciso", seen_hash=draft.content_hash)
    run = ReReviewRun.objects.get(boundary=draft)
    assert run.state == ReReviewRun.State.QUEUED

    # Small batches, so that the pass is still going when the worker dies; a short lease, so that the sweep hands
    # the dead worker's message to the next one quickly.
    env = production_env(BOUNDARY_RE_REVIEW_BATCH="2", OUTBOX_LEASE_SECONDS="4")
    beat = celery_beat(env=env, log_dir=tmp_path)
    first = celery_worker(env=env, queue="celery", log_dir=tmp_path, name="worker-1", node="w1")
    second = None
    try:
        wait_for_worker(first)
        wait_until(
            lambda: ReReviewRun.objects.filter(pk=run.pk, checked__gt=0).exists(),
            timeout=90,
            what="the pass starting",
            logs=(first, beat),
        )
        kill_hard(first)
        run.refresh_from_db()
        assert run.state == ReReviewRun.State.RUNNING and 0 < run.checked < BREACHING, run
        stopped_at = run.checked

        second = celery_worker(env=env, queue="celery", log_dir=tmp_path, name="worker-2", node="w2")
        wait_for_worker(second)
        wait_until(
            lambda: ReReviewRun.objects.filter(pk=run.pk, state=ReReviewRun.State.DONE).exists(),
            timeout=120,
            every=0.3,
            what="the resumed pass finishing",
            logs=(second, beat),
        )
        time.sleep(5)  # more sweeps pass: nothing moves anything twice
    finally:
        beat.stop()
        if second is not None:
            assert second.stop() == 0, second.log()
    run.refresh_from_db()
    assert (run.total, run.checked, run.flagged) == (
        BREACHING,
        BREACHING,
        BREACHING,
    ) and stopped_at < BREACHING
    assert UseCase.objects.filter(status=Status.RE_REVIEW_DUE).count() == BREACHING
    flags = AuditEvent.objects.filter(action="intake.use_case_flag_re_review")
    assert flags.count() == BREACHING and flags.values("object_id").distinct().count() == BREACHING
    done = AuditEvent.objects.filter(action="riskboundaries.re_review_pass_done", object_id=str(draft.pk))
    assert done.count() == 1
    assert audit_chain_check(checkpoint=None).ok
