"""A newer ruleset on the CIO's pages: the home prompt, what changes per use case, and the acknowledgement; the use
case's own page says a newer ruleset is pending and what it would change. On a phone and at a desk."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from intake import services as intake_services
from intake.assessment import RULESET_VERSION
from tests.answer_sets import CV_SCREENING
from tests.browser.helpers import watch_csp
from tests.intake.test_ruleset_upgrade import older_ruleset
from tests.riskboundaries.conftest import approve

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1440])
def test_the_cio_sees_what_a_newer_ruleset_changes_and_acknowledges_it(
    page, live_server, sign_in, snap, monkeypatch, width
):
    sign_in(page, "cio")  # the demo people exist from here
    requester = User.objects.get(username="requester1")
    restore = older_ruleset(monkeypatch)
    use_case = intake_services.use_case_create(
        actor=requester, team=requester.teams.get(), title="CV screening assistant", answers=CV_SCREENING
    )
    approve(intake_services.use_case_submit(actor=requester, use_case=use_case))
    restore()
    upgrade = intake_services.ruleset_upgrade_start()
    intake_services.ruleset_reassess_run(upgrade_id=upgrade.pk)

    page.set_viewport_size({"width": width, "height": 900})
    refused = watch_csp(page)
    page.goto(f"{live_server.url}/")
    prompt = page.get_by_role("region", name=f"A newer ruleset: {RULESET_VERSION}")
    expect(prompt).to_contain_text("1 live use case would change, 1 riskier")
    prompt.get_by_role("link", name="See what changes").click()

    expect(page.get_by_role("heading", name=f"Ruleset {RULESET_VERSION}", level=1)).to_be_visible()
    row = page.get_by_role("row").filter(has_text=use_case.reference)
    expect(row).to_contain_text("Minimal risk → High risk")
    expect(row).to_contain_text("Riskier")
    snap(page, f"changes-{width}")
    page.get_by_role("button", name="Acknowledge as CIO").click()
    expect(page.get_by_text("now waits for the other executive")).to_be_visible()
    expect(page.get_by_role("button", name="Acknowledge as CIO")).to_have_count(0)

    page.goto(f"{live_server.url}/requests/{use_case.reference}/")
    banner = page.get_by_role(
        "region", name=f"A newer ruleset ({RULESET_VERSION}) is waiting for the CIO and the CISO"
    )
    expect(banner).to_contain_text("Under the new rules:")
    expect(banner).to_contain_text("High risk")
    snap(page, f"use-case-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert not refused, "\n".join(refused)
