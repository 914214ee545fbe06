"""The hash chain itself, as pure functions: canonical JSON, an event's hash, and verification of a sequence."""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    """Sorted keys, no insignificant whitespace, UTF-8 kept: the same data always gives the same text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def normalise_payload(payload: Mapping[str, Any] | None) -> dict[str, Any]:
    """Round-trip through JSON so what is hashed is exactly what the database will hand back."""
    return json.loads(canonical_json(dict(payload))) if payload else {}


def timestamp_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(
    *,
    sequence: int,
    occurred_at: datetime,
    actor_id: int | None,
    actor_username: str,
    action: str,
    object_type: str,
    object_id: str,
    payload: Mapping[str, Any],
    prev_hash: str,
) -> str:
    body = {
        "sequence": sequence,
        "occurred_at": timestamp_text(occurred_at),
        "actor_id": actor_id,
        "actor_username": actor_username,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "payload": payload,
        "prev_hash": prev_hash,
    }
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_at: int | None = None  # the sequence number of the first bad link
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "checked": self.checked, "broken_at": self.broken_at, "reason": self.reason}


def verify_events(events: Iterable[Any]) -> ChainReport:
    """Walk events in sequence order; name the first link that is out of place, altered or unlinked."""
    expected_prev = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    for event in events:
        if event.sequence != expected_sequence:
            return ChainReport(
                False,
                checked,
                event.sequence,
                f"expected event #{expected_sequence} here but found #{event.sequence} (an event is missing)",
            )
        if event.prev_hash != expected_prev:
            return ChainReport(
                False, checked, event.sequence, "its previous-hash does not match the event before it"
            )
        recomputed = event_hash(
            sequence=event.sequence,
            occurred_at=event.occurred_at,
            actor_id=event.actor_id,
            actor_username=event.actor_username,
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            payload=event.payload,
            prev_hash=event.prev_hash,
        )
        if recomputed != event.hash:
            return ChainReport(
                False, checked, event.sequence, "its content does not match its hash (altered)"
            )
        expected_prev = event.hash
        expected_sequence += 1
        checked += 1
    return ChainReport(True, checked)
