"""Writes to the audit chain and about it. Every other app records its events through audit_record, in its own
transaction; checkpoints of the chain's head and verification runs are written here too."""

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from audit.chain import GENESIS, GENESIS_HASH, checkpoint_problem, event_hash, normalise_payload, result_seal
from audit.checkpoints import checkpoint_latest, checkpoint_name, checkpoint_save
from audit.keys import chain_keys
from audit.models import AuditEvent, AuditVerification
from audit.selectors import (
    STALE_AFTER,
    audit_chain_check,
    audit_chain_head,
    audit_hash_at,
    audit_verification_anchor,
    audit_verification_latest,
)
from audit.tasks import notify_audit_alarm, notify_audit_checkpoint, verify_audit_chain
from config.errors import DomainError
from outbox.services import enqueue

logger = logging.getLogger(__name__)

# Arbitrary, fixed keys for the PostgreSQL advisory locks that serialise appends to the chain, and requests for a
# verification run (so two people asking at once get one run).
_CHAIN_LOCK_KEY = 7_310_526_001
_VERIFY_REQUEST_LOCK_KEY = 7_310_526_002


class AuditCheckpointRefused(DomainError):
    """The chain no longer reaches or matches the last checkpoint, so a new one would hide that: nothing is written."""


def _lock(key: int = _CHAIN_LOCK_KEY) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
    # SQLite allows one writer at a time, so a write there is serialised by the database itself.


def _object_ref(obj: Any) -> tuple[str, str]:
    if obj is None:
        return "", ""
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}", str(obj.pk)


@dataclass
class _Batch:
    """Events recorded inside ``audit_batch`` at its own savepoint level, waiting to be appended together."""

    savepoints: tuple[str, ...]
    pending: list[AuditEvent] = field(default_factory=list)


def _savepoints() -> tuple[str, ...]:
    return tuple(sid for sid in connection.savepoint_ids if sid)


@contextmanager
def audit_batch() -> Iterator[None]:
    """Append every event recorded inside to the chain at the end, with one lock, one read of the head and one insert.

    Open it inside the transaction of one action (``with transaction.atomic(), audit_batch():``): the events reach
    the chain in the order they were recorded, before the transaction commits; when the block raises, none of them
    is written (the transaction rolls back the change they record). An event recorded in a savepoint opened inside
    the block is appended at once instead, because that savepoint may roll back on its own. A batch inside a batch
    joins the outer one.
    """
    if getattr(connection, "audit_batch", None) is not None:
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("audit_batch() belongs inside the transaction of the action it records.")
    batch = _Batch(savepoints=_savepoints())
    connection.audit_batch = batch
    try:
        yield
    except BaseException:
        batch.pending.clear()
        raise
    finally:
        connection.audit_batch = None
    _append(batch.pending)


def _append(new_events: list[AuditEvent]) -> None:
    """Chain ``new_events`` (their fields set, sequence and hashes not) after the head and insert them at once."""
    if not new_events:
        return
    keys = chain_keys()
    # No savepoint of its own: an append that fails must fail the change it records (the chain may not miss an event
    # whose change committed), so there is nothing to roll back to.
    with transaction.atomic(savepoint=False):
        _lock()
        last = AuditEvent.objects.order_by("-sequence").values("sequence", "hash").first()
        sequence = last["sequence"] if last else 0
        prev_hash = last["hash"] if last else GENESIS_HASH
        for event in new_events:
            sequence += 1
            event.sequence, event.prev_hash, event.key_id = sequence, prev_hash, keys.current_id
            event.hash = event_hash(
                key=keys.current,
                sequence=sequence,
                occurred_at=event.occurred_at,
                actor_id=event.actor_id,
                actor_username=event.actor_username,
                action=event.action,
                object_type=event.object_type,
                object_id=event.object_id,
                payload=event.payload,
                prev_hash=prev_hash,
            )
            prev_hash = event.hash
        AuditEvent.objects.bulk_create(new_events)


