"""A requester brings a use case in the browser: the form section by section, the live preview, save, review, submit.

Also: another team's requester cannot open it by URL, the pages pass the accessibility scan, and the site's strict
Content-Security-Policy refuses nothing on them (htmx and the page script run from files only).
"""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from intake import services
from intake.models import UseCase
from intake.workflow import Status
from tests.browser.helpers import assert_accessible, watch_csp
from tests.intake.conftest import CHATBOT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def question(page: Page, label: str):
    """A radio or checkbox question, found the way assistive technology finds it: a group named by its legend."""
    return page.get_by_role("group", name=label, exact=True)


def choose(page: Page, label: str, *options: str) -> None:
    for option in options:
        question(page, label).get_by_label(option, exact=True).check()


def test_a_requester_brings_a_use_case_from_first_answer_to_submission(
    page, new_context, live_server, sign_in, snap
):
    page.set_viewport_size({"width": 1280, "height": 900})
    refused = watch_csp(page)
    sign_in(page, "requester1")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My requests").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My requests")
    expect(page.get_by_text("You and your team have no requests yet.")).to_be_visible()
    page.get_by_role("link", name="New request", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New GenAI use-case request")
    preview = page.locator("#assessment-preview")
    expect(preview.locator("#preview-missing")).to_contain_text("16 questions left")

    # What and why
    page.get_by_label("Title").fill("Candidate screening assistant")
    page.get_by_label("What it does").fill("Reads CVs and ranks applicants for the recruiters to review.")
    page.get_by_label("Business owner").fill("Riya Shah")
    page.get_by_label("Business value").fill(
        "Recruiters spend less time on a first pass through applications."
    )
    page.get_by_label("Target go-live date").fill("2027-03-31")
    expect(preview.locator("#preview-missing")).to_contain_text("15 questions left")

    # The model and the vendor
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
    choose(page, "What will it do?", "Write text", "Score, rank or classify")

    # Data
    choose(page, "Most sensitive information it will see", "Confidential")
    choose(page, "Personal data involved", "Basic (names, contact details)")
    choose(page, "Where does it look things up?", "Files users upload")

    # People affected and decisions
    choose(page, "Who uses it?", "A limited group of employees")
    choose(page, "How many users?", "Fewer than 50")
    choose(page, "Who is affected by its output?", "Job applicants")
    choose(page, "What happens with its output?", "Input to a person’s decision")
    page.get_by_label("Does it help decide any of these?").select_option("none")
    choose(page, "Does it build a profile of individual people?", "No")

    # Autonomy and tools
    choose(page, "How much does it do on its own?", "1 — Suggests: proposes actions a person carries out")
    choose(page, "What can it act on?", "Read information only")
    page.get_by_label("How does a person oversee it?").fill(
        "A recruiter reads every ranking before contacting anyone."
    )
    choose(page, "Can it be stopped at once?", "Yes")

    # EU AI Act screening
    choose(page, "Does it touch the EU?", "Used in or affects people in the EU")

    expect(preview.locator("#preview-tier")).to_have_text("Minimal risk")
    expect(preview.locator("#preview-missing")).to_contain_text("Every question is answered")
    page.evaluate("() => window.scrollTo(0, 0)")  # the preview panel is sticky: show it beside the first part
    snap(page, "form-minimal")

    # The honest answer: it screens candidates, an Annex III use. The preview turns high-risk without a save.
    page.get_by_label("Does it help decide any of these?").select_option("employment_recruitment")
    # An Annex III area asks two more questions; the verdict waits for the minor-role answer.
    expect(preview.locator("#preview-verdict-pending")).to_contain_text("Not enough answers yet")
    choose(page, "Are we a public body or providing a public service here?", "No")
    choose(page, "Is its role in the decision minor?", "No, it matters to the decision")
    expect(preview.locator("#preview-tier")).to_have_text("High risk")
    expect(preview).to_contain_text("Annex III point 4(a)")
    assert UseCase.objects.count() == 0  # the preview wrote nothing
    page.evaluate("() => window.scrollTo(0, 0)")
    full_page = snap(page, "form-high-risk")
    page.locator(".preview-panel").screenshot(path=str(full_page.with_name(f"{full_page.stem}-panel.png")))

    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("alert").filter(has_text="saved")).to_be_visible()
    use_case = UseCase.objects.get()
    expect(page).to_have_url(f"{live_server.url}/requests/{use_case.reference}/edit/")
    expect(page.get_by_label("Title")).to_have_value("Candidate screening assistant")
    expect(preview.locator("#preview-tier")).to_have_text("High risk")

    page.get_by_role("button", name="Save and review before submitting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Review and submit “Candidate screening assistant”"
    )
    expect(page.get_by_role("heading", name="Is this already requested?")).to_have_count(0)
    snap(page, "review")
    page.get_by_role("button", name="Submit for decision").click()

    expect(page).to_have_url(f"{live_server.url}/requests/{use_case.reference}/")
    expect(page.get_by_role("alert").filter(has_text="is submitted as revision 1")).to_be_visible()
    expect(page.locator(".page-header .status-submitted")).to_have_text("Submitted")
    expect(page.get_by_text("Frozen at revision 1")).to_be_visible()
    page.get_by_text(re.compile(r"^The \d+ rules that fired")).click()  # open the rules that fired
    expect(page.get_by_role("cell", name="EU-ANNEX-III-EMPLOYMENT-RECRUITMENT")).to_be_visible()
    snap(page, "detail")
    use_case.refresh_from_db()
    assert use_case.status == Status.SUBMITTED and use_case.tier == "high"

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My requests").click()
    row = page.get_by_role("row").filter(has_text=use_case.reference)
    expect(row).to_contain_text("Candidate screening assistant")
    expect(row).to_contain_text("Submitted")
    expect(row).to_contain_text("High risk")
    snap(page, "my-requests")
    assert not refused, "\n".join(refused)

    # Another team's requester cannot open it, whatever the URL.
    other = new_context().new_page()
    sign_in(other, "requester2")
    for path in ("", "edit/", "submit/", "withdraw/"):
        response = other.goto(f"{live_server.url}/requests/{use_case.reference}/{path}")
        assert response.status == 404
        expect(other.get_by_role("heading", level=1)).to_have_text("Page not found")
    other.goto(f"{live_server.url}/requests/")
    expect(other.get_by_text(use_case.reference)).to_have_count(0)


