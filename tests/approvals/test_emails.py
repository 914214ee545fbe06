"""The e-mail about each decision: to the requester, with the decision, the reason and the outcome so far."""

import pytest
from django.conf import settings
from django.core import mail

from approvals.services import decision_record
from approvals.tasks import notify_decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(make_use_case, boundary):
    return make_use_case(title="Customer  service <bot>", submit=True)


def test_a_decision_is_sent_to_the_requester_word_for_word(submitted, cio, requester):
    decision = decision_record(
        actor=cio, use_case=submitted, decision="reject", rationale="Data leaves the EU & more."
    )
    mail.outbox.clear()
    assert notify_decision(decision.pk, "rejected") is True
    (message,) = mail.outbox
    assert message.to == [requester.email]
    assert message.subject == f"{submitted.reference} Customer service <bot>: reject by the CIO"
    assert message.body == (
        f"Hello {requester},\n\n"
        f"The CIO decided on {submitted.reference} (revision 1): reject.\n\n"
        "Why: Data leaves the EU & more.\n\n"
        "It is rejected.\n\n"
        f"See it: {settings.SITE_URL}/requests/{submitted.reference}/"
    )


@pytest.mark.parametrize(
    ("outcome", "last_words"),
    [
        ("approved", "It is approved."),
        ("changes_requested", "Changes are requested: edit it and resubmit."),
        ("waiting", "The other decision is still to come."),
        ("withdrawn", "The other decision is still to come."),
    ],
)
def test_a_decision_without_a_reason_ends_with_the_outcome(submitted, ciso, requester, outcome, last_words):
    decision = decision_record(actor=ciso, use_case=submitted, decision="approve")
    mail.outbox.clear()
    notify_decision(decision.pk, outcome)
    (message,) = mail.outbox
    assert message.subject == f"{submitted.reference} Customer service <bot>: approve by the CISO"
    assert message.body == (
        f"Hello {requester},\n\nThe CISO decided on {submitted.reference} (revision 1): approve.\n\n{last_words}\n\n"
        f"See it: {settings.SITE_URL}/requests/{submitted.reference}/"
    )


def test_no_decision_mail_to_a_requester_without_an_address(submitted, cio, requester):
    requester.email = ""
    requester.save(update_fields=["email"])
    decision = decision_record(actor=cio, use_case=submitted, decision="approve")
    mail.outbox.clear()
    assert notify_decision(decision.pk, "waiting") is False
    assert mail.outbox == []


def test_a_task_for_a_decision_that_is_gone_sends_nothing(requester):
    mail.outbox.clear()
    assert notify_decision(999_999, "approved") is False
    assert mail.outbox == []
