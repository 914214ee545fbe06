"""Helpers the browser tests share: the login form and the axe-core accessibility check."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page

AXE_SCRIPT = Path(__file__).resolve().parents[1] / "assets" / "axe.min.js"
BLOCKING_IMPACTS = frozenset({"serious", "critical"})


def fill_login_form(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#id_login").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


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
