"""The demo's history and its board pack.

On a database with no history yet, the demo is played out on its own dates: the organisation and the signed risk
boundary at the start of the previous quarter, most requests and decisions during that quarter, and the ones still
waiting in the last few weeks, each step on a moved clock in date order. So last quarter's board pack (requested by
the secretary at the end) has a portfolio, decisions and conditions to show, the review queue shows real ages, and
the audit trail reads in date order. Where history exists already, missing steps happen now.
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.utils import timezone

from accounts.demo import seed_people
from accounts.models import User
from approvals.demo import DECISIONS, seed_decision, seed_re_review
from audit.models import AuditEvent
from config.quarters import Quarter
from intake.demo import PORTFOLIO, seed_use_case
from oversight.demo import seed_inventory
from reporting.models import BoardPack
from reporting.services import board_pack_request
from riskboundaries.demo import seed_active_boundary, seed_pending_boundary
from riskboundaries.models import RiskBoundary

logger = logging.getLogger(__name__)

# When each step happens: (days after the previous quarter began) or (-days before now).
PREVIOUS, RECENT = "previous", "recent"
USE_CASE_DATES: dict[str, tuple[str, float]] = {
    "Customer service reply drafting": (PREVIOUS, 8),
    "CV screening assistant": (PREVIOUS, 12),
    "Call summarisation": (PREVIOUS, 17),
    "Voice clone for IVR announcements": (PREVIOUS, 21),
    "Complaint triage and routing": (PREVIOUS, 26),
    "Caller emotion detection for agents": (PREVIOUS, 33),
    "Job advert writer": (PREVIOUS, 47),
    "Customer sentiment dashboard": (PREVIOUS, 55),
    "Employee engagement survey analysis": (RECENT, 20),
    "Refund approval agent": (RECENT, 16),
    "Shift allocation optimiser": (RECENT, 9),
    "Website chat assistant": (RECENT, 7),
    "HR policy chatbot": (RECENT, 5),
    "Interview notes summariser": (RECENT, 3),
    "Internal code assistant for HR systems": (RECENT, 2),
    "Wellbeing nudges": (RECENT, 1),
}
# The demo decisions in order (approvals.demo.DECISIONS), each with its date.
DECISION_DATES: tuple[tuple[str, float], ...] = (
    (PREVIOUS, 13),
    (PREVIOUS, 15),
    (PREVIOUS, 18),
    (PREVIOUS, 20),
    (PREVIOUS, 22),
    (PREVIOUS, 24),
    (PREVIOUS, 30),
    (PREVIOUS, 52),
    (RECENT, 1.2),
    (RECENT, 0.9),
    (RECENT, 2),
    (RECENT, 1),
)

# The re-review of an approved use case whose circumstances changed: three weeks ago, so it shows as overdue.
RE_REVIEW_DATE = (RECENT, 21)


@dataclass
class DemoOutcome:
    people: list
    use_cases: list
    decisions: int
    active: RiskBoundary
    pending: RiskBoundary
    pack: BoardPack


def _clock(backdate: bool) -> Callable[[datetime], Any]:
    """A context manager factory that moves the clock to a moment (when backdating and the moment is past)."""
    if not backdate:
        return lambda moment: nullcontext()
    try:
        import time_machine
    except ImportError:
        logger.warning(
            "time-machine is not installed: the demo's history happens now, and last quarter's pack is empty"
        )
        return lambda moment: nullcontext()

    @contextmanager
    def at(moment: datetime) -> Iterator[None]:
        if moment >= timezone.now():
            yield
            return
        with time_machine.travel(moment, tick=True):
            yield

    return at


def seed_history(*, password: str) -> DemoOutcome:
    """The whole demo, idempotent: people, boundaries, portfolio and decisions on their dates, then last quarter's pack."""
    backdate = settings.DEMO_HISTORY and not AuditEvent.objects.exists()
    now = timezone.now()
    current = Quarter.containing(timezone.localdate())
    start = datetime.combine(current.previous().start, time(8), tzinfo=UTC)
    # Recent steps stay in the running quarter, even in its first days (they are then only hours apart).
    current_start = datetime.combine(current.start, time(1), tzinfo=UTC)

    def moment(when: tuple[str, float]) -> datetime:
        anchor, days = when
        if anchor == PREVIOUS:
            return start + timedelta(days=days)
        return min(now, max(now - timedelta(days=days), current_start))

    at = _clock(backdate)
    with at(start + timedelta(hours=1)):
        people = seed_people(password=password)
    with at(start + timedelta(days=3)):
        active = seed_active_boundary()
        last = timezone.now()

    # (when, kind, run), sorted by date; on the same date use cases come before decisions, and those before the flag.
    use_case, decision, flag = 0, 1, 2
    steps: list[tuple[datetime, int, Callable[[], Any]]] = [
        *(
            (moment(USE_CASE_DATES.get(d.title, (RECENT, 0))), use_case, partial(seed_use_case, d))
            for d in PORTFOLIO
        ),
        *(
            (moment(when), decision, partial(seed_decision, step))
            for step, when in zip(DECISIONS, DECISION_DATES, strict=True)
        ),
        (moment(RE_REVIEW_DATE), flag, seed_re_review),
    ]
    use_cases, decisions = [], 0
    for when, kind, run in sorted(steps, key=lambda step: step[:2]):
        with at(max(when, last + timedelta(seconds=1))):  # never before the end of the step before
            result = run()
            last = timezone.now()
        if kind == use_case:
            use_cases.append(result)
        elif kind == decision and result:
            decisions += 1
    pending = seed_pending_boundary()
    seed_inventory()
    return DemoOutcome(people, use_cases, decisions, active, pending, seed_board_pack())


def seed_board_pack() -> BoardPack:
    """Last quarter's pack, requested by the board secretary (rendered by the worker, or in-process)."""
    quarter = str(Quarter.containing(timezone.localdate()).previous())
    existing = BoardPack.objects.filter(quarter=quarter).order_by("-version").first()
    if existing is not None:
        return existing
    return board_pack_request(actor=User.objects.get(username="secretary"), quarter=quarter)
