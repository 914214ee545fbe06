"""The CIO reads and searches the audit trail in a real browser: labels and links, filters that fold into one
disclosure on a phone, stacked cards and no sideways scroll at 390 px, and no serious axe violation at either width."""

import pytest
from playwright.sync_api import expect

from audit.services import audit_record
from intake.events import PERMISSION_GRANTED, USE_CASE_SUBMITTED
from tests.browser.helpers import assert_accessible, signed_permissive_boundary, submitted_use_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1440], ids=["phone", "desktop"])
def test_the_cio_filters_the_trail_by_kind_and_opens_the_use_case(
    new_context, live_server, sign_in, snap, width
):
    signed_permissive_boundary()
    use_case = submitted_use_case()
    # More than a page, with long recorded data: the table once scrolled sideways and its page links were too faint.
    for n in range(55):
        audit_record(
            actor=None,
            action=PERMISSION_GRANTED,
            obj=use_case,
            payload={
                "to_group": "ciso",
                "permission": "view_usecase",
                "note": f"{n} " + "0123456789abcdef" * 8,
            },
        )
    page = new_context(viewport={"width": width, "height": 900}, bypass_csp=True).new_page()
    sign_in(page, "cio")
    page.goto(f"{live_server.url}/audit/")
    expect(page.get_by_role("link", name="Older events")).to_be_visible()

    filters = page.locator("form.audit-filters details")
    who = page.get_by_label("Who")
    if width == 390:
        expect(filters).not_to_have_attribute("open", "")
        expect(who).to_be_hidden()
        assert (
            page.locator("table.table-stack tbody tr").first.evaluate("r => getComputedStyle(r).display")
            == "flex"
        )
    else:
        expect(who).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)
    snap(page, "trail")

    if width == 390:
        page.get_by_text("Filters", exact=True).click()
    page.get_by_label("What").select_option(label="Submitted for decision")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(
        f"{live_server.url}/audit/?actor=&action={USE_CASE_SUBMITTED}&since=&until=&object="
    )
    rows = page.locator("table.table-audit tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Submitted for decision")
    expect(rows.first).not_to_contain_text(USE_CASE_SUBMITTED)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)
    snap(page, "filtered")

    page.get_by_role("link", name=f"Use case {use_case.reference}").click()
    expect(page).to_have_url(f"{live_server.url}/requests/{use_case.reference}/")


def test_bad_filters_are_named_in_the_browser_and_pass_axe(new_context, live_server, sign_in, snap):
    signed_permissive_boundary()
    page = new_context(viewport={"width": 390, "height": 844}, bypass_csp=True).new_page()
    sign_in(page, "cio")
    page.goto(f"{live_server.url}/audit/?since=2026-11-27&until=2026-11-01&object=nothing")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("To: The To date is before the From date.")
    expect(alert).to_contain_text("Object: Name the object like")
    expect(page.get_by_label("Who")).to_be_visible()  # open on a phone when something needs correcting
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    snap(page, "errors")
