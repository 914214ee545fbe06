"""The questions the Regulation turns on appear only when an earlier answer calls for them, and the EU AI Act
obligations of a submitted use case are kept as a checklist on its page: on a phone and at a desk."""

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from intake import services as intake_services
from tests.answer_sets import CV_SCREENING
from tests.browser.helpers import watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMOTION_PURPOSE = "Is recognising emotions there only for medical or safety reasons?"
ASSISTIVE = "Does it only help people edit what they wrote?"
EDITORIAL = "Does a person review that text and answer for publishing it?"


def group(page: Page, label: str):
    return page.get_by_role("group", name=label, exact=True)


@pytest.mark.parametrize("width", [390, 1440])
def test_follow_up_questions_come_and_go_with_the_answer_they_follow(page, live_server, sign_in, snap, width):
    page.set_viewport_size({"width": width, "height": 900})
    refused = watch_csp(page)
    sign_in(page, "requester1")
    page.goto(f"{live_server.url}/requests/new/")
    if width < 768:  # on a phone each part of the form starts folded: open the screening part
        page.locator("summary", has=page.get_by_role("heading", name="EU AI Act screening")).click()
    practices = group(page, "Does it do any of these?")
    triggers = group(page, "Will people need to be told it is AI?")

    expect(group(page, EMOTION_PURPOSE)).to_have_count(0)
    practices.get_by_label("Recognises emotions at work or in education").check()
    expect(group(page, EMOTION_PURPOSE)).to_be_visible()
    group(page, EMOTION_PURPOSE).get_by_label("Yes, for safety reasons").check()

    expect(group(page, ASSISTIVE)).to_have_count(0)
    triggers.get_by_label("It creates text", exact=True).check()
    expect(group(page, ASSISTIVE)).to_be_visible()
    expect(group(page, EDITORIAL)).to_have_count(0)
    triggers.get_by_label("It publishes text on matters of public interest").check()
    expect(group(page, EDITORIAL)).to_be_visible()
    group(page, EMOTION_PURPOSE).scroll_into_view_if_needed()
    snap(page, f"follow-ups-{width}")

    practices.get_by_label("Recognises emotions at work or in education").uncheck()
    expect(group(page, EMOTION_PURPOSE)).to_have_count(0)
    triggers.get_by_label("It creates text", exact=True).uncheck()
    expect(group(page, ASSISTIVE)).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing wider than the screen
    assert not refused, "\n".join(refused)


@pytest.mark.parametrize("width", [390, 1440])
def test_the_owner_keeps_the_obligations_checklist_on_the_use_case_page(
    page, live_server, sign_in, snap, width
):
    sign_in(page, "requester1")
    requester = User.objects.get(username="requester1")
    use_case = intake_services.use_case_create(
        actor=requester, team=requester.teams.get(), title="CV screening assistant", answers=CV_SCREENING
    )
    intake_services.use_case_submit(actor=requester, use_case=use_case)
    page.set_viewport_size({"width": width, "height": 900})
    refused = watch_csp(page)
    page.goto(f"{live_server.url}/requests/{use_case.reference}/")

    checklist = page.locator("#obligations")
    expect(checklist.get_by_role("heading", name="EU AI Act obligations")).to_be_visible()
    expect(checklist.get_by_role("heading", name="As the deployer")).to_be_visible()
    workers = page.locator("#obligation-EU-ART26-7-INFORM-WORKERS")
    expect(workers).to_contain_text("In force since 2 Aug 2026")  # the Act's date, seeded as data
    workers.get_by_text("Change its state").click()
    workers.get_by_label("State").select_option("not_applicable")
    workers.get_by_role("button", name="Save").click()

    workers = page.locator("#obligation-EU-ART26-7-INFORM-WORKERS")
    expect(workers.get_by_role("alert")).to_contain_text("Say why this obligation does not apply")
    expect(workers.get_by_label("State")).to_have_value("not_applicable")  # what was chosen is kept
    expect(workers.locator("details.obligation-edit")).to_have_attribute(
        "open", ""
    )  # left open on the refusal
    workers.get_by_label("Reason or note").fill(
        "It screens external candidates only; no workers are affected."
    )
    workers.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Obligation marked not applicable.")).to_be_visible()
    workers = page.locator("#obligation-EU-ART26-7-INFORM-WORKERS")
    expect(workers.locator(".obligation-state")).to_have_text("Not applicable")
    expect(workers).to_contain_text("Why not applicable: It screens external candidates only")
    workers.scroll_into_view_if_needed()
    snap(page, f"checklist-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert not refused, "\n".join(refused)
