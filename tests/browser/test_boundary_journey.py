"""The CIO and the CISO tighten the risk boundary in the browser: draft, what-if, sign, sign, in force, re-review.

Also: every boundary page passes the accessibility scan, and the site's strict Content-Security-Policy refuses
nothing on them.
"""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from intake import services as intake_services
from intake.models import UseCase
from intake.workflow import Status
from riskboundaries import services
from riskboundaries.models import RiskBoundary
from riskboundaries.workflow import BoundaryState
from tests.answer_sets import CHATBOT
from tests.browser.helpers import assert_accessible, signed_permissive_boundary, watch_csp
from tests.riskboundaries.conftest import PERMISSIVE, approve

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def approved_agent() -> UseCase:
    """An approved use case that acts alone within set limits (autonomy 3): within PERMISSIVE, beyond a stricter one."""
    requester = User.objects.get(username="requester1")
    use_case = intake_services.use_case_create(
        actor=requester,
        team=requester.teams.get(),
        title="Refund approval agent",
        summary="Approves small refunds on its own within set limits.",
        answers={**CHATBOT, "autonomy": 3},
    )
    return approve(intake_services.use_case_submit(actor=requester, use_case=use_case))


def test_the_cio_and_the_ciso_tighten_the_boundary_and_approvals_breaching_it_go_to_re_review(
    page, new_context, live_server, sign_in, snap, demo_people
):
    signed_permissive_boundary()
    use_case = approved_agent()
    page.set_viewport_size({"width": 1280, "height": 900})
    refused = watch_csp(page)

    # The CIO reads the boundary in force.
    sign_in(page, "cio")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Risk boundary").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk boundary v1")
    expect(page.get_by_text("Up to 4 — Autonomous")).to_be_visible()
    expect(page.locator(".signature-who")).to_have_text(["Claire Ito", "Samuel Okafor"])
    snap(page, "active-v1")

    # Drafts a stricter one: lower autonomy. A score out of range is named, and nothing typed is lost.
    page.get_by_role("link", name="Draft a new version").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Draft a new risk boundary")
    expect(page.get_by_label("Highest autonomy")).to_have_value("4")  # filled in from v1
    page.get_by_label("What changes and why").fill("Agents act only with a person's confirmation.")
    preview = page.locator("#what-if-preview")
    expect(preview).to_contain_text("No approved or submitted use case would breach these limits.")
    page.get_by_label("Highest autonomy").select_option("1")
    expect(preview).to_contain_text(use_case.reference)  # the live what-if, before anything is saved
    expect(preview).to_contain_text("actual 3 — Bounded autonomy")
    page.evaluate("() => window.scrollTo(0, 0)")
    snap(page, "editor-preview")
    page.get_by_label("Highest inherent risk score").fill("30")
    page.get_by_role("group", name="Tools may never").get_by_label("Move money").check()
    page.get_by_role("button", name="Save draft").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Highest inherent risk score: Must be between 1 and 25.")
    expect(page.get_by_label("Highest autonomy")).to_have_value("1")
    expect(page.get_by_role("group", name="Tools may never").get_by_label("Move money")).to_be_checked()
    expect(page.get_by_label("What changes and why")).to_have_value(
        "Agents act only with a person's confirmation."
    )
    page.evaluate("() => window.scrollTo(0, 0)")
    snap(page, "editor-error")
    summary.get_by_role("link", name=re.compile("^Highest inherent risk score")).click()
    expect(page.get_by_label("Highest inherent risk score")).to_be_focused()
    assert RiskBoundary.objects.count() == 1

    page.get_by_label("Highest inherent risk score").fill("16")
    page.get_by_role("button", name="Save draft").click()

    # The what-if list names the approved use case that would breach it, before anyone signs.
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk boundary v2")
    impact = page.locator(".what-if-card")
    expect(impact.get_by_role("link", name=use_case.reference)).to_be_visible()
    expect(impact).to_contain_text("Refund approval agent")
    expect(impact).to_contain_text("Highest autonomy")
    expect(impact).to_contain_text("actual 3 — Bounded autonomy")
    expect(page.get_by_role("table", name=re.compile("Limits that differ"))).to_contain_text("Move money")
    snap(page, "draft-what-if")
    draft = RiskBoundary.objects.get(version=2)
    assert draft.state == BoundaryState.DRAFT

    # Signs: the page shows the hash being signed and asks for the confirmation first.
    page.get_by_role("link", name="Review and sign").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign risk boundary v2")
    expect(page.locator("#content-hash")).to_have_text(draft.content_hash)
    page.get_by_role("button", name="Sign v2").click()
    expect(page.get_by_text("Tick the box to confirm you have reviewed these limits.")).to_be_visible()
    page.get_by_label("I have reviewed these limits and sign them as CIO").check()
    snap(page, "sign-cio")
    page.get_by_role("button", name="Sign v2").click()
    expect(page.get_by_role("alert").filter(has_text="You signed v2 as CIO")).to_be_visible()
    expect(page.get_by_text("Waiting for the CISO to sign")).to_be_visible()

    # The CISO signs in, finds the version waiting and signs: it takes effect.
    ciso_page = new_context().new_page()
    ciso_page.set_viewport_size({"width": 1280, "height": 900})
    refused += watch_csp(ciso_page)
    sign_in(ciso_page, "ciso")
    ciso_page.get_by_role("navigation", name="Main").get_by_role("link", name="Risk boundary").click()
    ciso_page.locator(".in-progress").get_by_role("link", name="v2").click()
    expect(ciso_page.locator(".what-if-card")).to_contain_text(use_case.reference)
    ciso_page.get_by_role("link", name="Review and sign").click()
    expect(ciso_page.get_by_text("Your signature completes this boundary")).to_be_visible()
    ciso_page.get_by_label("I have reviewed these limits and sign them as CISO").check()
    snap(ciso_page, "sign-ciso")
    ciso_page.get_by_role("button", name="Sign v2").click()

    expect(ciso_page).to_have_url(f"{live_server.url}/risk-boundaries/")
    expect(ciso_page.get_by_role("alert").filter(has_text="now the active risk boundary")).to_contain_text(
        "Each approved use case is now being checked against it"
    )
    # The worker's pass (in-process here) has checked the approved use case by the time the page shows.
    expect(ciso_page.locator("#re-review-progress")).to_contain_text("All 1 approved use case checked")
    expect(ciso_page.locator("#re-review-progress")).to_contain_text("1 breaches it and went to re-review.")
    expect(ciso_page.get_by_role("heading", level=1)).to_have_text("Risk boundary v2")
    expect(ciso_page.locator(".page-header .boundary-state-active")).to_have_text("Active")
    expect(ciso_page.locator(".signature-who")).to_have_text(["Claire Ito", "Samuel Okafor"])
    expect(ciso_page.get_by_text("Matches the content hash")).to_have_count(2)
    snap(ciso_page, "active-v2")

    # The breaching approval is now due for re-review, on its own page.
    ciso_page.goto(f"{live_server.url}/requests/{use_case.reference}/")
    expect(ciso_page.locator(".page-header .status-re_review_due")).to_have_text("Re-review due")
    snap(ciso_page, "use-case-re-review")
    use_case.refresh_from_db()
    assert use_case.status == Status.RE_REVIEW_DUE
    assert RiskBoundary.objects.get(version=1).state == BoundaryState.SUPERSEDED
    assert not refused, "\n".join(refused)


