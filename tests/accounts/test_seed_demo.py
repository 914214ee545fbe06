"""seed_demo creates the demo organisation and can be run again safely."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from accounts.models import User
from accounts.roles import Role, roles_of
from audit.selectors import audit_chain_verify

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_the_demo_people_with_roles_and_teams(capsys):
    call_command("seed_demo", "--password", "a-demo-password-1")
    out = capsys.readouterr().out
    assert "requester1" in out and "a-demo-password-1" in out
    people = {u.username: u for u in User.objects.prefetch_related("teams")}
    assert roles_of(people["requester1"]) == {Role.REQUESTER}
    assert [t.name for t in people["requester1"].teams.all()] == ["Customer Service"]
    assert [t.name for t in people["requester2"].teams.all()] == ["People & HR"]
    assert roles_of(people["cio"]) == {Role.CIO}
    assert roles_of(people["ciso"]) == {Role.CISO}
    assert roles_of(people["secretary"]) == {Role.BOARD_SECRETARY}
    assert people["admin"].is_staff and roles_of(people["admin"]) == frozenset()
    assert authenticate(username="cio", password="a-demo-password-1") is not None


def test_seed_demo_is_idempotent_and_keeps_the_chain_valid():
    call_command("seed_demo", "--password", "first-password-1")
    call_command("seed_demo", "--password", "second-password-2")
    assert User.objects.count() == 6
    assert authenticate(username="requester1", password="second-password-2") is not None
    assert audit_chain_verify().ok
