"""Reads of the audit chain: lists for people who may see it, object timelines, whole-chain verification, checkpoints."""

from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from audit.chain import ChainReport, verify_events
from audit.models import AuditEvent
from audit.policies import can_view_audit


def audit_events_for(user: Any) -> QuerySet[AuditEvent]:
    if not can_view_audit(user):
        return AuditEvent.objects.none()
    return AuditEvent.objects.select_related("actor").order_by("-sequence")


def audit_timeline(*, object_type: str, object_id: str | int) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.for_object(object_type, str(object_id)).select_related("actor").in_chain_order()


def audit_chain_verify(*, batch_size: int = 2000) -> ChainReport:
    """Stream the whole chain in sequence order (never pruned, so it is read in batches)."""
    events = (
        AuditEvent.objects.in_chain_order()
        .only(*AuditEvent.CHAINED_FIELDS, "hash")
        .iterator(chunk_size=batch_size)
    )
    return verify_events(events)


def audit_head_at(cutoff: datetime) -> dict[str, Any] | None:
    """The last event before ``cutoff`` ({"sequence", "hash", "occurred_at"}): a checkpoint to keep outside the database.

    Each event's hash covers every event before it, so a copy of this pair (printed in each board pack) later shows
    whether the trail up to it was changed, shortened or replaced, which the chain alone cannot show for its newest
    events.
    """
    return (
        AuditEvent.objects.filter(occurred_at__lt=cutoff)
        .order_by("-occurred_at", "-sequence")
        .values("sequence", "hash", "occurred_at")
        .first()
    )
