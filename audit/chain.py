"""The keyed hash chain itself, as pure functions: canonical JSON, an event's hash, verification of a run of events,
and the comparison of the chain with a checkpoint kept outside the database.

Each event's hash is an HMAC-SHA256, keyed by a secret that lives outside the database (``AUDIT_CHAIN_KEY``), over the
canonical JSON of its fields and the previous event's hash. Whoever can write to the database but does not hold the key
cannot forge an event or re-hash the events after an edited one. Each event names its key by a short id (never the key);
older keys stay listed as fallbacks after a rotation so that the events they signed keep verifying.

Events written before the chain was keyed carry a plain SHA-256 and no key id ("legacy"). They verify only while no
keyed event precedes them: once the chain is keyed, an unkeyed event is a forgery.
"""

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64
KEY_ID_LENGTH = 16


def canonical_json(value: Any) -> str:
    """Sorted keys, no insignificant whitespace, UTF-8 kept: the same data always gives the same text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def normalise_payload(payload: Mapping[str, Any] | None) -> dict[str, Any]:
    """Round-trip through JSON so what is hashed is exactly what the database will hand back."""
    return json.loads(canonical_json(dict(payload))) if payload else {}


def timestamp_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def key_id(key: str) -> str:
    """The name an event records for the key that signed it: the start of the key's SHA-256, never the key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:KEY_ID_LENGTH]


@dataclass(frozen=True)
class ChainKeys:
    """The key new events are signed with, and the earlier keys events written before a rotation were signed with."""

    current: str
    fallbacks: tuple[str, ...] = ()

    @property
    def current_id(self) -> str:
        return key_id(self.current)

    def find(self, wanted_id: str) -> str | None:
        """The key whose id is ``wanted_id``, or None when it is none of ours."""
        for key in (self.current, *self.fallbacks):
            if key_id(key) == wanted_id:
                return key
        return None


def _body(
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
) -> dict[str, Any]:
    return {
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


def event_hash(*, key: str, **fields: Any) -> str:
    """HMAC-SHA256 under ``key`` of the event's canonical JSON, which also names the key's id."""
    body = {**_body(**fields), "key_id": key_id(key)}
    return hmac.new(key.encode("utf-8"), canonical_json(body).encode("utf-8"), hashlib.sha256).hexdigest()


def legacy_event_hash(**fields: Any) -> str:
    """The plain SHA-256 that events written before the chain was keyed carry."""
    return hashlib.sha256(canonical_json(_body(**fields)).encode("utf-8")).hexdigest()


def _fields_of(event: Any) -> dict[str, Any]:
    return {
        "sequence": event.sequence,
        "occurred_at": event.occurred_at,
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "payload": event.payload,
        "prev_hash": event.prev_hash,
    }


@dataclass(frozen=True)
class ChainPosition:
    """A verified point of the chain: an event's sequence and hash, and whether it was keyed (0 is the start)."""

    sequence: int
    hash: str
    keyed: bool = False


GENESIS = ChainPosition(0, GENESIS_HASH, False)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_at: int | None = None  # the sequence number of the first bad link
    reason: str = ""
    head: ChainPosition = field(default=GENESIS)  # the last event that verified

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "checked": self.checked, "broken_at": self.broken_at, "reason": self.reason}


def link_problem(event: Any, *, keys: ChainKeys, after: ChainPosition, legacy_until: int = 0) -> str:
    """Why ``event`` is not a valid link after the verified position ``after``; empty when it is.

    An unkeyed (legacy) event is a valid link only up to ``legacy_until``, the sequence a checkpoint kept outside the
    database recorded: anyone able to write to the database could otherwise rewrite the whole chain unkeyed."""
    expected_sequence = after.sequence + 1
    if event.sequence != expected_sequence:
        return f"expected event #{expected_sequence} here but found #{event.sequence} (an event is missing)"
    if event.prev_hash != after.hash:
        return "its previous-hash does not match the event before it"
    if event.key_id:
        key = keys.find(event.key_id)
        if key is None:
            return f"it names a chain key this installation does not hold (key id {event.key_id})"
        expected = event_hash(key=key, **_fields_of(event))
    elif after.keyed:
        return "it carries no key although keyed events precede it (forged)"
    elif event.sequence > legacy_until:
        return "it carries no key and no checkpoint kept outside the database covers it (forged)"
    else:
        expected = legacy_event_hash(**_fields_of(event))
    if not hmac.compare_digest(expected, event.hash):
        return "its content does not match its hash (altered, or hashed without the chain key)"
    return ""


def verify_events(
    events: Iterable[Any], *, keys: ChainKeys, start: ChainPosition = GENESIS, legacy_until: int = 0
) -> ChainReport:
    """Walk events in sequence order from ``start``; name the first link that is out of place, altered or forged."""
    position = start
    checked = 0
    for event in events:
        problem = link_problem(event, keys=keys, after=position, legacy_until=legacy_until)
        if problem:
            return ChainReport(False, checked, event.sequence, problem, position)
        position = ChainPosition(event.sequence, event.hash, bool(event.key_id))
        checked += 1
    return ChainReport(True, checked, head=position)


def checkpoint_problem(*, checkpoint: Mapping[str, Any], head_sequence: int, hash_there: str | None) -> str:
    """Why the chain does not reach or match a checkpoint kept outside the database; empty when it does.

    ``head_sequence`` is the chain's highest sequence now; ``hash_there`` the hash of its event at the checkpoint's
    sequence (None when there is none).
    """
    sequence = checkpoint["sequence"]
    if head_sequence < sequence:
        return (
            f"the chain ends at event #{head_sequence} but checkpoint {checkpoint['name']} recorded event "
            f"#{sequence}: events were removed"
        )
    if hash_there != checkpoint["hash"]:
        return (
            f"event #{sequence} does not have the hash checkpoint {checkpoint['name']} recorded (rewritten)"
        )
    return ""


def result_seal(
    key: str,
    *,
    run_id: int,
    status: str,
    ok: bool | None,
    broken_at: int | None,
    reason: str,
    position: ChainPosition,
    finished_at: datetime,
) -> str:
    """A keyed seal on a verification run's whole outcome, so a row written straight into the database can neither
    claim events were verified (the position an incremental run starts from) nor pass for the latest result (hiding
    a failed run, or silencing its alarm)."""
    text = canonical_json(
        [
            run_id,
            status,
            ok,
            broken_at,
            reason,
            position.sequence,
            position.hash,
            position.keyed,
            timestamp_text(finished_at),
        ]
    )
    return hmac.new(key.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest()


def result_seal_is_valid(seal: str, *, keys: ChainKeys, **outcome: Any) -> bool:
    return bool(seal) and any(
        hmac.compare_digest(result_seal(key, **outcome), seal) for key in (keys.current, *keys.fallbacks)
    )
