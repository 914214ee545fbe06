"""Each filter of the audit trail reads an index on PostgreSQL, newest first, rather than the whole append-only table."""

import pytest
from django.db import connection

from audit.filters import parse_audit_filter
from audit.selectors import audit_events_for, audit_filter_resolve
from audit.services import audit_record
from intake.events import PERMISSION_GRANTED
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
    for n in range(20):
        audit_record(actor=cio, action=PERMISSION_GRANTED, object_type="intake.usecase", object_id=str(n))
    assert index in _plan(cio, **params)
