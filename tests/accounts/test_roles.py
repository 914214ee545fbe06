"""Which roles a user holds: one query, cached, nothing for inactive or anonymous users."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from accounts.roles import ALL_ROLES, Role, has_role, roles_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_role_groups_are_created_by_migration():
    assert set(Group.objects.filter(name__in=ALL_ROLES).values_list("name", flat=True)) == ALL_ROLES


def test_roles_of_returns_the_role_groups_only():
    user = UserFactory(roles=[Role.CIO, Role.CISO])
    user.groups.add(Group.objects.create(name="unrelated"))
    assert roles_of(user) == {Role.CIO, Role.CISO}
    assert has_role(user, Role.CIO) and not has_role(user, Role.REQUESTER)


def test_roles_of_is_cached_on_the_user(django_assert_num_queries):
    user = UserFactory(roles=[Role.REQUESTER])
    with django_assert_num_queries(1):
        roles_of(user)
        roles_of(user)


def test_anonymous_and_inactive_users_hold_no_roles():
    user = UserFactory(roles=[Role.CIO], is_active=False)
    assert roles_of(AnonymousUser()) == frozenset()
    assert roles_of(user) == frozenset()
    assert roles_of(None) == frozenset()


def test_an_administrator_holds_no_role_by_being_administrator():
    admin = UserFactory(is_staff=True, is_superuser=True)
    assert roles_of(admin) == frozenset()


def test_an_administrator_in_the_cio_group_still_holds_no_approver_role():
    admin = UserFactory(is_staff=True)
    admin.groups.add(Group.objects.get(name=Role.CIO), Group.objects.get(name=Role.REQUESTER))
    assert roles_of(admin) == {Role.REQUESTER}


def test_group_ids_are_every_group_of_the_user_read_with_the_roles(django_assert_num_queries):
    from accounts.roles import forget_roles, group_ids_of

    user = UserFactory(roles=[Role.REQUESTER])
    other = Group.objects.create(name="a team's group")
    user.groups.add(other)
    expected = tuple(sorted(user.groups.values_list("pk", flat=True)))
    with django_assert_num_queries(1):  # roles and group ids together, once
        assert roles_of(user) == {Role.REQUESTER}
        assert group_ids_of(user) == expected and other.pk in expected
        assert group_ids_of(user) == expected
    forget_roles(user)
    with django_assert_num_queries(1):  # forgotten together, read again together
        assert group_ids_of(user) == expected
        assert roles_of(user) == {Role.REQUESTER}


def test_anonymous_and_inactive_users_are_in_no_group():
    from accounts.roles import group_ids_of

    inactive = UserFactory(roles=[Role.REQUESTER], is_active=False)
    assert group_ids_of(None) == ()
    assert group_ids_of(AnonymousUser()) == ()
    assert group_ids_of(inactive) == ()


def test_forgetting_the_roles_reads_a_changed_membership_again():
    from accounts.roles import forget_roles

    user = UserFactory(roles=[Role.REQUESTER])
    assert roles_of(user) == {Role.REQUESTER}
    user.groups.add(Group.objects.get(name=Role.CISO))
    assert roles_of(user) == {Role.REQUESTER}  # cached for the request
    forget_roles(user)
    assert roles_of(user) == {Role.REQUESTER, Role.CISO}
