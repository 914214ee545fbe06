"""A serious incident in the browser: reported, the use case suspended from home, duties due, in the board pack."""

import re
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import dateformat, timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from accounts.models import User
from config.quarters import Quarter
from intake import services as intake_services
from intake.models import UseCase
from oversight import clocks
from oversight.models import Incident, Suspension
from reporting.models import BoardPack
from tests.answer_sets import CV_SCREENING
from tests.browser.helpers import watch_csp
from tests.riskboundaries.conftest import approve

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}
BRUSSELS = ZoneInfo("Europe/Brussels")
TITLE = "Qualified applicants over 50 rejected"
DUTIES = ("Inform the provider", "Inform the market surveillance authority")


def approved_cv_screening() -> UseCase:
    """The demo requester's CV screening assistant: high-risk, we are its deployer, submitted and approved."""
    requester = User.objects.get(username="requester1")
    use_case = intake_services.use_case_create(
        actor=requester,
        team=requester.teams.get(),
        title="CV screening assistant",
        summary="Scores applications against the job description for a recruiter.",
        answers=CV_SCREENING,
    )
    return approve(intake_services.use_case_submit(actor=requester, use_case=use_case))


def signed_in_page(new_context, sign_in, username: str, viewport: dict[str, int]) -> Page:
    page = new_context(viewport=viewport).new_page()
    sign_in(page, username)
    return page


def fits(page: Page, viewport: dict[str, int]) -> None:
    """Nothing is wider than the screen: no sideways scrolling."""
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], page.url


def open_from_the_menu(page: Page, name: str) -> None:
    toggle = page.get_by_role("button", name="Toggle navigation")
    if toggle.is_visible():  # on a phone the menu is folded behind its button
        toggle.click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


