"""The keyed hash chain as pure functions: no database."""

import math
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from audit.chain import (
    GENESIS,
    ChainKeys,
    ChainPosition,
    ChainReport,
    canonical_json,
    checkpoint_problem,
    event_hash,
    key_id,
    legacy_event_hash,
    link_problem,
    result_seal,
    result_seal_is_valid,
    verify_events,
)

KEY = "test-chain-key-0123456789abcdefghij"
OLD_KEY = "old-chain-key-abcdefghij0123456789"
KEYS = ChainKeys(current=KEY)
ZEROS = "0" * 64  # the first event's previous hash, spelt out rather than read from the module under test


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
    key_id: str = ""


def fields_of(event: Event) -> dict:
    return {k: v for k, v in event.__dict__.items() if k not in {"hash", "key_id"}}


def signed(event: Event, key: str | None) -> Event:
    """The event with its hash computed as the application does (or as a legacy, unkeyed event when key is None)."""
    if key is None:
        return replace(event, key_id="", hash=legacy_event_hash(**fields_of(event)))
    return replace(event, key_id=key_id(key), hash=event_hash(key=key, **fields_of(event)))


def build_chain(n: int, *, key: str | None = KEY, start: int = 1, prev: str = ZEROS) -> list[Event]:
    events = []
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(start, start + n):
        event = Event(
            sequence=i,
            occurred_at=moment + timedelta(minutes=i),
            actor_id=7,
            actor_username="cio",
            action="test.action",
            object_type="intake.usecase",
            object_id=str(i),
            payload={"n": i, "note": "ünïcode"},
            prev_hash=prev,
            hash="",
        )
        event = signed(event, key)
        events.append(event)
        prev = event.hash
    return events


def rechain(events: list[Event], *, key: str | None, from_index: int) -> list[Event]:
    """Re-hash every event from ``from_index`` on, each linked to the one before: what a forger does after an edit."""
    out = list(events[:from_index])
    for event in events[from_index:]:
        prev = out[-1].hash if out else ZEROS
        out.append(signed(replace(event, prev_hash=prev), key))
    return out


# A fixed event for the known answers.
KNOWN = {
    "sequence": 42,
    "occurred_at": datetime(2026, 3, 4, 5, 6, 7, 89000, tzinfo=UTC),
    "actor_id": 7,
    "actor_username": "cio",
    "action": "decision.recorded",
    "object_type": "intake.usecase",
    "object_id": "13",
    "payload": {"note": "Zürich – ok", "n": 1},
    "prev_hash": "ab" * 32,
}
KNOWN_KEY = "known-answer-key-0123456789abcdef"


def test_canonical_json_is_independent_of_key_order():
    assert canonical_json({"b": 1, "a": [1, {"y": 2, "x": 1}]}) == canonical_json(
        {"a": [1, {"x": 1, "y": 2}], "b": 1}
    )


def test_canonical_json_is_compact_sorted_and_keeps_unicode():
    assert canonical_json({"b": "é", "a": [1, 2]}) == '{"a":[1,2],"b":"é"}'


def test_canonical_json_refuses_values_json_cannot_hold():
    with pytest.raises(ValueError):
        canonical_json({"x": math.nan})


def test_key_id_is_the_start_of_the_keys_sha256_never_the_key():
    assert key_id(KNOWN_KEY) == "7b0423cfa8ca96b3"
    assert KNOWN_KEY not in key_id(KNOWN_KEY)


def test_known_answer_keyed_hash():
    """Pins the format: HMAC-SHA256 under the key over the canonical JSON of the fields and the key id."""
    assert (
        event_hash(key=KNOWN_KEY, **KNOWN)
        == "539d86a87f709cc4ff13f576e1c0d4051414b5e3fab125ba73d802d65c71fae0"
    )


def test_known_answer_legacy_hash_is_what_events_before_the_key_carry():
    """The plain SHA-256 of events written before the chain was keyed (the value the earlier code computed)."""
    assert legacy_event_hash(**KNOWN) == "f47027816cb78322af83b44479a6e685491d27cf635c48a0985faff847eee1ae"


