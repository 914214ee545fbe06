"""accounts tells audit who reads the trail (audit imports nothing of accounts): the sitting CIO and CISO, never an
administrator, whatever groups the administrator is in."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from accounts.roles import Role
from audit.hooks import audit_reader_emails, is_audit_reader
from audit.policies import can_view_audit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_cio_and_the_ciso_read_the_audit_trail(cio, ciso):
    assert can_view_audit(cio) and can_view_audit(ciso)
    assert is_audit_reader(cio) and is_audit_reader(ciso)


def test_other_roles_and_administrators_do_not(requester, secretary, admin_user):
    assert not any(can_view_audit(user) for user in (requester, secretary, admin_user))


def test_an_administrator_in_the_cio_group_does_not_read_the_audit_trail():
    admin = UserFactory(is_staff=True)
    admin.groups.add(Group.objects.get(name=Role.CIO))
    assert not can_view_audit(admin)


def test_the_audit_trail_is_read_by_nobody_signed_out():
    assert not can_view_audit(AnonymousUser())


def test_checkpoints_and_alarms_go_to_the_sitting_cio_and_ciso(cio, ciso, requester, admin_user):
    assert audit_reader_emails() == sorted([cio.email, ciso.email])


def test_an_inactive_cio_neither_reads_the_trail_nor_is_told_about_it(cio, ciso):
    cio.is_active = False
    cio.save(update_fields=["is_active"])
    assert not can_view_audit(cio)
    assert audit_reader_emails() == [ciso.email]
