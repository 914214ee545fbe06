"""A worker killed with SIGKILL in the middle of a board-pack render: once a worker is back, the render is taken over
and finishes, exactly once: one ready pack, one stored file (real worker and beat processes, PostgreSQL, Redis)."""

import time

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEvent
from config.quarters import Quarter
from reporting.models import BoardPack
from tests.services.processes import celery_beat, celery_worker, kill_hard, wait_for_worker, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

QUEUES = "celery,board_packs"


def test_a_render_interrupted_by_a_killed_worker_is_taken_over_and_finishes_once(
    production_env, tmp_path, monkeypatch, settings
):
    from accounts.models import User
    from outbox import services as outbox
    from reporting.services import board_pack_request

    settings.MEDIA_ROOT = str(production_env.media)
    call_command("seed_demo", "--password", "demo-password-123")  # in-process, like the embedded default
    # The request records its render in the outbox; the worker side's sweep publishes it (nothing from this process).
    monkeypatch.setattr(outbox, "publish", lambda message_id: False)
    quarter = str(Quarter.containing(timezone.localdate()))
    pack = board_pack_request(actor=User.objects.get(username="secretary"), quarter=quarter)

    env = production_env()
    beat = celery_beat(env=env, log_dir=tmp_path)
    first = celery_worker(env=env, queue=QUEUES, log_dir=tmp_path, name="worker-1", node="packs-1")
    second = None
    try:
        wait_for_worker(first)
        wait_until(
            lambda: BoardPack.objects.filter(pk=pack.pk, status=BoardPack.Status.RENDERING).exists(),
            timeout=90,
            what="the render starting",
            logs=(first, beat),
        )
        kill_hard(first)  # mid-render: no cleanup, the message unacknowledged, the pack left "rendering"
        pack.refresh_from_db()
        assert pack.status == BoardPack.Status.RENDERING, "the worker finished before it was killed"
        assert not [p for p in production_env.media.rglob("*.pdf") if quarter in p.name]

        killed_at = time.monotonic()
        second = celery_worker(env=env, queue=QUEUES, log_dir=tmp_path, name="worker-2", node="packs-2")
        wait_for_worker(second)
        wait_until(
            lambda: BoardPack.objects.filter(pk=pack.pk, status=BoardPack.Status.READY).exists(),
            timeout=300,
            every=0.5,
            what="the taken-over render finishing",
            logs=(second, beat),
        )
        took = time.monotonic() - killed_at
        time.sleep(6)  # more sweeps pass: nothing renders it again
    finally:
        beat.stop()
        if second is not None:
            assert second.stop() == 0, second.log()
    assert took < 300
    pack.refresh_from_db()
    assert pack.status == BoardPack.Status.READY and pack.render_attempt == 2
    files = sorted(p.name for p in production_env.media.rglob("*.pdf") if quarter in p.name)
    assert files == [pack.filename], files
    assert BoardPack.objects.filter(quarter=quarter, status=BoardPack.Status.READY).count() == 1
    assert (
        AuditEvent.objects.filter(
            action="reporting.board_pack_render_taken_over", object_id=str(pack.pk)
        ).count()
        == 1
    )
    assert AuditEvent.objects.filter(action="reporting.board_pack_ready", object_id=str(pack.pk)).count() == 1
