"""The outbox's writes: record work in the caller's transaction, publish it after commit, claim and finish it in the
worker, and sweep what is left.

- `enqueue(task, *args)` writes the intent with the change that asks for it; nothing is lost if the request, the
  broker or the worker dies afterwards.
- After commit it is published at once with a short broker timeout and no retries: a request never waits on a dead
  broker (it answers in a moment; the work waits in the table).
- `outbox_sweep` (every minute, from beat) publishes whatever was never sent, or was sent but never started, or was
  started by a worker that died; each message carries the task id `outbox-<id>`, and a worker runs it only if it can
  claim the row (`OutboxTask`), so a message published twice is done once.
"""

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from outbox.models import OutboxMessage

logger = logging.getLogger(__name__)

TASK_ID_PREFIX = "outbox-"


def task_id_for(message_id: int) -> str:
    return f"{TASK_ID_PREFIX}{message_id}"


def message_id_from(task_id: str | None) -> int | None:
    if not task_id or not task_id.startswith(TASK_ID_PREFIX):
        return None
    tail = task_id[len(TASK_ID_PREFIX) :]
    return int(tail) if tail.isdigit() else None


def enqueue(task: Any, *args: Any, **kwargs: Any) -> OutboxMessage:
    """Record ``task(*args, **kwargs)`` in the current transaction; publish it once the transaction commits."""
    message = OutboxMessage.objects.create(
        task=getattr(task, "name", task), args=list(args), kwargs=dict(kwargs), created_at=timezone.now()
    )
    transaction.on_commit(lambda: publish(message.pk))
    return message


def publish(message_id: int) -> bool:
    """Hand one message to the broker (or run it in-process when there is none). False when it was not published;
    the message stays in the table for the sweep."""
    return _publish(message_id) == SENT


SENT, BROKER_DOWN, REFUSED = "sent", "broker_down", "refused"


def _publish(message_id: int) -> str:
    from kombu.exceptions import OperationalError

    from config.celery import app

    message = OutboxMessage.objects.filter(pk=message_id).undone().first()
    if message is None:
        return REFUSED
    task = app.tasks.get(message.task)
    if task is None:
        # This code does not know the task (a message written by another release): it can never be sent from here.
        OutboxMessage.objects.filter(pk=message.pk).update(
            gave_up_at=timezone.now(), last_error=f"unknown task {message.task}"[:500]
        )
        logger.error("Outbox message %s names an unknown task %s: given up", message.pk, message.task)
        return REFUSED
    try:
        task.apply_async(
            args=message.args,
            kwargs=message.kwargs,
            task_id=task_id_for(message.pk),
            retry=False,
            ignore_result=True,
        )
    except (OperationalError, ConnectionError, OSError, TimeoutError) as exc:
        # The broker is unreachable: not the message's fault, so it costs the message nothing; the sweep tries again.
        logger.warning("Outbox message %s (%s) not published: %s", message.pk, message.task, exc)
        OutboxMessage.objects.filter(pk=message.pk).update(
            last_error=f"{exc.__class__.__name__}: {exc}"[:500]
        )
        return BROKER_DOWN
    except Exception as exc:  # the message itself cannot be sent (say, arguments that do not serialise)
        logger.error("Outbox message %s (%s) refused: %s", message.pk, message.task, exc)
        _record_error(message.pk, f"{exc.__class__.__name__}: {exc}")
        return REFUSED
    if not app.conf.task_always_eager:
        OutboxMessage.objects.filter(pk=message.pk).update(
            sent_at=timezone.now(), publish_attempts=F("publish_attempts") + 1, last_error=""
        )
    return SENT


def _record_error(message_id: int, error: str) -> None:
    OutboxMessage.objects.filter(pk=message_id).update(
        publish_attempts=F("publish_attempts") + 1, last_error=error[:500]
    )


def claim(message_id: int) -> bool:
    """A worker takes the message: True once for each message, unless an earlier claim's lease ran out (its worker
    died) or it was released after a failure."""
    now = timezone.now()
    lease = timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    return bool(
        OutboxMessage.objects.filter(pk=message_id, done_at__isnull=True)
        .filter(Q(started_at__isnull=True) | Q(started_at__lt=now - lease))
        .update(started_at=now)
    )


def finish(message_id: int) -> None:
    OutboxMessage.objects.filter(pk=message_id).update(done_at=timezone.now())


def release(message_id: int) -> None:
    """The task failed (or will retry): another delivery may claim it."""
    OutboxMessage.objects.filter(pk=message_id, done_at__isnull=True).update(started_at=None)


def outbox_sweep(*, now=None, batch: int = 500) -> int:
    """Publish what is still waiting: never sent; sent but not started for a while (lost with a broker); started by
    a worker whose lease ran out (it died). Returns how many were published."""
    now = now or timezone.now()
    settle = timedelta(seconds=settings.OUTBOX_SETTLE_SECONDS)
    unstarted = timedelta(seconds=settings.OUTBOX_REDELIVER_SECONDS)
    lease = timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    waiting = (
        OutboxMessage.objects.undone()
        .filter(
            Q(sent_at__isnull=True, created_at__lt=now - settle)
            | Q(sent_at__lt=now - unstarted, started_at__isnull=True)
            | Q(started_at__lt=now - lease)
        )
        .order_by("created_at")
        .values_list("pk", "publish_attempts")[:batch]
    )
    published = 0
    for message_id, attempts in waiting:
        if attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            # Published this many times and never done (or refused as often): something is wrong with the message
            # itself. A broker outage costs nothing here, however long it lasts.
            OutboxMessage.objects.filter(pk=message_id).update(gave_up_at=now)
            logger.error("Outbox message %s given up after %s attempts", message_id, attempts)
            continue
        outcome = _publish(message_id)
        if outcome == SENT:
            published += 1
        elif outcome == BROKER_DOWN:
            break  # try again at the next sweep
    return published


def outbox_backlog() -> dict[str, Any]:
    """For /healthz: how much work waits, and since when."""
    waiting = OutboxMessage.objects.undone().filter(started_at__isnull=True)
    oldest = waiting.order_by("created_at").values_list("created_at", flat=True).first()
    return {
        "waiting": waiting.count(),
        "oldest_seconds": int((timezone.now() - oldest).total_seconds()) if oldest else 0,
    }