def audit_record(
    *,
    actor: Any | None,
    action: str,
    obj: Any | None = None,
    object_type: str = "",
    object_id: str | int = "",
    payload: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain inside the caller's transaction (or a new one), after every earlier event.

    Inside ``audit_batch`` the event waits for the end of the batch, which appends all of its events at once.
    """
    if obj is not None:
        object_type, object_id = _object_ref(obj)
    actor_obj = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor_id=actor_obj.pk if actor_obj else None,
        actor_username=actor_obj.get_username() if actor_obj else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        payload=normalise_payload(payload),
    )
    batch = getattr(connection, "audit_batch", None)
    if batch is not None and connection.in_atomic_block and _savepoints() == batch.savepoints:
        batch.pending.append(event)
    else:
        _append([event])
    return event


def audit_checkpoint_write(*, reason: str) -> dict[str, Any]:
    """Copy the chain's head (sequence, hash, key id, time) outside the database and e-mail it to the CIO and CISO.

    Called daily by beat and whenever a board pack is produced. The new checkpoint must extend the previous one: when
    the chain no longer reaches or matches it (truncated, tail deleted, rewritten), nothing is written, the CIO and
    the CISO are alerted, and AuditCheckpointRefused is raised, so the last good checkpoint stays the latest.
    Returns the checkpoint written, with its storage name under "name".
    """
    previous = checkpoint_latest()
    head = audit_chain_head()
    if previous is not None:
        problem = checkpoint_problem(
            checkpoint=previous,
            head_sequence=head["sequence"],
            hash_there=audit_hash_at(previous["sequence"]),
        )
        if problem:
            logger.error("Audit checkpoint refused: %s", problem)
            enqueue(notify_audit_alarm, f"No new audit checkpoint was written: {problem}.")
            raise AuditCheckpointRefused(f"The audit chain does not extend the last checkpoint: {problem}.")
    written_at = timezone.now()
    document = {
        "sequence": head["sequence"],
        "hash": head["hash"],
        "key_id": head["key_id"],
        "event_at": head["occurred_at"],
        "written_at": written_at.isoformat(),
        "reason": reason,
        "previous": previous["name"] if previous else "",
    }
    name = checkpoint_save(checkpoint_name(written_at=written_at, sequence=head["sequence"]), document)
    enqueue(notify_audit_checkpoint, name)
    return {**document, "name": name}


def audit_verification_request(*, actor: Any | None, kind: str) -> AuditVerification:
    """Queue a verification of the chain for the worker; one already waiting or running of that kind is reused."""
    kind = AuditVerification.Kind(kind)
    with transaction.atomic():
        _lock(_VERIFY_REQUEST_LOCK_KEY)
        waiting = (
            AuditVerification.objects.unfinished()
            .filter(kind=kind, requested_at__gte=timezone.now() - STALE_AFTER)
            .newest_first()
            .first()
        )
        if waiting is not None:
            return waiting
        run = AuditVerification.objects.create(
            kind=kind, requested_by=actor if getattr(actor, "is_authenticated", False) else None
        )
        enqueue(verify_audit_chain, run_id=run.pk)
    return run


def audit_verification_run(
    *, run_id: int | None = None, kind: str = AuditVerification.Kind.FULL
) -> AuditVerification:
    """Run a queued verification (or a new one of ``kind``) to its end and record the outcome.

    Incremental runs start from the last successful run's sealed anchor and check only newer events; full runs walk
    the whole chain. Both then compare the chain with the latest checkpoint. A run that finds the chain broken after a
    run that found it intact alerts the CIO and the CISO.
    """
    now = timezone.now()
    if run_id is None:
        run_id = AuditVerification.objects.create(kind=AuditVerification.Kind(kind)).pk
    queued_or_abandoned = Q(status=AuditVerification.Status.QUEUED) | Q(
        status=AuditVerification.Status.RUNNING, started_at__lt=now - STALE_AFTER
    )
    claimable = AuditVerification.objects.filter(queued_or_abandoned, pk=run_id)
    if not claimable.update(status=AuditVerification.Status.RUNNING, started_at=now):
        return AuditVerification.objects.get(pk=run_id)  # already run, or running elsewhere
    run = AuditVerification.objects.get(pk=run_id)
    previous = audit_verification_latest()  # the last finished run (this one is still running)
    try:
        start = (
            audit_verification_anchor(previous) if run.kind == AuditVerification.Kind.INCREMENTAL else GENESIS
        )
        checkpoint = checkpoint_latest()
        report = audit_chain_check(start=start, checkpoint=checkpoint)
    except Exception as exc:
        AuditVerification.objects.filter(pk=run_id).update(
            status=AuditVerification.Status.FAILED,
            finished_at=timezone.now(),
            reason=f"{exc.__class__.__name__}: {exc}",
        )
        raise
    head = report.head
    finished_at = timezone.now()
    seal = result_seal(
        chain_keys().current,
        run_id=run_id,
        status=AuditVerification.Status.DONE,
        ok=report.ok,
        broken_at=report.broken_at,
        reason=report.reason,
        position=head,
        finished_at=finished_at,
    )
    AuditVerification.objects.filter(pk=run_id).update(
        status=AuditVerification.Status.DONE,
        finished_at=finished_at,
        from_sequence=start.sequence,
        to_sequence=head.sequence,
        to_hash=head.hash,
        to_keyed=head.keyed,
        seal=seal,
        checked=report.checked,
        ok=report.ok,
        broken_at=report.broken_at,
        reason=report.reason,
        checkpoint_name=checkpoint["name"] if checkpoint else "",
        checkpoint_sequence=checkpoint["sequence"] if checkpoint else None,
    )
    if not report.ok:
        logger.error("Audit chain broken at event #%s: %s", report.broken_at, report.reason)
        # Every failed run alarms, unless the last sealed run already reported this very break in the last day (a row
        # written into the database carries no seal, so it cannot silence the alarm).
        already_told = (
            previous is not None
            and previous.ok is False
            and (previous.broken_at, previous.reason) == (report.broken_at, report.reason)
            and previous.finished_at > finished_at - timedelta(days=1)
        )
        if not already_told:
            where = f" at event #{report.broken_at}" if report.broken_at else ""
            enqueue(notify_audit_alarm, f"The audit chain failed verification{where}: {report.reason}.")
    return AuditVerification.objects.get(pk=run_id)
