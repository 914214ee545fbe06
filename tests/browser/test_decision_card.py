"""The decision card guides the decider at a phone's width and a desktop's: both slots first, forbidden decisions
disabled with the reason, the boundary's controls filled in, the latest exception date up front, refusals summarised.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from approvals import services as approval_services
from approvals.models import SlotDecision
from intake import services as intake_services
from riskboundaries import services as boundary_services
from tests.answer_sets import CV_SCREENING
from tests.browser.helpers import assert_accessible, watch_csp
from tests.riskboundaries.conftest import PERMISSIVE, signed_by_both

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}


def beyond_the_boundary():
    """A boundary that allows autonomy up to 2 and requires C-03 of high-risk uses; a CV screener at autonomy 3."""
    cio, ciso = User.objects.get(username="cio"), User.objects.get(username="ciso")
    limits = {**PERMISSIVE, "max_autonomy": 2, "required_controls": {"high": ["C-03"]}}
    signed_by_both(
        boundary_services.boundary_create(actor=cio, limits=limits, change_note="Appetite"), cio, ciso
    )
    requester = User.objects.get(username="requester1")
    use_case = intake_services.use_case_submit(
        actor=requester,
        use_case=intake_services.use_case_create(
            actor=requester,
            team=requester.teams.get(),
            title="Shortlisting assistant for engineering hires",
            summary="Ranks applications for a recruiter to read first.",
            answers={**CV_SCREENING, "autonomy": 3},
        ),
    )
    assert use_case.boundary_verdict == "exceeds"
    return use_case, ciso


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_decision_card_guides_the_decider(width, new_context, live_server, sign_in, snap):
    use_case, ciso = beyond_the_boundary()
    expires = timezone.localdate() + timedelta(days=30)
    approval_services.decision_record(
        actor=ciso,
        use_case=use_case,
        decision="approve_with_exception",
        rationale="A three-month pilot with a recruiter on every shortlist.",
        exception_expires_on=expires,
    )
    # axe is injected as an inline script, which the site's CSP rightly refuses: only this scan bypasses it.
    page: Page = new_context(bypass_csp=True).new_page()
    page.set_viewport_size(WIDTHS[width])
    sign_in(page, "cio")
    page.goto(f"{live_server.url}/decisions/review/{use_case.reference}/")
    card = page.locator(".decision-card")

    # Both slots first: the CISO's decision with its expiry, the CIO's slot waiting.
    slots = card.locator(".slot-summary-item")
    expect(slots.nth(0)).to_contain_text("CIO")
    expect(slots.nth(0)).to_contain_text("Waiting")
    expect(slots.nth(1)).to_contain_text("Approve with an exception")
    expect(slots.nth(1)).to_contain_text(f"Exception until {expires.day} {expires:%b %Y}")

    # What the rules forbid is disabled, with the reason read out with it; the latest exception date is up front.
    decisions = page.get_by_role("group", name="Your decision")
    approve = decisions.get_by_label("Approve", exact=True)
    expect(approve).to_be_disabled()
    expect(approve).to_have_accessible_description(
        "It exceeds the risk boundary: it can only be approved with an exception."
    )
    expect(decisions.get_by_label("Approve with conditions", exact=True)).to_be_disabled()
    latest = timezone.localdate() + timedelta(days=180)
    exception = decisions.get_by_label("Approve with an exception", exact=True)
    expect(exception).to_be_enabled()
    expect(exception).to_have_accessible_description(
        f"Exceptions may run until {latest.day} {latest:%b %Y} at the latest."
    )
    expiry = page.get_by_label("Exception expires on")
    expect(expiry).to_have_attribute("max", latest.isoformat())
    expect(page.get_by_label("Condition 1", exact=True)).to_have_value(
        "C-03 Human approval before the system acts"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"]
    snap(page, "open")
    assert_accessible(page)

    # A date beyond the boundary (typed, as the picker would not offer it) is refused: the summary takes the focus.
    exception.check()
    page.get_by_label("Rationale").fill("Pilot for one quarter, then decide again.")
    page.get_by_label("Owner of condition 1").fill("Talent acquisition")
    expiry.fill((latest + timedelta(days=10)).isoformat())
    page.get_by_role("button", name="Record my decision").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("exceptions of at most 180 days")
    expect(page.get_by_label("Owner of condition 1")).to_have_value("Talent acquisition")
    expect(page.get_by_label("Rationale")).to_have_value("Pilot for one quarter, then decide again.")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]["width"]
    snap(page, "refused")
    assert_accessible(page)

    # The link in the summary leads to the field; a date within the limit is recorded.
    summary.get_by_role("link", name="Exception expires on").click()
    expect(expiry).to_be_focused()
    expiry.fill(expires.isoformat())
    page.get_by_role("button", name="Record my decision").click()
    expect(
        page.get_by_role("alert").filter(has_text=f"Your decision on {use_case.reference} is recorded.")
    ).to_be_visible()
    recorded = SlotDecision.objects.get(use_case=use_case, slot="cio")
    assert recorded.exception_expires_on == expires
    assert recorded.proposed_conditions[0]["owner"] == "Talent acquisition"


def test_the_decision_card_keeps_to_the_content_security_policy(page, live_server, sign_in):
    use_case, _ciso = beyond_the_boundary()
    refused = watch_csp(page)
    page.set_viewport_size(WIDTHS["phone"])
    sign_in(page, "cio")
    page.goto(f"{live_server.url}/decisions/review/{use_case.reference}/")
    page.get_by_role("button", name="Record my decision").click()
    expect(page.locator("#error-summary")).to_be_focused()  # app.js moved it there: no inline script
    assert not refused, "\n".join(refused)
