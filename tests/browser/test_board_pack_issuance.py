"""From draft to issued in the browser at 1440 px (and the list on a 390 px phone): the secretary prepares the quarter's pack, the CIO writes the joint
statement and signs, the CISO signs from the home's prompt, and the issued PDF downloads with the statement and both
signatories in its text. Tasks run in-process; every page passes the accessibility scan."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import User
from config.quarters import Quarter
from reporting.models import BoardPack
from tests.browser.helpers import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORT = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
QUARTER = str(Quarter.containing(timezone.localdate()).previous())
STATEMENT = (
    "AI adoption is on plan this quarter. Two high-risk pilots wait for their controls before production."
)


def signed_in_page(new_context, sign_in, username: str):
    # bypass_csp: the accessibility scan injects its script (the CSP itself is checked in test_content_security_policy)
    page = new_context(viewport=VIEWPORT, bypass_csp=True).new_page()
    sign_in(page, username)
    return page


def test_a_pack_goes_from_draft_to_issued_with_the_statement_and_both_signatures(
    new_context, live_server, sign_in, snap, demo_people, private_media
):
    # The secretary prepares last quarter's pack: a draft.
    secretary = signed_in_page(new_context, sign_in, "secretary")
    secretary.get_by_role("navigation", name="Main").get_by_role("link", name="Board packs").click()
    secretary.locator("#id_quarter").select_option(QUARTER)
    secretary.get_by_role("button", name="Prepare the pack").click()
    first = secretary.locator("#pack-rows tbody tr").first
    expect(first).to_contain_text("Draft — not issued", timeout=60_000)
    expect(first.get_by_role("button", name="Sign")).to_have_count(0)

    # The CIO may not sign before the statement is written: the reason is next to the disabled button.
    cio = signed_in_page(new_context, sign_in, "cio")
    cio.goto(f"{live_server.url}/board-packs/")
    row = cio.locator("#pack-rows tbody tr").first
    expect(row.get_by_role("button", name="Sign")).to_be_disabled()
    expect(row).to_contain_text("The CIO and the CISO have not written the statement for this quarter yet.")
    assert_accessible(cio)

    # The CIO writes the statement; a new draft holding it is prepared, and the first is void.
    row.get_by_role("link", name=f"Write the statement for {QUARTER}").click()
    expect(cio.get_by_role("heading", level=1)).to_have_text(f"Joint CIO–CISO statement for {QUARTER}")
    assert_accessible(cio)
    cio.get_by_label("Joint statement").fill(STATEMENT)
    cio.get_by_role("button", name="Save the statement").click()
    expect(cio.locator(".alert-success")).to_contain_text(f"Statement for {QUARTER} saved.", timeout=60_000)
    rows = cio.locator("#pack-rows tbody tr")
    expect(rows.nth(1)).to_contain_text("Void")
    latest = rows.first
    expect(latest).to_contain_text("Draft — not issued", timeout=60_000)

    # The CIO signs the version with the statement.
    latest.get_by_role("link", name="Sign").click()
    expect(cio.get_by_role("heading", level=1)).to_have_text(f"Sign the {QUARTER} board pack")
    expect(cio.locator(".statement-preview")).to_contain_text("AI adoption is on plan")
    assert_accessible(cio)
    cio.get_by_label("I have read this version, with the statement, and sign its content").check()
    cio.get_by_role("button", name="Sign version 2 as CIO").click()
    expect(cio.locator(".alert-success")).to_contain_text(
        "It is issued when the CISO signs the same version too."
    )
    expect(cio.locator("#pack-rows tbody tr").first).to_contain_text("Awaiting the CISO's signature")
    snap(cio, "1-cio-signed")

    # The CISO's home asks for the signature; the second signature issues the pack.
    ciso = signed_in_page(new_context, sign_in, "ciso")
    expect(ciso.get_by_role("heading", name="Board pack awaiting your signature")).to_be_visible()
    assert_accessible(ciso)
    ciso.get_by_role("link", name=f"Sign the {QUARTER} pack, version 2").click()
    ciso.get_by_label("I have read this version, with the statement, and sign its content").check()
    ciso.get_by_role("button", name="Sign version 2 as CISO").click()
    issued_row = ciso.locator("#pack-rows tbody tr").first
    expect(issued_row).to_contain_text("Issued", timeout=60_000)
    expect(issued_row).not_to_contain_text("Draft — not issued")
    snap(ciso, "2-issued")
    assert_accessible(ciso)

    # The secretary downloads the issued PDF: the statement and both signatories are in its text.
    secretary.reload()
    with secretary.expect_download() as download:
        secretary.locator("#pack-rows tbody tr").first.get_by_role("link", name="Download issued").click()
    reader = PdfReader(download.value.path())
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "AI adoption is on plan this quarter" in text
    for username in ("cio", "ciso"):
        assert User.objects.get(username=username).get_full_name() in text
    assert "Draft — not issued" not in text
    pack = BoardPack.objects.get(quarter=QUARTER, version=2)
    assert pack.is_issued and download.value.suggested_filename == pack.issued_filename

    # On a phone the list, with its signatures and actions, stacks without sideways scrolling.
    secretary.set_viewport_size(PHONE)
    secretary.reload()
    expect(secretary.locator("#pack-rows tbody tr").first).to_contain_text("Issued")
    assert secretary.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    snap(secretary, "3-phone")
    assert_accessible(secretary)
