"""The People pages in a real browser: an administrator adds a person and asks for the CIO role; it takes effect only
when the CISO confirms it on their own page. At a desktop and a phone width, nothing scrolls sideways."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role, roles_of
from tests.browser.helpers import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}


def _no_sideways_scroll(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


@pytest.mark.parametrize("width", list(WIDTHS))
def test_an_approver_role_is_asked_for_by_the_administrator_and_confirmed_by_the_ciso(
    new_context, live_server, sign_in, snap, width
):
    context = new_context(viewport=WIDTHS[width], bypass_csp=True)
    page = context.new_page()
    sign_in(page, "admin")
    page.goto(f"{live_server.url}/people/")
    expect(page.get_by_role("heading", name="People", level=1)).to_be_visible()
    _no_sideways_scroll(page)
    assert_accessible(page)
    snap(page, f"{width}-people")

    page.get_by_role("link", name="Add a person").click()
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Name", exact=True).fill("Dana Deputy")
    page.get_by_label("E-mail address").fill("dana@example.com")
    page.get_by_label("CIO", exact=True).check()
    page.get_by_label("Why (for the CIO or CISO who confirms)").fill("Deputy CIO while Claire is on leave")
    _no_sideways_scroll(page)
    snap(page, f"{width}-add-person")
    page.get_by_role("button", name="Add and invite").click()

    expect(page.get_by_text("awaits a sitting CIO or CISO’s confirmation")).to_be_visible()
    expect(page.get_by_text("Awaiting confirmation")).to_be_visible()
    _no_sideways_scroll(page)
    assert_accessible(page)
    snap(page, f"{width}-person")
    dana = User.objects.get(username="dana")
    assert roles_of(dana) == frozenset()
    assert any("dana@example.com" in m.to for m in mail.outbox)  # the invitation

    page.context.clear_cookies()
    sign_in(page, "ciso")
    expect(page.get_by_text("Approver roles awaiting your confirmation")).to_be_visible()
    page.get_by_role("link", name="Confirm or decline").click()
    expect(page.get_by_role("heading", name="Approver role requests")).to_be_visible()
    _no_sideways_scroll(page)
    assert_accessible(page)
    snap(page, f"{width}-role-requests")
    page.get_by_role("button", name="Confirm CIO for dana").click()
    expect(page.get_by_text("confirmed: it is in effect now")).to_be_visible()
    snap(page, f"{width}-confirmed")
    assert roles_of(User.objects.get(username="dana")) == {Role.CIO}


def test_the_profile_page_lists_tokens_and_fits_a_phone(new_context, live_server, sign_in, snap):
    from accounts.services import api_token_issue

    context = new_context(viewport=WIDTHS["phone"], bypass_csp=True)
    page = context.new_page()
    sign_in(page, "requester1")
    api_token_issue(
        actor=None, user=User.objects.get(username="requester1"), name="reporting script on the laptop"
    )
    page.goto(f"{live_server.url}/profile/")
    expect(page.get_by_role("heading", name="API tokens")).to_be_visible()
    expect(page.get_by_role("strong").filter(has_text="reporting script on the laptop")).to_be_visible()
    _no_sideways_scroll(page)
    assert_accessible(page)
    snap(page, "phone-profile")
