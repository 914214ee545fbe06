"""Everything a board pack and the register need, read through the other apps' data as of a cut-off. No writes.

Statuses are taken as they stood at the cut-off, from the audit trail of each use case's transitions, so a pack for
a past quarter says what was true then, not what is true now.
"""

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import JSONObject
from django.utils import timezone

from accounts.permissions import granted_filter
from approvals.models import Approval
from audit.events import event_type, state_changes
from audit.models import AuditEvent
from config.quarters import Quarter
from intake.contracts import BoundaryCheck, SavedAssessment
from intake.events import USE_CASE
from intake.models import UseCase, UseCaseRevision
from intake.workflow import PORTFOLIO_STATES, Status
from reporting.models import (
    BoardPack,
    BoardPackGroupObjectPermission,
    BoardPackUserObjectPermission,
    RegisterExport,
)
from reporting.policies import can_request_packs

VIEW = "view_boardpack"


def board_packs_for(user: Any) -> QuerySet[BoardPack]:
    """Packs the user may see: guardian grants (the board secretaries, the CIO and the CISO), in one query."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return BoardPack.objects.none()
    visible = granted_filter(user, BoardPackUserObjectPermission, BoardPackGroupObjectPermission, VIEW)
    return BoardPack.objects.filter(visible).select_related("requested_by")


def statuses_at(cutoff: datetime) -> dict[int, str]:
    """Each use case's status at the cut-off (use cases created later are absent; drafts stay "draft")."""
    created = dict(UseCase.objects.filter(created_at__lt=cutoff).values_list("pk", "status"))
    at: dict[int, str] = dict.fromkeys(created, Status.DRAFT)
    moves = (
        AuditEvent.objects.filter(
            object_type=USE_CASE, action__in=sorted(state_changes(USE_CASE)), occurred_at__lt=cutoff
        )
        .order_by("sequence")
        .values_list("object_id", "action", "payload")
    )
    for object_id, action, payload in moves.iterator(chunk_size=2000):
        use_case_id = int(object_id)
        state = event_type(action).state_after(payload)
        if use_case_id in at and state:
            at[use_case_id] = state
    return at


def statuses_at_each(cutoffs: Sequence[datetime]) -> list[dict[int, str]]:
    """:func:`statuses_at` for several cut-offs in one pass over the audit trail: two queries, however many cut-offs."""
    if not cutoffs:
        return []
    last = max(cutoffs)
    created = list(UseCase.objects.filter(created_at__lt=last).values_list("pk", "created_at"))
    moves = (
        AuditEvent.objects.filter(
            object_type=USE_CASE, action__in=sorted(state_changes(USE_CASE)), occurred_at__lt=last
        )
        .order_by("sequence")
        .values_list("object_id", "action", "payload", "occurred_at")
    )
    pending = sorted(range(len(cutoffs)), key=lambda i: cutoffs[i])
    result: list[dict[int, str]] = [{} for _ in cutoffs]
    at: dict[int, str] = {}

    def snapshot(index: int) -> None:
        cutoff = cutoffs[index]
        result[index] = {pk: at.get(pk, Status.DRAFT) for pk, made in created if made < cutoff}

    for object_id, action, payload, occurred_at in moves.iterator(chunk_size=2000):
        while pending and occurred_at >= cutoffs[pending[0]]:
            snapshot(pending.pop(0))
        state = event_type(action).state_after(payload)
        if state:
            at[int(object_id)] = state
    for index in pending:
        snapshot(index)
    return result


# The answers the pack reads from a revision (provider_of, the prohibited practices of a request closed on submission).
PACK_ANSWERS = ("provider", "prohibited_practices", "decision_domain")


