"""Questions that apply only after an earlier answer appear and disappear as it changes, without a reload; the live
preview says "Not enough answers yet" until the questions that decide the verdict are answered, on a phone and a desk.
"""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_accessible, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MINOR_ROLE = "Is its role in the decision minor?"
WHY_MINOR = "Why is its role minor?"
PUBLIC_BODY = "Are we a public body or providing a public service here?"


def group(page: Page, label: str):
    return page.get_by_role("group", name=label, exact=True)


def test_the_minor_role_question_appears_with_an_annex_iii_area_and_goes_with_it(
    page, live_server, sign_in, snap
):
    page.set_viewport_size({"width": 1440, "height": 900})
    refused = watch_csp(page)
    sign_in(page, "requester1")
    page.goto(f"{live_server.url}/requests/new/")
    area = page.get_by_label("Does it help decide any of these?")

    # Hidden with the `hidden` attribute: not on screen and not in the accessibility tree.
    expect(page.locator("#q-art6_3_exemption")).to_have_attribute("hidden", "")
    expect(group(page, MINOR_ROLE)).to_have_count(0)
    expect(group(page, PUBLIC_BODY)).to_have_count(0)
    expect(page.get_by_label(WHY_MINOR)).to_be_hidden()

    area.select_option("employment_recruitment")
    expect(group(page, MINOR_ROLE)).to_be_visible()
    expect(group(page, PUBLIC_BODY)).to_be_visible()
    expect(page.get_by_label(WHY_MINOR)).to_be_hidden()  # until a minor role is claimed
    group(page, MINOR_ROLE).get_by_label("It does preparatory work for an assessment", exact=True).check()
    expect(page.get_by_label(WHY_MINOR)).to_be_visible()
    group(page, MINOR_ROLE).scroll_into_view_if_needed()
    snap(page, "annex-iii-area")

    area.select_option("none")
    expect(group(page, MINOR_ROLE)).to_have_count(0)
    expect(group(page, PUBLIC_BODY)).to_have_count(0)
    expect(page.get_by_label(WHY_MINOR)).to_be_hidden()  # follows the question it depends on

    area.select_option("critical_infrastructure")  # Annex III, but no public-body duties attach to it
    expect(group(page, MINOR_ROLE)).to_be_visible()
    expect(group(page, PUBLIC_BODY)).to_have_count(0)
    assert not refused, "\n".join(refused)


def test_an_empty_form_says_not_enough_answers_yet_at_desk_width(page, live_server, sign_in, snap):
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, "requester1")
    page.goto(f"{live_server.url}/requests/new/")
    preview = page.locator("#assessment-preview")

    expect(preview.locator("#preview-verdict-pending")).to_contain_text("Not enough answers yet")
    expect(preview.locator("#preview-verdict-pending")).to_contain_text("12 questions left")
    expect(preview.locator("#preview-tier")).to_have_count(0)
    snap(page, "desk")

    page.get_by_label("Does it help decide any of these?").select_option("employment_recruitment")
    expect(preview.locator("#preview-verdict-pending")).to_contain_text(
        "12 questions left"
    )  # one in, one more asked


@pytest.fixture
def axe_page(new_context):
    # axe is injected as an inline script, which the site's CSP rightly refuses: only this scan bypasses it.
    return new_context(bypass_csp=True, viewport={"width": 390, "height": 844}).new_page()


def test_an_empty_form_says_not_enough_answers_yet_on_a_phone(axe_page, live_server, sign_in, snap):
    page = axe_page
    sign_in(page, "requester1")
    page.goto(f"{live_server.url}/requests/new/")

    summary = page.locator("#preview-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Not enough answers yet")
    expect(summary).to_contain_text("16 questions left")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    snap(page, "phone")
    assert_accessible(page)
