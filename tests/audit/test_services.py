"""audit_record and whole-chain verification on the real database, including tampering and concurrent writers."""

import json
import re
import threading
from datetime import timedelta

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit.chain import (
    GENESIS_HASH,
    ChainKeys,
    ChainPosition,
    event_hash,
    key_id,
    legacy_event_hash,
    result_seal_is_valid,
    timestamp_text,
)
from audit.checkpoints import CheckpointExists, checkpoint_latest, checkpoint_save, checkpoint_storage
from audit.models import AuditEvent, AuditVerification
from audit.selectors import audit_chain_verify
from audit.services import (
    audit_checkpoint_write,
    audit_record,
    audit_verification_request,
    audit_verification_run,
)
from audit.tasks import verify_audit_chain, write_audit_checkpoint
from tests.audit.tampering import as_owner
from tests.factories import UserFactory
from tests.support import need_postgresql

pytestmark = pytest.mark.django_db


def _record(n: int, actor=None) -> list[AuditEvent]:
    return [
        audit_record(actor=actor, action="test.event", object_type="x", object_id=i, payload={"i": i})
        for i in range(n)
    ]


def test_events_form_a_chain_from_genesis():
    user = UserFactory()
    first, second = _record(2, actor=user)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert second.sequence == first.sequence + 1
    assert first.actor_username == user.username


def test_audit_record_names_the_object_of_a_model_instance():
    user = UserFactory()
    event = audit_record(actor=None, action="test.obj", obj=user)
    assert (event.object_type, event.object_id) == ("accounts.user", str(user.pk))


def test_an_event_rolls_back_with_the_callers_transaction():
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=None, action="test.rolled_back")
        raise RuntimeError("business write failed")
    assert AuditEvent.objects.count() == before


def test_verify_passes_on_an_untouched_chain():
    _record(4)
    report = audit_chain_verify()
    assert report.ok and report.checked == AuditEvent.objects.count()


def test_verify_names_an_edited_event():
    events = _record(4)
    as_owner(
        "UPDATE audit_auditevent SET payload = %s WHERE sequence = %s", ['{"i": 42}', events[2].sequence]
    )
    report = audit_chain_verify()
    assert not report.ok and report.broken_at == events[2].sequence


def test_verify_names_the_link_after_a_deleted_event():
    events = _record(4)
    as_owner("DELETE FROM audit_auditevent WHERE sequence = %s", [events[1].sequence])
    report = audit_chain_verify()
    assert not report.ok and report.broken_at == events[2].sequence


def test_verify_detects_reordered_events():
    events = _record(4)
    a, b = events[1], events[2]
    # Move b before a by swapping their sequence numbers (through a free slot, the column is unique).
    as_owner("UPDATE audit_auditevent SET sequence = %s WHERE sequence = %s", [10_000, a.sequence])
    as_owner("UPDATE audit_auditevent SET sequence = %s WHERE sequence = %s", [a.sequence, b.sequence])
    as_owner("UPDATE audit_auditevent SET sequence = %s WHERE sequence = %s", [b.sequence, 10_000])
    report = audit_chain_verify()
    assert not report.ok and report.broken_at == a.sequence


def test_verify_audit_command_reports_an_intact_chain(capsys):
    _record(3)
    call_command("verify_audit")
    assert "intact" in capsys.readouterr().out


def test_verify_audit_command_fails_and_names_the_first_broken_link():
    events = _record(5)
    as_owner("UPDATE audit_auditevent SET action = %s WHERE sequence = %s", ["forged", events[3].sequence])
    as_owner("UPDATE audit_auditevent SET action = %s WHERE sequence = %s", ["forged", events[4].sequence])
    with pytest.raises(CommandError, match=rf"BROKEN at event #{events[3].sequence}\b"):
        call_command("verify_audit")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET action = 'forged'",
        "DELETE FROM audit_auditevent",
    ],
)
def test_postgresql_refuses_update_and_delete(statement):
    need_postgresql()
    _record(1)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEvent.objects.filter(action="forged").count() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_still_form_one_chain():
    need_postgresql()
    writers, per_writer = 8, 15
    barrier = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            barrier.wait()
            for i in range(per_writer):
                with transaction.atomic():
                    audit_record(actor=None, action="test.concurrent", payload={"worker": worker, "i": i})
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    sequences = list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, writers * per_writer + 1))
    report = audit_chain_verify()
    assert report.ok and report.checked == writers * per_writer


