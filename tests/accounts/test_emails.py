"""The e-mails about accounts and roles: who receives each one, and its text word for word."""

import re
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.core import mail

from accounts.models import RoleGrantRequest
from accounts.roles import Role
from accounts.tasks import (
    notify_access_ended,
    notify_role_change,
    notify_role_request,
    notify_role_request_decided,
    send_password_link,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Late in the evening in UTC: the next day in Brussels, so a date shown in local time would differ.
EXPIRES = datetime(2026, 3, 5, 23, 30, tzinfo=UTC)
DECIDED = datetime(2026, 3, 1, 23, 45, tzinfo=UTC)


@pytest.fixture
def nina(db):
    return UserFactory(username="nina", display_name="Nina Patel", email="nina@example.com")


@pytest.fixture
def asker(db):
    return UserFactory(username="omar", display_name="Omar Haddad", email="omar@example.com")


def grant_for(user, requested_by, **fields):
    mail.outbox.clear()
    return RoleGrantRequest.objects.create(
        user=user,
        role=Role.CISO,
        requested_by=requested_by,
        requested_at=datetime(2026, 2, 26, 9, 0, tzinfo=UTC),
        expires_at=EXPIRES,
        **fields,
    )


def sent_to(address):
    return [m for m in mail.outbox if address in m.to]


def test_a_role_change_is_sent_to_the_person_with_what_was_added_and_removed(nina):
    mail.outbox.clear()
    assert notify_role_change(nina.pk, [Role.BOARD_SECRETARY, Role.REQUESTER], [Role.CIO]) is True
    (message,) = mail.outbox
    assert message.to == ["nina@example.com"]
    assert message.subject == "Your GenAI Governance roles have changed"
    assert message.body == (
        "Hello Nina Patel,\n\n"
        "Your roles in GenAI Governance have changed.\n"
        "Added: Board secretary, Requester.\n"
        "Removed: CIO.\n\n"
        "If you did not expect this, tell your security team."
    )


def test_a_role_change_names_only_the_side_that_changed(nina):
    mail.outbox.clear()
    notify_role_change(nina.pk, [], [Role.REQUESTER])
    assert mail.outbox[0].body == (
        "Hello Nina Patel,\n\nYour roles in GenAI Governance have changed.\nRemoved: Requester.\n\n"
        "If you did not expect this, tell your security team."
    )


def test_no_role_change_mail_without_an_address(nina):
    nina.email = ""
    nina.save(update_fields=["email"])
    mail.outbox.clear()
    assert notify_role_change(nina.pk, [Role.REQUESTER], []) is False
    assert mail.outbox == []


def test_a_role_request_asks_the_sitting_approvers_other_than_the_grantee_and_the_asker(
    nina, asker, cio, ciso
):
    grant = grant_for(nina, cio, note="Covers the CISO during leave.")
    assert notify_role_request(grant.pk) == 2  # the CISO, and the grantee
    (to_approvers,) = [m for m in mail.outbox if m.to != ["nina@example.com"]]
    assert to_approvers.to == [
        ciso.email
    ]  # the asker is a CIO, but is not asked to confirm their own request
    assert to_approvers.subject == "Confirm or decline: CISO role for Nina Patel"
    assert to_approvers.body == (
        f"{cio} asked for Nina Patel (nina) to receive the CISO role.\n"
        "Their e-mail address: nina@example.com\n"
        "Their note: Covers the CISO during leave.\n\n"
        "It takes effect only when a sitting CIO or CISO confirms it, before 5 Mar 2026.\n\n"
        f"Confirm or decline it: {settings.SITE_URL}/people/role-requests/"
    )


def test_a_role_request_tells_the_grantee_it_was_asked(nina, asker, cio, ciso):
    grant = grant_for(nina, asker)
    notify_role_request(grant.pk)
    (to_grantee,) = sent_to("nina@example.com")
    assert to_grantee.subject == "You have been proposed for the CISO role"
    assert to_grantee.body == (
        "Hello Nina Patel,\n\nOmar Haddad asked for you to receive the CISO role in GenAI Governance. It takes "
        "effect when a sitting CIO or CISO confirms it.\n\nIf you did not expect this, tell your security team."
    )
    (to_approvers,) = [m for m in mail.outbox if m is not to_grantee]
    assert sorted(to_approvers.to) == sorted([cio.email, ciso.email])


def test_a_role_request_for_someone_without_an_address_says_so(nina, asker, cio):
    nina.email = ""
    nina.save(update_fields=["email"])
    grant = grant_for(nina, asker)
    assert notify_role_request(grant.pk) == 1
    (message,) = mail.outbox
    assert "\nTheir e-mail address: none\n\nIt takes effect" in message.body


def test_a_request_no_longer_pending_is_not_announced(nina, asker, cio):
    grant = grant_for(nina, asker, state=RoleGrantRequest.State.DECLINED)
    assert notify_role_request(grant.pk) == 0
    assert mail.outbox == []


def test_a_decided_role_request_is_sent_to_the_grantee_the_asker_and_the_approvers(nina, asker, cio, ciso):
    grant = grant_for(
        nina,
        asker,
        state=RoleGrantRequest.State.DECLINED,
        decided_by=ciso,
        decided_at=DECIDED,
        decision_note="Not during the audit.",
    )
    assert notify_role_request_decided(grant.pk) == 4
    (message,) = mail.outbox
    assert message.to == sorted(["nina@example.com", "omar@example.com", cio.email, ciso.email])
    assert message.subject == "CISO role for Nina Patel: declined"
    assert message.body == (
        f"The request for Nina Patel (nina) to receive the CISO role was declined by {ciso} on "
        "1 Mar 2026, 23:45 UTC.\n"
        "Note: Not during the audit.\n\n"
        "If you did not expect this, tell your security team."
    )


def test_a_request_cancelled_by_nobody_in_particular_names_no_one(nina, asker):
    grant = grant_for(nina, asker, state=RoleGrantRequest.State.CANCELLED, decided_at=DECIDED)
    notify_role_request_decided(grant.pk)
    (message,) = mail.outbox
    assert message.subject == "CISO role for Nina Patel: cancelled"
    assert message.body == (
        "The request for Nina Patel (nina) to receive the CISO role was cancelled on 1 Mar 2026, 23:45 UTC.\n\n"
        "If you did not expect this, tell your security team."
    )


def test_a_deactivated_person_is_told(nina):
    mail.outbox.clear()
    assert notify_access_ended(nina.pk) is True
    (message,) = mail.outbox
    assert message.to == ["nina@example.com"]
    assert message.subject == "Your GenAI Governance account has been deactivated"
    assert message.body == (
        "Hello Nina Patel,\n\nYour GenAI Governance account has been deactivated: you can no longer sign in, and "
        "your API tokens no longer work.\n\nIf you did not expect this, tell your security team."
    )


@pytest.mark.parametrize(
    ("purpose", "subject", "intro"),
    [
        (
            "invitation",
            "Your GenAI Governance account",
            "An account has been created for you in GenAI Governance. Your username is nina.",
        ),
        (
            "approver",
            "Choose your own GenAI Governance password",
            "You now hold an approver role in GenAI Governance. The password of nina had been chosen by someone "
            "else, so it no longer works: choose your own to sign in.",
        ),
        (
            "reset",
            "Set a new GenAI Governance password",
            "An administrator sent you a link to set a new password for nina.",
        ),
    ],
)
def test_a_password_link_says_why_it_was_sent(nina, purpose, subject, intro):
    mail.outbox.clear()
    assert send_password_link(nina.pk, purpose) is True
    (message,) = mail.outbox
    assert message.to == ["nina@example.com"]
    assert message.subject == subject
    body = re.sub(
        r"/accounts/password/reset/key/[^/\s]+/", "/accounts/password/reset/key/LINK/", message.body
    )
    assert body == (
        f"Hello Nina Patel,\n\n{intro}\n\n"
        f"Choose your password here (the link works once): {settings.SITE_URL}/accounts/password/reset/key/LINK/\n\n"
        "If you did not expect this, tell your security team."
    )


def test_no_password_link_for_a_deactivated_account(nina):
    nina.is_active = False
    nina.save(update_fields=["is_active"])
    mail.outbox.clear()
    assert send_password_link(nina.pk, "reset") is False
    assert mail.outbox == []


def test_a_task_for_a_row_that_is_gone_sends_nothing(cio, ciso):
    mail.outbox.clear()
    assert notify_role_change(999_999, [Role.REQUESTER], []) is False
    assert notify_role_request(999_999) == 0
    assert notify_role_request_decided(999_999) == 0
    assert notify_access_ended(999_999) is False
    assert send_password_link(999_999, "reset") is False
    assert mail.outbox == []
