"""audit_record and whole-chain verification on the real database, including tampering and concurrent writers."""

import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from audit.chain import GENESIS_HASH
from audit.models import AuditEvent
from audit.selectors import audit_chain_verify
from audit.services import audit_record
from tests.factories import UserFactory
from tests.support import need_postgresql

pytestmark = pytest.mark.django_db


def _tamper(sql: str, params: list) -> None:
    """Change the table behind the application's back, as an attacker with database access would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")  # bypasses the append-only trigger
        cursor.execute(sql, params)


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
    _tamper("UPDATE audit_auditevent SET payload = %s WHERE sequence = %s", ['{"i": 42}', events[2].sequence])
    report = audit_chain_verify()
    assert not report.ok and report.broken_at == events[2].sequence


def test_verify_names_the_link_after_a_deleted_event():
    events = _record(4)
    _tamper("DELETE FROM audit_auditevent WHERE sequence = %s", [events[1].sequence])
    report = audit_chain_verify()
    assert not report.ok and report.broken_at == events[2].sequence


def test_verify_detects_reordered_events():
    events = _record(4)
    a, b = events[1], events[2]
    # Move b before a by swapping their sequence numbers (through a free slot, the column is unique).
    _tamper("UPDATE audit_auditevent SET sequence = %s WHERE sequence = %s", [10_000, a.sequence])
    _tamper("UPDATE audit_auditevent SET sequence = %s WHERE sequence = %s", [a.sequence, b.sequence])
    _tamper("UPDATE audit_auditevent SET sequence = %s WHERE sequence = %s", [b.sequence, 10_000])
    report = audit_chain_verify()
    assert not report.ok and report.broken_at == a.sequence


def test_verify_audit_command_reports_an_intact_chain(capsys):
    _record(3)
    call_command("verify_audit")
    assert "intact" in capsys.readouterr().out


def test_verify_audit_command_fails_and_names_the_first_broken_link():
    events = _record(5)
    _tamper("UPDATE audit_auditevent SET action = %s WHERE sequence = %s", ["forged", events[3].sequence])
    _tamper("UPDATE audit_auditevent SET action = %s WHERE sequence = %s", ["forged", events[4].sequence])
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
