"""A real worker renders a board pack from seeded data on PostgreSQL + Redis; the PDF's text holds the figures."""

import io
import time
import uuid

import pytest
from django.core.management import call_command
from django.utils import timezone

from reporting.models import BoardPack
from reporting.quarters import Quarter
from reporting.services import board_pack_request
from tests.services.processes import celery_worker, clean_env, wait_for_worker
from tests.support import database_url_for_subprocess, need_broker, need_postgresql

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_worker_renders_the_pack_and_its_text_holds_the_summary_and_register(
    tmp_path, settings, through_the_broker
):
    need_postgresql()
    broker = need_broker()
    from pypdf import PdfReader

    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("seed_demo", "--password", "demo-password-123")
    queue = f"packs-{uuid.uuid4().hex[:10]}"
    env = clean_env(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=database_url_for_subprocess(),
        CELERY_BROKER_URL=broker,
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    worker = celery_worker(env=env, queue=queue, log_dir=tmp_path)
    wait_for_worker(worker)
    previous_routes = through_the_broker.conf.task_routes
    through_the_broker.conf.task_routes = {"reporting.tasks.render_board_pack": {"queue": queue}}
    try:
        from accounts.models import User

        quarter = str(Quarter.containing(timezone.localdate()))
        pack = board_pack_request(actor=User.objects.get(username="secretary"), quarter=quarter)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            pack.refresh_from_db()
            if pack.status in (BoardPack.Status.READY, BoardPack.Status.FAILED):
                break
            time.sleep(0.5)
    finally:
        through_the_broker.conf.task_routes = previous_routes
        assert worker.stop() == 0, worker.log()
    assert pack.status == BoardPack.Status.READY, pack.error or worker.log()

    from reporting.selectors import pack_context

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pack.file.read())).pages)
    flat = " ".join(text.split())
    context = pack_context(Quarter.parse(quarter), pack.cutoff)
    assert quarter in flat
    for figure in ("total", "approved", "rejected", "prohibited_blocked"):
        assert str(context["summary"][figure]) in flat
    for row in context["register"]:
        assert row["ref"] in flat
