"""Role and team changes: exact, audited, notified after commit."""

import pytest
from django.core import mail

from accounts.roles import Role, roles_of
from accounts.services import team_get_or_create, user_create, user_set_roles, user_set_teams
from audit.models import AuditEvent
from config.errors import DomainError, NotAllowed
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_setting_roles_grants_and_revokes_exactly_and_audits_each_change(admin_user):
    user = UserFactory(roles=[Role.REQUESTER])
    granted, revoked = user_set_roles(actor=admin_user, user=user, roles=[Role.BOARD_SECRETARY])
    assert granted == {Role.BOARD_SECRETARY} and revoked == {Role.REQUESTER}
    assert roles_of(user) == {Role.BOARD_SECRETARY}
    events = AuditEvent.objects.filter(object_id=str(user.pk), action__startswith="accounts.role_").order_by(
        "sequence"
    )
    assert [(e.action, e.payload["role"], e.actor_username) for e in events][-2:] == [
        ("accounts.role_granted", "board_secretary", admin_user.username),
        ("accounts.role_revoked", "requester", admin_user.username),
    ]


@pytest.mark.parametrize("role", [Role.CIO, Role.CISO])
def test_a_person_never_grants_an_approver_role_directly_only_by_request(admin_user, role):
    user = UserFactory(roles=[Role.REQUESTER])
    with pytest.raises(NotAllowed) as excinfo:
        user_set_roles(actor=admin_user, user=user, roles=[Role.REQUESTER, role])
    assert "roles" in excinfo.value.errors
    assert roles_of(user) == {Role.REQUESTER}
    assert not AuditEvent.objects.filter(
        action="accounts.role_granted", object_id=str(user.pk), actor=admin_user
    )


def test_revoking_an_approver_role_through_set_roles_takes_effect_at_once(admin_user):
    user = UserFactory(roles=[Role.CIO, Role.REQUESTER])
    granted, revoked = user_set_roles(actor=admin_user, user=user, roles=[Role.REQUESTER])
    assert (granted, revoked) == (set(), {Role.CIO})
    assert roles_of(user) == {Role.REQUESTER}


def test_setting_the_same_roles_again_records_nothing(admin_user):
    user = UserFactory(roles=[Role.CIO])
    before = AuditEvent.objects.count()
    assert user_set_roles(actor=admin_user, user=user, roles=[Role.CIO]) == (set(), set())
    assert AuditEvent.objects.count() == before


def test_an_unknown_role_is_refused_naming_the_field_and_changes_nothing(admin_user):
    user = UserFactory(roles=[Role.REQUESTER])
    with pytest.raises(DomainError) as excinfo:
        user_set_roles(actor=admin_user, user=user, roles=[Role.CIO, "superapprover"])
    assert "roles" in excinfo.value.errors
    assert roles_of(user) == {Role.REQUESTER}


def test_the_person_is_emailed_about_a_role_change_only_after_commit(
    admin_user, django_capture_on_commit_callbacks
):
    user = UserFactory(email="dana@example.com")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        user_set_roles(actor=admin_user, user=user, roles=[Role.BOARD_SECRETARY])
    assert mail.outbox == []  # nothing is sent while the change may still roll back
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dana@example.com"]
    assert "Added: Board secretary." in mail.outbox[0].body


def test_seeding_without_an_actor_sends_no_role_email(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        user_set_roles(actor=None, user=user, roles=[Role.CIO])
    assert mail.outbox == []


def test_team_membership_changes_are_audited(admin_user):
    user = UserFactory()
    a, b = TeamFactory(name="Alpha"), TeamFactory(name="Beta")
    user_set_teams(actor=admin_user, user=user, teams=[a, b])
    joined, left = user_set_teams(actor=admin_user, user=user, teams=[b])
    assert (joined, left) == (set(), {"Alpha"})
    assert AuditEvent.objects.filter(action="accounts.team_left", payload__team="Alpha").exists()


def test_team_get_or_create_is_idempotent_and_requires_a_name():
    first = team_get_or_create(actor=None, name="People & HR")
    assert team_get_or_create(actor=None, name="People & HR") == first
    with pytest.raises(DomainError) as excinfo:
        team_get_or_create(actor=None, name="  ")
    assert "name" in excinfo.value.errors


def test_user_create_validates_and_audits():
    user = user_create(actor=None, username="newperson", password="a-long-password-123")
    assert user.check_password("a-long-password-123")
    assert AuditEvent.objects.filter(action="accounts.user_created", object_id=str(user.pk)).exists()
    with pytest.raises(DomainError) as excinfo:
        user_create(actor=None, username="bad name!", password=None)
    assert "username" in excinfo.value.errors


def test_an_administrator_cannot_be_given_an_approver_role(admin_user):
    other_admin = UserFactory(is_staff=True)
    with pytest.raises(DomainError) as excinfo:
        user_set_roles(actor=admin_user, user=other_admin, roles=[Role.CISO])
    assert "roles" in excinfo.value.errors


def test_nobody_grants_themselves_an_approver_role():
    person = UserFactory(roles=[Role.REQUESTER])
    with pytest.raises(NotAllowed, match="by request"):
        user_set_roles(actor=person, user=person, roles=[Role.REQUESTER, Role.CIO])
    assert roles_of(person) == {Role.REQUESTER}