def latest_revisions(ids: Iterable[int], cutoff: datetime) -> dict[int, UseCaseRevision]:
    """Each use case's last revision submitted before ``cutoff``, in one query that returns only those (no later
    revision submitted before the cut-off exists), with only what the pack reads of its JSON.

    ``assessment`` and ``content`` stay in the database (the assessment's long lists are nine tenths of it). Each
    revision carries ``assessment_summary``, the keys :meth:`SavedAssessment.of` reads, and a ``content`` that holds
    only the answers the pack shows (``PACK_ANSWERS``): each built as one JSON object by the database, so one value
    to decode per revision instead of one per key."""
    later = UseCaseRevision.objects.filter(
        use_case_id=OuterRef("use_case_id"), submitted_at__lt=cutoff, number__gt=OuterRef("number")
    )
    summary = JSONObject(**{key: KeyTransform(key, "assessment") for key in SavedAssessment.SUMMARY_KEYS})
    answers = JSONObject(
        **{key: KeyTransform(key, KeyTransform("answers", "content")) for key in PACK_ANSWERS}
    )
    revisions = (
        UseCaseRevision.objects.filter(use_case_id__in=list(ids), submitted_at__lt=cutoff)
        .exclude(Exists(later))
        .only("use_case_id", "number", "boundary_check", "submitted_at")
        .annotate(pack_summary=summary, pack_answers=answers)
    )
    latest = {}
    for revision in revisions.iterator(chunk_size=1000):
        revision.assessment_summary = revision.pack_summary
        revision.content = {"answers": revision.pack_answers}
        latest[revision.use_case_id] = revision
    return latest


def breakdown(
    values: Iterable[str], previous: Iterable[str], label=lambda v: v, *, order: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """Counts now and before, largest first; or in ``order`` (e.g. bands by severity), anything else after it."""
    now, before = Counter(values), Counter(previous)
    if order:
        rank = {str(key): number for number, key in enumerate(order)}
        keys = sorted(set(now) | set(before), key=lambda k: (rank.get(str(k), len(rank)), str(k)))
    else:
        keys = sorted(set(now) | set(before), key=lambda k: (-now.get(k, 0), str(k)))
    return [{"label": label(k) or "—", "count": now.get(k, 0), "previous": before.get(k, 0)} for k in keys]


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(share * (len(ordered) - 1))))
    return ordered[index]


def provider_of(revision: UseCaseRevision | None) -> str:
    return ((revision.content.get("answers") or {}).get("provider") or "—") if revision else "—"


def register_row(
    use_case: UseCase, status: str, revision: UseCaseRevision | None, approval: Approval | None
) -> dict[str, Any]:
    """One line of the register: the use case as its latest revision before the cut-off described it."""
    assessed = SavedAssessment.of(revision.assessment_summary if revision else None)
    check = BoundaryCheck.from_dict(revision.boundary_check) if revision else None
    return {
        "ref": use_case.reference,
        "title": use_case.title,
        "team": use_case.team.name,
        "status": Status(status).label if status in Status.values else status,
        "tier": (assessed.tier.label if assessed.tier else "Not assessed yet") if revision else "—",
        "band": assessed.band.label if assessed.band else "—",
        "score": assessed.score,
        "verdict": check.verdict.value if check else "",
        "verdict_label": check.verdict.label if check else "",
        "outside": bool(
            check and check.verdict.breaches
        ),  # outside the boundary: marked in the pack's margin
        "provider": provider_of(revision),
        "submitted_on": timezone.localtime(revision.submitted_at).date() if revision else None,
        "approved_on": timezone.localtime(approval.approved_at).date() if approval else None,
        "re_review_on": approval.re_review_on if approval else None,
    }


# Rows are read this many use cases at a time: three queries per chunk, and never more than a chunk in memory.
REGISTER_CHUNK = 2000


def _register_use_cases(now: datetime) -> QuerySet[UseCase]:
    return UseCase.objects.filter(created_at__lt=now).exclude(status=Status.DRAFT)


def register_is_large(*, inline_limit: int, now: datetime | None = None) -> bool:
    """Whether the register has more than ``inline_limit`` rows, reading at most that many index entries."""
    now = now or timezone.now()
    return _register_use_cases(now).order_by("pk").values("pk")[inline_limit : inline_limit + 1].exists()


def register_rows_iter(
    *, now: datetime | None = None, chunk: int = REGISTER_CHUNK
) -> Iterator[dict[str, Any]]:
    """The register as of ``now``, in reference order, a chunk at a time from a server-side cursor on PostgreSQL
    (memory stays flat whatever the size): per chunk, the use cases, their latest revisions and the live ones'
    approvals. No role check: callers check who may export it."""
    now = now or timezone.now()
    use_cases = (
        _register_use_cases(now)
        .select_related("team")
        .only("reference", "title", "status", "team__name")
        .order_by("reference")
    )
    batch: list[UseCase] = []
    for use_case in use_cases.iterator(chunk_size=chunk):
        batch.append(use_case)
        if len(batch) == chunk:
            yield from _register_chunk(batch, now)
            batch = []
    if batch:
        yield from _register_chunk(batch, now)


