"""The board secretary prepares the quarter's board pack in the browser, watches it become ready and downloads it.

The test settings run tasks in-process once the request commits, so the pack renders right after it is requested;
the page still only learns of it by showing (or polling for) the ready row. Also: a requester is refused the page
(403) and the download (404), and the board-packs page with a ready pack passes the accessibility scan.
"""

import hashlib
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reporting.models import BoardPack
from reporting.quarters import Quarter
from tests.browser.helpers import a_little_portfolio, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORT = {"width": 1280, "height": 900}
RENDER_TIMEOUT_MS = 60_000


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_secretary_requests_a_pack_watches_it_become_ready_and_downloads_it(
    page, new_context, live_server, sign_in, snap
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
        page.get_by_role("alert").filter(has_text=f"The {quarter} pack (version 1) is ready.")
    ).to_be_visible()

    row = page.locator("#pack-rows tbody tr").filter(has_text=quarter)
    expect(row).to_have_count(1)
    download_link = row.get_by_role("link", name=re.compile(r"^Download"))
    expect(download_link).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    expect(row.locator(".pack-status")).to_have_text("Ready")
    expect(page.locator("#pack-rows[hx-trigger]")).to_have_count(0)  # nothing in progress: the polling stops
    expect(row).to_contain_text("v1")
    expect(row).to_contain_text(re.compile(r"\d+ pages · "))
    shown = row.locator(".hash").inner_text().strip()
    match = re.fullmatch(r"SHA-256 ([0-9a-f]{64})", shown)
    assert match, shown
    shown_sha256 = match.group(1)
    snap(page, "2-ready")

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
