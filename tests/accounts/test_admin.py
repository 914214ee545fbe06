"""The admin changes roles and teams through the audited services."""

import pytest

from accounts.models import User
from accounts.roles import Role, roles_of
from audit.models import AuditEvent
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def _change(person, **fields):
    return {
        "username": person.username,
        "display_name": person.display_name,
        "job_title": "",
        "first_name": "",
        "last_name": "",
        "email": person.email,
        "is_active": "on",
        **fields,
    }


def test_granting_an_ordinary_role_in_the_admin_is_audited_with_the_admin_as_actor(client, admin_user):
    client.force_login(admin_user)
    person = UserFactory(username="dana", roles=[Role.REQUESTER])
    team = TeamFactory(name="Finance")
    url = f"/admin/accounts/user/{person.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(url, _change(person, roles=[Role.BOARD_SECRETARY], team_list=[team.pk]))
    assert response.status_code == 302, response.content[:2000]
    person.refresh_from_db()
    assert roles_of(person) == {Role.BOARD_SECRETARY}
    events = AuditEvent.objects.filter(object_id=str(person.pk), actor=admin_user)
    assert {(e.action, e.payload.get("role") or e.payload.get("team")) for e in events} == {
        ("accounts.role_granted", "board_secretary"),
        ("accounts.role_revoked", "requester"),
        ("accounts.team_joined", "Finance"),
    }


@pytest.mark.parametrize("role", [Role.CIO, Role.CISO])
def test_the_admin_cannot_grant_an_approver_role(client, admin_user, role):
    client.force_login(admin_user)
    person = UserFactory(username="mallory", roles=[Role.REQUESTER])
    url = f"/admin/accounts/user/{person.pk}/change/"
    response = client.post(url, _change(person, roles=[Role.REQUESTER, role]))
    assert response.status_code == 200 and b"is not one of the available choices" in response.content
    assert roles_of(person) == {Role.REQUESTER}
    add = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "newcio",
            "password1": "a-long-pass-phrase-1",
            "password2": "a-long-pass-phrase-1",
            "roles": [role],
        },
    )
    assert add.status_code == 200
    assert not User.objects.filter(username="newcio").exists()


def test_the_admin_keeps_an_approvers_role_when_saving_other_changes(client, admin_user):
    client.force_login(admin_user)
    person = UserFactory(username="carol", roles=[Role.CIO])
    response = client.post(f"/admin/accounts/user/{person.pk}/change/", _change(person, job_title="CIO"))
    assert response.status_code == 302
    assert roles_of(person) == {Role.CIO}


def test_the_admin_cannot_grant_superuser_status(client, admin_user):
    client.force_login(admin_user)
    person = UserFactory(username="eve")
    url = f"/admin/accounts/user/{person.pk}/change/"
    assert client.post(url, _change(person, is_superuser="on")).status_code == 302
    person.refresh_from_db()
    assert person.is_superuser is False


def test_the_role_groups_cannot_be_edited_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/auth/group/").status_code == 404


def test_the_admin_cannot_set_an_approvers_password_or_email(client, admin_user):
    client.force_login(admin_user)
    cio = UserFactory(username="claire", roles=[Role.CIO])
    password_url = f"/admin/accounts/user/{cio.pk}/password/"
    assert client.get(password_url).status_code == 403
    response = client.post(
        password_url,
        {"password1": "hijacked-pass-1234", "password2": "hijacked-pass-1234", "usable_password": "true"},
    )
    assert response.status_code == 403
    cio.refresh_from_db()
    assert not cio.check_password("hijacked-pass-1234")
    changed = client.post(
        f"/admin/accounts/user/{cio.pk}/change/", _change(cio, email="attacker@example.net")
    )
    assert changed.status_code == 200
    cio.refresh_from_db()
    assert cio.email == "claire@example.com"


def test_an_emergency_deactivation_in_the_admin_ends_tokens_and_approver_roles(client, admin_user):
    from accounts.services import api_token_issue

    client.force_login(admin_user)
    cio = UserFactory(username="claire", roles=[Role.CIO])
    token, _key = api_token_issue(actor=cio, user=cio, name="cli")
    data = _change(cio)
    del data["is_active"]
    assert client.post(f"/admin/accounts/user/{cio.pk}/change/", data).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert not cio.groups.filter(name=Role.CIO).exists()


def test_administrators_cannot_read_or_change_the_audit_trail_or_use_cases_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    event = AuditEvent.objects.order_by("-sequence").first()
    assert client.get("/admin/audit/auditevent/").status_code == 403
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    assert client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/intake/usecase/").status_code == 403


def test_privilege_changes_in_the_admin_are_audited(client, admin_user):
    client.force_login(admin_user)
    person = UserFactory(username="erin")
    url = f"/admin/accounts/user/{person.pk}/change/"
    data = {"username": "erin", "email": "erin@example.com", "is_active": "on", "is_staff": "on"}
    assert client.post(url, data).status_code == 302
    event = AuditEvent.objects.filter(action="accounts.access_changed", object_id=str(person.pk)).get()
    assert event.payload["changes"] == {"is_staff": {"from": False, "to": True}}
    assert event.actor == admin_user


def test_making_an_approver_an_administrator_in_the_admin_removes_the_approver_role(client, admin_user):
    client.force_login(admin_user)
    person = UserFactory(username="fred", roles=[Role.CIO])
    response = client.post(f"/admin/accounts/user/{person.pk}/change/", _change(person, is_staff="on"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert roles_of(person) == frozenset()
    assert not person.groups.filter(name=Role.CIO).exists()
