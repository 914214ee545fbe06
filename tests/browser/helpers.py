"""What the browser tests share: the login form, the CSP console, the axe-core check, the pages each role reaches and
the data behind them."""

import json
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from accounts.models import User
from approvals import services as approval_services
from approvals.rules import ConditionInput
from config.quarters import Quarter
from intake import services as intake_services
from intake.models import UseCase
from reporting import services as reporting_services
from riskboundaries import services as boundary_services
from riskboundaries.models import RiskBoundary
from tests.answer_sets import CHATBOT
from tests.riskboundaries.conftest import PERMISSIVE, signed_by_both

AXE_SCRIPT = Path(__file__).resolve().parents[1] / "assets" / "axe.min.js"
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
CSP_MARKER = "Content Security Policy"

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


def fill_login_form(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#id_login").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def watch_csp(page: Page) -> list[str]:
    """Chromium reports every resource or inline script/style the policy refuses as a console message."""
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if CSP_MARKER in message.text else None)
    return refused


def axe_violations(page: Page) -> list[dict]:
    """Run axe-core on the current page and return its violations, whatever their impact.

    add_script_tag(path=...) injects the library as an inline script, which the site's CSP (script-src 'self')
    refuses: pages scanned with this need a context created with bypass_csp=True.
    """
    page.add_script_tag(path=str(AXE_SCRIPT))
    # resultTypes: only violations are reported in full, which makes the scan quicker.
    return page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")


def blocking_violations(page: Page) -> list[str]:
    """The serious and critical axe violations on the current page, one readable line each: rule, impact, elements."""
    return [
        f"- {v['id']} ({v['impact']}): {v['help']}; {json.dumps([n['target'] for n in v['nodes'][:3]])}"
        for v in axe_violations(page)
        if v.get("impact") in BLOCKING_IMPACTS
    ]


def assert_accessible(page: Page) -> None:
    """Fail with a readable list of the serious and critical axe violations on the current page."""
    lines = blocking_violations(page)
    if lines:
        pytest.fail(
            f"axe found {len(lines)} serious or critical violation(s) on {page.url}:\n" + "\n".join(lines),
            pytrace=False,
        )


def signed_permissive_boundary() -> RiskBoundary:
    """The demo CIO and CISO draft and sign a permissive boundary: it is active."""
    cio, ciso = User.objects.get(username="cio"), User.objects.get(username="ciso")
    boundary = boundary_services.boundary_create(
        actor=cio, limits=PERMISSIVE, change_note="First risk appetite"
    )
    return signed_by_both(boundary, cio, ciso)


def submitted_use_case(title: str = "Customer reply assistant") -> UseCase:
    """The demo requester's customer reply assistant, submitted."""
    requester = User.objects.get(username="requester1")
    use_case = intake_services.use_case_create(
        actor=requester,
        team=requester.teams.get(),
        title=title,
        summary="Drafts replies to customer emails for an agent to send.",
        answers=CHATBOT,
    )
    return intake_services.use_case_submit(actor=requester, use_case=use_case)


def a_little_portfolio() -> None:
    """A signed boundary and one submitted use case: enough for every section of the pack to have something."""
    signed_permissive_boundary()
    submitted_use_case()


def a_portfolio_on_every_page() -> dict[str, str]:
    """Something on every page: a signed v1 and a draft v2, a request decided by the CIO with a condition and
    awaiting the CISO, a requester's draft, and this quarter's board pack (rendered under MEDIA_ROOT).

    Returns the references of the two requests, keyed as ROLE_PAGES names them.
    """
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
