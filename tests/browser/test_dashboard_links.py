"""From a number on the dashboard to the list behind it: a heat-map cell and a headline figure, clicked and keyed.

On a 390 px phone and a 1440 px desktop the CIO opens the dashboard on the demo portfolio, follows an occupied
heat-map cell to the requests list filtered to that likelihood and impact (as many rows as the cell counted), removes
a filter chip, and reaches a headline figure with the keyboard. Each page passes axe and is photographed.
"""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, PHONE, assert_accessible
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_portfolio(demo_people, private_media):
    call_command("seed_demo", "--password", PASSWORD)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_heat_map_cell_and_a_figure_lead_to_their_filtered_lists(
    new_context, live_server, sign_in, snap, demo_portfolio, viewport
):
    page = new_context(bypass_csp=True, viewport=viewport).new_page()
    sign_in(page, "cio")
    page.goto(f"{live_server.url}/board-packs/dashboard/")
    assert_accessible(page)
    snap(page, "dashboard")

    cell = page.locator("svg.chart-heatmap a").first
    name = cell.get_attribute("aria-label")
    count, likelihood, impact = map(
        int, re.match(r"(\d+) use cases?: likelihood (\d), impact (\d)", name).groups()
    )
    cell.click()

    expect(page).to_have_url(re.compile(rf"/requests/\?.*likelihood={likelihood}&impact={impact}"))
    expect(page.locator(".filter-chip", has_text=f"Likelihood: {likelihood}")).to_be_visible()
    expect(page.locator("table.table-requests tbody tr")).to_have_count(count)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert_accessible(page)
    snap(page, "heat-map-cell-list")

    page.locator(".filter-chip", has_text=f"Impact: {impact}").click()
    expect(page.locator(".filter-chip", has_text="Impact:")).to_have_count(0)
    expect(page.locator(".filter-chip", has_text=f"Likelihood: {likelihood}")).to_be_visible()

    page.goto(f"{live_server.url}/board-packs/dashboard/")
    figure = page.locator("a.figure-link", has_text=re.compile(r"^\d+$")).nth(1)  # "Approved"
    approved = int(figure.inner_text())
    figure.focus()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/requests/\?status=approved$"))
    expect(page.locator(".filter-chip", has_text="Status: Approved")).to_be_visible()
    expect(page.locator("table.table-requests tbody tr")).to_have_count(approved)
    snap(page, "approved-list")
