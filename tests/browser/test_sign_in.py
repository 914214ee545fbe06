"""Signing in and out through the real forms: each role lands on its own home page and sees only its navigation."""

from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import fill_login_form
from tests.factories import PASSWORD
from tests.navigation import ADMIN_NAV, EXECUTIVE_NAV, REQUESTER_NAV, SECRETARY_NAV

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOME_SECTIONS = ("home-requester-heading", "home-decisions-heading", "home-packs-heading", "admin-heading")


@dataclass(frozen=True)
class RoleHome:
    section: str  # id of the one role section heading the home page shows
    section_label: str
    nav: tuple[str, ...]  # the main navigation, in order
    # Pages reached from the navigation beyond Home: (link label, the heading the page opens with)
    nav_pages: tuple[tuple[str, str], ...] = ()


ROLE_HOMES = {
    "requester1": RoleHome(
        "home-requester-heading",
        "Requester",
        REQUESTER_NAV,
        (("My requests", "My requests"),),
    ),
    "requester2": RoleHome("home-requester-heading", "Requester", REQUESTER_NAV),
    "cio": RoleHome(
        "home-decisions-heading",
        "CIO",
        EXECUTIVE_NAV,
        (("Review queue", "Review queue"), ("Use cases", "Use cases"), ("Audit trail", "Audit trail")),
    ),
    "ciso": RoleHome(
        "home-decisions-heading",
        "CISO",
        EXECUTIVE_NAV,
        (("Audit trail", "Audit trail"), ("AI inventory", "AI inventory")),
    ),
    "secretary": RoleHome("home-packs-heading", "Board secretary", SECRETARY_NAV),
    "admin": RoleHome(
        "admin-heading",
        "Administrator",
        ADMIN_NAV,
        (("People", "People"),),
    ),
}


@pytest.mark.parametrize("username", list(ROLE_HOMES))
def test_each_role_signs_in_to_its_own_home_page(page, live_server, demo_people, snap, username):
    expected = ROLE_HOMES[username]
    person = demo_people[username]

    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    snap(page, "login")
    page.locator("#id_login").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {person.display_name}")
    section = page.locator(f"section:has(#{expected.section})")
    expect(section).to_be_visible()
    expect(section.locator(".section-label")).to_have_text(expected.section_label)
    for other in set(HOME_SECTIONS) - {expected.section}:
        expect(page.locator(f"#{other}")).to_have_count(0)
    main_nav = page.get_by_role("navigation", name="Main").locator("#main-nav .me-auto .nav-link")
    expect(main_nav).to_have_text(list(expected.nav))
    expect(page.locator("#user-menu")).to_contain_text(person.display_name)
    snap(page, "home")

    for label, heading in expected.nav_pages:
        page.get_by_role("navigation", name="Main").get_by_role("link", name=label, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        snap(page, label.lower().replace(" ", "-"))
        page.go_back()


def test_wrong_password_shows_an_error_and_stays_on_the_login_page(page, live_server, demo_people, snap):
    fill_login_form(page, live_server.url, "cio", "not-the-password")

    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.locator("#login-errors")).to_contain_text("not correct")
    expect(page.locator("#id_login")).to_have_value("cio")
    expect(page.locator("#user-menu")).to_have_count(0)
    snap(page, "login-error")


def test_signing_out_returns_to_the_login_page(page, live_server, sign_in, snap):
    sign_in(page, "requester1")
    snap(page, "home")

    page.locator("#user-menu").click()
    sign_out = page.locator(".dropdown-menu").get_by_role("button", name="Sign out")
    expect(sign_out).to_be_visible()
    snap(page, "user-menu")
    sign_out.click()

    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.locator("#user-menu")).to_have_count(0)
    snap(page, "login")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