CHANGES = {
    "sequence": 43,
    "occurred_at": KNOWN["occurred_at"] + timedelta(microseconds=1),
    "actor_id": 8,
    "actor_username": "ciso",
    "action": "decision.forged",
    "object_type": "riskboundaries.boundary",
    "object_id": "14",
    "payload": {"note": "Zürich – ok", "n": 2},
    "prev_hash": "cd" * 32,
}


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_every_field_of_an_event_is_covered_by_its_hash(name):
    changed = {**KNOWN, name: CHANGES[name]}
    assert event_hash(key=KNOWN_KEY, **changed) != event_hash(key=KNOWN_KEY, **KNOWN)
    assert legacy_event_hash(**changed) != legacy_event_hash(**KNOWN)


def test_a_field_cannot_be_set_to_none_without_changing_the_hash():
    assert event_hash(key=KNOWN_KEY, **{**KNOWN, "actor_id": None}) != event_hash(key=KNOWN_KEY, **KNOWN)


def test_the_hash_depends_on_the_key():
    assert event_hash(key=KNOWN_KEY, **KNOWN) != event_hash(key=KNOWN_KEY + "x", **KNOWN)


def test_the_same_moment_in_another_time_zone_hashes_alike():
    brussels = KNOWN["occurred_at"].astimezone(timezone(timedelta(hours=1)))
    assert event_hash(key=KNOWN_KEY, **{**KNOWN, "occurred_at": brussels}) == event_hash(
        key=KNOWN_KEY, **KNOWN
    )


def test_an_intact_chain_verifies_and_reports_its_head():
    chain = build_chain(5)
    report = verify_events(chain, keys=KEYS)
    assert report == ChainReport(True, 5, None, "", ChainPosition(5, chain[-1].hash, True))


def test_a_valid_link_has_no_problem_to_name():
    first = build_chain(1)[0]
    assert link_problem(first, keys=KEYS, after=GENESIS) == ""


def test_an_empty_chain_verifies():
    assert verify_events([], keys=KEYS) == ChainReport(True, 0)


def test_the_first_event_must_follow_sixty_four_zeros():
    first = signed(replace(build_chain(1)[0], prev_hash="0" * 63), KEY)
    report = verify_events([first], keys=KEYS)
    assert not report.ok and report.broken_at == 1 and "previous-hash" in report.reason


def test_a_report_as_a_dict_names_each_field():
    report = ChainReport(False, 3, 4, "why")
    assert report.as_dict() == {"ok": False, "checked": 3, "broken_at": 4, "reason": "why"}


def test_an_edited_payload_is_named_as_the_broken_link():
    chain = build_chain(5)
    chain[2] = replace(chain[2], payload={"n": 999})
    report = verify_events(chain, keys=KEYS)
    assert not report.ok and report.broken_at == 3 and "altered" in report.reason
    assert report.checked == 2 and report.head == ChainPosition(2, chain[1].hash, True)


@pytest.mark.parametrize("name", sorted(set(CHANGES) - {"sequence", "prev_hash"}))
def test_an_edit_to_any_field_of_a_stored_event_is_detected(name):
    chain = build_chain(3)
    chain[1] = replace(chain[1], **{name: CHANGES[name]})
    report = verify_events(chain, keys=KEYS)
    assert not report.ok and report.broken_at == 2 and "altered" in report.reason


def test_a_deleted_event_is_detected_at_the_gap():
    chain = build_chain(5)
    del chain[1]
    report = verify_events(chain, keys=KEYS)
    assert not report.ok and report.broken_at == 3 and "missing" in report.reason and report.checked == 1


def test_reordered_events_are_detected():
    chain = build_chain(5)
    # Swap the contents of two links but keep the sequence numbers in place (as an UPDATE of two rows would).
    a, b = chain[1], chain[2]
    chain[1] = replace(b, sequence=2)
    chain[2] = replace(a, sequence=3)
    report = verify_events(chain, keys=KEYS)
    assert not report.ok and report.broken_at == 2


def test_a_rehashed_edit_still_breaks_the_next_link():
    chain = build_chain(4)
    chain[1] = signed(replace(chain[1], payload={"n": "forged"}), KEY)
    report = verify_events(chain, keys=KEYS)
    assert not report.ok and report.broken_at == 3 and "previous-hash" in report.reason


def test_an_edit_rehashed_to_the_end_without_the_key_is_detected():
    chain = build_chain(5)
    chain[1] = replace(chain[1], payload={"n": "forged"})
    # The forger re-hashes under a key of their own but labels each event with our key's id.
    forged = [
        replace(e, key_id=key_id(KEY)) for e in rechain(chain, key="a-key-the-forger-guessed", from_index=1)
    ]
    report = verify_events(forged, keys=KEYS)
    assert not report.ok and report.broken_at == 2 and "altered" in report.reason