# The keyed chain on the database.


def test_each_event_is_signed_with_the_current_key_and_names_its_id(settings):
    event = audit_record(actor=None, action="test.keyed", payload={"n": 1})
    assert event.key_id == key_id(settings.AUDIT_CHAIN_KEY)
    stored = AuditEvent.objects.get(pk=event.pk)
    fields = {name: getattr(stored, name) for name in AuditEvent.CHAINED_FIELDS if name != "key_id"}
    assert stored.hash == event_hash(key=settings.AUDIT_CHAIN_KEY, **fields)
    assert stored.hash != legacy_event_hash(**fields)


def test_after_a_key_rotation_older_events_verify_while_their_key_is_listed(settings):
    old_key = settings.AUDIT_CHAIN_KEY
    _record(2)
    settings.AUDIT_CHAIN_KEY, settings.AUDIT_CHAIN_KEY_FALLBACKS = (
        "a-new-chain-key-0123456789abcdefghij",
        [old_key],
    )
    newer = _record(2)
    assert newer[-1].key_id == key_id("a-new-chain-key-0123456789abcdefghij")
    assert audit_chain_verify().ok
    settings.AUDIT_CHAIN_KEY_FALLBACKS = []
    report = audit_chain_verify()
    assert not report.ok and report.broken_at == 1 and "does not hold" in report.reason


def _legacy_events(count: int) -> None:
    prev = GENESIS_HASH
    for sequence in range(1, count + 1):
        fields = {
            "sequence": sequence,
            "occurred_at": timezone.now(),
            "actor_id": None,
            "actor_username": "",
            "action": "test.legacy",
            "object_type": "",
            "object_id": "",
            "payload": {"n": sequence},
            "prev_hash": prev,
        }
        prev = legacy_event_hash(**fields)
        AuditEvent.objects.create(**fields, hash=prev)


def test_a_chain_rewritten_without_the_key_as_legacy_events_does_not_verify():
    """Someone able to write to the database rewrites every event unkeyed: no checkpoint vouches for them."""
    _legacy_events(3)
    report = audit_chain_verify()
    assert not report.ok and report.broken_at == 1 and "no checkpoint" in report.reason


def test_events_written_before_the_chain_was_keyed_verify_once_a_checkpoint_covers_them(settings):
    """Legacy rows (plain SHA-256, no key id), as the earlier code wrote them; the upgrade's first checkpoint covers
    them, then keyed events follow."""
    _legacy_events(2)
    audit_checkpoint_write(reason="upgrade")
    audit_record(actor=None, action="test.keyed")
    report = audit_chain_verify()
    assert report.ok and report.checked == 3


# Checkpoints outside the database.


def test_a_checkpoint_copies_the_head_to_storage_under_a_time_ordered_name(settings):
    events = _record(3)
    checkpoint = audit_checkpoint_write(reason="board pack 2026-Q3")
    head = AuditEvent.objects.order_by("-sequence").first()
    assert head.sequence == events[-1].sequence
    assert re.fullmatch(
        rf"audit-checkpoints/\d{{8}}T\d{{12}}Z-{head.sequence:012d}\.json", checkpoint["name"]
    )
    stored = json.loads(checkpoint_storage().open(checkpoint["name"]).read())
    assert stored == {
        "sequence": head.sequence,
        "hash": head.hash,
        "key_id": key_id(settings.AUDIT_CHAIN_KEY),
        "event_at": timestamp_text(head.occurred_at),
        "written_at": checkpoint["written_at"],
        "reason": "board pack 2026-Q3",
        "previous": "",
    }


def test_each_checkpoint_names_the_one_before_and_sorts_after_it():
    _record(1)
    first = audit_checkpoint_write(reason="daily")
    _record(1)
    second = audit_checkpoint_write(reason="daily")
    assert second["previous"] == first["name"] and second["name"] > first["name"]
    assert checkpoint_latest()["name"] == second["name"]


def test_a_checkpoint_is_never_overwritten():
    _record(1)
    first = audit_checkpoint_write(reason="daily")
    with pytest.raises(CheckpointExists):
        checkpoint_save(first["name"], {"sequence": 0, "hash": "forged"})
    assert json.loads(checkpoint_storage().open(first["name"]).read())["reason"] == "daily"


