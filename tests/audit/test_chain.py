"""The hash chain as pure functions: no database."""

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from audit.chain import GENESIS_HASH, canonical_json, event_hash, verify_events


@dataclass(frozen=True)
class Event:
    sequence: int
    occurred_at: datetime
    actor_id: int | None
    actor_username: str
    action: str
    object_type: str
    object_id: str
    payload: dict
    prev_hash: str
    hash: str


def build_chain(n: int) -> list[Event]:
    events, prev = [], GENESIS_HASH
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(1, n + 1):
        fields = {
            "sequence": i,
            "occurred_at": start + timedelta(minutes=i),
            "actor_id": 7,
            "actor_username": "cio",
            "action": "test.action",
            "object_type": "intake.usecase",
            "object_id": str(i),
            "payload": {"n": i, "note": "ünïcode"},
            "prev_hash": prev,
        }
        digest = event_hash(**fields)
        events.append(Event(**fields, hash=digest))
        prev = digest
    return events


def test_canonical_json_is_independent_of_key_order():
    assert canonical_json({"b": 1, "a": [1, {"y": 2, "x": 1}]}) == canonical_json(
        {"a": [1, {"x": 1, "y": 2}], "b": 1}
    )


def test_an_intact_chain_verifies():
    report = verify_events(build_chain(5))
    assert report.ok and report.checked == 5 and report.broken_at is None


def test_an_empty_chain_verifies():
    assert verify_events([]).ok


def test_an_edited_payload_is_named_as_the_broken_link():
    chain = build_chain(5)
    chain[2] = replace(chain[2], payload={"n": 999})
    report = verify_events(chain)
    assert not report.ok and report.broken_at == 3 and "altered" in report.reason


def test_an_edited_actor_is_detected():
    chain = build_chain(3)
    chain[0] = replace(chain[0], actor_username="someone-else")
    assert verify_events(chain).broken_at == 1


def test_a_deleted_event_is_detected_at_the_gap():
    chain = build_chain(5)
    del chain[1]
    report = verify_events(chain)
    assert not report.ok and report.broken_at == 3 and "missing" in report.reason


def test_reordered_events_are_detected():
    chain = build_chain(5)
    # Swap the contents of two links but keep the sequence numbers in place (as an UPDATE of two rows would).
    a, b = chain[1], chain[2]
    chain[1] = replace(b, sequence=2)
    chain[2] = replace(a, sequence=3)
    report = verify_events(chain)
    assert not report.ok and report.broken_at == 2


def test_a_rehashed_edit_still_breaks_the_next_link():
    chain = build_chain(4)
    forged = replace(chain[1], payload={"n": "forged"})
    forged = replace(forged, hash=event_hash(**{k: v for k, v in forged.__dict__.items() if k != "hash"}))
    chain[1] = forged
    report = verify_events(chain)
    assert not report.ok and report.broken_at == 3 and "previous-hash" in report.reason
