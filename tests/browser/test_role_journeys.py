"""Each role's everyday journey from the signed-in home page, on a 390×844 phone and a 1440×900 desktop.

Every journey counts the clicks a person makes and fails when it needs more than it does today, so a regression that
adds a step is caught; the counts are printed. The requester submits a complete request and reads what happens next;
the CIO, then the CISO, approve it from their homes; the CIO signs a draft boundary from the home prompt (with the
re-authentication production asks for); the board secretary prepares the running quarter's pack and downloads it.

Also: axe-core on every page each role reaches, at both widths; the failure names every page, not only the first.
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from accounts.models import User
from config.dates import human_date
from config.quarters import Quarter
from intake import deadlines
from intake.answers import BOOL, MANY, QUESTIONS, SECTIONS, TEXT, applies
from intake.forms import SELECT_QUESTIONS
from intake.models import UseCase
from intake.workflow import Status
from reporting.models import BoardPack
from riskboundaries import services as boundary_services
from riskboundaries.models import RiskBoundary
from riskboundaries.workflow import BoundaryState
from tests.answer_sets import CHATBOT
from tests.browser.helpers import (
    DESKTOP,
    PHONE,
    ROLE_PAGES,
    blocking_violations,
    signed_permissive_boundary,
    submitted_use_case,
)
from tests.factories import PASSWORD
from tests.riskboundaries.conftest import PERMISSIVE, signed_by_both

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
PACK_TIMEOUT_MS = 60_000
# A control the boundary requires of every limited-risk use case: the review page fills it in as a condition.
REQUIRED_CONTROL = "C-01"


class Clicks:
    """What a person clicks on the way: links and buttons (the steps) and the answers they tick or choose."""

    def __init__(self, journey: str) -> None:
        self.journey = journey
        self.steps = 0
        self.answers = 0

    def __call__(self, locator: Locator) -> None:
        self.steps += 1
        locator.click()

    def tick(self, locator: Locator) -> None:
        self.answers += 1
        locator.check()

    def choose(self, locator: Locator, value: str) -> None:
        self.answers += 1
        locator.select_option(value)

    def report(self, width: int) -> None:
        print(
            f"{self.journey} at {width}px: {self.steps} clicks on links and buttons, {self.answers} on answers"
        )


def answer_clicks_for(answers: dict) -> int:
    """One click for each option chosen: a radio, a Yes/No, a box ticked, a drop-down."""
    return sum(
        len(value) if question.kind == MANY else 1
        for question in QUESTIONS
        if question.kind != TEXT
        and applies(question, answers)
        and (value := answers.get(question.name)) is not None
    )


def fill_the_request(page: Page, clicks: Clicks, title: str, answers: dict) -> None:
    """The description, then every answer of the set, part by part, found by the words on the page as a person
    finds them. On a phone the later parts start folded: the person opens each one."""
    page.get_by_label("Title").fill(title)
    page.get_by_label("What it does").fill("Drafts replies to customer emails for an agent to send.")
    page.get_by_label("Business owner").fill("Riya Shah")
    page.get_by_label("Business value").fill("Agents answer routine emails in half the time.")
    page.get_by_label("Target go-live date").fill("2027-03-31")
    for key, _title, _intro in SECTIONS:
        part = page.locator(f'section[aria-labelledby="section-{key}"]')
        if not part.locator("details").evaluate("details => details.open"):
            clicks(part.locator("summary"))
        # A question asked only after some answers (shown_when) is not on the page for this set: skipped.
        for question in (q for q in QUESTIONS if q.section == key and applies(q, answers)):
            answer(part, clicks, question, answers.get(question.name))


def answer(part: Locator, clicks: Clicks, question, value) -> None:
    if value is None:
        return
    if question.kind == TEXT:
        part.get_by_label(question.label, exact=True).fill(value)
    elif question.name in SELECT_QUESTIONS:
        clicks.choose(part.get_by_label(question.label, exact=True), str(value))
    else:
        group = part.get_by_role("group", name=question.label, exact=True)
        if question.kind == BOOL:
            chosen = ["Yes" if value else "No"]
        elif question.kind == MANY:
            chosen = [question.label_for(one) for one in value]
        else:
            chosen = [question.label_for(str(value))]
        for label in chosen:
            clicks.tick(group.get_by_label(label, exact=True))


def screen(new_context, viewport: dict) -> Page:
    return new_context(viewport=viewport).new_page()


@VIEWPORTS
def test_the_requester_submits_a_complete_request_and_sees_what_happens_next(
    new_context, live_server, sign_in, snap, viewport
):
    signed_permissive_boundary()
    page = screen(new_context, viewport)
    clicks = Clicks("requester submits")
    sign_in(page, "requester1")
    snap(page, "1-home")

    clicks(page.get_by_role("link", name="New request", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("New GenAI use-case request")
    fill_the_request(page, clicks, "Customer reply assistant", CHATBOT)
    expect(page.locator("#preview-missing")).to_contain_text("Every question is answered")
    snap(page, "2-form-complete")

    clicks(page.get_by_role("button", name=re.compile("^Save and review")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Review and submit “Customer reply assistant”")
    snap(page, "3-review")
    clicks(page.get_by_role("button", name="Submit for decision"))

    use_case = UseCase.objects.get()
    expect(page).to_have_url(f"{live_server.url}/requests/{use_case.reference}/")
    use_case.refresh_from_db()
    assert use_case.status == Status.SUBMITTED
    stored = use_case.answers
    asked = {q.name for q in QUESTIONS if applies(q, CHATBOT)}
    # Every answer to a question the page asked went through the form.
    assert {name: stored.get(name) for name in asked & CHATBOT.keys()} == {
        name: CHATBOT[name] for name in asked & CHATBOT.keys()
    }
    due = human_date(deadlines.decision_due(use_case.awaiting_decision_since))
    expect(page.locator(".next-step")).to_have_text(
        f"Next: the CIO and the CISO decide, target 5 working days (by {due})"
    )
    snap(page, "4-submitted")

    clicks.report(viewport["width"])
    # New request, Save and review, Submit for decision; on a phone, opening each folded part of the form too.
    assert clicks.steps <= 3 + (len(SECTIONS) if viewport == PHONE else 0)
    assert clicks.answers <= answer_clicks_for(CHATBOT)


def decide_from_home(page: Page, clicks: Clicks, reference: str, snap, who: str, step: int) -> None:
    """From the home inbox: open the waiting item, approve with what the page filled in, record."""
    inbox = page.locator('section[aria-labelledby="home-decisions-heading"]')
    item = inbox.locator("li").filter(has_text=reference)
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Customer reply assistant")
    snap(page, f"{step}-{who}-home")

    clicks(item.get_by_role("link", name=f"Review {reference}"))
    expect(page).to_have_url(re.compile(f"/decisions/review/{reference}/$"))
    card = page.locator(".decision-card")
    # The boundary's required control is filled in already: nothing to type.
    expect(card.get_by_label("Condition 1", exact=True)).to_have_value(re.compile(f"^{REQUIRED_CONTROL} "))
    clicks.tick(card.get_by_role("group", name="Your decision").get_by_label("Approve", exact=True))
    snap(page, f"{step + 1}-{who}-review")
    clicks(card.get_by_role("button", name="Record my decision"))
    expect(
        page.get_by_role("alert").filter(has_text=f"Your decision on {reference} is recorded.")
    ).to_be_visible()
    snap(page, f"{step + 2}-{who}-recorded")


@VIEWPORTS
def test_the_cio_then_the_ciso_approve_from_their_homes(new_context, live_server, sign_in, snap, viewport):
    cio, ciso = User.objects.get(username="cio"), User.objects.get(username="ciso")
    boundary = boundary_services.boundary_create(
        actor=cio,
        limits={**PERMISSIVE, "required_controls": {"limited": [REQUIRED_CONTROL]}},
        change_note="Every limited-risk use case discloses that it is AI.",
    )
    signed_by_both(boundary, cio, ciso)
    reference = submitted_use_case().reference  # limited risk

    cio_page = screen(new_context, viewport)
    cio_clicks = Clicks("CIO approves from the home")
    sign_in(cio_page, "cio")
    decide_from_home(cio_page, cio_clicks, reference, snap, "cio", 1)

    ciso_page = screen(new_context, viewport)
    ciso_clicks = Clicks("CISO approves from the home")
    sign_in(ciso_page, "ciso")
    decide_from_home(ciso_page, ciso_clicks, reference, snap, "ciso", 4)

    ciso_page.goto(f"{live_server.url}/requests/{reference}/")
    expect(ciso_page.locator(".page-header .status-approved")).to_have_text("Approved")
    panel = ciso_page.locator("section[aria-labelledby=decisions-heading]")
    expect(panel.locator("li").filter(has_text=REQUIRED_CONTROL)).to_have_count(1)  # attached by the boundary
    snap(ciso_page, "7-approved")
    assert UseCase.objects.get(reference=reference).status == Status.APPROVED

    for clicks in (cio_clicks, ciso_clicks):
        clicks.report(viewport["width"])
        assert clicks.steps <= 2  # Review, Record my decision
        assert clicks.answers <= 1  # Approve


@VIEWPORTS
@pytest.mark.parametrize("signed_by", [None, "ciso"], ids=["unsigned", "signed-by-the-ciso"])
def test_the_cio_signs_a_boundary_from_the_home_prompt(
    request, new_context, live_server, sign_in, snap, settings, viewport, signed_by
):
    settings.BOUNDARY_SIGNING_REQUIRES_REAUTH = True  # as in production
    signed_permissive_boundary()
    cio = User.objects.get(username="cio")
    draft = boundary_services.boundary_create(
        actor=cio, limits={**PERMISSIVE, "max_autonomy": 2}, change_note="Agents act only with confirmation."
    )
    if signed_by:
        boundary_services.boundary_sign(
            actor=User.objects.get(username=signed_by),
            boundary=draft,
            role=signed_by,
            seen_hash=draft.content_hash,
        )
    page = screen(new_context, viewport)
    clicks = Clicks(f"CIO signs a boundary {'after the CISO' if signed_by else 'first'}")
    sign_in(page, "cio")
    # Signed in a while ago (past ACCOUNT_REAUTHENTICATION_TIMEOUT): the signature asks who is signing.
    later = time_machine.travel(timezone.now() + timedelta(minutes=10), tick=True)
    later.start()
    request.addfinalizer(later.stop)

    prompt = page.locator('section[aria-labelledby="home-signature-heading"]')
    expect(prompt.get_by_role("heading")).to_have_text("Risk boundary awaiting your signature")
    expect(prompt).to_contain_text(f"Version {draft.version}")
    expect(prompt).to_contain_text(
        "Samuel Okafor (CISO); yours completes it" if signed_by else "No signature yet"
    )
    snap(page, "1-home")

    clicks(prompt.get_by_role("link", name=f"Review and sign version {draft.version}"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Sign risk boundary v{draft.version}")
    clicks.tick(page.get_by_label("I have reviewed these limits and sign them as CIO"))
    snap(page, "2-sign")
    clicks(page.get_by_role("button", name=f"Sign v{draft.version}"))

    expect(page).to_have_url(re.compile("/accounts/reauthenticate/"))
    page.get_by_label("Password").fill(PASSWORD)
    snap(page, "3-confirm-who")
    clicks(page.get_by_role("button", name="Confirm"))

    expect(page.get_by_role("alert").filter(has_text=f"You signed v{draft.version} as CIO")).to_be_visible()
    draft.refresh_from_db()
    if signed_by:
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Risk boundary v{draft.version}")
        assert draft.state == BoundaryState.ACTIVE
    else:
        expect(page.get_by_text("Waiting for the CISO to sign")).to_be_visible()
        assert draft.state == BoundaryState.AWAITING_SIGNATURES
    snap(page, "4-signed")
    assert list(draft.signatures.values_list("role", flat=True).order_by("role")) == (
        ["cio", "ciso"] if signed_by else ["cio"]
    )

    page.goto(f"{live_server.url}/")
    expect(page.locator('section[aria-labelledby="home-signature-heading"]')).to_have_count(0)

    clicks.report(viewport["width"])
    assert clicks.steps <= 3  # Review and sign, Sign, Confirm (who is signing)
    assert clicks.answers <= 1  # the confirmation box
    assert RiskBoundary.objects.count() == 2


@VIEWPORTS
def test_the_board_secretary_prepares_the_running_quarters_pack_from_home_and_downloads_it(
    new_context, live_server, sign_in, snap, private_media, viewport
):
    signed_permissive_boundary()
    submitted_use_case()
    quarter = str(Quarter.containing(timezone.localdate()))
    page = screen(new_context, viewport)
    clicks = Clicks("board secretary prepares and downloads the pack")
    sign_in(page, "secretary")
    packs = page.locator('section[aria-labelledby="home-packs-heading"]')
    expect(packs).to_contain_text("No pack has been prepared yet.")
    snap(page, "1-home")

    clicks(packs.get_by_role("button", name=f"Prepare the {quarter} pack"))
    # Tasks run in the test process once the request commits: the pack may be ready before the page is shown; if
    # not, the list turns ready by itself (htmx polling).
    expect(
        page.get_by_role("alert").filter(
            has_text=re.compile(rf"The {quarter} pack \(version 1\) is (being prepared|ready)\.")
        )
    ).to_be_visible()
    row = page.locator("#pack-rows tbody tr").filter(has_text=quarter)
    download_link = row.get_by_role("link", name=re.compile("^Download"))
    expect(download_link).to_be_visible(timeout=PACK_TIMEOUT_MS)
    expect(row.locator(".pack-status")).to_have_text("Ready")
    snap(page, "2-ready")

    with page.expect_download() as download_info:
        clicks(download_link)
    body = Path(download_info.value.path()).read_bytes()
    assert body.startswith(b"%PDF-")
    assert download_info.value.suggested_filename == f"board-pack-{quarter}-v1.pdf"
    pack = BoardPack.objects.get()
    assert pack.status == BoardPack.Status.READY and pack.requested_by.username == "secretary"

    clicks.report(viewport["width"])
    assert clicks.steps <= 2  # Prepare the pack, Download


@pytest.fixture
def axe_context(new_context):
    # axe is injected as an inline script, which the site's CSP rightly refuses: only these scans bypass it.
    return lambda viewport: new_context(viewport=viewport, bypass_csp=True)


@VIEWPORTS
@pytest.mark.parametrize("username", list(ROLE_PAGES))
def test_every_page_each_role_reaches_is_accessible(
    axe_context, live_server, sign_in, snap, portfolio, username, viewport
):
    page = axe_context(viewport).new_page()
    sign_in(page, username)

    problems = []
    for template in ROLE_PAGES[username]:
        path = template.format(**portfolio)
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, f"{path} answered {response.status}"
        snap(page, re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") or "home")
        violations = blocking_violations(page)
        if violations:
            problems.append(f"{path}:\n" + "\n".join(violations))

    assert not problems, (
        f"serious or critical axe violations for {username} at {viewport['width']}px:\n" + "\n".join(problems)
    )
