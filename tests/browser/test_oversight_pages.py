"""Live oversight in the browser: evidence uploaded and downloaded, the quarterly attestation, and the AI inventory's
terms with their what-if against the risk boundary."""

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from accounts.models import User
from approvals.models import Approval, Condition
from approvals.services import decision_record
from config.quarters import Quarter
from intake import services as intake_services
from intake.models import UseCase
from intake.workflow import Status
from oversight import inventory
from oversight.models import AiProvider, Attestation, Evidence, ProviderTerm
from riskboundaries import services as boundary_services
from tests.answer_sets import CHATBOT, CV_SCREENING
from tests.browser.helpers import signed_permissive_boundary, watch_csp
from tests.riskboundaries.conftest import PERMISSIVE, approve, signed_by_both

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
CONDITION = "Kill switch and incident playbook"
NOTE = "Kill switch drill on 3 June: the assistant stopped within a minute."


def submitted(title: str, answers: dict) -> UseCase:
    requester = User.objects.get(username="requester1")
    use_case = intake_services.use_case_create(
        actor=requester,
        team=requester.teams.get(),
        title=title,
        summary="Scores applications against the job description for a recruiter.",
        answers=answers,
    )
    return intake_services.use_case_submit(actor=requester, use_case=use_case)


def signed_in_page(new_context, sign_in, username: str, viewport: dict[str, int]) -> Page:
    page = new_context(viewport=viewport).new_page()
    sign_in(page, username)
    return page


def fits(page: Page, viewport: dict[str, int]) -> None:
    """Nothing is wider than the screen: no sideways scrolling."""
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], page.url


def inside(inner: Locator, outer: Locator) -> None:
    """The inner element ends within the outer one's width: a badge that cannot wrap must not poke out of its card."""
    box, frame = inner.bounding_box(), outer.bounding_box()
    assert box["x"] + box["width"] <= frame["x"] + frame["width"] + 0.5, (box, frame)


