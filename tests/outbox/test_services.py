"""The outbox: work is recorded with the change that asks for it, published after commit without ever waiting on a
dead broker, swept until a worker has done it, and done once however often it was published."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from accounts.tasks import notify_access_ended
from config.celery import app
from outbox import services
from outbox.models import OutboxMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOTHING_LISTENS = "redis://127.0.0.1:1/0"


@pytest.fixture
def dead_broker(monkeypatch):
    """Publishing goes to a broker that refuses connections (and is never run in-process)."""
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    real = app.connection_for_write  # with the settings' transport options (timeouts, retries)
    monkeypatch.setattr(app, "connection_for_write", lambda *a, **k: real(NOTHING_LISTENS))
    app._pool, app.amqp._producer_pool = None, None
    yield
    app.conf.task_always_eager = eager
    app._pool, app.amqp._producer_pool = None, None


def test_enqueued_work_is_published_only_after_commit(django_capture_on_commit_callbacks):
    person = UserFactory(email="p@example.com")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = services.enqueue(notify_access_ended, person.pk)
    assert OutboxMessage.objects.filter(pk=message.pk, done_at__isnull=True).exists()
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.done_at is not None and message.started_at is not None


def test_work_of_a_rolled_back_change_is_never_recorded_nor_done(django_capture_on_commit_callbacks):
    person = UserFactory(email="p@example.com")
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.enqueue(notify_access_ended, person.pk)
        raise RuntimeError("the change fails")
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


def test_a_message_published_twice_is_done_once():
    person = UserFactory(email="p@example.com")
    message = OutboxMessage.objects.create(
        task=notify_access_ended.name, args=[person.pk], created_at=timezone.now()
    )
    for _ in range(3):
        notify_access_ended.apply(args=[person.pk], task_id=services.task_id_for(message.pk))
    assert len(mail.outbox) == 1


def test_a_task_that_fails_releases_its_claim_for_a_later_delivery(monkeypatch):
    person = UserFactory(email="p@example.com")
    message = OutboxMessage.objects.create(
        task=notify_access_ended.name, args=[person.pk], created_at=timezone.now()
    )
    from config import mail as mailer

    def broken(*args, **kwargs):
        raise ValueError("smtp says no")

    monkeypatch.setattr(mailer, "send_mail", broken)
    with pytest.raises(ValueError, match="smtp says no"):
        notify_access_ended.apply(args=[person.pk], task_id=services.task_id_for(message.pk))
    message.refresh_from_db()
    assert message.started_at is None and message.done_at is None
    monkeypatch.undo()
    notify_access_ended.apply(args=[person.pk], task_id=services.task_id_for(message.pk))
    assert len(mail.outbox) == 1


def test_a_claim_whose_worker_died_can_be_taken_after_the_lease(settings):
    settings.OUTBOX_LEASE_SECONDS = 60
    message = OutboxMessage.objects.create(task="x", created_at=timezone.now())
    assert services.claim(message.pk) is True
    assert services.claim(message.pk) is False  # a live worker has it
    OutboxMessage.objects.filter(pk=message.pk).update(started_at=timezone.now() - timedelta(seconds=61))
    assert services.claim(message.pk) is True
    services.finish(message.pk)
    OutboxMessage.objects.filter(pk=message.pk).update(started_at=timezone.now() - timedelta(days=1))
    assert services.claim(message.pk) is False  # done is done


def test_publishing_to_a_dead_broker_fails_fast_and_keeps_the_message(dead_broker):
    import time

    message = OutboxMessage.objects.create(task=notify_access_ended.name, args=[1], created_at=timezone.now())
    started = time.monotonic()
    assert services.publish(message.pk) is False
    assert time.monotonic() - started < 1.5
    message.refresh_from_db()
    # A dead broker is not the message's fault: it costs the message none of its attempts.
    assert message.sent_at is None and message.publish_attempts == 0 and "111" in message.last_error


def test_the_sweep_publishes_what_waits_and_stops_at_a_dead_broker(dead_broker, settings):
    settings.OUTBOX_SETTLE_SECONDS = 10
    old = timezone.now() - timedelta(seconds=30)
    first = OutboxMessage.objects.create(task=notify_access_ended.name, args=[1], created_at=old)
    second = OutboxMessage.objects.create(task=notify_access_ended.name, args=[2], created_at=old)
    fresh = OutboxMessage.objects.create(task=notify_access_ended.name, args=[3], created_at=timezone.now())
    assert services.outbox_sweep() == 0
    first.refresh_from_db(), second.refresh_from_db(), fresh.refresh_from_db()
    assert "111" in first.last_error  # tried
    assert second.last_error == ""  # not tried: the broker is still down
    assert fresh.last_error == ""  # its own commit publishes it


def test_an_outage_of_any_length_gives_nothing_up(dead_broker, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    message = OutboxMessage.objects.create(
        task=notify_access_ended.name, args=[1], created_at=timezone.now() - timedelta(hours=1)
    )
    for _ in range(10):  # ten sweeps, a minute apart, all while the broker is down
        services.outbox_sweep()
    message.refresh_from_db()
    assert message.gave_up_at is None and message.publish_attempts == 0


def test_the_sweep_runs_what_waits_once_the_broker_is_back(settings):
    person = UserFactory(email="p@example.com")
    old = timezone.now() - timedelta(minutes=5)
    waiting = OutboxMessage.objects.create(task=notify_access_ended.name, args=[person.pk], created_at=old)
    lost = OutboxMessage.objects.create(
        task=notify_access_ended.name, args=[person.pk], created_at=old, sent_at=old - timedelta(hours=1)
    )
    done = OutboxMessage.objects.create(
        task=notify_access_ended.name, args=[person.pk], created_at=old, sent_at=old, done_at=old
    )
    assert services.outbox_sweep() == 2
    assert len(mail.outbox) == 2
    assert services.outbox_sweep() == 0  # nothing twice
    for message in (waiting, lost, done):
        message.refresh_from_db()
        assert message.done_at is not None


def test_the_sweep_gives_up_on_a_message_after_many_attempts(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    message = OutboxMessage.objects.create(
        task="no.such.task", created_at=timezone.now() - timedelta(minutes=5), publish_attempts=3
    )
    services.outbox_sweep()
    message.refresh_from_db()
    assert message.gave_up_at is not None


def test_an_unknown_task_is_given_up_at_once_and_holds_up_nothing_behind_it():
    person = UserFactory(email="p@example.com")
    old = timezone.now() - timedelta(minutes=5)
    unknown = OutboxMessage.objects.create(task="no.such.task", created_at=old)
    behind = OutboxMessage.objects.create(task=notify_access_ended.name, args=[person.pk], created_at=old)
    assert services.outbox_sweep() == 1
    unknown.refresh_from_db(), behind.refresh_from_db()
    assert unknown.gave_up_at is not None and "unknown task" in unknown.last_error
    assert behind.done_at is not None and len(mail.outbox) == 1


def test_healthz_reports_the_work_waiting(client):
    OutboxMessage.objects.create(task="x", created_at=timezone.now() - timedelta(seconds=90))
    body = client.get("/healthz").json()
    assert body["checks"]["outbox"]["waiting"] == 1
    assert body["checks"]["outbox"]["oldest_seconds"] >= 90


def test_task_ids_round_trip():
    assert services.message_id_from(services.task_id_for(42)) == 42
    assert services.message_id_from("d2a1c9e0-uuid") is None
    assert services.message_id_from("outbox-x") is None
    assert services.message_id_from(None) is None
