"""Browser-test harness: Debian's Chromium via pytest-playwright, the live server, the demo organisation, screenshots."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from accounts.demo import DemoPerson, seed_people
from tests.browser.helpers import a_portfolio_on_every_page, fill_login_form
from tests.factories import PASSWORD
from tests.support import need_chromium

# Playwright's sync API runs an event loop in the test thread, so Django would refuse ORM calls made from it
# (SynchronousOnlyOperation) in fixtures and assertions.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO_ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Playwright cannot download its own browser here: drive the system Chromium, one browser for the session.
    return {**browser_type_launch_args, "executable_path": need_chromium(), "args": CHROMIUM_ARGS}


@pytest.fixture
def new_context(new_context):
    """Every browser context fails its test when a page's own stylesheet, script or image does not load.

    Without this an unstyled page (static files answering 404 or 500) passes every other check.
    """
    broken: list[str] = []

    def _on_response(response) -> None:
        if response.request.resource_type != "document" and response.status >= 400:
            broken.append(f"{response.status} {response.url}")

    def _on_failure(request) -> None:
        # A navigation that moves on before a load finishes aborts it; that is not a missing file.
        if request.failure != "net::ERR_ABORTED":
            broken.append(f"{request.failure} {request.url}")

    def _new_context(**kwargs):
        context = new_context(**kwargs)
        context.on("response", _on_response)
        context.on("requestfailed", _on_failure)
        return context

    yield _new_context
    assert not broken, "resources that did not load:\n" + "\n".join(broken)


@pytest.fixture
def demo_people(transactional_db) -> dict[str, DemoPerson]:
    """The demo organisation in the test database, everyone with PASSWORD; keyed by username."""
    return {person.username: person for person, _created in seed_people(password=PASSWORD)}


@pytest.fixture
def private_media(settings, tmp_path):
    """Board packs rendered by the test go to its own temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def portfolio(demo_people, private_media) -> dict[str, str]:
    """Something on every page each role reaches (see helpers.a_portfolio_on_every_page); the two requests' references."""
    return a_portfolio_on_every_page()


@pytest.fixture
def snap(request):
    """snap(page, name) saves a full-page PNG to artifacts/screenshots/<test-name>-<name>.png."""
    test_name = request.node.originalname
    callspec = getattr(request.node, "callspec", None)
    if callspec is not None:
        # Every test runs in the one browser, so its name adds nothing; keep the other parameters.
        ids = callspec.id.split("-")
        if callspec.params.get("browser_name") in ids:
            ids.remove(callspec.params["browser_name"])
        test_name = "-".join([test_name, *ids])
    test_name = re.sub(r"[^A-Za-z0-9_.-]+", "-", test_name).strip("-")

    def _snap(page: Page, name: str) -> Path:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / f"{test_name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _snap


@pytest.fixture
def sign_in(live_server, demo_people):
    """sign_in(page, username) signs in through the real login form and waits for the home page."""

    def _sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
        fill_login_form(page, live_server.url, username, password)
        expect(page).to_have_url(f"{live_server.url}/")

    return _sign_in