@pytest.fixture
def axe_page(new_context):
    # axe is injected as an inline script, which the site's CSP rightly refuses: only these scans bypass it.
    page = new_context(bypass_csp=True).new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    return page


def test_the_boundary_pages_are_accessible(axe_page, live_server, sign_in, snap, demo_people):
    signed_permissive_boundary()
    approved_agent()
    cio = User.objects.get(username="cio")
    draft = services.boundary_create(
        actor=cio,
        limits={
            **PERMISSIVE,
            "max_autonomy": 1,
            "allowed_providers": [
                {"name": "Azure OpenAI", "regions": ["eu"], "required_terms": ["dpa_signed"]}
            ],
            "required_controls": {"high": ["C-06", "C-15"], "limited": ["C-01"]},
        },
        change_note="Agents act only with a person's confirmation.",
    )
    sign_in(axe_page, "cio")

    pages = [
        ("active", "/risk-boundaries/"),
        ("history", "/risk-boundaries/history/"),
        ("compare", f"/risk-boundaries/compare/?from=1&to={draft.version}"),
        ("draft", f"/risk-boundaries/{draft.version}/"),
        ("sign", f"/risk-boundaries/{draft.version}/sign/"),
        ("editor", f"/risk-boundaries/{draft.version}/edit/"),
    ]
    for name, path in pages:
        response = axe_page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        snap(axe_page, name)
        assert_accessible(axe_page)

    axe_page.get_by_label("Highest inherent risk score").fill("0")
    axe_page.get_by_role("group", name="Provider 2").get_by_label("United Kingdom").check()
    axe_page.get_by_role("button", name="Save changes").click()
    summary = axe_page.locator("#error-summary")
    expect(summary).to_contain_text("Provider 2: Give this provider a name")
    expect(summary).to_contain_text("Highest inherent risk score: Must be between 1 and 25.")
    snap(axe_page, "editor-error")
    assert_accessible(axe_page)

    axe_page.goto(f"{live_server.url}/risk-boundaries/{draft.version}/sign/")
    axe_page.get_by_role("button", name=f"Sign v{draft.version}").click()
    expect(axe_page.locator("#id_confirm_error")).to_be_visible()
    assert_accessible(axe_page)
