"""The requester sees what happens next after submitting, on a phone and a desktop; typing fast logs no console error."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from config.dates import human_date
from intake import deadlines, services
from tests.browser.helpers import assert_accessible
from tests.intake.conftest import CHATBOT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}


@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_submitted_page_says_what_happens_next(new_context, live_server, sign_in, snap, size):
    requester = User.objects.get(username="requester1")
    use_case = services.use_case_create(
        actor=requester, team=requester.teams.get(), title="Customer reply assistant", answers=CHATBOT
    )
    page = new_context(viewport=VIEWPORTS[size], bypass_csp=True).new_page()
    sign_in(page, "requester1")
    page.goto(f"{live_server.url}/requests/{use_case.reference}/submit/")
    page.get_by_role("button", name="Submit for decision").click()

    use_case.refresh_from_db()
    due = human_date(deadlines.decision_due(use_case.awaiting_decision_since))
    told = f"the CIO and the CISO decide, target 5 working days (by {due})"
    expect(page.get_by_role("alert").filter(has_text=f"Next: {told}.")).to_be_visible()
    expect(page.locator(".next-step")).to_have_text(f"Next: {told}")
    access = page.locator("details.access-changes")
    expect(access.locator(".timeline-minor").first).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[size]["width"]
    snap(page, size)
    assert_accessible(page)


def test_typing_fast_in_the_intake_form_logs_no_console_error(page, live_server, sign_in):
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, "requester1")
    page.goto(f"{live_server.url}/requests/new/")
    # Each change asks for a preview; hx-sync="this:queue last" keeps the newest while one is in flight (no aborts).
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url) if "preview" in request.url else None)
    radios = page.locator("#intake-form input[type=radio]")
    for i in range(8):
        radios.nth(i % 4).check()
    page.locator("#id_title").press_sequentially("Customer reply assistant", delay=30)
    page.wait_for_timeout(1500)
    assert len(requests) >= 2, "the test must have sent overlapping previews"
    assert errors == []