def _register_chunk(use_cases: list[UseCase], now: datetime) -> Iterator[dict[str, Any]]:
    revisions = latest_revisions([u.pk for u in use_cases], now)
    live = [u.pk for u in use_cases if u.status in PORTFOLIO_STATES]
    approvals = (
        {
            a.use_case_id: a
            for a in Approval.objects.filter(approved_at__lt=now, use_case_id__in=live)
            .only("use_case_id", "approved_at", "re_review_on")
            .order_by("approved_at")
        }
        if live
        else {}
    )
    for use_case in use_cases:
        yield register_row(use_case, use_case.status, revisions.get(use_case.pk), approvals.get(use_case.pk))


def register_rows(user: Any, *, now: datetime | None = None) -> list[dict[str, Any]]:
    """The register as of now (what the exports download), for the pack roles only: the pack's register rows.

    Now, each use case's status is the one on its row, so nothing is rebuilt from the audit trail: after the role
    check, three queries per chunk of REGISTER_CHUNK use cases (use cases, their latest revisions, approvals of the
    live ones).
    """
    if not can_request_packs(user):
        return []
    return list(register_rows_iter(now=now))


def register_exports_for(user: Any) -> QuerySet[RegisterExport]:
    """The register exports this person asked for, newest first (only theirs: an export is a personal download)."""
    if not getattr(user, "is_authenticated", False) or not can_request_packs(user):
        return RegisterExport.objects.none()
    return RegisterExport.objects.filter(requested_by=user).order_by("-requested_at", "-pk")


# ---------------------------------------------------------------------------------------------------- home page

QUARTERLY_TASK = "reporting.tasks.quarterly_board_pack"


def latest_pack(user: Any) -> BoardPack | None:
    """The newest version of the newest quarter's pack the user may see (one query)."""
    return board_packs_for(user).order_by("-quarter", "-version").first()


def next_scheduled_pack(now: datetime) -> tuple[datetime, Quarter] | None:
    """When beat next prepares a pack, and for which quarter (the one that has just ended), from the beat schedule in
    settings; None when no pack is scheduled (they are prepared on request only)."""
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        schedule = entry.get("schedule")
        if entry.get("task") == QUARTERLY_TASK and hasattr(schedule, "remaining_estimate"):
            # The crontab's estimate lands a hair before the minute it names: to the nearest minute.
            at = (now + schedule.remaining_estimate(now) + timedelta(seconds=30)).replace(
                second=0, microsecond=0
            )
            return at, Quarter.containing(timezone.localtime(at).date()).previous()
    return None


def quarters_with_a_pack(user: Any, quarters: Iterable[str]) -> set[str]:
    """Of these quarters, those with a pack made or being made (a failed one does not count), in one query."""
    return set(
        board_packs_for(user)
        .filter(quarter__in=list(quarters))
        .exclude(status=BoardPack.Status.FAILED)
        .order_by()
        .values_list("quarter", flat=True)
        .distinct()
    )


def first_quarter_without_a_pack(user: Any, quarters: list[str]) -> str | None:
    """The first of these quarters (the most recent first) with no pack made or being made."""
    made = quarters_with_a_pack(user, quarters)
    return next((quarter for quarter in quarters if quarter not in made), None)


# ---------------------------------------------------------------------------------------------------- dashboard

# The executives' dashboard reads a snapshot of the portfolio's figures, not the portfolio: gathering them
# (reporting.pack.pack_context) reads every use case of the quarter, about a second at 100,000. Beat refreshes the
# snapshot every DASHBOARD_REFRESH_SECONDS into the cache (Redis in production, shared by every web process) through
# services.dashboard_refresh; a page that finds none, or one older than two intervals (beat stopped), refreshes it.
DASHBOARD_CACHE_KEY = "reporting:dashboard:snapshot:v1"


def dashboard_snapshot(*, now: datetime | None = None) -> dict[str, Any] | None:
    """The running quarter's latest snapshot (its ``cutoff`` says as of when), or None when there is none recent."""
    now = now or timezone.now()
    snapshot = cache.get(DASHBOARD_CACHE_KEY)
    if snapshot is None:
        return None
    recent = snapshot["cutoff"] >= now - timedelta(seconds=settings.DASHBOARD_REFRESH_SECONDS * 2)
    this_quarter = str(snapshot.get("quarter")) == str(Quarter.containing(timezone.localtime(now).date()))
    return snapshot if recent and this_quarter else None
