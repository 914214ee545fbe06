"""axe-core on every page each role can reach: no serious or critical accessibility violations.

Not scanned: /api/docs/ is drf-spectacular's bundled Swagger UI, third-party markup we neither write nor style.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, fill_login_form
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Pages beyond the home page that each role reaches from its navigation.
ROLE_PAGES = {
    "requester1": ("/requests/",),
    "requester2": ("/requests/",),
    "cio": ("/audit/", "/requests/", "/decisions/", "/board-packs/dashboard/"),
    "ciso": ("/audit/", "/requests/", "/decisions/?filter=open"),
    "secretary": (),
    "admin": ("/admin/",),
}


@pytest.fixture
def axe_page(new_context):
    # axe is injected as an inline script, which the site's CSP (script-src 'self') rightly refuses. Only these
    # scans bypass the CSP, in their own browser context; the site's policy is unchanged, and
    # test_content_security_policy.py checks that the site's own pages need no inline code under it.
    return new_context(bypass_csp=True).new_page()


def test_login_page_is_accessible(axe_page, live_server, demo_people, snap):
    axe_page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(axe_page)

    fill_login_form(axe_page, live_server.url, "requester1", "not-the-password")
    expect(axe_page.locator("#login-errors")).to_be_visible()
    snap(axe_page, "login-error")
    assert_accessible(axe_page)


@pytest.mark.parametrize("username", list(ROLE_PAGES))
def test_each_roles_pages_are_accessible(axe_page, live_server, sign_in, snap, username):
    sign_in(axe_page, username)
    assert_accessible(axe_page)

    for path in ROLE_PAGES[username]:
        response = axe_page.goto(f"{live_server.url}{path}")
        assert response.status == 200
        snap(axe_page, path.strip("/"))
        assert_accessible(axe_page)


@pytest.mark.parametrize(
    "path",
    ["/accounts/2fa/", "/accounts/password/change/", "/accounts/logout/"],
    ids=["two-factor", "password-change", "sign-out"],
)
def test_account_pages_are_accessible(axe_page, live_server, sign_in, snap, path):
    sign_in(axe_page, "requester1")
    response = axe_page.goto(f"{live_server.url}{path}")
    assert response.status == 200
    snap(axe_page, "page")
    assert_accessible(axe_page)


def test_password_change_errors_are_accessible(axe_page, live_server, sign_in, snap):
    sign_in(axe_page, "requester1")
    axe_page.goto(f"{live_server.url}/accounts/password/change/")
    axe_page.locator("#id_oldpassword").fill(PASSWORD)
    axe_page.locator("#id_password1").fill("short")
    axe_page.locator("#id_password2").fill("different")
    axe_page.get_by_role("button", name="Change Password").click()
    expect(axe_page.locator(".invalid-feedback").first).to_be_visible()
    snap(axe_page, "errors")
    assert_accessible(axe_page)


@pytest.mark.parametrize(("path", "status"), [("/no-such-page/", 404), ("/audit/", 403)], ids=["404", "403"])
def test_error_pages_are_accessible(axe_page, live_server, sign_in, snap, path, status):
    sign_in(axe_page, "requester1")
    response = axe_page.goto(f"{live_server.url}{path}")
    assert response.status == status
    snap(axe_page, "page")
    assert_accessible(axe_page)


def test_accessibility_check_fails_on_a_serious_violation(axe_page):
    axe_page.set_content(
        '<!DOCTYPE html><html lang="en"><title>t</title><main><img src="x.png"></main></html>'
    )

    with pytest.raises(pytest.fail.Exception, match="image-alt"):
        assert_accessible(axe_page)
