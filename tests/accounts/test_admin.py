"""The admin changes roles and teams through the audited services."""

import pytest

from accounts.roles import Role, roles_of
from audit.models import AuditEvent
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_granting_a_role_in_the_admin_is_audited_with_the_admin_as_actor(client, admin_user):
    client.force_login(admin_user)
    person = UserFactory(username="dana", roles=[Role.REQUESTER])
    team = TeamFactory(name="Finance")
    url = f"/admin/accounts/user/{person.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(
        url,
        {
            "username": "dana",
            "display_name": "Dana",
            "job_title": "",
            "first_name": "",
            "last_name": "",
            "email": "dana@example.com",
            "roles": [Role.CISO],
            "team_list": [team.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    person.refresh_from_db()
    assert roles_of(person) == {Role.CISO}
    events = AuditEvent.objects.filter(object_id=str(person.pk), actor=admin_user)
    assert {(e.action, e.payload.get("role") or e.payload.get("team")) for e in events} == {
        ("accounts.role_granted", "ciso"),
        ("accounts.role_revoked", "requester"),
        ("accounts.team_joined", "Finance"),
    }


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


def test_the_admin_refuses_to_make_an_administrator_cio(client, admin_user):
    client.force_login(admin_user)
    person = UserFactory(username="fred")
    url = f"/admin/accounts/user/{person.pk}/change/"
    data = {"username": "fred", "is_active": "on", "is_staff": "on", "roles": [Role.CIO]}
    response = client.post(url, data)
    assert response.status_code == 200 and b"cannot also be CIO or CISO" in response.content
    assert roles_of(person) == frozenset()
