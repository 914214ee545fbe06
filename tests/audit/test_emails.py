"""The e-mails about the audit trail: the checkpoint copy and the alarm, to the sitting CIO and CISO only."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail

from accounts.roles import Role
from audit.checkpoints import checkpoint_save
from audit.tasks import notify_audit_alarm, notify_audit_checkpoint
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DOCUMENT = {
    "sequence": 41,
    "hash": "ab" * 32,
    "key_id": "k2026",
    "event_at": "2026-03-01T09:15:00+00:00",
    "written_at": "2026-03-02T02:00:00+00:00",
    "reason": "daily",
    "previous": "",
}


@pytest.fixture
def approvers(cio, ciso):
    # An administrator with the CIO group holds no approver role, so receives nothing.
    root = UserFactory(username="root", is_superuser=True)
    root.groups.add(Group.objects.get_or_create(name=Role.CIO)[0])
    mail.outbox.clear()
    return sorted([cio.email, ciso.email])


def test_a_checkpoint_is_sent_to_the_cio_and_the_ciso_as_stored(approvers):
    name = checkpoint_save("audit-checkpoints/20260302T020000000000Z-000000000041.json", DOCUMENT)
    assert notify_audit_checkpoint(name) == 2
    (message,) = mail.outbox
    assert message.to == approvers
    assert message.subject == "Audit trail checkpoint: event #41"
    assert message.body == (
        "The audit trail's newest event was copied outside the database. Keep this message: if a later check of "
        "the trail does not find this hash at this event, the trail was changed after this moment.\n\n"
        "Event: #41 (recorded 2026-03-01T09:15:00+00:00)\n"
        f"Hash: {'ab' * 32}\n"
        "Chain key id: k2026\n"
        "Checkpoint written: 2026-03-02T02:00:00+00:00 (daily)\n"
        f"Stored as: {name}\n\n"
        f"The audit trail: {settings.SITE_URL}/audit/"
    )


def test_a_checkpoint_of_an_empty_unkeyed_trail_says_so(approvers):
    name = checkpoint_save("cp.json", {**DOCUMENT, "sequence": 0, "event_at": None, "key_id": None})
    notify_audit_checkpoint(name)
    body = mail.outbox[0].body
    assert "Event: #0 (recorded never: the trail is empty)\n" in body
    assert "Chain key id: none\n" in body


def test_no_checkpoint_mail_without_approvers():
    name = checkpoint_save("cp.json", DOCUMENT)
    assert notify_audit_checkpoint(name) == 0
    assert mail.outbox == []


def test_an_alarm_is_sent_to_the_cio_and_the_ciso_with_the_problem(approvers):
    assert notify_audit_alarm("The audit chain failed verification at event #7: hash <differs> & more.") == 2
    (message,) = mail.outbox
    assert message.to == approvers
    assert message.subject == "Audit trail alarm: the chain failed verification"
    assert message.body == (
        "The audit chain failed verification at event #7: hash <differs> & more.\n\n"
        f"See the verification on the audit page: {settings.SITE_URL}/audit/"
    )
