"""The board secretary prepares the quarter's board pack in the browser, watches it become ready and downloads it.

The pack is rendered by a real Celery worker (PostgreSQL and Redis), started only once the page shows the pack
queued, so the page is seen waiting and then turning ready by itself through htmx polling, without a reload. Also: a
requester is refused the page (403) and the download (404), and the board-packs page with a ready pack passes the
accessibility scan.
"""

import hashlib
import re
import uuid
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from config.quarters import Quarter
from reporting.models import BoardPack
from tests.browser.helpers import a_little_portfolio, assert_accessible
from tests.services.processes import celery_worker, clean_env, wait_for_worker
from tests.support import database_url_for_subprocess, need_broker, need_postgresql

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]

VIEWPORT = {"width": 1280, "height": 900}
RENDER_TIMEOUT_MS = 120_000


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def pack_queue(monkeypatch):
    """Tasks go to the broker, not in-process; the pack's task to this test's own queue (the broker is shared)."""
    need_postgresql()
    broker = need_broker()
    from config.celery import app
    from outbox import services as outbox
    from outbox.models import OutboxMessage
    from reporting import tasks

    queue = f"packs-{uuid.uuid4().hex[:10]}"
    publish = outbox.publish

    def publish_to_this_tests_queue(message_id: int) -> bool:
        message = OutboxMessage.objects.get(pk=message_id)
        if message.task != tasks.render_board_pack.name:
            return publish(message_id)
        tasks.render_board_pack.apply_async(
            args=message.args, task_id=outbox.task_id_for(message_id), queue=queue, ignore_result=True
        )
        return True

    monkeypatch.setattr(outbox, "publish", publish_to_this_tests_queue)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield {"queue": queue, "broker": broker}
    app.conf.task_always_eager = eager


def test_the_secretary_requests_a_pack_watches_it_become_ready_and_downloads_it(
    page, new_context, live_server, sign_in, snap, pack_queue, settings, tmp_path
):
    a_little_portfolio()
    quarter = str(Quarter.containing(timezone.localdate()))
    page.set_viewport_size(VIEWPORT)

    sign_in(page, "secretary")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Board packs").click()
    expect(page).to_have_url(f"{live_server.url}/board-packs/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Board packs")
    expect(page.locator("#pack-rows")).to_contain_text("No pack yet")
    snap(page, "1-empty")

    page.locator("#id_quarter").select_option(quarter)
    page.get_by_role("button", name="Prepare the pack").click()
    expect(
        page.get_by_role("alert").filter(has_text=f"The {quarter} pack (version 1) is being prepared.")
    ).to_be_visible()

    # No worker yet: the pack waits in the queue and the list polls for news.
    row = page.locator("#pack-rows tbody tr").filter(has_text=quarter)
    expect(row).to_have_count(1)
    expect(row.locator(".pack-status")).to_have_text("Queued")
    expect(row).to_contain_text("Requested")
    expect(page.locator("#pack-rows[hx-trigger]")).to_have_count(1)
    assert BoardPack.objects.get().status == BoardPack.Status.QUEUED
    snap(page, "2-queued")
    page.evaluate("window.stillTheSamePage = true")

    worker = celery_worker(
        env=clean_env(
            DJANGO_SETTINGS_MODULE="config.settings.test",
            DATABASE_URL=database_url_for_subprocess(),
            CELERY_BROKER_URL=pack_queue["broker"],
            MEDIA_ROOT=str(settings.MEDIA_ROOT),
        ),
        queue=pack_queue["queue"],
        log_dir=tmp_path,
    )
    try:
        wait_for_worker(worker)
        download_link = row.get_by_role("link", name=re.compile(r"^Download"))
        expect(download_link).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    finally:
        stopped = worker.stop()
    assert stopped == 0, worker.log()
    assert page.evaluate("window.stillTheSamePage") is True, "the row turned ready without a reload"
    expect(row.locator(".pack-status")).to_have_text("Ready")
    expect(page.locator("#pack-rows[hx-trigger]")).to_have_count(0)  # nothing in progress: the polling stops
    expect(row).to_contain_text("v1")
    expect(row).to_contain_text(re.compile(r"\d+ pages · "))
    shown = row.locator('.hash[title="SHA-256"]').inner_text().strip()
    match = re.fullmatch(r"SHA-256 ([0-9a-f]{64})", shown)
    assert match, shown
    shown_sha256 = match.group(1)
    snap(page, "3-ready")

    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert download.suggested_filename == f"board-pack-{quarter}-v1.pdf"
    body = Path(download.path()).read_bytes()
    assert body.startswith(b"%PDF")

    pack = BoardPack.objects.get()
    assert pack.quarter == quarter and pack.version == 1 and pack.status == BoardPack.Status.READY
    assert pack.requested_by.username == "secretary"
    assert hashlib.sha256(body).hexdigest() == shown_sha256 == pack.sha256
    assert len(body) == pack.size_bytes

    # The page with a ready pack passes the accessibility scan (axe needs the CSP bypassed, in its own context).
    axe_page = new_context(bypass_csp=True).new_page()
    axe_page.set_viewport_size(VIEWPORT)
    sign_in(axe_page, "secretary")
    axe_page.goto(f"{live_server.url}/board-packs/")
    expect(axe_page.locator("#pack-rows .pack-status")).to_have_text("Ready")
    assert_accessible(axe_page)

    # A requester may neither see the page nor fetch the file.
    requester_page = new_context().new_page()
    sign_in(requester_page, "requester1")
    assert requester_page.goto(f"{live_server.url}/board-packs/").status == 403
    assert requester_page.goto(f"{live_server.url}/board-packs/{pack.pk}/download/").status == 404