def test_a_save_with_a_problem_keeps_every_answer_and_points_at_the_field(page, live_server, sign_in, snap):
    sign_in(page, "requester1")
    page.goto(f"{live_server.url}/requests/new/")
    page.get_by_label("Provider", exact=True).fill("Mistral")
    choose(page, "Where is this today?", "Idea")

    page.get_by_role("button", name="Save draft").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Title: Give the request a title")
    expect(page.get_by_label("Provider", exact=True)).to_have_value("Mistral")
    expect(question(page, "Where is this today?").get_by_label("Idea", exact=True)).to_be_checked()
    snap(page, "errors")
    summary.get_by_role("link", name=re.compile("^Title")).click()
    expect(page.get_by_label("Title")).to_be_focused()
    assert UseCase.objects.count() == 0


@pytest.fixture
def axe_page(new_context):
    # axe is injected as an inline script, which the site's CSP rightly refuses: only these scans bypass it.
    return new_context(bypass_csp=True).new_page()


def test_the_intake_pages_are_accessible(axe_page, live_server, sign_in, snap):
    requester = User.objects.get(username="requester1")
    team = requester.teams.get()
    submitted = services.use_case_create(
        actor=requester,
        team=team,
        title="Customer reply assistant",
        summary="Drafts replies.",
        answers=CHATBOT,
    )
    submitted = services.use_case_submit(actor=requester, use_case=submitted)
    draft = services.use_case_create(
        actor=requester, team=team, title="Customer reply assistant v2", answers=CHATBOT
    )
    sign_in(axe_page, "requester1")

    pages = [
        ("list", "/requests/"),
        ("form", "/requests/new/"),
        ("edit", f"/requests/{draft.reference}/edit/"),
        ("review-with-duplicates", f"/requests/{draft.reference}/submit/"),
        ("detail-draft", f"/requests/{draft.reference}/"),
        ("detail-submitted", f"/requests/{submitted.reference}/"),
        ("withdraw", f"/requests/{submitted.reference}/withdraw/"),
    ]
    for name, path in pages:
        response = axe_page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        snap(axe_page, name)
        assert_accessible(axe_page)

    axe_page.goto(f"{live_server.url}/requests/new/")
    axe_page.get_by_role("button", name="Save draft").click()
    expect(axe_page.locator("#error-summary")).to_be_visible()
    assert_accessible(axe_page)

    axe_page.goto(f"{live_server.url}/requests/{draft.reference}/submit/")
    axe_page.get_by_role("button", name="Submit for decision").click()
    expect(axe_page.locator("#id_not_duplicate_error")).to_be_visible()
    snap(axe_page, "review-confirm-error")
    assert_accessible(axe_page)


def test_the_cio_sees_the_submitted_use_cases(page, live_server, sign_in, snap):
    requester = User.objects.get(username="requester1")
    use_case = services.use_case_create(
        actor=requester, team=requester.teams.get(), title="Customer reply assistant", answers=CHATBOT
    )
    services.use_case_submit(actor=requester, use_case=use_case)
    services.use_case_create(actor=requester, team=requester.teams.get(), title="A draft nobody else sees")
    sign_in(page, "cio")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Use cases").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Use cases")
    expect(page.get_by_role("row").filter(has_text=use_case.reference)).to_contain_text("Limited risk")
    expect(page.get_by_text("A draft nobody else sees")).to_have_count(0)
    page.get_by_role("link", name=use_case.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Customer reply assistant")
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)
    snap(page, "cio-detail")
