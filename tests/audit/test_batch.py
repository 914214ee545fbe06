"""The events of one action reach the chain together: one lock, one read of the head and one insert, in the order they
were recorded, and never an event whose change rolled back."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from audit.selectors import audit_chain_check
from audit.services import audit_batch, audit_record

pytestmark = pytest.mark.django_db


def _actions() -> list[str]:
    return list(
        AuditEvent.objects.filter(action__startswith="test.")
        .order_by("sequence")
        .values_list("action", flat=True)
    )


def _chain_ok() -> bool:
    return audit_chain_check(checkpoint=None).ok


def test_a_batch_appends_its_events_in_order_with_one_lock_one_read_and_one_insert(cio):
    audit_record(actor=cio, action="test.before")
    with transaction.atomic(), CaptureQueriesContext(connection) as appended, audit_batch():
        for n in range(5):
            audit_record(actor=cio, action=f"test.in_batch_{n}", object_type="x", object_id=n)
        assert _actions() == ["test.before"]  # nothing written until the batch ends
    statements = [q["sql"] for q in appended.captured_queries]
    inserts = [sql for sql in statements if sql.startswith('INSERT INTO "audit_auditevent"')]
    locks = [sql for sql in statements if "pg_advisory_xact_lock" in sql]
    reads = [sql for sql in statements if sql.startswith('SELECT "audit_auditevent"."sequence"')]
    assert len(inserts) == 1 and len(reads) == 1
    assert len(locks) == (1 if connection.vendor == "postgresql" else 0)
    assert _actions() == ["test.before", *(f"test.in_batch_{n}" for n in range(5))]
    sequences = list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, len(sequences) + 1))
    assert _chain_ok()


def test_an_action_that_records_nothing_costs_the_chain_nothing():
    with transaction.atomic(), CaptureQueriesContext(connection) as recorded, audit_batch():
        pass
    assert recorded.captured_queries == []


def test_a_batch_that_raises_writes_none_of_its_events(cio):
    with pytest.raises(RuntimeError, match="boom"), transaction.atomic(), audit_batch():
        audit_record(actor=cio, action="test.lost")
        raise RuntimeError("boom")
    assert _actions() == []
    assert getattr(connection, "audit_batch", None) is None
    audit_record(actor=cio, action="test.after")  # the next append is not held back by the failed batch
    assert _actions() == ["test.after"] and _chain_ok()


def test_an_event_in_a_savepoint_that_rolls_back_inside_a_batch_never_reaches_the_chain(cio):
    with transaction.atomic(), audit_batch():
        audit_record(actor=cio, action="test.first")
        try:
            with transaction.atomic():
                audit_record(actor=cio, action="test.rolled_back")
                raise ValueError("undo this part")
        except ValueError:
            pass
        with transaction.atomic():
            audit_record(actor=cio, action="test.kept_savepoint")
        audit_record(actor=cio, action="test.last")
    actions = _actions()
    assert "test.rolled_back" not in actions
    assert sorted(actions) == ["test.first", "test.kept_savepoint", "test.last"]
    assert actions.index("test.first") < actions.index("test.last")
    assert _chain_ok()


def test_a_batch_inside_a_batch_joins_it(cio):
    with transaction.atomic():
        with audit_batch():
            audit_record(actor=cio, action="test.outer")
            with audit_batch():
                audit_record(actor=cio, action="test.inner")
            assert _actions() == []  # the inner batch's end writes nothing: the outer one writes both
        assert _actions() == ["test.outer", "test.inner"]
    assert _chain_ok()


@pytest.mark.django_db(transaction=True)
def test_a_batch_belongs_inside_a_transaction():
    with pytest.raises(RuntimeError, match="inside the transaction"), audit_batch():
        pass  # pragma: no cover


def test_without_a_batch_each_event_is_appended_at_once(cio):
    with transaction.atomic():
        audit_record(actor=cio, action="test.one")
        assert _actions() == ["test.one"]
