"""Reads of the joint decision: the shared review queue (one query a page), decisions, conditions, approvals."""

import copy
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import connections
from django.db.models import (
    Exists,
    F,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import JSONObject
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.roles import roles_of
from approvals import urgency
from approvals.models import Approval, Condition, ReviewCycle, SlotDecision
from approvals.policies import slots_of
from approvals.rules import Slot, latest_exception_on
from approvals.urgency import SEGMENTS, Group, Position, Segment
from config.compiled import CompiledRows, StatementCache
from intake.answers import QUESTIONS_BY_NAME
from intake.contracts import CheckedAgainstBoundary, RequiredControl
from intake.deadlines import overdue_cutoff, working_days_between
from intake.models import UseCase, UseCaseRevision
from intake.presenters import DESCRIPTIVE_LABELS, answer_text
from intake.selectors import boundary_check_for, latest_revision, use_cases_visible_to
from intake.vocabulary import Verdict
from intake.workflow import LIVE_STATES, OPEN_STATES, WAITING_FOR_DECISION, Status
from riskboundaries.models import RiskBoundary

QUEUE_STATES = tuple(sorted(WAITING_FOR_DECISION))


def _open_decisions(slot: str) -> QuerySet[SlotDecision]:
    # .order_by(): the model's default ordering would add a sort to every per-row subquery.
    return SlotDecision.objects.filter(
        use_case=OuterRef("pk"), cycle__closed_at__isnull=True, slot=slot
    ).order_by()


def _slot_decision(slot: str) -> Subquery:
    """The open cycle's decision in ``slot`` as one JSON object (decision, decider, decider_name), or NULL: one
    subquery per slot rather than one per field, cheaper to build, to compile and to run."""
    decided = JSONObject(
        decision="decision", decider="decider__username", decider_name="decider__display_name"
    )
    return Subquery(_open_decisions(slot).values(decided=decided)[:1], output_field=JSONField())


def review_queue_for(
    user: Any,
    *,
    waiting_on: str | None = None,
    overdue: bool = False,
    re_review: bool = False,
    all_open: bool = False,
    overdue_before: datetime | None = None,
) -> QuerySet[UseCase]:
    """The shared queue: use cases waiting for a decision that the user may see, with both slots of the open cycle.

    One query: permission filtering with Exists(), the two slots as subqueries, ordered by id for cursor pagination.
    "Waiting" filters are NOT EXISTS over open-cycle decisions (the planner estimates those well; an IS NULL on the
    slot annotation made it choose nested loops over every row: seconds at 100,000 use cases, see bench/queue.py).
    """
    narrowed = waiting_on is not None
    states = tuple(sorted(OPEN_STATES)) if all_open and not narrowed else QUEUE_STATES
    queryset = (
        use_cases_visible_to(user)
        .filter(status__in=states)
        .annotate(
            cio_slot=_slot_decision(Slot.CIO),
            ciso_slot=_slot_decision(Slot.CISO),
            # What a decision must name besides the round (a column): the current revision's hash.
            content_hash=Subquery(
                UseCaseRevision.objects.filter(use_case=OuterRef("pk"), number=OuterRef("revision_count"))
                .order_by()
                .values("content_hash")[:1]
            ),
        )
        .order_by("-id")
    )
    if waiting_on == "me":
        open_slot = Q(pk__in=[])
        for slot in slots_of(user):
            open_slot |= ~Exists(_open_decisions(slot))
        decided = SlotDecision.objects.filter(
            use_case=OuterRef("pk"), decider=user, cycle__closed_at__isnull=True
        )
        queryset = queryset.filter(open_slot).exclude(submitter=user).exclude(Exists(decided))
    elif waiting_on in Slot.values:
        queryset = queryset.exclude(Exists(_open_decisions(waiting_on)))
    if overdue:
        queryset = queryset.filter(
            awaiting_decision_since__lt=overdue_before or overdue_cutoff(timezone.now())
        )
    if re_review:
        queryset = queryset.filter(status=Status.RE_REVIEW_DUE)
    return queryset


@dataclass(frozen=True)
class QueueRow:
    use_case: UseCase
    age_working_days: int
    overdue: bool
    waiting_on_me: bool
    slots: dict[str, dict[str, str] | None]


def slot_of(use_case: UseCase, slot: str) -> dict[str, str] | None:
    """The decision in ``slot`` of a review_queue_for row ({"decision", "decider", "decider_name"}), or None."""
    return _slot(getattr(use_case, f"{slot}_slot", None))


def _slot(decided: dict | None) -> dict[str, str] | None:
    if not decided or not decided.get("decision"):
        return None
    return {
        "decision": decided["decision"],
        "decider": decided["decider"],
        "decider_name": decided.get("decider_name") or decided["decider"],
    }


class _RowFacts:
    """What queue rows work out in Python for one person at one moment: age, overdue, waiting on them."""

    def __init__(self, user: Any, now: datetime | None):
        self.now = now or timezone.now()
        self.today = timezone.localtime(self.now).date()
        self.cutoff = overdue_cutoff(self.now)
        self.mine = set(slots_of(user))
        self.user_id, self.username = user.pk, user.get_username()

    def __call__(self, status, submitter_id, since, slots) -> tuple[int, bool, bool]:
        deciders = {s["decider"] for s in slots.values() if s}
        waiting = (
            status in QUEUE_STATES
            and submitter_id != self.user_id
            and self.username not in deciders
            and any(slots[slot] is None for slot in self.mine)
        )
        age = working_days_between(timezone.localtime(since).date(), self.today) if since else 0
        return age, since is not None and since < self.cutoff, waiting


def queue_rows(user: Any, use_cases: list[UseCase], *, now: datetime | None = None) -> list[QueueRow]:
    """Per-row facts computed in Python from the annotated page: no further queries."""
    facts = _RowFacts(user, now)
    rows = []
    for use_case in use_cases:
        slots = {slot: slot_of(use_case, slot) for slot in Slot.values}
        age, overdue, waiting = facts(
            use_case.status, use_case.submitter_id, use_case.awaiting_decision_since, slots
        )
        rows.append(QueueRow(use_case, age, overdue, waiting, slots))
    return rows


# The queue API's page: the same query as review_queue_for, as values, compiled once per shape ------------------

QUEUE_VALUES = (
    "id",
    "reference",
    "title",
    "team__name",
    "status",
    "tier",
    "band",
    "score",
    "boundary_verdict",
    "revision_count",
    "review_round",
    "content_hash",
    "submitted_at",
    "submitter_id",
    "awaiting_decision_since",
    "cio_slot",
    "ciso_slot",
)
QUEUE_STATEMENTS = StatementCache(size=256)


def review_queue_source(
    user: Any,
    *,
    waiting_on: str | None = None,
    overdue: bool = False,
    re_review: bool = False,
    all_open: bool = False,
    now: datetime | None = None,
) -> CompiledRows:
    """review_queue_for's rows as dicts (``QUEUE_VALUES``), for a cursor paginator: built and compiled once per
    shape (the person's roles and slots, the filters, the page), run with the person's id, the cursor's position and
    the overdue cut-off as parameters. The queue API's page is then its SQL and little else (bench/README.md)."""
    roles = roles_of(user)
    shape = (
        "review_queue",
        roles,
        tuple(slots_of(user)),
        bool(getattr(user, "is_authenticated", False) and user.is_active),
        waiting_on,
        overdue,
        re_review,
        all_open,
    )
    values: dict[str, Any] = {"user_id": user.pk}
    if overdue:
        values["overdue_before"] = overdue_cutoff(now or timezone.now())

    def build(user_id: int, overdue_before: datetime | None = None) -> QuerySet:
        person = copy.copy(user)  # the same roles (cached on it), another id: the placeholder's
        person.pk = user_id
        queryset = review_queue_for(
            person,
            waiting_on=waiting_on,
            overdue=overdue,
            re_review=re_review,
            all_open=all_open,
            overdue_before=overdue_before,
        )
        return queryset.values(*QUEUE_VALUES)

    return CompiledRows(QUEUE_STATEMENTS, shape, build, values)


def queue_items(
    user: Any, rows: list[dict[str, Any]], *, now: datetime | None = None
) -> list[dict[str, Any]]:
    """Each row of review_queue_source with its slots and the per-row facts, as plain values."""
    facts = _RowFacts(user, now)
    items = []
    for row in rows:
        slots = {Slot.CIO.value: _slot(row["cio_slot"]), Slot.CISO.value: _slot(row["ciso_slot"])}
        age, overdue, waiting = facts(
            row["status"], row["submitter_id"], row["awaiting_decision_since"], slots
        )
        items.append(
            {**row, "age_working_days": age, "overdue": overdue, "waiting_on_me": waiting, "slots": slots}
        )
    return items


def decisions_for(use_case: UseCase) -> QuerySet[SlotDecision]:
    return (
        SlotDecision.objects.filter(use_case=use_case)
        .select_related("decider", "cycle")
        .order_by("decided_at")
    )


def conditions_for(use_case: UseCase) -> QuerySet[Condition]:
    return (
        Condition.objects.filter(use_case=use_case)
        .select_related("met_by", "decision")
        .order_by("due_on", "id")
    )


def standing_approval(use_case: UseCase) -> Approval | None:
    return Approval.objects.filter(use_case=use_case).order_by("-approved_at").first()


def condition_for(user: Any, pk: int) -> Condition:
    """A condition of a use case the user may see, or 404."""
    condition = (
        Condition.objects.filter(pk=pk, use_case__in=use_cases_visible_to(user).values("pk"))
        .select_related("use_case")
        .first()
    )
    if condition is None:
        raise Http404("No such condition.")
    return condition


def revision_changes(use_case: UseCase) -> tuple[int | None, list[dict[str, Any]]]:
    """What changed between the revision last decided on and the current one, in the questions' words."""
    previous = (
        use_case.decisions.exclude(revision_number=use_case.revision_count)
        .order_by("-revision_number")
        .values_list("revision_number", flat=True)
        .first()
    )
    if previous is None:
        return None, []
    contents = dict(
        use_case.revisions.filter(number__in=[previous, use_case.revision_count]).values_list(
            "number", "content"
        )
    )
    old, new = contents.get(previous, {}), contents.get(use_case.revision_count, {})
    changes = [
        {"label": label, "before": old.get(name), "after": new.get(name)}
        for name, label in DESCRIPTIVE_LABELS.items()
        if old.get(name) != new.get(name)
    ]
    old_answers, new_answers = old.get("answers", {}), new.get("answers", {})
    changes += [
        {
            "label": question.label,
            "before": answer_text(question, old_answers.get(name)),
            "after": answer_text(question, new_answers.get(name)),
        }
        for name, question in QUESTIONS_BY_NAME.items()
        if old_answers.get(name) != new_answers.get(name)
    ]
    return previous, changes


# ---------------------------------------------------------------------------------------------------- home page

HOME_ITEMS = 5
EXPIRING_WITHIN_DAYS = 30


@dataclass(frozen=True)
class UrgentPage:
    items: list[UseCase]
    next_cursor: str | None  # the cursor of the next page; None on the last


def _segment_rows(
    queryset: QuerySet[UseCase], segment: Segment, cursor: Position | None, cutoff: datetime, limit: int
):
    """The first ``limit`` rows of one segment past the cursor, as (id, band, since): an index range read in order
    (intake's usecase_open_by_urgency_idx)."""
    rows = queryset.order_by()
    if segment.group == Group.UNDATED:
        rows = rows.filter(awaiting_decision_since__isnull=True)
    elif segment.group == Group.OVERDUE:
        rows = rows.filter(awaiting_decision_since__lt=cutoff)
    else:
        rows = rows.filter(awaiting_decision_since__gte=cutoff)
    if segment.band is not None:
        rows = rows.filter(band=segment.band)
    if urgency.after(segment, cursor) == "part":
        if segment.group == Group.UNDATED:
            rows = rows.filter(id__gt=cursor.id)
        else:
            rows = rows.filter(
                Q(awaiting_decision_since__gt=cursor.since)
                | Q(awaiting_decision_since=cursor.since, id__gt=cursor.id)
            )
    order = ("id",) if segment.group == Group.UNDATED else ("awaiting_decision_since", "id")
    return rows.order_by(*order).values_list("id", "band", "awaiting_decision_since")[:limit]


def _as_datetime(value: Any) -> datetime | None:
    """A timestamp read by a raw cursor: PostgreSQL gives aware datetimes, SQLite naive ones (or text) in UTC."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else parse_datetime(str(value))
    return moment if moment is None or timezone.is_aware(moment) else timezone.make_aware(moment, UTC)


def most_urgent_page(
    queryset: QuerySet[UseCase], *, cursor: object = None, size: int, now: datetime | None = None
) -> UrgentPage:
    """A page of ``queryset`` (a review_queue_for result) most urgent first, past the raw ``cursor`` of a link.

    Two queries whatever the size: one statement reads each segment's next ``size + 1`` rows from the index (a
    UNION ALL of small ordered reads; a single ORDER BY over a CASE would sort every waiting row), and the page's rows
    are then read with their annotations."""
    cutoff = overdue_cutoff(now or timezone.now())
    position = Position.decode(cursor, cutoff)
    parts = [
        _segment_rows(queryset, segment, position, cutoff, size + 1)
        for segment in SEGMENTS
        if urgency.after(segment, position) != "none"
    ]
    if not parts:
        return UrgentPage([], None)
    statements, params = [], []
    for number, part in enumerate(parts):
        sql, part_params = part.query.get_compiler(using=part.db).as_sql()
        statements.append(f"SELECT * FROM ({sql}) AS segment_{number}")  # noqa: S608 - compiled by Django
        params.extend(part_params)
    with connections[queryset.db].cursor() as db:
        db.execute(" UNION ALL ".join(statements), params)
        found = db.fetchall()
    ordered = sorted(
        (
            Position.of(band=band or "", since=_as_datetime(since), id=pk, cutoff=cutoff)
            for pk, band, since in found
        ),
        key=Position.key,
    )[: size + 1]
    page = ordered[:size]
    by_id = {uc.pk: uc for uc in queryset.filter(pk__in=[p.id for p in page])} if page else {}
    return UrgentPage(
        [by_id[p.id] for p in page if p.id in by_id],
        page[-1].encode() if len(ordered) > size else None,
    )


def waiting_on_me_summary(user: Any, *, now: datetime | None = None) -> tuple[int, list[QueueRow]]:
    """How many use cases wait on this person's decision, and the few most urgent: three queries whatever the size."""
    now = now or timezone.now()
    waiting = review_queue_for(user, waiting_on="me")
    count = capped_count(waiting)
    first = most_urgent_page(waiting, size=HOME_ITEMS, now=now).items if count else []
    return count, queue_rows(user, first, now=now)


