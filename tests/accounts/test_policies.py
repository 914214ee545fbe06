"""Who may manage people and who may confirm a grant of an approver role, refusal by refusal."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts import policies
from accounts.models import RoleGrantRequest
from accounts.roles import Role
from accounts.services import role_grant_request
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", [None, AnonymousUser()])
def test_nobody_signed_in_manages_people(who):
    assert policies.can_manage_people(who) is False


def test_an_inactive_administrator_manages_nobody(admin_user):
    admin_user.is_active = False
    assert policies.can_manage_people(admin_user) is False


@pytest.fixture
def grant(admin_user) -> RoleGrantRequest:
    return role_grant_request(actor=admin_user, user=UserFactory(username="nina"), role=Role.CIO)


def test_a_sitting_ciso_may_confirm_a_cio_grant(grant, ciso):
    assert policies.reason_cannot_confirm_grant(ciso, grant) is None
    assert policies.can_confirm_grant(ciso, grant) is True
    policies.ensure_can_confirm_grant(ciso, grant)


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        ("grantee_as_ciso", "for themselves"),
        ("requester", "Only a sitting CIO or CISO"),
        ("admin", "Only a sitting CIO or CISO"),
    ],
)
def test_who_may_not_confirm_and_why(grant, admin_user, who, reason):
    person = {
        "grantee_as_ciso": lambda: _grantee_also_ciso(grant),
        "requester": lambda: UserFactory(roles=[Role.REQUESTER]),
        "admin": lambda: admin_user,
    }[who]()
    assert reason in policies.reason_cannot_confirm_grant(person, grant)
    assert policies.can_confirm_grant(person, grant) is False


def _grantee_also_ciso(grant):
    from accounts.services import user_set_roles

    user_set_roles(actor=None, user=grant.user, roles=[Role.CISO])
    return grant.user


def test_the_person_who_asked_may_not_confirm_even_holding_an_approver_role(grant, admin_user):
    asker = UserFactory(roles=[Role.CISO])
    grant.requested_by = asker
    assert "You asked for this grant" in policies.reason_cannot_confirm_grant(asker, grant)


def test_anyone_may_change_their_own_credentials_even_as_an_approver(cio):
    assert policies.reason_cannot_change_credentials(cio, cio) is None


def test_an_administrator_may_change_an_ordinary_persons_credentials(admin_user):
    assert policies.reason_cannot_change_credentials(admin_user, UserFactory()) is None


def test_an_administrator_may_not_change_an_approvers_or_a_pending_grantees_credentials(
    admin_user, cio, grant
):
    assert "changed by that person only" in policies.reason_cannot_change_credentials(admin_user, cio)
    assert "awaits the confirmation" in policies.reason_cannot_change_credentials(admin_user, grant.user)
