"""The CIO and the CISO decide together in the browser: the shared review queue, the focused review page, the outcome.

A requester submits → the CIO approves with a condition → the CISO approves → the requester sees "Approved" with the
condition and the re-review date, and marks the condition met. Then: the CISO asks for changes, the requester edits and
resubmits, and both decide afresh on revision 2. Also: the queue, the review page and the decisions panel pass the
accessibility scan, and the site's strict Content-Security-Policy refuses nothing on them.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from approvals import services as approval_services
from approvals.models import Approval, Condition, SlotDecision
from approvals.rules import ConditionInput, re_review_on
from intake.models import UseCase
from intake.workflow import Status
from tests.browser.helpers import assert_accessible, signed_permissive_boundary, submitted_use_case, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORT = {"width": 1280, "height": 900}


def new_page(new_context) -> Page:
    page = new_context().new_page()
    page.set_viewport_size(VIEWPORT)
    return page


def choose(page: Page, label: str, *options: str) -> None:
    for option in options:
        page.get_by_role("group", name=label, exact=True).get_by_label(option, exact=True).check()


def fill_request(page: Page) -> None:
    """Every question of the request form, answered for an internal drafting assistant."""
    page.get_by_label("Title").fill("Contract summary assistant")
    page.get_by_label("What it does").fill("Summarises supplier contracts for the procurement team.")
    page.get_by_label("Business owner").fill("Riya Shah")
    page.get_by_label("Business value").fill("Procurement reads the key terms of a contract in minutes.")
    page.get_by_label("Target go-live date").fill("2027-03-31")
    choose(page, "Where is this today?", "Pilot")
    choose(page, "How do you get the AI?", "Model called through an API")
    page.get_by_label("Provider", exact=True).fill("Azure OpenAI")
    page.get_by_label("Model", exact=True).fill("gpt-4.1")
    choose(page, "Where does it run?", "European Union")
    choose(
        page,
        "What has the provider committed to?",
        "Prompts and outputs are not stored",
        "A data processing agreement is signed",
    )
    choose(page, "What will it do?", "Write text")
    choose(page, "Most sensitive information it will see", "Confidential")
    choose(page, "Personal data involved", "Basic (names, contact details)")
    choose(page, "Where does it look things up?", "Files users upload")
    choose(page, "Who uses it?", "A limited group of employees")
    choose(page, "How many users?", "Fewer than 50")
    choose(page, "Who is affected by its output?", "Employees")
    choose(page, "What happens with its output?", "Input to a person’s decision")
    page.get_by_label("Does it help decide any of these?").select_option("none")
    choose(page, "Does it build a profile of individual people?", "No")
    choose(page, "How much does it do on its own?", "1 — Suggests: proposes actions a person carries out")
    choose(page, "What can it act on?", "Read information only")
    page.get_by_label("How does a person oversee it?").fill(
        "A buyer checks every summary against the contract."
    )
    choose(page, "Can it be stopped at once?", "Yes")
    choose(page, "Does it touch the EU?", "Used in or affects people in the EU")
    # With no decision area, the public-body and minor-role questions do not apply and stay hidden.


def queue_row(page: Page, reference: str):
    return page.locator("#queue-table tbody tr").filter(has_text=reference)


def slot_cells(row):
    """The CIO and the CISO cells of a queue row (the second and third columns)."""
    cells = row.get_by_role("cell")
    return cells.nth(1), cells.nth(2)


def decide(page: Page, decision: str, rationale: str = "") -> None:
    page.get_by_role("group", name="Your decision").get_by_label(decision, exact=True).check()
    if rationale:
        page.get_by_label("Rationale").fill(rationale)


def test_a_request_is_approved_by_both_with_a_condition(page, new_context, live_server, sign_in, snap):
    signed_permissive_boundary()
    page.set_viewport_size(VIEWPORT)
    refused = watch_csp(page)

    # The requester brings the request through the form and submits it.
    sign_in(page, "requester1")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My requests").click()
    page.get_by_role("link", name="New request", exact=True).click()
    fill_request(page)
    expect(page.locator("#preview-missing")).to_contain_text("Every question is answered")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("alert").filter(has_text="saved")).to_be_visible()
    page.get_by_role("button", name="Save and review before submitting").click()
    page.get_by_role("button", name="Submit for decision").click()
    expect(page.get_by_role("alert").filter(has_text="is submitted as revision 1")).to_be_visible()
    use_case = UseCase.objects.get()
    ref = use_case.reference
    expect(page).to_have_url(f"{live_server.url}/requests/{ref}/")
    expect(page.locator("#decisions-heading")).to_have_text("Joint decision")
    expect(page.locator(".slot-list")).to_contain_text("Waiting")
    snap(page, "1-requester-submitted")

    # The CIO finds it in the review queue: both slots waiting.
    cio_page = new_page(new_context)
    refused += watch_csp(cio_page)
    sign_in(cio_page, "cio")
    cio_page.get_by_role("navigation", name="Main").get_by_role("link", name="Review queue").click()
    expect(cio_page.get_by_role("heading", level=1)).to_have_text("Review queue")
    expect(cio_page.get_by_role("link", name="Waiting on me")).to_have_attribute("aria-current", "page")
    row = queue_row(cio_page, ref)
    expect(row).to_contain_text("Contract summary assistant")
    expect(row).to_contain_text("revision 1")
    cio_cell, ciso_cell = slot_cells(row)
    expect(cio_cell).to_have_text("Waiting")
    expect(ciso_cell).to_have_text("Waiting")
    snap(cio_page, "2-cio-queue")

    # Opens the focused review page and approves with a condition.
    row.get_by_role("link", name=re.compile("^Review")).click()
    expect(cio_page).to_have_url(f"{live_server.url}/decisions/review/{ref}/")
    expect(cio_page.get_by_role("heading", level=1)).to_have_text("Contract summary assistant")
    expect(cio_page.get_by_text("First revision: nothing decided on before.")).to_be_visible()
    expect(cio_page.locator(".hash").first).to_have_text(use_case.revisions.get().content_hash)
    due = timezone.localdate() + timedelta(days=60)
    decide(
        cio_page,
        "Approve with conditions",
        "Useful and low risk. The contracts stay in our tenant; buyers must keep reading the source.",
    )
    cio_page.get_by_label("Condition 1", exact=True).fill("Log every summary with the contract it came from")
    cio_page.get_by_label("Owner of condition 1").fill("Procurement operations")
    cio_page.get_by_label("Due date of condition 1").fill(due.isoformat())
    snap(cio_page, "3-cio-review-filled")
    cio_page.get_by_role("button", name="Record my decision").click()

    # The queue shows the CIO's decision; the item is no longer waiting on the CIO.
    expect(cio_page).to_have_url(f"{live_server.url}/decisions/")
    expect(
        cio_page.get_by_role("alert").filter(has_text=f"Your decision on {ref} is recorded.")
    ).to_be_visible()
    expect(queue_row(cio_page, ref)).to_have_count(0)
    filters = cio_page.get_by_role("navigation", name="Queue filters")
    filters.get_by_role("link", name="All open").click()
    expect(cio_page).to_have_url(f"{live_server.url}/decisions/?filter=open")
    # The filters are swapped with the table: the one chosen is the one marked, and keeps the keyboard focus.
    expect(filters.get_by_role("link", name="All open")).to_have_attribute("aria-current", "page")
    expect(filters.get_by_role("link", name="All open")).to_be_focused()
    expect(filters.locator("[aria-current]")).to_have_count(1)
    expect(filters.locator(".active")).to_have_count(1)
    cio_page.wait_for_function("() => document.getAnimations().length === 0")  # the pills' colour transition
    row = queue_row(cio_page, ref)
    cio_cell, ciso_cell = slot_cells(row)
    expect(cio_cell).to_contain_text("Approve with conditions")
    expect(ciso_cell).to_have_text("Waiting")
    expect(row.get_by_role("link", name=re.compile("^Review"))).to_have_count(0)
    snap(cio_page, "4-cio-queue-after")

    # The CISO finds it waiting on them and approves.
    ciso_page = new_page(new_context)
    refused += watch_csp(ciso_page)
    sign_in(ciso_page, "ciso")
    ciso_page.get_by_role("navigation", name="Main").get_by_role("link", name="Review queue").click()
    expect(ciso_page.get_by_role("link", name="Waiting on me")).to_have_attribute("aria-current", "page")
    row = queue_row(ciso_page, ref)
    cio_cell, ciso_cell = slot_cells(row)
    expect(cio_cell).to_contain_text("Approve with conditions")
    expect(ciso_cell).to_have_text("Waiting")
    snap(ciso_page, "5-ciso-queue")
    row.get_by_role("link", name=re.compile("^Review")).click()
    expect(ciso_page.locator("#history-heading")).to_have_text("Decisions so far")
    expect(ciso_page.locator(".decision-card")).to_be_visible()
    decide(ciso_page, "Approve")
    snap(ciso_page, "6-ciso-review")
    ciso_page.get_by_role("button", name="Record my decision").click()
    expect(
        ciso_page.get_by_role("alert").filter(has_text=f"Your decision on {ref} is recorded.")
    ).to_be_visible()
    expect(queue_row(ciso_page, ref)).to_have_count(0)  # approved: nothing left to decide

    # The requester sees the outcome: approved, the condition with its owner, the re-review date.
    page.goto(f"{live_server.url}/requests/{ref}/")
    expect(page.locator(".page-header .status-approved")).to_have_text("Approved")
    approval = Approval.objects.get(use_case=use_case)
    use_case.refresh_from_db()
    assert approval.re_review_on == re_review_on(use_case.band, timezone.localdate(), None)
    re_review = page.locator("#re-review-on")
    expect(re_review).to_have_attribute("datetime", approval.re_review_on.isoformat())
    expect(re_review).to_have_text(f"{approval.re_review_on.day} {approval.re_review_on:%b %Y}")
    panel = page.locator("section[aria-labelledby=decisions-heading]")
    condition = panel.locator("li").filter(has_text="Log every summary with the contract it came from")
    expect(condition).to_contain_text("owner Procurement operations")
    expect(condition).to_contain_text(f"due {due.day} {due:%b %Y}")
    expect(condition).to_contain_text("Open")
    expect(panel.locator(".decision-history")).to_contain_text("CIO: Approve with conditions — Claire Ito")
    expect(panel.locator(".decision-history")).to_contain_text("CISO: Approve — Samuel Okafor")
    snap(page, "7-requester-approved")

    condition.get_by_role("button", name="Mark as met").click()
    expect(page.get_by_role("alert").filter(has_text="Condition marked as met")).to_be_visible()
    condition = page.locator("section[aria-labelledby=decisions-heading] li").filter(
        has_text="Log every summary with the contract it came from"
    )
    expect(condition.locator(".badge")).to_have_text("Met")
    expect(condition).to_contain_text("by Riya Shah")
    expect(condition.get_by_role("button", name="Mark as met")).to_have_count(0)
    snap(page, "8-requester-condition-met")

    assert use_case.status == Status.APPROVED
    met = Condition.objects.get(use_case=use_case)
    assert met.met_at is not None and met.met_by.username == "requester1"
    assert not refused, "\n".join(refused)


def test_changes_requested_then_both_decide_on_revision_2(page, new_context, live_server, sign_in, snap):
    signed_permissive_boundary()
    use_case = (
        submitted_use_case()
    )  # revision 1 through the services; the edit and resubmission in the browser
    ref = use_case.reference
    page.set_viewport_size(VIEWPORT)
    refused = watch_csp(page)

    # The CISO asks for changes, with a rationale.
    ciso_page = new_page(new_context)
    refused += watch_csp(ciso_page)
    sign_in(ciso_page, "ciso")
    ciso_page.goto(f"{live_server.url}/decisions/")
    queue_row(ciso_page, ref).get_by_role("link", name=re.compile("^Review")).click()
    rationale = "Customers must be told they are reading an AI draft: add the disclosure to the answers."
    decide(ciso_page, "Request changes", rationale)
    ciso_page.get_by_role("button", name="Record my decision").click()
    expect(
        ciso_page.get_by_role("alert").filter(has_text=f"Your decision on {ref} is recorded.")
    ).to_be_visible()

    # The requester reads why, edits an answer and resubmits as revision 2.
    sign_in(page, "requester1")
    page.goto(f"{live_server.url}/requests/{ref}/")
    expect(page.locator(".page-header .status-changes_requested")).to_have_text("Changes requested")
    panel = page.locator("section[aria-labelledby=decisions-heading]")
    expect(panel).to_contain_text("CISO: Request changes — Samuel Okafor, revision 1")
    expect(panel).to_contain_text(rationale)
    snap(page, "1-requester-changes-requested")
    page.get_by_role("link", name="Edit", exact=True).click()
    choose(page, "How many users?", "Fewer than 50")
    page.get_by_role("button", name="Save and review before submitting").click()
    page.get_by_role("button", name="Submit for decision").click()
    expect(page.get_by_role("alert").filter(has_text="is submitted as revision 2")).to_be_visible()
    expect(page.locator(".page-header .status-submitted")).to_have_text("Submitted")

    # The CIO's review page shows what changed since revision 1; the CIO approves.
    cio_page = new_page(new_context)
    refused += watch_csp(cio_page)
    sign_in(cio_page, "cio")
    cio_page.get_by_role("navigation", name="Main").get_by_role("link", name="Review queue").click()
    row = queue_row(cio_page, ref)
    expect(row).to_contain_text("revision 2")
    expect(slot_cells(row)[0]).to_have_text("Waiting")
    expect(slot_cells(row)[1]).to_have_text("Waiting")  # the resubmission needs both decisions afresh
    row.get_by_role("link", name=re.compile("^Review")).click()
    changes = cio_page.locator("section[aria-labelledby=changes-heading]")
    expect(changes).to_contain_text("Since revision 1, the last one decided on:")
    changed = changes.get_by_role("row").filter(has_text="How many users?")
    expect(changed).to_contain_text("5,000 or more")
    expect(changed).to_contain_text("Fewer than 50")
    expect(changes.get_by_role("row")).to_have_count(2)  # the header and that one answer
    snap(cio_page, "2-cio-review-what-changed")
    decide(cio_page, "Approve")
    cio_page.get_by_role("button", name="Record my decision").click()
    expect(
        cio_page.get_by_role("alert").filter(has_text=f"Your decision on {ref} is recorded.")
    ).to_be_visible()

    # The CISO decides again, on revision 2.
    ciso_page.get_by_role("navigation", name="Main").get_by_role("link", name="Review queue").click()
    row = queue_row(ciso_page, ref)
    expect(slot_cells(row)[0]).to_contain_text("Approve")
    expect(slot_cells(row)[1]).to_have_text("Waiting")
    row.get_by_role("link", name=re.compile("^Review")).click()
    decide(ciso_page, "Approve")
    ciso_page.get_by_role("button", name="Record my decision").click()
    expect(
        ciso_page.get_by_role("alert").filter(has_text=f"Your decision on {ref} is recorded.")
    ).to_be_visible()

    page.reload()
    expect(page.locator(".page-header .status-approved")).to_have_text("Approved")
    history = page.locator(".decision-history li")
    expect(history).to_have_count(3)
    expect(history.nth(0)).to_contain_text("CISO: Request changes — Samuel Okafor, revision 1")
    expect(history.nth(1)).to_contain_text("CIO: Approve — Claire Ito, revision 2")
    expect(history.nth(2)).to_contain_text("CISO: Approve — Samuel Okafor, revision 2")
    expect(page.locator("#re-review-on")).to_be_visible()
    snap(page, "3-requester-approved-revision-2")

    use_case.refresh_from_db()
    assert use_case.status == Status.APPROVED and use_case.revision_count == 2
    revision_2 = use_case.revisions.get(number=2)
    decisions = SlotDecision.objects.filter(use_case=use_case, revision_number=2)
    assert {(d.slot, d.decision, d.content_hash) for d in decisions} == {
        ("cio", "approve", revision_2.content_hash),
        ("ciso", "approve", revision_2.content_hash),
    }
    assert not refused, "\n".join(refused)


@pytest.fixture
def axe_page(new_context):
    # axe is injected as an inline script, which the site's CSP rightly refuses: only these scans bypass it.
    page = new_context(bypass_csp=True).new_page()
    page.set_viewport_size(VIEWPORT)
    return page


def test_the_review_pages_are_accessible(axe_page, new_context, live_server, sign_in, snap):
    signed_permissive_boundary()
    waiting = submitted_use_case()
    approved = submitted_use_case("Supplier email triage")
    cio, ciso = User.objects.get(username="cio"), User.objects.get(username="ciso")
    approval_services.decision_record(
        actor=cio,
        use_case=approved,
        decision="approve_with_conditions",
        rationale="Fine within the boundary, with one control.",
        conditions=[ConditionInput("Publish the disclosure text", "Riya Shah", timezone.localdate())],
    )
    approval_services.decision_record(actor=ciso, use_case=approved, decision="approve")
    sign_in(axe_page, "cio")

    for key in ("me", "other", "open", "overdue", "re_review"):
        response = axe_page.goto(f"{live_server.url}/decisions/?filter={key}")
        assert response.status == 200, key
        snap(axe_page, f"queue-{key}")
        assert_accessible(axe_page)

    axe_page.goto(f"{live_server.url}/decisions/review/{waiting.reference}/")
    snap(axe_page, "review")
    assert_accessible(axe_page)

    # A refused decision: the reason sits next to the field it is about, and is announced with it; nothing typed is lost.
    decide(axe_page, "Reject")
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    axe_page.get_by_label("Condition 1", exact=True).fill("Keep a person on every reply")
    axe_page.get_by_label("Due date of condition 1").fill(due)
    axe_page.get_by_role("button", name="Record my decision").click()
    rationale = axe_page.get_by_label("Rationale")
    error = axe_page.locator("#rationale-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("a written rationale is required")
    expect(rationale).to_have_attribute("aria-describedby", re.compile(r"\brationale-error\b"))
    expect(rationale).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(
        axe_page.get_by_role("group", name="Your decision").get_by_label("Reject", exact=True)
    ).to_be_checked()
    expect(axe_page.get_by_label("Condition 1", exact=True)).to_have_value("Keep a person on every reply")
    expect(axe_page.get_by_label("Due date of condition 1")).to_have_value(due)
    assert SlotDecision.objects.filter(use_case=waiting).count() == 0
    snap(axe_page, "review-refused")
    assert_accessible(axe_page)

    for username in ("cio", "requester1"):
        if username != "cio":
            axe_page = new_context(bypass_csp=True).new_page()
            axe_page.set_viewport_size(VIEWPORT)
            sign_in(axe_page, username)
        for name, use_case in (("waiting", waiting), ("approved", approved)):
            axe_page.goto(f"{live_server.url}/requests/{use_case.reference}/")
            expect(axe_page.locator("#decisions-heading")).to_have_text("Joint decision")
            snap(axe_page, f"use-case-{name}-{username}")
            assert_accessible(axe_page)