# Counts on tabs and the home stop here: "999+" says as much as 43,512 and costs a thousand rows, not the portfolio.
COUNT_CAP = 999


def capped_count(queryset: QuerySet[UseCase]) -> int:
    """How many rows, up to COUNT_CAP + 1 (shown as "999+"): a COUNT over at most that many rows."""
    return queryset.order_by().values("pk")[: COUNT_CAP + 1].count()


def queue_counts(user: Any, filters: dict[str, dict[str, Any]]) -> dict[str, int]:
    """One bounded COUNT per queue tab (``filters``: the tab's key -> review_queue_for's options)."""
    return {key: capped_count(review_queue_for(user, **options)) for key, options in filters.items()}


@dataclass(frozen=True)
class Expiring:
    """A condition falling due or an exception running out on a live use case, within the horizon or already past."""

    kind: str  # "condition" or "exception"
    use_case: UseCase
    on: date
    text: str
    overdue: bool


def expiring_soon(
    user: Any, *, today: date | None = None, days: int = EXPIRING_WITHIN_DAYS, limit: int = HOME_ITEMS
) -> tuple[int, list[Expiring]]:
    """Open conditions due and standing exceptions expiring within ``days`` (or already past) on live use cases the
    user may see: how many, and the soonest ``limit``. Four queries whatever the size."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=days)
    live = use_cases_visible_to(user).filter(status__in=tuple(sorted(LIVE_STATES))).values("pk")
    conditions = Condition.objects.filter(
        use_case__in=live, met_at__isnull=True, due_on__isnull=False, due_on__lte=horizon
    )
    newer = Approval.objects.filter(use_case=OuterRef("use_case"), approved_at__gt=OuterRef("approved_at"))
    exceptions = Approval.objects.filter(
        use_case__in=live, exception_expires_on__isnull=False, exception_expires_on__lte=horizon
    ).exclude(Exists(newer))
    count = conditions.order_by().count() + exceptions.order_by().count()
    items = [
        Expiring("condition", c.use_case, c.due_on, c.text, c.due_on < today)
        for c in conditions.select_related("use_case").order_by("due_on", "id")[:limit]
    ] + [
        Expiring(
            "exception",
            a.use_case,
            a.exception_expires_on,
            "Exception to the risk boundary",
            a.exception_expires_on < today,
        )
        for a in exceptions.select_related("use_case").order_by("exception_expires_on", "id")[:limit]
    ]
    items.sort(key=lambda item: (item.on, item.kind))
    return count, items[:limit]


def conditions_due_for_submitter(user: Any, *, limit: int = HOME_ITEMS) -> tuple[int, list[Condition]]:
    """Open conditions on the live use cases this person submitted, soonest due first: theirs to meet and mark."""
    open_conditions = Condition.objects.filter(
        use_case__in=use_cases_visible_to(user)
        .filter(submitter=user, status__in=tuple(sorted(LIVE_STATES)))
        .values("pk"),
        met_at__isnull=True,
    )
    count = open_conditions.order_by().count()
    if not count:
        return 0, []
    first = open_conditions.select_related("use_case").order_by(F("due_on").asc(nulls_last=True), "id")[
        :limit
    ]
    return count, list(first)


# ------------------------------------------------------------------------------------------- what a decision is held to


def cycle_check(use_case: UseCase, revision: Any) -> CheckedAgainstBoundary | None:
    """The boundary check a decision is held to (intake's one rule: frozen at submission for a first decision, the
    boundary in force now for a re-review or when nothing was active at submission); None when no boundary applies."""
    return boundary_check_for(use_case, revision)


def exception_max_days_of(check: CheckedAgainstBoundary | None) -> int | None:
    """The longest exception allowed by the boundary the check was made against (None: no boundary, no limit)."""
    if check is None:
        return None
    content = (
        RiskBoundary.objects.filter(version=check.boundary_version).values_list("content", flat=True).first()
    )
    return content.get("exception_max_days") if content else None


@dataclass(frozen=True)
class DecisionTerms:
    """What a decision on the current revision is held to: the open round's terms when there is one (what the
    service checks), otherwise those the round will open with."""

    revision: UseCaseRevision
    boundary: CheckedAgainstBoundary | None
    verdict: str
    in_re_review: bool
    required_controls: tuple[RequiredControl, ...]
    latest_exception: (
        date | None
    )  # the last day an exception granted today may run to; None: no exception allowed


def decision_terms(use_case: UseCase, decisions: list[SlotDecision], *, today: date) -> DecisionTerms:
    revision = latest_revision(use_case)
    if revision is None:
        raise Http404("Nothing submitted yet.")
    boundary = cycle_check(use_case, revision)
    cycle = next((d.cycle for d in decisions if d.cycle.closed_at is None), None)
    if cycle is not None:
        verdict, in_re_review = cycle.boundary_verdict, cycle.kind == ReviewCycle.Kind.RE_REVIEW
        controls, max_days = cycle.required_controls, cycle.exception_max_days
    else:
        verdict = boundary.verdict.value if boundary else ""
        in_re_review = use_case.status == Status.RE_REVIEW_DUE
        controls = boundary.check.conditions if boundary else ()
        max_days = exception_max_days_of(boundary)
    return DecisionTerms(
        revision=revision,
        boundary=boundary,
        verdict=verdict,
        in_re_review=in_re_review,
        required_controls=tuple(controls),
        latest_exception=latest_exception_on(today, max_days) if verdict == Verdict.EXCEEDS else None,
    )
