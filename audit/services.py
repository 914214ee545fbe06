"""Writes to the audit chain. Every other app records its events through audit_record, in its own transaction."""

from collections.abc import Mapping
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from audit.chain import GENESIS_HASH, event_hash, normalise_payload
from audit.models import AuditEvent

# Arbitrary, fixed key for the PostgreSQL advisory lock that serialises appends to the chain.
_CHAIN_LOCK_KEY = 7_310_526_001


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    # SQLite allows one writer at a time, so an append there is serialised by the database itself.


def _object_ref(obj: Any) -> tuple[str, str]:
    if obj is None:
        return "", ""
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}", str(obj.pk)


def audit_record(
    *,
    actor: Any | None,
    action: str,
    obj: Any | None = None,
    object_type: str = "",
    object_id: str | int = "",
    payload: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain inside the caller's transaction (or a new one), after every earlier event."""
    if obj is not None:
        object_type, object_id = _object_ref(obj)
    actor_obj = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    clean_payload = normalise_payload(payload)
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-sequence").values("sequence", "hash").first()
        sequence = (last["sequence"] if last else 0) + 1
        prev_hash = last["hash"] if last else GENESIS_HASH
        occurred_at = timezone.now()
        fields = {
            "sequence": sequence,
            "occurred_at": occurred_at,
            "actor_id": actor_obj.pk if actor_obj else None,
            "actor_username": actor_obj.get_username() if actor_obj else "",
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id),
            "payload": clean_payload,
            "prev_hash": prev_hash,
        }
        return AuditEvent.objects.create(**fields, hash=event_hash(**fields))