def open_from_the_menu(page: Page, name: str) -> None:
    toggle = page.get_by_role("button", name="Toggle navigation")
    if toggle.is_visible():  # on a phone the menu is folded behind its button
        toggle.click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_the_owner_adds_evidence_for_a_condition_after_a_disguised_file_is_refused_and_downloads_it(
    new_context, live_server, sign_in, snap, private_media, tmp_path, width
):
    viewport = WIDTHS[width]
    use_case = approve(submitted("CV screening assistant", CV_SCREENING))
    ref = use_case.reference
    condition = Condition.objects.create(
        use_case=use_case, source=Condition.Source.BOUNDARY, control_id="C-13", text=CONDITION
    )
    disguised = tmp_path / "upload" / "drill.pdf"
    disguised.parent.mkdir()
    disguised.write_bytes(b"<html><script>alert(document.cookie)</script></html>")
    real = tmp_path / "drill-report.pdf"
    real.write_bytes(PDF)

    owner = signed_in_page(new_context, sign_in, "requester1", viewport)
    refused = watch_csp(owner)
    owner.goto(f"{live_server.url}/requests/{ref}/")
    panel = owner.locator("#incidents")
    expect(panel.get_by_role("heading", name="Live oversight")).to_be_visible()
    panel.get_by_role("link", name="Evidence", exact=True).click()
    expect(owner).to_have_url(f"{live_server.url}/oversight/requests/{ref}/evidence/")
    expect(owner.get_by_role("heading", level=1)).to_have_text("Evidence for “CV screening assistant”")
    item = owner.locator(f"#condition-{condition.pk}")
    expect(item).to_contain_text("Required by the risk boundary: evidence needed")
    expect(item).to_contain_text("No evidence yet.")
    inside(item.locator(".badge"), item)
    snap(owner, "1-evidence")
    fits(owner, viewport)

    # HTML named like a PDF: refused by what it contains, the note and the choice kept.
    owner.get_by_label("For", exact=True).select_option(label=CONDITION)
    owner.locator("#id_file").set_input_files(disguised)
    owner.get_by_role("textbox", name="Note").fill(NOTE)
    owner.get_by_role("button", name="Add the evidence").click()
    errors = owner.locator("#form-errors")
    expect(errors).to_contain_text("The evidence was not added.")
    expect(errors).to_contain_text("File: drill.pdf: This kind of file is not accepted as evidence")
    expect(owner.locator("#id_file")).to_have_class("form-control is-invalid")
    expect(owner.get_by_role("textbox", name="Note")).to_have_value(NOTE)
    expect(owner.get_by_label("For", exact=True)).to_have_value(f"condition:{condition.pk}")
    assert not Evidence.objects.exists()
    snap(owner, "2-refused")
    fits(owner, viewport)

    # A real PDF is kept under the condition.
    owner.locator("#id_file").set_input_files(real)
    owner.get_by_role("button", name="Add the evidence").click()
    expect(owner).to_have_url(f"{live_server.url}/oversight/requests/{ref}/evidence/")
    expect(
        owner.get_by_role("alert").filter(has_text="Evidence added. The CIO and the CISO can see it.")
    ).to_be_visible()
    expect(owner.locator("#form-errors")).to_have_count(0)
    link = item.get_by_role("link", name="drill-report.pdf")
    expect(link).to_be_visible()
    expect(item).to_contain_text(NOTE)
    expect(item).to_contain_text("Added by")
    evidence = Evidence.objects.get()
    assert (evidence.condition_id, evidence.original_name, evidence.note) == (
        condition.pk,
        "drill-report.pdf",
        NOTE,
    )
    snap(owner, "3-added")
    fits(owner, viewport)

    # The link downloads the very bytes that were uploaded.
    with owner.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "drill-report.pdf"
    assert Path(download.value.path()).read_bytes() == PDF

    # The use case's page counts it.
    owner.goto(f"{live_server.url}/requests/{ref}/")
    expect(owner.locator("#incidents").get_by_role("link", name="Evidence (1)")).to_be_visible()
    assert not refused, "\n".join(refused)


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_the_owner_attests_from_the_home_page_a_use_case_approved_last_quarter(
    new_context, live_server, sign_in, snap, width
):
    viewport = WIDTHS[width]
    signed_permissive_boundary()
    use_case = submitted("Customer reply assistant", CHATBOT)
    decision_record(actor=User.objects.get(username="cio"), use_case=use_case, decision="approve", slot="cio")
    decision_record(
        actor=User.objects.get(username="ciso"), use_case=use_case, decision="approve", slot="ciso"
    )
    use_case.refresh_from_db()
    assert use_case.status == Status.APPROVED
    ref = use_case.reference
    quarter = Quarter.containing(timezone.localdate())
    # Approved during the last quarter: this quarter's attestation is owed.
    last_quarter = timezone.make_aware(
        datetime.combine(quarter.start - timedelta(days=10), datetime.min.time())
    )
    assert Approval.objects.filter(use_case=use_case).update(approved_at=last_quarter) == 1

    owner = signed_in_page(new_context, sign_in, "requester1", viewport)
    refused = watch_csp(owner)
    section = owner.locator("#home-attestations")
    expect(section.get_by_role("heading", name="Quarterly attestations")).to_be_visible()
    expect(section).to_contain_text(f"Confirm for {quarter} that each runs as approved")
    expect(section).to_contain_text(f"Attest {ref} · Customer reply assistant")
    snap(owner, "1-home")
    fits(owner, viewport)
    section.get_by_role("link", name=f"Attest {ref}").click()

    expect(owner).to_have_url(f"{live_server.url}/oversight/requests/{ref}/attest/")
    expect(owner.get_by_role("heading", level=1)).to_have_text(
        "Does “Customer reply assistant” run as approved?"
    )
    owner.get_by_label("The same provider, model and version as approved").check()
    owner.get_by_label("The same data, of the same classification, for the same people").check()
    owner.get_by_label("Its controls and conditions are operating").check()
    snap(owner, "2-attest")
    fits(owner, viewport)
    owner.get_by_role("button", name="Record the attestation").click()

    expect(owner).to_have_url(f"{live_server.url}/requests/{ref}/")
    expect(owner.get_by_role("alert").filter(has_text=f"{ref} is attested for {quarter}.")).to_be_visible()
    expect(owner.locator("#incidents").get_by_role("link", name=f"Attest for {quarter}")).to_have_count(0)
    attestation = Attestation.objects.get()
    assert (attestation.use_case_id, attestation.quarter, attestation.as_approved) == (
        use_case.pk,
        str(quarter),
        True,
    )
    snap(owner, "3-attested")
    fits(owner, viewport)

    owner.goto(f"{live_server.url}/")
    expect(owner.locator("#home-attestations")).to_have_count(0)
    assert not refused, "\n".join(refused)


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_the_cio_lists_a_provider_records_its_terms_and_a_lost_term_sends_its_use_case_to_re_review(
    new_context, live_server, sign_in, snap, width
):
    viewport = WIDTHS[width]
    cio, ciso = User.objects.get(username="cio"), User.objects.get(username="ciso")
    # The active boundary allows Azure OpenAI only with a signed data processing agreement, which it has.
    limits = {
        **PERMISSIVE,
        "allowed_providers": [{"name": "Azure OpenAI", "regions": ["eu"], "required_terms": ["dpa_signed"]}],
    }
    signed_by_both(boundary_services.boundary_create(actor=cio, limits=limits), cio, ciso)
    azure = inventory.provider_list(actor=cio, name="Azure OpenAI", hosting_regions=["eu"])
    inventory.provider_terms_set(
        actor=cio,
        provider=azure,
        terms={"dpa_signed": {"holds": True, "checked_on": timezone.localdate(), "document": "MSA §7"}},
    )
    live = approve(submitted("Customer reply assistant", CHATBOT))
    ref = live.reference

    page = signed_in_page(new_context, sign_in, "cio", viewport)
    refused = watch_csp(page)
    open_from_the_menu(page, "AI inventory")
    expect(page).to_have_url(f"{live_server.url}/oversight/inventory/")
    expect(page.get_by_role("heading", level=1)).to_have_text("AI inventory")
    page.get_by_label("Name", exact=True).fill("Mistral AI")
    page.get_by_label("EU", exact=True).check()
    snap(page, "1-inventory")
    fits(page, viewport)
    page.get_by_role("button", name="Add the provider").click()

    mistral = AiProvider.objects.get(name="Mistral AI")
    assert mistral.hosting_regions == ["eu"]
    expect(page).to_have_url(f"{live_server.url}/oversight/inventory/providers/{mistral.pk}/")
    expect(
        page.get_by_role("alert").filter(has_text="Mistral AI is in the inventory. Record its terms next.")
    ).to_be_visible()
    expect(page.get_by_text("Runs in EU.")).to_be_visible()
    training = page.get_by_role("group", name="Our data is not used to train their models")
    training.get_by_label("Yes").check()
    training.get_by_label("From (contract, clause, page)").fill("Enterprise terms §4.2")
    snap(page, "2-provider")
    fits(page, viewport)
    page.get_by_role("button", name="Check and save the terms").click()

    expect(page.get_by_role("alert").filter(has_text="Mistral AI's terms are recorded.")).to_be_visible()
    training = page.get_by_role("group", name="Our data is not used to train their models")
    expect(training).to_contain_text("from: Enterprise terms §4.2")
    expect(training.get_by_label("Yes")).to_be_checked()
    term = ProviderTerm.objects.get(provider=mistral)
    assert (term.term, term.holds, term.checked_by) == ("no_training_on_data", True, cio)

    # Azure OpenAI loses its data processing agreement: the page first says who would exceed the boundary.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="AI inventory").click()
    page.get_by_role("link", name="Azure OpenAI").click()
    expect(page).to_have_url(f"{live_server.url}/oversight/inventory/providers/{azure.pk}/")
    expect(page.get_by_role("region", name="Live use cases that depend on it")).to_contain_text(
        f"{ref} Customer reply assistant"
    )
    dpa = page.get_by_role("group", name="A data processing agreement is signed")
    expect(dpa.get_by_label("Yes")).to_be_checked()
    dpa.get_by_label("No").check()
    dpa.get_by_label("From (contract, clause, page)").fill("Notice of termination, 1 Nov")
    page.get_by_role("button", name="Check and save the terms").click()

    impact = page.locator("#terms-impact")
    expect(impact.get_by_role("heading")).to_have_text(
        "With these terms, 1 live use case would exceed the risk boundary"
    )
    expect(impact.get_by_role("link", name=ref)).to_be_visible()
    expect(impact).to_contain_text("Customer reply assistant")
    expect(
        page.get_by_role("group", name="A data processing agreement is signed").get_by_label("No")
    ).to_be_checked()
    assert ProviderTerm.objects.get(provider=azure, term="dpa_signed").holds is True  # nothing saved yet
    live.refresh_from_db()
    assert live.status == Status.APPROVED
    snap(page, "3-what-if")
    fits(page, viewport)
    page.get_by_role("button", name="Save and send 1 to re-review").click()

    expect(page).to_have_url(f"{live_server.url}/oversight/inventory/providers/{azure.pk}/")
    expect(
        page.get_by_role("alert").filter(
            has_text=f"Azure OpenAI's terms are recorded. Sent to re-review: {live.reference}."
        )
    ).to_be_visible()
    expect(page.locator("#terms-impact")).to_have_count(0)
    snap(page, "4-saved")
    fits(page, viewport)
    live.refresh_from_db()
    assert live.status == Status.RE_REVIEW_DUE
    assert "Azure OpenAI's terms changed" in live.status_reason
    assert ProviderTerm.objects.get(provider=azure, term="dpa_signed").holds is False
    assert not refused, "\n".join(refused)
