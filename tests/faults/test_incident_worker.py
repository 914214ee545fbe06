"""Incidents with real worker and beat processes on PostgreSQL and Redis: the report's message reaches the CIO, the
CISO and the owner through the worker, and the beat reminds them of a reporting duty falling due, once per period."""

import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from oversight import clocks
from oversight.models import IncidentDeadline
from tests.answer_sets import CV_SCREENING
from tests.oversight.conftest import report_incident
from tests.riskboundaries.conftest import approve
from tests.services.processes import celery_beat, celery_worker, wait_for_worker, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _subjects(folder: Path) -> list[str]:
    texts = [path.read_text(errors="replace") for path in sorted(folder.glob("*.log"))]
    return sorted(m.group(1).strip() for text in texts for m in re.finditer(r"^Subject: (.*)$", text, re.M))


def test_the_worker_tells_of_a_serious_incident_and_the_beat_reminds_of_its_deadlines(
    production_env, tmp_path, monkeypatch, make_use_case, requester, cio, ciso
):
    from outbox import services as outbox

    use_case = approve(make_use_case(title="CV screener", answers=CV_SCREENING, submit=True))
    monkeypatch.setattr(outbox, "publish", lambda message_id: False)  # only the worker side publishes
    incident = report_incident(
        requester,
        use_case,
        title="Applicants over 50 rejected",
        occurred_at=timezone.now() - timedelta(days=1),
        serious_kind=clocks.FUNDAMENTAL_RIGHTS,
    )
    env = production_env(INCIDENT_REMINDER_SECONDS="2", INCIDENT_REMIND_BEFORE_HOURS="12")
    beat = celery_beat(env=env, log_dir=tmp_path)
    worker = celery_worker(env=env, queue="celery", log_dir=tmp_path, name="worker", node="w1")
    reported = f"Serious incident on {use_case.reference}: Applicants over 50 rejected"
    reminder = f"Reporting duties due: {incident.reference} on {use_case.reference}"
    try:
        wait_for_worker(worker)
        wait_until(
            lambda: reported in _subjects(production_env.mail),
            timeout=60,
            what="the worker sending the incident's message",
            logs=(worker, beat),
        )
        time.sleep(
            3
        )  # beats pass: 24 hours left is outside the 12-hour window, and the report was the reminder
        assert reminder not in _subjects(production_env.mail)

        # Eleven hours left: the next beat reminds, once.
        IncidentDeadline.objects.filter(incident=incident).update(
            due_at=timezone.now() + timedelta(hours=11), reminded_at=timezone.now() - timedelta(hours=13)
        )
        wait_until(
            lambda: reminder in _subjects(production_env.mail),
            timeout=60,
            what="the beat's reminder of the deadlines",
            logs=(worker, beat),
        )
        time.sleep(3)
    finally:
        beat.stop()
        assert worker.stop() == 0, worker.log()
    subjects = _subjects(production_env.mail)
    assert subjects.count(reminder) == 1 and subjects.count(reported) == 1
    text = "".join(p.read_text(errors="replace") for p in production_env.mail.glob("*.log"))
    for person in (requester, cio, ciso):
        assert person.email in text
