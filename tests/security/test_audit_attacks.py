"""Attacks on the audit trail, run as an attacker would run them, each refused or detected.

The application's role cannot run them at all (test_audit_database_role.py). These run them with the owner's rights
(the test runner's connection owns the tables): truncating the table, deleting the newest events, inserting a forged
event whose hash is right for plain SHA-256 or for a wrong key, and rewriting one event and re-hashing every event after
it without the chain key. Verification (command, worker run and API) and the next checkpoint all notice.
"""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.chain import event_hash, key_id, legacy_event_hash
from audit.models import AuditEvent
from audit.selectors import audit_chain_verify
from audit.services import (
    AuditCheckpointRefused,
    audit_checkpoint_write,
    audit_record,
    audit_verification_run,
)
from tests.audit.tampering import as_owner, truncate

pytestmark = pytest.mark.django_db

CHAINED = [name for name in AuditEvent.CHAINED_FIELDS if name != "key_id"]


def _trail(n: int) -> list[AuditEvent]:
    return [audit_record(actor=None, action="test.attack", object_id=i, payload={"i": i}) for i in range(n)]


def _fields(event: AuditEvent, **changes) -> dict:
    return {**{name: getattr(event, name) for name in CHAINED}, **changes}


def _assert_detected(*, broken_at: int | None, reason: str) -> None:
    report = audit_chain_verify()
    assert not report.ok and reason in report.reason, report
    if broken_at is not None:
        assert report.broken_at == broken_at, report
    with pytest.raises(CommandError, match="BROKEN"):
        call_command("verify_audit")
    run = audit_verification_run(kind="incremental")
    assert run.ok is False, run.reason


# (a) TRUNCATE


def test_a_truncated_trail_is_detected_against_the_checkpoint():
    _trail(4)
    audit_verification_run(kind="full")
    checkpoint = audit_checkpoint_write(reason="daily")
    truncate()
    assert AuditEvent.objects.count() == 0
    _assert_detected(
        broken_at=1, reason=f"checkpoint {checkpoint['name']} recorded event #{checkpoint['sequence']}"
    )


def test_after_truncation_no_new_checkpoint_can_hide_it():
    _trail(3)
    audit_checkpoint_write(reason="daily")
    truncate()
    audit_record(actor=None, action="test.after_the_truncation")  # the trail starts again from #1
    with pytest.raises(AuditCheckpointRefused, match="were removed"):
        audit_checkpoint_write(reason="daily")
    assert not audit_chain_verify().ok


# (b) deleting the newest events


def test_deleting_the_newest_events_is_detected_against_the_checkpoint():
    events = _trail(5)
    checkpoint = audit_checkpoint_write(reason="board pack")
    as_owner("DELETE FROM audit_auditevent WHERE sequence >= %s", [events[3].sequence])
    _assert_detected(broken_at=events[3].sequence, reason=f"the chain ends at event #{events[2].sequence}")
    assert checkpoint["sequence"] == events[-1].sequence


def test_deleting_the_newest_verified_events_is_noticed_by_the_next_incremental_run_even_before_a_checkpoint():
    events = _trail(5)
    audit_verification_run(kind="full")
    as_owner("DELETE FROM audit_auditevent WHERE sequence >= %s", [events[3].sequence])
    run = audit_verification_run(kind="incremental")
    assert not run.ok and run.broken_at == events[-1].sequence and "no longer has the hash" in run.reason


# (c) inserting a forged event


def test_a_forged_event_with_a_correct_plain_sha256_is_detected():
    events = _trail(3)
    last = events[-1]
    fields = _fields(last, sequence=last.sequence + 1, prev_hash=last.hash, action="decision.forged")
    AuditEvent.objects.create(**fields, key_id="", hash=legacy_event_hash(**fields))
    _assert_detected(broken_at=last.sequence + 1, reason="carries no key")


def test_a_forged_event_hashed_under_a_wrong_key_but_naming_ours_is_detected(settings):
    events = _trail(3)
    last = events[-1]
    fields = _fields(last, sequence=last.sequence + 1, prev_hash=last.hash, action="decision.forged")
    forged = event_hash(key="a-key-the-attacker-guessed", **fields)
    AuditEvent.objects.create(**fields, key_id=key_id(settings.AUDIT_CHAIN_KEY), hash=forged)
    _assert_detected(broken_at=last.sequence + 1, reason="does not match its hash")


def test_a_forged_event_under_the_attackers_own_key_is_detected():
    events = _trail(3)
    last = events[-1]
    fields = _fields(last, sequence=last.sequence + 1, prev_hash=last.hash, action="decision.forged")
    AuditEvent.objects.create(**fields, key_id=key_id("attacker"), hash=event_hash(key="attacker", **fields))
    _assert_detected(broken_at=last.sequence + 1, reason="does not hold")


# (d) rewriting one event and re-hashing the rest


@pytest.mark.parametrize("rehash", ["plain sha-256", "a guessed key"])
def test_rewriting_one_event_and_rehashing_the_rest_without_the_key_is_detected(rehash, settings):
    events = _trail(6)
    checkpoint_before = audit_checkpoint_write(reason="daily")
    target = events[2]
    prev = events[1].hash
    for event in events[2:]:
        fields = _fields(event, prev_hash=prev)
        if event.pk == target.pk:
            fields["payload"] = {"i": "rewritten"}
        if rehash == "plain sha-256":
            new_hash, new_key_id = legacy_event_hash(**fields), ""
        else:
            new_hash, new_key_id = event_hash(key="guessed", **fields), key_id(settings.AUDIT_CHAIN_KEY)
        as_owner(
            "UPDATE audit_auditevent SET payload = %s, prev_hash = %s, hash = %s, key_id = %s WHERE sequence = %s",
            [json.dumps(fields["payload"]), prev, new_hash, new_key_id, event.sequence],
        )
        prev = new_hash
    _assert_detected(broken_at=target.sequence, reason="")
    assert checkpoint_before["sequence"] == events[-1].sequence


def test_rewriting_with_the_key_is_still_caught_by_the_checkpoint(settings):
    """An insider holding the key and the owner's rights can re-sign the chain; not the copy outside the database."""
    events = _trail(4)
    checkpoint = audit_checkpoint_write(reason="daily")
    prev = events[0].hash
    for event in events[1:]:
        fields = _fields(
            event, prev_hash=prev, payload={"i": "rewritten"} if event.pk == events[1].pk else event.payload
        )
        new_hash = event_hash(key=settings.AUDIT_CHAIN_KEY, **fields)
        as_owner(
            "UPDATE audit_auditevent SET payload = %s, prev_hash = %s, hash = %s WHERE sequence = %s",
            [json.dumps(fields["payload"]), prev, new_hash, event.sequence],
        )
        prev = new_hash
    _assert_detected(broken_at=checkpoint["sequence"], reason="rewritten")


def test_an_untouched_trail_passes_every_check():
    _trail(3)
    audit_checkpoint_write(reason="daily")
    _trail(2)
    assert audit_chain_verify().ok
    call_command("verify_audit")
    assert audit_verification_run(kind="incremental").ok
