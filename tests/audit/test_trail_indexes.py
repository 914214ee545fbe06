"""Each filter of the audit trail reads an index on PostgreSQL, newest first, rather than the whole append-only table."""

import pytest
from django.db import connection, transaction

from audit.filters import parse_audit_filter
from audit.selectors import audit_events_for, audit_filter_resolve
from audit.services import audit_batch, audit_record
from intake.events import PERMISSION_GRANTED
from tests.factories import UserFactory
from tests.support import need_postgresql

pytestmark = pytest.mark.django_db


def _plan(user, **params) -> str:
    wanted, _ = audit_filter_resolve(parse_audit_filter(params)[0])
    with connection.cursor() as cursor:
        # A handful of rows reads fastest by a scan; forbid it to learn which index the query can use.
        cursor.execute("SET LOCAL enable_seqscan = off")
    return audit_events_for(user, wanted)[:51].explain()


@pytest.mark.parametrize(
    ("params", "index"),
    [
        ({"actor": "cio_user"}, "audit_actor_idx"),
        ({"action": PERMISSION_GRANTED}, "audit_action_idx"),
        ({"object": "intake.usecase:7"}, "audit_object_idx"),
        ({"since": "2026-11-01", "until": "2026-11-02"}, "audit_time_idx"),
    ],
)
def test_each_filter_reads_its_index(cio, params, index):
    need_postgresql()
    # Enough rows, the wanted ones rare among them, with fresh statistics, for the planner to choose as it does on a
    # real trail (on a few rows any plan is as good, and which it picks depends on what ran before).
    people = [cio, *UserFactory.create_batch(39)]
    with transaction.atomic(), audit_batch():
        for n in range(5000):
            audit_record(
                actor=people[(n // 2) % 40] if n % 2 else None,
                action=PERMISSION_GRANTED if n % 200 == 0 else f"test.event_{n % 7}",
                object_type="intake.usecase",
                object_id=str(n),
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE audit_auditevent")
    assert index in _plan(cio, **params)
