"""The e-mails about use cases: a submission and a re-review falling due, to the sitting CIO and CISO."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail

from accounts.roles import Role
from intake.models import UseCase
from intake.tasks import notify_re_review_due, notify_reviewers_of_submission
from intake.vocabulary import Band, Tier
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewers(cio, ciso):
    root = UserFactory(username="root", is_staff=True)  # an administrator is never asked, whatever its groups
    root.groups.add(Group.objects.get_or_create(name=Role.CISO)[0])
    UserFactory(username="quiet", email="", roles=[Role.CIO])
    return sorted([cio.email, ciso.email])


def test_a_submission_is_sent_to_the_reviewers_word_for_word(make_use_case, reviewers):
    use_case = make_use_case(title="Customer  service & <support> bot", submit=True)
    mail.outbox.clear()
    assert notify_reviewers_of_submission(use_case.pk, 1) == 2
    (message,) = mail.outbox
    assert message.to == reviewers
    assert (
        message.subject
        == f"{use_case.reference} submitted for your decision: Customer service & <support> bot"
    )
    assert message.body == (
        f"{use_case.reference} (revision 1) from Customer Service is waiting for the CIO and CISO decisions.\n\n"
        f"Title: Customer  service & <support> bot\nEU AI Act tier: {Tier(use_case.tier).label}; "
        f"risk band: {Band(use_case.band).label}.\n\n"
        f"Review it: {settings.SITE_URL}/decisions/review/{use_case.reference}/"
    )


def test_a_submission_without_an_assessment_says_not_applicable(make_use_case, reviewers):
    use_case = make_use_case(submit=True)
    UseCase.objects.filter(pk=use_case.pk).update(tier="", band="")
    mail.outbox.clear()
    notify_reviewers_of_submission(use_case.pk, 2)
    assert "(revision 2)" in mail.outbox[0].body
    assert "EU AI Act tier: n/a; risk band: n/a.\n" in mail.outbox[0].body


def test_a_due_re_review_is_sent_to_the_reviewers_with_its_reason(make_use_case, reviewers):
    use_case = make_use_case(title="Customer\tservice  bot")
    UseCase.objects.filter(pk=use_case.pk).update(
        status_reason="The approval of 2025 expired on 26 Nov 2026."
    )
    mail.outbox.clear()
    assert notify_re_review_due(use_case.pk) == 2
    (message,) = mail.outbox
    assert message.to == reviewers
    assert message.subject == f"{use_case.reference} is due for re-review"
    assert message.body == (
        f"{use_case.reference} (Customer service bot) needs both decisions again. The approval of 2025 expired on "
        f"26 Nov 2026.\n\nReview it: {settings.SITE_URL}/decisions/review/{use_case.reference}/"
    )


def test_nothing_is_sent_when_no_one_can_review(make_use_case):
    use_case = make_use_case(submit=True)
    mail.outbox.clear()
    assert notify_reviewers_of_submission(use_case.pk, 1) == 0
    assert notify_re_review_due(use_case.pk) == 0
    assert mail.outbox == []


def test_a_task_for_a_use_case_that_is_gone_sends_nothing(reviewers):
    mail.outbox.clear()
    assert notify_reviewers_of_submission(999_999, 1) == 0
    assert notify_re_review_due(999_999) == 0
    assert mail.outbox == []