def test_a_checkpoint_of_an_empty_trail_records_the_genesis():
    checkpoint = audit_checkpoint_write(reason="daily")
    assert (checkpoint["sequence"], checkpoint["hash"], checkpoint["event_at"]) == (0, GENESIS_HASH, None)
    assert audit_chain_verify().ok


def test_a_checkpoint_is_emailed_to_the_cio_and_the_ciso_only(
    cio, ciso, admin_user, requester, mailoutbox, django_capture_on_commit_callbacks
):
    for user, address in (
        (cio, "cio@example.com"),
        (ciso, "ciso@example.com"),
        (admin_user, "admin@example.com"),
    ):
        user.email = address
        user.save(update_fields=["email"])
    _record(2)
    with django_capture_on_commit_callbacks(execute=True):
        checkpoint = audit_checkpoint_write(reason="daily")
    [message] = mailoutbox
    assert sorted(message.to) == ["cio@example.com", "ciso@example.com"]
    assert f"#{checkpoint['sequence']}" in message.subject
    assert checkpoint["hash"] in message.body and checkpoint["name"] in message.body


def test_the_checkpoint_email_waits_for_the_commit(cio, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        audit_checkpoint_write(reason="daily")
    assert len(callbacks) == 1 and mailoutbox == []


def test_beat_writes_a_checkpoint_daily_and_verifies_hourly_and_nightly(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    tasks = {(entry["task"], tuple(sorted(entry.get("kwargs", {}).items()))) for entry in schedule.values()}
    assert ("audit.tasks.write_audit_checkpoint", (("reason", "daily"),)) in tasks
    assert ("audit.tasks.verify_audit_chain", (("kind", "incremental"),)) in tasks
    assert ("audit.tasks.verify_audit_chain", (("kind", "full"),)) in tasks


def test_the_checkpoint_task_writes_one():
    _record(1)
    result = write_audit_checkpoint.delay(reason="daily").get()
    assert result["written"] is True and checkpoint_latest()["name"] == result["name"]


# Verification runs.


def test_a_full_run_records_its_outcome_and_a_sealed_anchor(settings):
    _record(3)
    head = AuditEvent.objects.order_by("-sequence").first()
    run = audit_verification_run(kind="full")
    assert (run.status, run.ok, run.checked, run.from_sequence, run.to_sequence) == ("done", True, 3, 0, 3)
    assert run.to_hash == head.hash and run.to_keyed is True
    assert result_seal_is_valid(
        run.seal,
        keys=ChainKeys(settings.AUDIT_CHAIN_KEY),
        run_id=run.pk,
        status="done",
        ok=True,
        broken_at=None,
        reason="",
        position=ChainPosition(3, head.hash, True),
        finished_at=run.finished_at,
    )
    assert run.started_at <= run.finished_at


def test_an_incremental_run_verifies_only_the_events_since_the_last_run():
    _record(3)
    audit_verification_run(kind="full")
    _record(2)
    run = audit_verification_run(kind="incremental")
    assert (run.ok, run.checked, run.from_sequence, run.to_sequence) == (True, 2, 3, 5)
    assert audit_verification_run(kind="incremental").checked == 0


def test_an_incremental_run_with_no_earlier_run_walks_the_whole_chain():
    _record(3)
    run = audit_verification_run(kind="incremental")
    assert (run.ok, run.checked, run.from_sequence) == (True, 3, 0)


def test_an_anchor_whose_seal_does_not_hold_is_not_trusted():
    """A row written straight into the database cannot make the next run skip events."""
    _record(3)
    AuditVerification.objects.create(
        kind="full",
        status="done",
        finished_at=timezone.now(),
        ok=True,
        to_sequence=3,
        to_hash="f" * 64,
        seal="0" * 64,
    )
    run = audit_verification_run(kind="incremental")
    assert (run.ok, run.from_sequence, run.checked) == (True, 0, 3)


def test_after_a_broken_result_the_next_incremental_run_walks_the_whole_chain_again():
    _record(3)
    AuditVerification.objects.create(
        kind="full", status="done", finished_at=timezone.now(), ok=False, broken_at=2, reason="x"
    )
    run = audit_verification_run(kind="incremental")
    assert (run.ok, run.from_sequence, run.checked) == (True, 0, 3)


def test_an_incremental_run_notices_a_rewritten_anchor():
    events = _record(3)
    audit_verification_run(kind="full")
    as_owner("UPDATE audit_auditevent SET hash = %s WHERE sequence = %s", ["e" * 64, events[-1].sequence])
    run = audit_verification_run(kind="incremental")
    assert not run.ok and run.broken_at == 3 and "no longer has the hash" in run.reason


def test_an_incremental_run_notices_an_event_deleted_among_verified_ones():
    events = _record(4)
    audit_verification_run(kind="full")
    as_owner("DELETE FROM audit_auditevent WHERE sequence = %s", [events[1].sequence])
    run = audit_verification_run(kind="incremental")
    assert not run.ok and "were removed" in run.reason
    full = audit_verification_run(kind="full")
    assert not full.ok and full.broken_at == events[2].sequence


def test_a_run_that_finds_the_chain_broken_alerts_the_cio_and_the_ciso_once(
    cio, mailoutbox, django_capture_on_commit_callbacks
):
    cio.email = "cio@example.com"
    cio.save(update_fields=["email"])
    events = _record(3)
    audit_verification_run(kind="full")
    as_owner("UPDATE audit_auditevent SET action = 'forged' WHERE sequence = %s", [events[1].sequence])
    with django_capture_on_commit_callbacks(execute=True):
        audit_verification_run(kind="full")
        audit_verification_run(kind="full")
    [alarm] = mailoutbox
    assert alarm.to == ["cio@example.com"] and "alarm" in alarm.subject.lower()
    assert f"#{events[1].sequence}" in alarm.body


def test_a_queued_run_is_claimed_once():
    _record(1)
    queued = AuditVerification.objects.create(kind="full")
    assert audit_verification_run(run_id=queued.pk).status == "done"
    finished_at = AuditVerification.objects.get(pk=queued.pk).finished_at
    assert audit_verification_run(run_id=queued.pk).finished_at == finished_at  # redelivered: only reported


def test_a_request_queues_the_run_for_the_worker_after_commit(cio, django_capture_on_commit_callbacks):
    _record(1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = audit_verification_request(actor=cio, kind="incremental")
    assert len(callbacks) == 1
    run.refresh_from_db()
    assert (run.status, run.ok, run.requested_by) == ("done", True, cio)


def test_a_run_lost_long_ago_does_not_hold_back_a_new_one(cio):
    stale = AuditVerification.objects.create(kind="full", requested_at=timezone.now() - timedelta(hours=3))
    assert audit_verification_request(actor=cio, kind="full").pk != stale.pk


def test_a_run_that_cannot_read_its_checkpoint_is_recorded_as_failed(settings):
    _record(1)
    settings.STORAGES = {
        **settings.STORAGES,
        "broken": {"BACKEND": "tests.audit.test_services.UnreadableStorage"},
    }
    settings.AUDIT_CHECKPOINT_STORAGE = "broken"
    with pytest.raises(OSError):
        audit_verification_run(kind="full")
    run = AuditVerification.objects.get()
    assert run.status == "failed" and "OSError" in run.reason and run.ok is None


class UnreadableStorage(FileSystemStorage):
    def listdir(self, path):
        raise OSError("the object store is unreachable")


def test_the_verify_task_runs_a_full_verification_by_default():
    _record(2)
    result = verify_audit_chain.delay().get()
    assert result["ok"] is True and result["kind"] == "full" and result["checked"] == 2


def test_verify_audit_command_records_its_run(capsys):
    _record(2)
    call_command("verify_audit")
    assert AuditVerification.objects.get().kind == "full"


def test_audit_checkpoint_command_writes_one(capsys):
    _record(2)
    call_command("audit_checkpoint")
    assert (
        checkpoint_latest()["reason"] == "manual"
        and "written as audit-checkpoints/" in capsys.readouterr().out
    )


def test_an_append_inside_the_callers_transaction_takes_no_savepoint_and_fails_with_it(cio):
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Team
    from audit.models import AuditEvent
    from audit.services import audit_record

    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        audit_record(
            actor=cio, action="intake.permission_granted", object_type="intake.usecase", object_id="1"
        )
    assert not [q["sql"] for q in queries.captured_queries if "SAVEPOINT" in q["sql"].upper()]

    before = AuditEvent.objects.count()
    with pytest.raises(TypeError), transaction.atomic():
        Team.objects.create(name="Rolled back", slug="rolled-back")
        audit_record(actor=cio, action="intake.permission_granted", payload={"not json": object()})
    # The change and its event go together or not at all.
    assert not Team.objects.filter(slug="rolled-back").exists() and AuditEvent.objects.count() == before
