"""A burst of decisions with a risk-boundary activation landing in the middle, on PostgreSQL.

Ten CIOs and ten CISOs each read the use case (review round 1, the revision's hash) and send an approval with an
exception; all twenty are released together and are in flight, queued on the use case's row lock, when a stricter
boundary takes effect. The first CIO and CISO approvals to get the lock approve round 1; the approval, completed
under the new boundary that the use case breaches, opens a re-review (round 2) in the same transaction. Every
request still queued was sent before round 2 opened: none of them may decide it.
"""

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.roles import Role
from approvals.models import Approval, ReviewCycle, SlotDecision
from audit.selectors import audit_chain_verify
from intake.models import UseCase
from intake.workflow import Status
from riskboundaries import services as boundary_services
from tests.answer_sets import CHATBOT
from tests.factories import UserFactory
from tests.riskboundaries.conftest import PERMISSIVE
from tests.support import need, need_postgresql

PER_SLOT = 10
WAIT = 30  # seconds: the most any step may take before the test gives up

V1 = {**PERMISSIVE, "max_autonomy": 2}  # autonomy 3 exceeds it: approved with an exception
V2 = {**V1, "exception_max_days": 120}  # still exceeded, so activating it sends the approval to re-review


def _activate(boundary, cio, ciso):
    boundary_services.boundary_sign(actor=cio, boundary=boundary, role="cio", seen_hash=boundary.content_hash)
    return boundary_services.boundary_sign(
        actor=ciso, boundary=boundary, role="ciso", seen_hash=boundary.content_hash
    )


def _waiting_on_locks() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_burst_with_a_boundary_activation_in_the_middle_decides_each_slot_once_per_round(
    make_use_case, cio, ciso
):
    need_postgresql()
    need(
        connection.settings_dict.get("HOST") in ("127.0.0.1", "localhost", "::1"), "needs a local PostgreSQL"
    )
    _activate(boundary_services.boundary_create(actor=cio, limits=V1), cio, ciso)
    use_case = make_use_case(answers={**CHATBOT, "autonomy": 3}, submit=True)
    assert use_case.boundary_verdict == "exceeds"
    stricter = boundary_services.boundary_create(actor=cio, limits=V2)
    boundary_services.boundary_sign(actor=cio, boundary=stricter, role="cio", seen_hash=stricter.content_hash)

    # What every decider read before sending: the round and the revision's hash.
    read = {"review_round": use_case.review_round, "content_hash": use_case.revisions.get().content_hash}
    assert read["review_round"] == 1
    body = {
        "decision": "approve_with_exception",
        "rationale": "Pilot under watch.",
        "exception_expires_on": (timezone.localdate() + timedelta(days=60)).isoformat(),
        **read,
    }
    deciders = [UserFactory(username=f"cio_{i}", roles=[Role.CIO]) for i in range(PER_SLOT)]
    deciders += [UserFactory(username=f"ciso_{i}", roles=[Role.CISO]) for i in range(PER_SLOT)]
    url = f"/api/v1/use-cases/{use_case.reference}/decisions/"

    barrier = threading.Barrier(len(deciders) + 1, timeout=WAIT)
    held, release, activated = threading.Event(), threading.Event(), threading.Event()
    answers: list[tuple[str, int, dict]] = []
    failures: list[BaseException] = []

    def hold_the_row() -> None:
        """Keep the use case locked until every request is in flight and the new boundary is in force."""
        try:
            with transaction.atomic():
                UseCase.objects.select_for_update().get(pk=use_case.pk)
                held.set()
                release.wait(WAIT)
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    def send(person) -> None:
        client = APIClient()
        client.force_authenticate(user=person)
        try:
            barrier.wait()
            response = client.post(url, body, format="json")
            answers.append((person.username.split("_")[0], response.status_code, response.json()))
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    def activate() -> None:
        try:
            barrier.wait()
            boundary_services.boundary_sign(
                actor=ciso, boundary=stricter, role="ciso", seen_hash=stricter.content_hash
            )
            activated.set()
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    gate = threading.Thread(target=hold_the_row)
    gate.start()
    assert held.wait(WAIT)
    threads = [threading.Thread(target=send, args=(person,)) for person in deciders]
    threads.append(threading.Thread(target=activate))
    for thread in threads:
        thread.start()
    try:
        assert activated.wait(WAIT), failures
        deadline = time.monotonic() + WAIT
        while _waiting_on_locks() < len(deciders) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        release.set()
        for thread in [gate, *threads]:
            thread.join(WAIT)
    assert failures == [] and not any(t.is_alive() for t in threads)

    statuses = Counter((slot, status) for slot, status, _ in answers)
    assert statuses == {
        ("cio", 201): 1,
        ("ciso", 201): 1,
        ("cio", 409): PER_SLOT - 1,
        ("ciso", 409): PER_SLOT - 1,
    }
    stale = [a for _, status, a in answers if status == 409 and "review_round" in a["errors"]]
    assert stale, "no request reached the use case after its re-review opened"

    use_case.refresh_from_db()
    assert use_case.status == Status.RE_REVIEW_DUE and use_case.review_round == 2
    per_round = Counter(SlotDecision.objects.values_list("cycle__review_round", "slot"))
    assert per_round == {(1, "cio"): 1, (1, "ciso"): 1}  # one decision per slot in round 1 …
    assert not SlotDecision.objects.filter(cycle__review_round=2).exists()  # … none in the round sent before
    assert list(ReviewCycle.objects.values_list("review_round", "outcome")) == [(1, "approved")]
    assert Approval.objects.count() == 1
    assert audit_chain_verify().ok
