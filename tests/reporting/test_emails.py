"""The e-mail that a board pack is ready: to the board secretaries, with its fingerprint."""

from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.core import mail

from accounts.roles import Role
from reporting.models import BoardPack
from reporting.tasks import notify_pack_ready
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def ready_pack():
    at = datetime(2026, 4, 1, 6, 0, tzinfo=UTC)
    return BoardPack.objects.create(
        quarter="2026-Q1", version=3, requested_at=at, cutoff=at, sha256="cd" * 32, page_count=1234
    )


def test_a_ready_pack_is_sent_to_the_board_secretaries_word_for_word(secretary, cio):
    other = UserFactory(username="sec2", roles=[Role.BOARD_SECRETARY])
    UserFactory(username="gone", is_active=False, roles=[Role.BOARD_SECRETARY])
    pack = ready_pack()
    mail.outbox.clear()
    assert notify_pack_ready(pack.pk) == 2
    (message,) = mail.outbox
    assert message.to == sorted([secretary.email, other.email])
    assert message.subject == "Board pack 2026-Q1 is ready"
    assert message.body == (
        "The board pack for 2026-Q1 (version 3, 1234 pages) is ready.\n"
        f"SHA-256: {'cd' * 32}\n\nDownload it: {settings.SITE_URL}/board-packs/"
    )


def test_no_pack_mail_without_a_board_secretary(cio):
    pack = ready_pack()
    mail.outbox.clear()
    assert notify_pack_ready(pack.pk) == 0
    assert mail.outbox == []


def test_a_task_for_a_pack_that_is_gone_sends_nothing(secretary):
    mail.outbox.clear()
    assert notify_pack_ready(999_999) == 0
    assert mail.outbox == []
