"""Helpers the browser tests share: the login form, the CSP console, the axe-core check and a little portfolio."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page

from accounts.models import User
from intake import services as intake_services
from intake.models import UseCase
from riskboundaries import services as boundary_services
from riskboundaries.models import RiskBoundary
from tests.answer_sets import CHATBOT
from tests.riskboundaries.conftest import PERMISSIVE, signed_by_both

AXE_SCRIPT = Path(__file__).resolve().parents[1] / "assets" / "axe.min.js"
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
CSP_MARKER = "Content Security Policy"


def fill_login_form(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#id_login").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def watch_csp(page: Page) -> list[str]:
    """Chromium reports every resource or inline script/style the policy refuses as a console message."""
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if CSP_MARKER in message.text else None)
    return refused


def axe_violations(page: Page) -> list[dict]:
    """Run axe-core on the current page and return its violations, whatever their impact.

    add_script_tag(path=...) injects the library as an inline script, which the site's CSP (script-src 'self')
    refuses: pages scanned with this need a context created with bypass_csp=True.
    """
    page.add_script_tag(path=str(AXE_SCRIPT))
    # resultTypes: only violations are reported in full, which makes the scan quicker.
    return page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")


def assert_accessible(page: Page) -> None:
    """Fail with a readable list of the serious and critical axe violations on the current page."""
    blocking = [v for v in axe_violations(page) if v.get("impact") in BLOCKING_IMPACTS]
    if blocking:
        lines = [
            f"- {v['id']} ({v['impact']}): {v['help']}; {json.dumps([n['target'] for n in v['nodes'][:3]])}"
            for v in blocking
        ]
        pytest.fail(
            f"axe found {len(blocking)} serious or critical violation(s) on {page.url}:\n" + "\n".join(lines),
            pytrace=False,
        )


def signed_permissive_boundary() -> RiskBoundary:
    """The demo CIO and CISO draft and sign a permissive boundary: it is active."""
    cio, ciso = User.objects.get(username="cio"), User.objects.get(username="ciso")
    boundary = boundary_services.boundary_create(
        actor=cio, limits=PERMISSIVE, change_note="First risk appetite"
    )
    return signed_by_both(boundary, cio, ciso)


def submitted_use_case(title: str = "Customer reply assistant") -> UseCase:
    """The demo requester's customer reply assistant, submitted."""
    requester = User.objects.get(username="requester1")
    use_case = intake_services.use_case_create(
        actor=requester,
        team=requester.teams.get(),
        title=title,
        summary="Drafts replies to customer emails for an agent to send.",
        answers=CHATBOT,
    )
    return intake_services.use_case_submit(actor=requester, use_case=use_case)


def a_little_portfolio() -> None:
    """A signed boundary and one submitted use case: enough for every section of the pack to have something."""
    signed_permissive_boundary()
    submitted_use_case()
