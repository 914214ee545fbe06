"""The CIO verifies the audit chain from the audit page in a real browser: the result replaces the panel in place
(htmx, under the site's script-src 'self' policy), with when it ran; at a phone width and a desktop width."""

import pytest
from playwright.sync_api import expect

from audit.models import AuditVerification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_cio_verifies_new_events_then_the_whole_chain_from_the_audit_page(
    new_context, live_server, sign_in, snap, width
):
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and csp_errors.append(message.text),
    )
    sign_in(page, "cio")
    page.goto(f"{live_server.url}/audit/")
    panel = page.locator("#audit-verification")
    expect(panel).to_contain_text("The chain has not been verified yet.")

    page.get_by_role("button", name="Verify new events now").click()
    expect(panel).to_contain_text("Chain intact")
    expect(panel).to_contain_text("(new events)")
    expect(panel).to_contain_text("asked for by cio")
    assert page.url == f"{live_server.url}/audit/"  # replaced in place, no reload
    snap(page, "verified")

    page.get_by_role("button", name="Full re-verification").click()
    expect(panel).to_contain_text("(full re-verification)")
    run = AuditVerification.objects.order_by("-pk").first()
    assert (run.kind, run.ok, run.from_sequence) == ("full", True, 0)
    snap(page, "full")
    assert csp_errors == []
