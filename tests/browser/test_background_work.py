"""Work that leaves the request, seen in the browser: the re-review pass after a boundary takes effect, and a large
register export. Each page says what is waiting, updates itself while the worker works (htmx polling, no reload),
and stops polling when it is done; at a phone's width and a desktop's."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import User
from outbox import services as outbox
from reporting import services as reporting_services
from reporting.models import RegisterExport
from riskboundaries import services
from riskboundaries.models import ReReviewRun
from tests.browser.helpers import a_portfolio_on_every_page, watch_csp
from tests.riskboundaries.conftest import PERMISSIVE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture
def no_worker(monkeypatch):
    """Nothing queued runs until the test runs it: the work waits in the outbox, as it would for a busy worker."""
    monkeypatch.setattr(outbox, "publish", lambda message_id: False)


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_the_boundary_page_follows_the_re_review_pass_until_it_is_done(
    page, live_server, sign_in, snap, demo_people, private_media, no_worker, width
):
    a_portfolio_on_every_page()  # v1 in force, a draft v2 with max autonomy 2, decided and waiting requests
    cio, ciso = User.objects.get(username="cio"), User.objects.get(username="ciso")
    from tests.browser.test_boundary_journey import approved_agent

    use_case = approved_agent()  # autonomy 3: breaches v2
    draft = services.boundary_create(actor=cio, limits={**PERMISSIVE, "max_autonomy": 1})
    services.boundary_sign(actor=cio, boundary=draft, role="cio", seen_hash=draft.content_hash)
    services.boundary_sign(actor=ciso, boundary=draft, role="ciso", seen_hash=draft.content_hash)
    run = ReReviewRun.objects.get(boundary=draft)
    page.set_viewport_size(WIDTHS[width])
    refused = watch_csp(page)

    sign_in(page, "ciso")
    page.goto(f"{live_server.url}/risk-boundaries/")
    progress = page.locator("#re-review-progress")
    expect(progress).to_contain_text("Waiting for the worker to start checking the approved use cases.")
    expect(progress.locator("progress")).to_be_visible()
    page.evaluate("window.stillTheSamePage = true")
    snap(page, "1-waiting")

    services.boundary_re_review_run(run_id=run.pk)  # the worker
    expect(progress).to_contain_text("breaches it and went to re-review", timeout=10_000)
    assert page.evaluate("window.stillTheSamePage") is True, "the section updated without a reload"
    expect(page.locator("#re-review-progress[hx-trigger]")).to_have_count(0)  # done: the polling stops
    progress.get_by_role("link", name="Open the review queue").click()
    expect(page.get_by_role("link", name=use_case.reference).first).to_be_visible()
    page.goto(f"{live_server.url}/risk-boundaries/")
    snap(page, "2-done")
    assert refused == []


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_a_large_register_is_prepared_in_the_background_and_downloaded(
    page, live_server, sign_in, snap, demo_people, private_media, no_worker, settings, width
):
    a_portfolio_on_every_page()
    settings.REGISTER_EXPORT_INLINE_ROWS = 0  # any register counts as large
    page.set_viewport_size(WIDTHS[width])
    refused = watch_csp(page)

    sign_in(page, "secretary")
    page.goto(f"{live_server.url}/board-packs/")
    page.get_by_role("link", name="Download CSV").click()
    expect(page).to_have_url(f"{live_server.url}/board-packs/exports/")
    expect(page.get_by_role("alert").filter(has_text="too many to build while you wait")).to_be_visible()
    page.get_by_role("button", name="Prepare CSV").click()
    rows = page.locator("#export-rows")
    expect(rows).to_contain_text("Waiting for the worker")
    page.evaluate("window.stillTheSamePage = true")
    snap(page, "1-waiting")

    export = RegisterExport.objects.get()
    reporting_services.register_export_run(export_id=export.pk)  # the worker
    download_link = rows.get_by_role("link", name="Download")
    expect(download_link).to_be_visible(timeout=10_000)
    assert page.evaluate("window.stillTheSamePage") is True
    expect(rows).to_contain_text(re.compile(r"Ready: \d+ rows? · "))
    snap(page, "2-ready")
    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert re.fullmatch(r"genai-register-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    assert "Reference,Title" in Path(download.path()).read_text(encoding="utf-8-sig").splitlines()[0]
    assert refused == []