def test_an_edit_rehashed_to_the_end_as_plain_sha256_is_detected():
    chain = build_chain(5)
    chain[2] = replace(chain[2], action="forged")
    report = verify_events(rechain(chain, key=None, from_index=2), keys=KEYS)
    assert not report.ok and report.broken_at == 3 and "forged" in report.reason


def test_a_forged_event_appended_with_a_correct_plain_sha256_is_detected():
    chain = build_chain(3)
    forged = signed(replace(chain[-1], sequence=4, prev_hash=chain[-1].hash, action="forged"), None)
    report = verify_events([*chain, forged], keys=KEYS)
    assert not report.ok and report.broken_at == 4 and report.checked == 3


def test_a_forged_event_signed_with_a_wrong_key_under_our_key_id_is_detected():
    chain = build_chain(3)
    forged = signed(replace(chain[-1], sequence=4, prev_hash=chain[-1].hash, action="forged"), "wrong-key")
    forged = replace(forged, key_id=key_id(KEY))
    report = verify_events([*chain, forged], keys=KEYS)
    assert not report.ok and report.broken_at == 4 and "altered" in report.reason


def test_an_event_naming_an_unknown_key_is_a_broken_link():
    chain = build_chain(3)
    chain[2] = signed(chain[2], "a-key-we-never-had")
    report = verify_events(chain, keys=KEYS)
    assert not report.ok and report.broken_at == 3 and key_id("a-key-we-never-had") in report.reason


def test_after_a_rotation_events_signed_with_the_old_key_verify_while_it_is_listed():
    old = build_chain(3, key=OLD_KEY)
    new = build_chain(2, key=KEY, start=4, prev=old[-1].hash)
    rotated = ChainKeys(current=KEY, fallbacks=(OLD_KEY,))
    assert verify_events([*old, *new], keys=rotated).ok
    report = verify_events([*old, *new], keys=KEYS)  # the old key dropped
    assert not report.ok and report.broken_at == 1 and "does not hold" in report.reason


def test_keys_are_found_by_their_id_current_or_fallback():
    keys = ChainKeys(current=KEY, fallbacks=(OLD_KEY, "older"))
    assert keys.current_id == key_id(KEY)
    assert keys.find(key_id(KEY)) == KEY
    assert keys.find(key_id("older")) == "older"
    assert keys.find(key_id("never")) is None


def test_legacy_events_verify_before_the_first_keyed_event_as_far_as_a_checkpoint_vouches():
    legacy = build_chain(3, key=None)
    keyed = build_chain(2, key=KEY, start=4, prev=legacy[-1].hash)
    report = verify_events([*legacy, *keyed], keys=KEYS, legacy_until=3)
    assert report.ok and report.checked == 5 and report.head.keyed


def test_by_default_no_unkeyed_event_is_trusted():
    legacy = build_chain(1, key=None)
    assert "no checkpoint" in link_problem(legacy[0], keys=KEYS, after=GENESIS)
    report = verify_events(legacy, keys=KEYS)
    assert not report.ok and report.broken_at == 1


@pytest.mark.parametrize("legacy_until", [0, 2])
def test_legacy_events_no_checkpoint_covers_are_forged(legacy_until):
    # Someone able to write to the database could otherwise rewrite the whole chain without the key.
    legacy = build_chain(3, key=None)
    report = verify_events(legacy, keys=KEYS, legacy_until=legacy_until)
    assert not report.ok and report.broken_at == legacy_until + 1
    assert "no checkpoint" in report.reason


def test_an_altered_legacy_event_is_detected():
    legacy = build_chain(3, key=None)
    legacy[1] = replace(legacy[1], payload={"n": "forged"})
    report = verify_events(legacy, keys=KEYS, legacy_until=3)
    assert not report.ok and report.broken_at == 2 and "altered" in report.reason


def test_an_unkeyed_event_after_keyed_ones_is_a_forgery():
    keyed = build_chain(2, key=KEY)
    legacy = build_chain(1, key=None, start=3, prev=keyed[-1].hash)
    report = verify_events([*keyed, *legacy], keys=KEYS)
    assert not report.ok and report.broken_at == 3 and "forged" in report.reason


