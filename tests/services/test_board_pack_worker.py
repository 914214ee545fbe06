"""A real worker renders a board pack from seeded data on PostgreSQL + Redis; the PDF's text holds the figures."""

import io
import time
import uuid

import pytest
from django.core.management import call_command
from django.utils import timezone

from config.quarters import Quarter
from reporting.models import BoardPack
from reporting.services import board_pack_request
from tests.services.processes import celery_worker, clean_env, wait_for_worker
from tests.support import database_url_for_subprocess, need_broker, need_postgresql

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_worker_renders_the_pack_and_its_text_holds_the_summary_and_register(
    tmp_path, settings, monkeypatch
):
    need_postgresql()
    broker = need_broker()
    from pypdf import PdfReader

    from accounts.models import User
    from config.celery import app
    from reporting import tasks

    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("seed_demo", "--password", "demo-password-123")  # in-process, like the embedded default
    queue = f"packs-{uuid.uuid4().hex[:10]}"
    env = clean_env(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=database_url_for_subprocess(),
        CELERY_BROKER_URL=broker,
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    worker = celery_worker(env=env, queue=queue, log_dir=tmp_path)
    wait_for_worker(worker)
    # The request's own enqueue goes to the production queue; send this test's message to this test's worker.
    monkeypatch.setattr(tasks.render_board_pack, "delay_on_commit", lambda *args, **kwargs: None)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        quarter = str(Quarter.containing(timezone.localdate()))
        pack = board_pack_request(actor=User.objects.get(username="secretary"), quarter=quarter)
        tasks.render_board_pack.apply_async(args=[pack.pk], queue=queue)
        tasks.render_board_pack.apply_async(args=[pack.pk], queue=queue)  # a redelivery renders nothing twice
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            pack.refresh_from_db()
            if pack.status in (BoardPack.Status.READY, BoardPack.Status.FAILED):
                break
            time.sleep(0.5)
        time.sleep(1)  # let the second message be handled too
    finally:
        app.conf.task_always_eager = eager
        stopped = worker.stop()
    assert stopped == 0, worker.log()
    assert pack.status == BoardPack.Status.READY, pack.error or worker.log()
    assert (
        len(list((tmp_path / "media" / "board-packs").iterdir())) == 2
    )  # the demo's pack and this one, once

    from reporting.pack import pack_context

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pack.file.read())).pages)
    flat = " ".join(text.split())
    context = pack_context(Quarter.parse(quarter), pack.cutoff)
    assert quarter in flat
    for figure in ("total", "approved", "rejected", "prohibited_blocked"):
        assert str(context["summary"][figure]) in flat
    for row in context["register"]:
        assert row["ref"] in flat
