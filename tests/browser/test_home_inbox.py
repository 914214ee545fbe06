"""The CIO's and the requester's homes in a real browser, on a phone and a desktop: an inbox, readable, accessible.

The CIO sees what waits on them (overdue first) and opens the most urgent review in one click from the home; the
requester sees what needs them and the "New request" button. No sideways scrolling, 0 serious or critical axe issues.
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from approvals.services import decision_record
from tests.browser.helpers import assert_accessible, signed_permissive_boundary, submitted_use_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}


@pytest.fixture
def axe_page(new_context):
    # axe is injected inline, which the site's CSP refuses: these scans bypass it in their own context.
    return new_context(bypass_csp=True).new_page()


def some_work() -> dict[str, str]:
    """A signed boundary; one request that has waited two weeks, one submitted today, one sent back for changes."""
    signed_permissive_boundary()
    with time_machine.travel(timezone.now() - timedelta(days=14)):
        old = submitted_use_case(
            "Supplier invoice summariser with a rather long descriptive title for wrapping"
        )
    submitted_use_case("Meeting notes drafter")
    sent_back = submitted_use_case("Customer reply assistant")
    decision_record(
        actor=User.objects.get(username="ciso"),
        use_case=sent_back,
        decision="request_changes",
        rationale="Say who reads the replies before they go out.",
    )
    return {"old": old.reference, "sent_back": sent_back.reference}


def no_sideways_scrolling(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        "the page scrolls sideways"
    )


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_the_cio_home_is_an_inbox_and_the_most_urgent_review_is_one_click_away(
    axe_page, live_server, sign_in, snap, size
):
    work = some_work()
    page = axe_page
    page.set_viewport_size(VIEWPORTS[size])
    sign_in(page, "cio")
    inbox = page.locator('section[aria-labelledby="home-decisions-heading"]')
    expect(inbox.locator("#home-waiting-count")).to_have_text("2")
    expect(inbox.locator("li").first).to_contain_text("Overdue")
    no_sideways_scrolling(page)
    snap(page, "home")
    assert_accessible(page)

    inbox.locator("li").first.get_by_role("link", name="Review").click()  # one click from the home
    expect(page).to_have_url(f"{live_server.url}/decisions/review/{work['old']}/")


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_the_requester_home_shows_what_needs_them_and_a_new_request_button(
    axe_page, live_server, sign_in, snap, size
):
    work = some_work()
    page = axe_page
    page.set_viewport_size(VIEWPORTS[size])
    sign_in(page, "requester1")
    expect(page.locator("#home-needs-me-count")).to_have_text("1")
    expect(page.get_by_role("link", name=f"Revise {work['sent_back']}")).to_be_visible()
    expect(page.get_by_role("link", name="New request", exact=True)).to_be_visible()
    no_sideways_scrolling(page)
    snap(page, "home")
    assert_accessible(page)