def test_verification_can_start_from_a_verified_position():
    chain = build_chain(6)
    start = ChainPosition(3, chain[2].hash, True)
    report = verify_events(chain[3:], keys=KEYS, start=start)
    assert report.ok and report.checked == 3 and report.head == ChainPosition(6, chain[-1].hash, True)


def test_from_a_keyed_position_an_unkeyed_event_is_refused():
    chain = build_chain(3)
    legacy = build_chain(1, key=None, start=4, prev=chain[-1].hash)
    report = verify_events(legacy, keys=KEYS, start=ChainPosition(3, chain[-1].hash, True))
    assert not report.ok and report.broken_at == 4
    assert verify_events(legacy, keys=KEYS, start=ChainPosition(3, chain[-1].hash, False), legacy_until=4).ok


def test_from_a_position_the_next_event_must_follow_it():
    chain = build_chain(6)
    report = verify_events(chain[4:], keys=KEYS, start=ChainPosition(3, chain[2].hash, True))
    assert not report.ok and report.broken_at == 5 and "#4" in report.reason


CHECKPOINT = {
    "name": "audit-checkpoints/20260101T000000000000Z-000000000010.json",
    "sequence": 10,
    "hash": "f" * 64,
}


def test_a_chain_that_reaches_and_matches_its_checkpoint_passes():
    assert checkpoint_problem(checkpoint=CHECKPOINT, head_sequence=10, hash_there="f" * 64) == ""
    assert checkpoint_problem(checkpoint=CHECKPOINT, head_sequence=25, hash_there="f" * 64) == ""


def test_a_chain_shorter_than_its_checkpoint_lost_events():
    problem = checkpoint_problem(checkpoint=CHECKPOINT, head_sequence=9, hash_there=None)
    assert "ends at event #9" in problem and "#10" in problem and "removed" in problem
    assert CHECKPOINT["name"] in problem


def test_a_chain_with_another_hash_at_the_checkpoint_was_rewritten():
    problem = checkpoint_problem(checkpoint=CHECKPOINT, head_sequence=12, hash_there="e" * 64)
    assert "#10" in problem and "rewritten" in problem


def test_an_empty_chain_after_a_checkpoint_of_nothing_passes():
    empty = {**CHECKPOINT, "sequence": 0, "hash": ZEROS}
    assert checkpoint_problem(checkpoint=empty, head_sequence=0, hash_there=ZEROS) == ""


RESULT_SEAL_KNOWN_ANSWER = "3fdf13e946a773f14fa20ca484140b3a30fccae85033d70ed49cadfe490c563d"
OUTCOME = {
    "run_id": 7,
    "status": "done",
    "ok": True,
    "broken_at": None,
    "reason": "",
    "position": ChainPosition(5, "a" * 64, True),
    "finished_at": datetime(2026, 11, 27, 6, 0, tzinfo=UTC),
}


def test_a_result_seal_holds_under_any_listed_key_and_not_without_one():
    seal = result_seal(OLD_KEY, **OUTCOME)
    both = ChainKeys(current=KEY, fallbacks=(OLD_KEY,))
    assert result_seal_is_valid(seal, keys=both, **OUTCOME)
    assert result_seal_is_valid(result_seal(KEY, **OUTCOME), keys=both, **OUTCOME)
    assert not result_seal_is_valid(seal, keys=KEYS, **OUTCOME)
    assert not result_seal_is_valid("", keys=both, **OUTCOME)


def test_a_result_seal_has_a_known_value():
    assert result_seal(KEY, **OUTCOME) == RESULT_SEAL_KNOWN_ANSWER


@pytest.mark.parametrize(
    "change",
    [
        {"run_id": 8},
        {"status": "failed"},
        {"ok": False},
        {"broken_at": 6},
        {"reason": "altered"},
        {"position": ChainPosition(6, "a" * 64, True)},
        {"position": ChainPosition(5, "b" * 64, True)},
        {"position": ChainPosition(5, "a" * 64, False)},
        {"finished_at": datetime(2036, 11, 27, 6, 0, tzinfo=UTC)},
    ],
)
def test_a_result_seal_covers_the_whole_outcome(change):
    assert not result_seal_is_valid(result_seal(KEY, **OUTCOME), keys=KEYS, **{**OUTCOME, **change})


def test_the_genesis_position_is_before_the_first_event():
    assert ChainPosition(0, ZEROS, False) == GENESIS