def shown_in_brussels(moment) -> str:
    return dateformat.format(moment.astimezone(BRUSSELS), "j M Y H:i T")


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_a_serious_incident_is_reported_the_use_case_suspended_and_the_incident_reaches_the_board_pack(
    new_context, live_server, sign_in, snap, private_media, width
):
    viewport = WIDTHS[width]
    use_case = approved_cv_screening()
    ref = use_case.reference
    happened = timezone.localtime() - timedelta(hours=3)

    # The owner reports a serious incident from the use case's page.
    owner = signed_in_page(new_context, sign_in, "requester1", viewport)
    refused = watch_csp(owner)
    owner.goto(f"{live_server.url}/requests/{ref}/")
    panel = owner.locator("#incidents")
    expect(panel.get_by_role("heading", name="Live oversight")).to_be_visible()
    expect(panel).to_contain_text("No incident has been reported on it.")
    panel.get_by_role("link", name="Report an incident").click()
    expect(owner).to_have_url(f"{live_server.url}/oversight/requests/{ref}/incidents/new/")
    expect(owner.get_by_role("heading", level=1)).to_have_text(
        "Report an incident on “CV screening assistant”"
    )
    owner.get_by_label("In a line, what went wrong").fill(TITLE)
    owner.get_by_label("When it happened").fill(happened.strftime("%Y-%m-%dT%H:%M"))
    owner.get_by_label("What happened", exact=True).fill("Every applicant over 50 was scored unsuitable.")
    owner.get_by_label("Who was affected").fill("About 40 applicants to the accounting roles.")
    owner.get_by_label("The harm done").fill("Unequal treatment on the grounds of age.")
    owner.get_by_label("It is a serious incident").check()
    owner.get_by_label("What made it serious").select_option(clocks.FUNDAMENTAL_RIGHTS)
    snap(owner, "1-report-form")
    fits(owner, viewport)
    owner.get_by_role("button", name="Report the incident").click()

    incident = Incident.objects.get()
    expect(owner).to_have_url(f"{live_server.url}/oversight/incidents/{incident.pk}/")
    expect(
        owner.get_by_role("alert").filter(has_text=f"Incident {incident.reference} reported.")
    ).to_be_visible()
    expect(owner.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(owner.get_by_role("heading", level=1)).to_contain_text("Serious incident")
    assert incident.serious and incident.serious_kind == clocks.FUNDAMENTAL_RIGHTS
    # Typed in the company's time zone, to the minute.
    assert incident.occurred_at == happened.replace(second=0, microsecond=0)
    deadlines = list(incident.deadlines.all())  # the soonest due first, as every page lists them
    assert [d.get_duty_display() for d in deadlines] == list(DUTIES)
    rows = owner.locator(".incident-deadline")
    expect(rows).to_have_count(2)
    for row, deadline in zip(rows.all(), deadlines, strict=True):
        expect(row).to_contain_text(deadline.get_duty_display())
        expect(row).to_contain_text("Art. 26(5)")
        expect(row.locator("time.deadline-due")).to_have_text(shown_in_brussels(deadline.due_at))
        expect(row.get_by_role("button", name="Record as done")).to_be_visible()
    snap(owner, "2-incident")
    fits(owner, viewport)

    # The CISO finds it on the home page, still running, and pulls the kill switch there.
    ciso = signed_in_page(new_context, sign_in, "ciso", viewport)
    refused += watch_csp(ciso)
    section = ciso.locator("#home-incidents")
    expect(section.get_by_role("heading", name="Serious incidents, still running")).to_be_visible()
    expect(section).to_contain_text(f"{incident.reference} on {ref} · {TITLE}")
    expect(section.get_by_label(f"Why suspend {ref}")).to_have_value(f"Serious incident {incident.reference}")
    snap(ciso, "3-ciso-home")
    fits(ciso, viewport)
    section.get_by_role("button", name=f"Suspend {ref}").click()

    expect(ciso).to_have_url(f"{live_server.url}/")
    expect(ciso.get_by_role("alert").filter(has_text=f"{ref} is suspended.")).to_be_visible()
    expect(ciso.get_by_role("heading", name="Serious incidents, still running")).to_have_count(0)
    expect(ciso.get_by_role("button", name=f"Suspend {ref}")).to_have_count(0)
    suspension = Suspension.objects.get()
    assert suspension.suspended_by.username == "ciso" and suspension.incident == incident
    assert suspension.reason == f"Serious incident {incident.reference}"
    ciso.goto(f"{live_server.url}/requests/{ref}/")
    expect(ciso.locator("#suspension")).to_contain_text("Suspended")
    expect(ciso.locator("#suspension")).to_contain_text(
        f"(kill switch): Serious incident {incident.reference}"
    )
    snap(ciso, "4-suspended")
    fits(ciso, viewport)

    # The owner's page says so too.
    owner.goto(f"{live_server.url}/requests/{ref}/")
    expect(owner.locator("#suspension")).to_contain_text("Suspended")

    # The CIO sees the two reporting duties falling due on the home page, with their deadline.
    cio = signed_in_page(new_context, sign_in, "cio", viewport)
    refused += watch_csp(cio)
    section = cio.locator("#home-incidents")
    expect(section.get_by_role("heading", name="Incidents: reporting duties due")).to_contain_text("2")
    items = section.locator(".home-deadline")
    expect(items).to_have_count(2)
    for item, deadline in zip(items.all(), deadlines, strict=True):
        expect(item).to_contain_text(f"{incident.reference} on {ref} · {TITLE}")
        expect(item).to_contain_text(deadline.get_duty_display())
        expect(item.locator("time.deadline-due")).to_have_text(shown_in_brussels(deadline.due_at))
    expect(section.get_by_role("heading", name="Serious incidents, still running")).to_have_count(0)
    snap(cio, "5-cio-home")
    fits(cio, viewport)

    # The CIO prepares this quarter's pack (rendered in-process): its PDF lists the incident as a serious one.
    quarter = str(Quarter.containing(timezone.now().astimezone(UTC).date()))  # the pack's quarters run in UTC
    open_from_the_menu(cio, "Board packs")
    expect(cio).to_have_url(f"{live_server.url}/board-packs/")
    cio.locator("#id_quarter").select_option(quarter)
    cio.get_by_role("button", name="Prepare the pack").click()
    row = cio.locator("#pack-rows tbody tr").filter(has_text=quarter)
    expect(row).to_contain_text("Draft — not issued", timeout=60_000)
    with cio.expect_download() as download:
        row.get_by_role("link", name=re.compile(r"^Download draft")).click()
    pack = BoardPack.objects.get(quarter=quarter)
    assert pack.cutoff > incident.reported_at
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(download.value.path()).pages).split())
    start = text.index(
        "Live use: incidents and attestations Incidents reported"
    )  # the section, not the contents
    section_text = text[start : text.index("Open conditions and overdue re-reviews", start)]
    # Each figure sits above its label: the PDF's text may run them together.
    figures = (
        r"1 ?incidents reported 1 ?serious incidents 0 of 2 ?reporting duties met in time "
        r"0 ?overdue at the cut-off"
    )
    assert re.search(figures, section_text), section_text[:800]
    assert incident.reference in section_text and ref in section_text and TITLE in section_text
    for deadline in deadlines:
        due = dateformat.format(deadline.due_at.astimezone(UTC), "j M Y H:i")
        assert f"{deadline.get_duty_display()} (Art. 26(5)) by {due} UTC: open" in section_text
    assert not refused, "\n".join(refused)
