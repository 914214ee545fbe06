"""The site's own pages run under its strict Content-Security-Policy without the browser refusing anything."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import CSP_MARKER, a_little_portfolio, fill_login_form, watch_csp
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_and_home_pages_need_no_inline_script_or_style(page, live_server, demo_people, snap):
    refused = watch_csp(page)

    response = page.goto(f"{live_server.url}/accounts/login/")
    # Without the policy this test would prove nothing.
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    snap(page, "login")

    fill_login_form(page, live_server.url, "cio", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")
    page.wait_for_load_state("networkidle")
    # Bootstrap's dropdown (Popper positioning) runs only when the user menu opens.
    page.locator("#user-menu").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    snap(page, "home-user-menu")

    assert not refused, "\n".join(refused)


def test_a_refused_inline_style_shows_up_on_the_console(page, live_server):
    # The check above relies on Chromium reporting refusals on the console; this shows that it does.
    refused = watch_csp(page)
    page.goto(f"{live_server.url}/accounts/login/")

    with page.expect_console_message(lambda message: CSP_MARKER in message.text):
        page.evaluate(
            "() => { const s = document.createElement('style'); s.textContent = 'body {}'; document.head.append(s); }"
        )

    assert any("style-src" in text for text in refused), refused


def test_the_dashboard_charts_are_styled_under_the_policy(page, live_server, sign_in, snap):
    # The charts' one <style> element each is allowed by the response's nonce; without it the bars would be black.
    a_little_portfolio()
    refused = watch_csp(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "cio")

    response = page.goto(f"{live_server.url}/board-packs/dashboard/")
    assert "'nonce-" in response.headers["content-security-policy"]
    chart = page.locator(".dashboard-chart svg.chart-bar").first
    expect(chart).to_be_visible()
    styles = chart.evaluate(
        """svg => ({
            background: getComputedStyle(svg.querySelector('.background')).fill,
            bars: [...svg.querySelectorAll('rect.rect')].map(rect => getComputedStyle(rect).fill),
            font: getComputedStyle(svg.querySelector('text')).fontFamily,
        })"""
    )
    assert styles["background"] in ("transparent", "rgba(0, 0, 0, 0)", "none"), styles
    this_quarter, previous_quarter = "rgb(47, 95, 167)", "rgb(170, 182, 200)"
    assert set(styles["bars"]) == {this_quarter, previous_quarter}, styles
    assert "Inter" in styles["font"], styles
    snap(page, "dashboard")

    assert not refused, "\n".join(refused)
