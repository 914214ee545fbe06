"""The People pages: administrators create and invite people, set teams and ordinary roles, deactivate and
reactivate; nobody else reaches them; approvers' credentials are theirs alone; the list stays flat in queries."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import RoleGrantRequest, User
from accounts.roles import Role, roles_of
from accounts.services import api_token_issue, role_grant_request
from audit.models import AuditEvent
from config.errors import NotAllowed
from tests.factories import TeamFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

NEW_PASSWORD = "a-brand-new-pass-phrase"


@pytest.fixture
def as_admin(client, admin_user):
    client.force_login(admin_user)
    return client


# ---------------------------------------------------------------------------------------------------- who gets in

PAGES = ["/people/", "/people/new/", "/people/teams/", "/people/req/"]
POSTS = [
    ("/people/new/", {"username": "x", "email": "x@example.com"}),
    ("/people/teams/", {"name": "Skunkworks"}),
    ("/people/req/", {"display_name": "Renamed", "email": "req@example.com"}),
    ("/people/req/access/", {"roles": ["board_secretary"]}),
    ("/people/req/grant/", {"role": "cio"}),
    ("/people/req/revoke/requester/", {}),
    ("/people/req/deactivate/", {"reason": "x"}),
    ("/people/req/reactivate/", {}),
    ("/people/req/password-link/", {}),
]


@pytest.mark.parametrize("who", ["requester", "cio", "ciso", "secretary"])
def test_only_administrators_reach_the_people_pages(client, request, requester, who):
    client.force_login(request.getfixturevalue(who))
    for url in PAGES:
        assert client.get(url).status_code == 403, url
    for url, data in POSTS:
        assert client.post(url, data).status_code == 403, url
    requester.refresh_from_db()
    assert (
        requester.is_active
        and requester.display_name != "Renamed"
        and roles_of(requester) == {Role.REQUESTER}
    )
    assert not User.objects.filter(username="x").exists() and not RoleGrantRequest.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, requester):
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), url
    for url, data in POSTS:
        assert client.post(url, data).status_code == 302, url
    requester.refresh_from_db()
    assert requester.is_active


def test_administrators_see_the_people_list(as_admin, requester, cio):
    page = as_admin.get("/people/").content.decode()
    assert requester.username in page and cio.username in page


def test_a_deactivated_administrator_is_signed_out_and_cannot_manage_people(client, admin_user):
    client.force_login(admin_user)
    User.objects.filter(pk=admin_user.pk).update(is_active=False)
    assert client.get("/people/").status_code == 302


# ---------------------------------------------------------------------------------------------------- create and invite


def invitation_link(address: str) -> str:
    (message,) = [m for m in mail.outbox if m.to == [address] and "/password/reset/key/" in m.body]
    return urlsplit(re.search(r"https?://\S+/accounts/password/reset/key/\S+", message.body).group(0)).path


def test_creating_a_person_invites_them_and_the_link_lets_them_set_a_password_and_sign_in(
    as_admin, admin_user, team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_admin.post(
            "/people/new/",
            {
                "username": "newbie",
                "display_name": "Nia Newbie",
                "email": "newbie@example.com",
                "job_title": "Analyst",
                "teams": [team.pk],
                "roles": [Role.REQUESTER],
            },
        )
    assert response.status_code == 302 and response.url == "/people/newbie/"
    person = User.objects.get(username="newbie")
    assert roles_of(person) == {Role.REQUESTER} and [t.name for t in person.teams.all()] == [team.name]
    assert not person.has_usable_password()  # nobody knows a password for it until the invitation is used
    assert AuditEvent.objects.filter(
        action="accounts.user_invited", object_id=str(person.pk), actor=admin_user
    )

    browser = Client()
    assert browser.post("/accounts/login/", {"login": "newbie", "password": ""}).status_code == 200
    landing = browser.get(invitation_link("newbie@example.com"), follow=True)
    set_password = browser.post(
        landing.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert set_password.status_code == 302

    signed_in = browser.post("/accounts/login/", {"login": "newbie", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302 and browser.get("/").status_code == 200


def test_the_invitation_link_works_once(as_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        as_admin.post("/people/new/", {"username": "newbie", "email": "newbie@example.com"})
    link = invitation_link("newbie@example.com")
    browser = Client()
    landing = browser.get(link, follow=True)
    browser.post(landing.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    again = Client().get(link, follow=True)
    assert b"invalid" in again.content.lower() or b"bad token" in again.content.lower()


def test_a_person_cannot_be_created_without_an_email_for_the_invitation(as_admin):
    response = as_admin.post("/people/new/", {"username": "newbie", "email": ""})
    assert response.status_code == 400 and not User.objects.filter(username="newbie").exists()


def test_asking_for_an_approver_role_when_creating_a_person_only_asks(
    as_admin, cio, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_admin.post(
            "/people/new/", {"username": "newcio", "email": "newcio@example.com", "approver_role": Role.CIO}
        )
    assert response.status_code == 302
    person = User.objects.get(username="newcio")
    assert roles_of(person) == frozenset() and not person.groups.filter(name=Role.CIO).exists()
    assert RoleGrantRequest.objects.get().state == RoleGrantRequest.State.PENDING


# ---------------------------------------------------------------------------------------------------- teams and roles


def test_administrators_set_teams_and_ordinary_roles_audited(as_admin, admin_user, requester):
    finance = TeamFactory(name="Finance")
    response = as_admin.post(
        f"/people/{requester.username}/access/", {"teams": [finance.pk], "roles": [Role.BOARD_SECRETARY]}
    )
    assert response.status_code == 302
    assert roles_of(requester) == {Role.BOARD_SECRETARY}
    assert [t.name for t in requester.teams.all()] == ["Finance"]
    actions = set(
        AuditEvent.objects.filter(object_id=str(requester.pk), actor=admin_user).values_list(
            "action", flat=True
        )
    )
    assert {
        "accounts.role_granted",
        "accounts.role_revoked",
        "accounts.team_joined",
        "accounts.team_left",
    } <= actions


def test_saving_teams_and_roles_keeps_an_approvers_role(as_admin, cio):
    assert as_admin.post(f"/people/{cio.username}/access/", {"roles": [Role.REQUESTER]}).status_code == 302
    assert roles_of(cio) == {Role.CIO, Role.REQUESTER}


def test_the_teams_page_creates_a_team(as_admin):
    assert as_admin.post("/people/teams/", {"name": "Skunkworks"}).status_code == 302
    assert "Skunkworks" in as_admin.get("/people/teams/").content.decode()


# ---------------------------------------------------------------------------------------------------- deactivation


def test_deactivation_signs_the_person_out_and_ends_tokens_approver_roles_and_pending_grants(
    as_admin, admin_user, cio, ciso, password, django_capture_on_commit_callbacks
):
    person = UserFactory(username="dual", roles=[Role.CISO, Role.REQUESTER])
    grant = role_grant_request(actor=admin_user, user=person, role=Role.CIO)
    _token, key = api_token_issue(actor=person, user=person, name="cli")
    their_browser = Client()
    assert their_browser.post("/accounts/login/", {"login": "dual", "password": password}).status_code == 302
    assert their_browser.get("/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = as_admin.post("/people/dual/deactivate/", {"reason": "left the company"})

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_active is False
    # The session they had stops working at once.
    after = their_browser.get("/")
    assert after.status_code == 302 and after.url.startswith("/accounts/login/")
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/me/").status_code == 401
    assert not person.groups.filter(name__in=[Role.CIO, Role.CISO]).exists()
    assert person.groups.filter(name=Role.REQUESTER).exists()
    grant.refresh_from_db()
    assert grant.state == RoleGrantRequest.State.CANCELLED
    actions = list(
        AuditEvent.objects.filter(object_id=str(person.pk), actor=admin_user)
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions[-4:] == [
        "accounts.user_deactivated",
        "auth.token_revoked",
        "accounts.role_revoked",
        "accounts.role_grant_cancelled",
    ]
    assert any("deactivated" in m.subject for m in mail.outbox if m.to == ["dual@example.com"])
    # And they cannot sign in again.
    again = Client()
    again.post("/accounts/login/", {"login": "dual", "password": password})
    assert "_auth_user_id" not in again.session


def test_reactivation_does_not_restore_approver_roles(as_admin, cio):
    UserFactory(username="other_cio", roles=[Role.CIO])  # so a CIO still sits
    assert as_admin.post(f"/people/{cio.username}/deactivate/").status_code == 302
    assert as_admin.post(f"/people/{cio.username}/reactivate/").status_code == 302
    cio.refresh_from_db()
    assert cio.is_active and roles_of(cio) == frozenset()
    assert AuditEvent.objects.filter(action="accounts.user_reactivated", object_id=str(cio.pk)).exists()


def test_an_administrator_cannot_deactivate_their_own_account(as_admin, admin_user):
    response = as_admin.post(f"/people/{admin_user.username}/deactivate/", follow=True)
    admin_user.refresh_from_db()
    assert admin_user.is_active and "cannot deactivate your own account" in response.content.decode()


@pytest.mark.parametrize(
    ("reason", "problem"), [("Left\u202e", "control characters"), ("x" * 501, "At most 500")]
)
def test_a_deactivation_reason_that_cannot_be_stored_is_refused_naming_it_and_changes_nothing(
    as_admin, requester, reason, problem
):
    response = as_admin.post(f"/people/{requester.username}/deactivate/", {"reason": reason}, follow=True)
    requester.refresh_from_db()
    assert requester.is_active
    assert "reason:" in response.content.decode() and problem in response.content.decode()


@pytest.mark.parametrize("username", ["new", "teams", "role-requests"])
def test_a_username_that_names_a_people_page_is_refused(as_admin, username):
    response = as_admin.post("/people/new/", {"username": username, "email": f"{username}@example.com"})
    assert response.status_code == 400 and "username" in response.content.decode().lower()
    assert not User.objects.filter(username=username).exists()


# ---------------------------------------------------------------------------------------------------- approvers' credentials


def test_an_administrator_cannot_change_an_approvers_email_on_the_people_page(as_admin, admin_user, cio):
    page = as_admin.get(f"/people/{cio.username}/").content.decode()
    assert re.search(r'<input[^>]*name="email"[^>]*disabled', page)

    response = as_admin.post(
        f"/people/{cio.username}/", {"display_name": cio.display_name, "email": "attacker@example.net"}
    )

    cio.refresh_from_db()
    assert response.status_code in (302, 403) and cio.email == "cio_user@example.com"
    with pytest.raises(NotAllowed):
        from accounts.services import user_update_profile

        user_update_profile(actor=admin_user, user=cio, email="attacker@example.net")
    cio.refresh_from_db()
    assert cio.email == "cio_user@example.com"


def test_an_administrator_may_change_an_ordinary_persons_email(as_admin, requester):
    response = as_admin.post(
        f"/people/{requester.username}/", {"display_name": "R", "email": "new@example.com"}
    )
    requester.refresh_from_db()
    assert response.status_code == 302 and requester.email == "new@example.com"


def test_an_administrator_cannot_change_an_approvers_email_or_password_in_the_django_admin(as_admin, ciso):
    change = as_admin.post(
        f"/admin/accounts/user/{ciso.pk}/change/",
        {"username": ciso.username, "email": "attacker@example.net", "is_active": "on"},
    )
    password = as_admin.post(
        f"/admin/accounts/user/{ciso.pk}/password/",
        {"password1": "hijacked-pass-1234", "password2": "hijacked-pass-1234", "usable_password": "true"},
    )
    ciso.refresh_from_db()
    assert change.status_code == 200 and ciso.email == "ciso_user@example.com"
    assert password.status_code == 403 and not ciso.check_password("hijacked-pass-1234")


# ---------------------------------------------------------------------------------------------------- query counts


def _people_list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/people/?show=all").status_code == 200
    return len(queries)


def test_the_people_list_takes_a_fixed_number_of_queries_however_many_people(
    as_admin, admin_user, django_assert_max_num_queries
):
    teams = [TeamFactory(name=f"Team {i}") for i in range(3)]
    for i in range(3):
        UserFactory(username=f"few{i}", roles=[Role.REQUESTER], teams=teams[:2])
    role_grant_request(actor=admin_user, user=UserFactory(username="pending1"), role=Role.CIO)
    few = _people_list_queries(as_admin)

    for i in range(40):
        UserFactory(username=f"many{i:02}", roles=[Role.REQUESTER, Role.BOARD_SECRETARY], teams=teams)
    role_grant_request(actor=admin_user, user=UserFactory(username="pending2"), role=Role.CISO)

    with django_assert_max_num_queries(few):
        page = as_admin.get("/people/?show=all")
    assert page.status_code == 200 and "many39" in page.content.decode()
    # Session, user, the page of people, their groups, their teams, pending grants, the navigation's roles.
    assert few <= 7
