"""audit does not know roles: it asks the hook accounts registers, and fails closed when nothing is registered.
Pure: no database."""

import pytest

from audit import hooks
from audit.policies import can_view_audit, ensure_can_view_audit
from config.errors import NotAllowed


@pytest.fixture
def registered(monkeypatch):
    monkeypatch.setattr(hooks, "_is_reader", None)
    monkeypatch.setattr(hooks, "_reader_addresses", None)
    return hooks


def test_without_a_registered_check_nobody_reads_the_trail_and_nobody_is_told(registered):
    assert not can_view_audit(object())
    assert hooks.audit_reader_emails() == []
    with pytest.raises(NotAllowed, match="Only the CIO and the CISO"):
        ensure_can_view_audit(object())


def test_the_policy_answers_what_the_registered_check_answers(registered):
    readers = {"ada"}
    hooks.register_audit_readers(
        is_reader=lambda user: user in readers, addresses=lambda: ["ada@example.com"]
    )
    assert can_view_audit("ada") and not can_view_audit("bob")
    ensure_can_view_audit("ada")
    with pytest.raises(NotAllowed):
        ensure_can_view_audit("bob")
    assert hooks.audit_reader_emails() == ["ada@example.com"]
