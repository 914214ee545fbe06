"""A board pack's content as of a cut-off, section by section: what each page of reporting/pack.html renders.

The facts every section reads (statuses at the cut-off, the latest revisions, approvals) are gathered once into
`PackFacts`; each section is then a named function of those facts. Reads only.
"""

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from typing import Any

from django.db.models import Q
from django.db.models.fields.json import KT
from django.utils import timezone

from approvals.models import Approval, Condition, ReviewCycle
from approvals.rules import Outcome
from audit.events import event_type as audit_event_type
from audit.events import minor_codes
from audit.models import AuditEvent
from audit.selectors import audit_head_at
from config.dates import human_date
from config.quarters import Quarter
from intake import selectors as intake_selectors
from intake.answers import QUESTIONS_BY_NAME
from intake.assessment import duties
from intake.assessment.rules import RULESET_VERSION
from intake.contracts import BoundaryCheck, SavedAssessment
from intake.events import USE_CASE
from intake.models import UseCase, UseCaseRevision
from intake.vocabulary import BANDS_BY_SEVERITY, TIERS_BY_SEVERITY, Band, Tier, Verdict, label_of
from intake.workflow import OPEN_STATES, PORTFOLIO_STATES, Status
from oversight import selectors as oversight_selectors
from reporting.selectors import (
    breakdown,
    latest_revisions,
    percentile,
    provider_of,
    register_row,
    statuses_at,
    statuses_at_each,
)
from riskboundaries.limits import LIMIT_LABELS
from riskboundaries.models import RiskBoundary
from riskboundaries.presenters import ROLE_LABELS, describe_diff
from riskboundaries.selectors import boundary_diff


@dataclass
class PackFacts:
    """What every section reads: the portfolio at this cut-off and at the previous quarter's."""

    quarter: Quarter
    cutoff: datetime
    submitted: dict[int, str]  # use case id -> status at the cut-off, drafts left out
    submitted_before: dict[int, str]
    use_cases: dict[int, UseCase]
    revisions: dict[int, UseCaseRevision]
    revisions_before: dict[int, UseCaseRevision]
    approvals: dict[int, Approval] = field(default_factory=dict)

    @cached_property
    def live(self) -> list[int]:
        return [pk for pk, s in self.submitted.items() if s in PORTFOLIO_STATES]

    @cached_property
    def live_before(self) -> list[int]:
        return [pk for pk, s in self.submitted_before.items() if s in PORTFOLIO_STATES]

    @cached_property
    def cut_day(self) -> date:
        return timezone.localtime(self.cutoff).date()

    _assessed: dict[tuple[int, bool], SavedAssessment] = field(default_factory=dict)

    def assessed(self, pk: int, *, before: bool = False) -> SavedAssessment:
        """The latest revision's assessment, its summary (read once per use case and cut-off)."""
        key = (pk, before)
        if key not in self._assessed:
            revision = (self.revisions_before if before else self.revisions).get(pk)
            self._assessed[key] = SavedAssessment.of(revision.assessment_summary if revision else None)
        return self._assessed[key]


def gather(quarter: Quarter, cutoff: datetime) -> PackFacts:
    previous_cutoff = quarter.previous().cutoff(cutoff)
    submitted = {pk: s for pk, s in statuses_at(cutoff).items() if s != Status.DRAFT}
    submitted_before = {pk: s for pk, s in statuses_at(previous_cutoff).items() if s != Status.DRAFT}
    facts = PackFacts(
        quarter=quarter,
        cutoff=cutoff,
        submitted=submitted,
        submitted_before=submitted_before,
        use_cases={
            u.pk: u
            for u in UseCase.objects.filter(pk__in=list(submitted))
            .select_related("team", "submitter")
            .order_by("reference")
        },
        revisions=latest_revisions(submitted, cutoff),
        revisions_before=latest_revisions(submitted_before, previous_cutoff),
    )
    facts.approvals = {
        a.use_case_id: a
        for a in Approval.objects.filter(approved_at__lt=cutoff, use_case_id__in=facts.live).order_by(
            "approved_at"
        )
    }
    return facts


# --- sections ----------------------------------------------------------------------------------------------------


def heatmap(facts: PackFacts) -> list[list[int]]:
    """Live use cases on the 5×5 likelihood × impact grid (row 0 is likelihood 5)."""
    grid = [[0] * 5 for _ in range(5)]
    for pk in facts.live:
        if pk in facts.revisions:
            assessed = facts.assessed(pk)
            grid[5 - (assessed.likelihood or 1)][(assessed.impact or 1) - 1] += 1
    return grid


def boundary_breaches(facts: PackFacts) -> list[dict[str, Any]]:
    """Live use cases whose latest revision was outside the risk boundary when checked."""
    rows = []
    for pk in facts.live:
        revision = facts.revisions.get(pk)
        check = BoundaryCheck.from_dict(revision.boundary_check if revision else None)
        if check is not None and check.verdict.breaches:
            rows.append(
                {
                    "ref": facts.use_cases[pk].reference,
                    "title": facts.use_cases[pk].title,
                    "verdict": check.verdict.value,
                    "clauses": sorted({LIMIT_LABELS.get(b.clause, b.clause) for b in check.breaches}),
                }
            )
    return rows


def exceptions_in_force(facts: PackFacts) -> list[dict[str, Any]]:
    return [
        {
            "ref": facts.use_cases[pk].reference,
            "title": facts.use_cases[pk].title,
            "expires_on": a.exception_expires_on,
            "days_left": (a.exception_expires_on - facts.cut_day).days,
        }
        for pk, a in facts.approvals.items()
        if a.exception_expires_on and facts.submitted.get(pk) == Status.APPROVED
    ]


def incidents(quarter: Quarter, cutoff: datetime) -> dict[str, Any]:
    """Incidents reported this quarter (to the cut-off): how many, the serious ones, and whether the reporting duties
    they started were met in time, as things stood at the cut-off."""
    start = datetime.combine(quarter.start, datetime.min.time(), tzinfo=UTC)
    figures = oversight_selectors.incidents_figures(start, cutoff, now=cutoff)
    serious = []
    for incident in figures["serious_list"]:
        duties_of = []
        for deadline in incident.deadlines.all():
            met = deadline.met_at is not None and deadline.met_at <= cutoff
            duties_of.append(
                {
                    "duty": deadline.get_duty_display(),
                    "article": deadline.article,
                    "due_at": deadline.due_at,
                    "state": ("met" if deadline.met_at <= deadline.due_at else "met late")
                    if met
                    else ("overdue" if deadline.due_at < cutoff else "open"),
                }
            )
        serious.append(
            {
                "reference": incident.reference,
                "ref": incident.use_case.reference,
                "title": incident.title,
                "kind": incident.get_serious_kind_display(),
                "reported_on": incident.reported_at,
                "duties": duties_of,
            }
        )
    return {
        "total": figures["total"],
        "serious": figures["serious"],
        "deadlines": figures["deadlines"],
        "serious_list": serious,
    }


def decisions(quarter: Quarter, cutoff: datetime) -> dict[str, Any]:
    """The rounds decided this quarter, and how long each waited for its decision."""
    # In UTC, like the cut-off: a decision near midnight on the last day of a quarter belongs to one quarter only.
    start = datetime.combine(quarter.start, datetime.min.time(), tzinfo=UTC)
    cycles = (
        ReviewCycle.objects.filter(closed_at__gte=start, closed_at__lt=cutoff)
        .exclude(outcome=Outcome.WITHDRAWN)  # ended by the requester, not decided
        .select_related("use_case", "revision")
        .only(
            "kind",
            "outcome",
            "closed_at",
            "waiting_since",
            "use_case__reference",
            "use_case__title",
            "revision__submitted_at",
        )
        .order_by("closed_at")
    )
    rows, durations = [], []
    for cycle in cycles:
        # From when the use case began waiting for this round: its submission, or its being flagged for re-review.
        waited_from = cycle.waiting_since or cycle.revision.submitted_at
        days = (cycle.closed_at - waited_from).total_seconds() / 86400
        durations.append(days)
        rows.append(
            {
                "ref": cycle.use_case.reference,
                "title": cycle.use_case.title,
                "re_review": cycle.kind == ReviewCycle.Kind.RE_REVIEW,
                "outcome": cycle.get_outcome_display(),
                "decided_on": timezone.localtime(cycle.closed_at).date(),
                "days": round(days, 1),
            }
        )
    return {
        "count": len(rows),
        "median_days": round(statistics.median(durations), 1) if durations else None,
        "p90_days": round(percentile(durations, 0.9), 1) if durations else None,
        "rows": rows,
    }


def prohibited(facts: PackFacts) -> list[dict[str, Any]]:
    """Requests closed on submission because they involve a prohibited practice."""
    rows = []
    for pk, use_case in facts.use_cases.items():
        if use_case.closed_by_system and pk in facts.revisions:
            revision = facts.revisions[pk]
            rows.append(
                {
                    "ref": use_case.reference,
                    "title": use_case.title,
                    "practices": [
                        QUESTIONS_BY_NAME["prohibited_practices"].label_for(p)
                        for p in (revision.content.get("answers") or {}).get("prohibited_practices", [])
                    ],
                    "submitted_on": timezone.localtime(revision.submitted_at).date(),
                }
            )
    return rows


def open_conditions(facts: PackFacts) -> list[dict[str, Any]]:
    """Conditions set before the cut-off and not met by then."""
    return [
        {
            "ref": ref,
            "text": text,
            "owner": owner,
            "due_on": due_on,
            "overdue": bool(due_on and due_on < facts.cut_day),
        }
        for ref, text, owner, due_on in Condition.objects.filter(created_at__lt=facts.cutoff)
        .filter(Q(met_at__isnull=True) | Q(met_at__gte=facts.cutoff))
        .order_by("due_on", "id")
        .values_list("use_case__reference", "text", "owner", "due_on")
    ]


def overdue_re_reviews(facts: PackFacts) -> list[dict[str, Any]]:
    return [
        {
            "ref": facts.use_cases[pk].reference,
            "title": facts.use_cases[pk].title,
            "due_since": _due_since(facts.use_cases[pk], facts.approvals.get(pk), facts.cutoff),
        }
        for pk, s in facts.submitted.items()
        if s == Status.RE_REVIEW_DUE
    ]


def _due_since(use_case: UseCase, approval: Approval | None, cutoff: datetime) -> date | None:
    """When a use case due for re-review became due: its flag (by the sweep on the date, or by a new boundary)."""
    flagged = use_case.awaiting_decision_since
    if flagged is not None and flagged < cutoff:
        return timezone.localtime(flagged).date()
    return approval.re_review_on if approval else None


def summary(facts: PackFacts, sections: dict[str, Any]) -> dict[str, Any]:
    """The headline counts and the overall status (red, amber, green) with its reasons."""
    counts = {
        "total": len(facts.submitted),
        "approved": sum(1 for s in facts.submitted.values() if s == Status.APPROVED),
        "open": sum(1 for s in facts.submitted.values() if s in OPEN_STATES),
        "rejected": sum(1 for s in facts.submitted.values() if s == Status.REJECTED),
        "prohibited_blocked": len(sections["prohibited"]),
        "exceptions_active": len(sections["exceptions"]),
        "overdue_re_reviews": len(sections["overdue_re_reviews"]),
        "decisions_this_quarter": sections["decisions"]["count"],
        "new_this_quarter": len(set(facts.submitted) - set(facts.submitted_before)),
    }
    rag, reasons = _rag_with_kinds(
        counts, sections["breaches"], sections["exceptions"], sections["open_conditions"]
    )
    return {
        **counts,
        "rag": rag,
        "rag_reasons": [text for _, text in reasons],
        # What each reason is about (RAG_REASON_KINDS), in the same order: the dashboard links each to its list.
        "rag_reason_kinds": [kind for kind, _ in reasons],
    }


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


RAG_REASON_KINDS = (
    "overdue_re_reviews",
    "exception_expired",
    "breaches",
    "exceptions_expiring",
    "conditions_overdue",
    "all_clear",
)


def _rag(counts: dict, breaches: list, exceptions: list, conditions: list) -> tuple[str, list[str]]:
    rag, reasons = _rag_with_kinds(counts, breaches, exceptions, conditions)
    return rag, [text for _, text in reasons]


def _rag_with_kinds(
    counts: dict, breaches: list, exceptions: list, conditions: list
) -> tuple[str, list[tuple[str, str]]]:
    reasons = []
    red = False
    amber = False
    if counts["overdue_re_reviews"]:
        red = True
        reasons.append(
            (
                "overdue_re_reviews",
                f"{_count(counts['overdue_re_reviews'], 'approved use case')} overdue for re-review.",
            )
        )
    if any(e["days_left"] < 0 for e in exceptions):
        red = True
        reasons.append(
            ("exception_expired", "An exception has expired while the use case is still approved.")
        )
    if breaches:
        amber = True
        reasons.append(("breaches", f"{_count(len(breaches), 'live use case')} outside the risk boundary."))
    if any(e["days_left"] <= 30 for e in exceptions):
        amber = True
        reasons.append(("exceptions_expiring", "Exceptions expire within 30 days."))
    overdue_conditions = sum(1 for c in conditions if c["overdue"])
    if overdue_conditions:
        amber = True
        reasons.append(
            ("conditions_overdue", f"{_count(overdue_conditions, 'condition')} past the due date.")
        )
    if not reasons:
        reasons.append(
            (
                "all_clear",
                "Every live use case is within the boundary, decided on time and reviewed when due.",
            )
        )
    return ("red" if red else "amber" if amber else "green"), reasons


def boundary_in_force(cutoff: datetime) -> dict[str, Any] | None:
    """The risk boundary active at the cut-off, with its valid signatures."""
    boundary = (
        RiskBoundary.objects.filter(activated_at__lt=cutoff)
        .filter(Q(superseded_at__isnull=True) | Q(superseded_at__gte=cutoff))
        .prefetch_related("signatures__signer")
        .first()
    )
    if boundary is None:
        return None
    return {
        "version": boundary.version,
        "activated_at": boundary.activated_at,
        "content_hash": boundary.content_hash,
        "signatures": [
            {
                "name": str(s.signer),
                "role": s.role.upper(),
                "signed_at": s.signed_at,
                "content_hash": s.content_hash,
            }
            for s in boundary.signatures.all()
            if s.voided_at is None
        ],
    }


def _tier_label(tier: Tier | None) -> str:
    return tier.label if tier else "Not assessed yet"


def portfolio(facts: PackFacts) -> dict[str, Any]:
    """The portfolio by status, tier, band, team and provider, against the previous quarter."""
    return {
        "by_status": breakdown(
            facts.submitted.values(), facts.submitted_before.values(), lambda s: label_of(Status, s, empty="")
        ),
        "by_tier": breakdown(
            (facts.assessed(pk).tier for pk in facts.live),
            (facts.assessed(pk, before=True).tier for pk in facts.live_before),
            _tier_label,
            order=TIERS_BY_SEVERITY,
        ),
        "by_band": breakdown(
            (facts.assessed(pk).band for pk in facts.live),
            (facts.assessed(pk, before=True).band for pk in facts.live_before),
            lambda b: label_of(Band, b, empty=""),
            order=BANDS_BY_SEVERITY,
        ),
        "by_team": breakdown(
            (facts.use_cases[pk].team.name for pk in facts.submitted),
            (facts.use_cases[pk].team.name for pk in facts.submitted_before if pk in facts.use_cases),
        ),
        "by_provider": breakdown(
            (provider_of(facts.revisions.get(pk)) for pk in facts.live),
            (provider_of(facts.revisions_before.get(pk)) for pk in facts.live_before),
        ),
    }


def regulatory(facts: PackFacts) -> dict[str, Any]:
    """EU AI Act exposure: live use cases by tier, the Act's key dates (as they stand in the database), Art. 6(3)
    derogations claimed, and the live use cases' obligations by state."""
    dates = intake_selectors.key_dates()
    return {
        "by_tier": [
            {"label": item["label"], "count": item["count"]}
            for item in breakdown((facts.assessed(pk).tier for pk in facts.live), [], _tier_label)
        ],
        "key_dates": [{"date": key_date.applies_on.isoformat(), "what": key_date.what} for key_date in dates],
        "derogations": sum(1 for pk in facts.live if facts.assessed(pk).derogation.claimed),
        "obligations": obligations_readiness(
            facts, {key_date.key: key_date.applies_on for key_date in dates}
        ),
    }


def obligations_readiness(facts: PackFacts, applies_on: dict[str, date]) -> dict[str, Any]:
    """The live use cases' EU AI Act obligations by state and by whose duty, and how many are already in force
    (their key date on or before the cut-off) and not met: the readiness the board asks about."""
    states = intake_selectors.obligation_states_for(facts.live)
    by_state: Counter[str] = Counter()
    by_role: dict[str, Counter[str]] = {}
    due_not_met, use_cases_due = 0, set()
    for pk in facts.live:
        revision = facts.revisions.get(pk)
        domain = (revision.content.get("answers") or {}).get("decision_domain") if revision else None
        items = duties.items_of(facts.assessed(pk).source, annex_i=domain == "annex_i_safety_component")
        for item in items:
            state = states.get((pk, item["id"]), "open")
            by_state[state] += 1
            by_role.setdefault(item["role"], Counter())[state] += 1
            when = applies_on.get(item["date_key"]) if item["date_key"] else None
            if state in ("open", "in_hand") and (when is None or when <= facts.cut_day):
                due_not_met += 1
                use_cases_due.add(pk)
    return {
        "total": sum(by_state.values()),
        "by_state": [
            {"state": value, "label": label, "count": by_state[value]} for value, label in duties.STATES
        ],
        "by_role": [
            {"label": label, **{value: by_role[role][value] for value, _ in duties.STATES}}
            for role, label in duties.ROLE_GROUPS
            if role in by_role
        ],
        "in_force_not_met": due_not_met,
        "use_cases_in_force_not_met": len(use_cases_due),
    }


def register(facts: PackFacts) -> list[dict[str, Any]]:
    return [
        register_row(
            facts.use_cases[pk], facts.submitted[pk], facts.revisions.get(pk), facts.approvals.get(pk)
        )
        for pk in sorted(facts.submitted, key=lambda pk: facts.use_cases[pk].reference)
    ]


# --- trends over the last quarters ---------------------------------------------------------------------------------

TREND_QUARTERS = 6
TREND_MINIMUM = 4
# Each trend's key, its title, and whether a rise is bad news for the board (all but the portfolio's size).
TREND_SERIES = (
    ("live", "Live use cases", False),
    ("high_risk", "High-risk use cases (EU AI Act)", True),
    ("prohibited", "Prohibited requests blocked", True),
    ("exceptions", "Exceptions in force", True),
    ("overdue_re_reviews", "Re-reviews overdue", True),
    ("median_days", "Median days to decision", True),
)


def trend_quarters(quarter: Quarter, count: int = TREND_QUARTERS) -> list[Quarter]:
    """The ``count`` quarters ending with ``quarter``, oldest first."""
    quarters = [quarter]
    while len(quarters) < count:
        quarters.insert(0, quarters[0].previous())
    return quarters


def trends(quarter: Quarter, cutoff: datetime, *, count: int = TREND_QUARTERS) -> dict[str, Any]:
    """The headline figures as of each of the last quarters' cut-offs, read from the audit trail like the deltas.

    Six queries whatever the number of quarters or use cases: use cases, state changes, those closed by the system,
    revisions, approvals and decided rounds. Quarters before the first use case are left out, keeping at least TREND_MINIMUM."""
    quarters = trend_quarters(quarter, count)
    cutoffs = [q.cutoff(cutoff) for q in quarters]
    statuses = statuses_at_each(cutoffs)
    last = max(cutoffs)
    closed_by_system = set(
        UseCase.objects.filter(created_at__lt=last, closed_by_system=True).values_list("pk", flat=True)
    )
    # Only the tier of each revision's assessment, read by the database: decoding every revision's JSON in Python
    # was a third of the pack's gathering.
    revisions = list(
        UseCaseRevision.objects.filter(submitted_at__lt=last)
        .order_by("use_case_id", "number")
        .values_list("use_case_id", "submitted_at", KT("assessment__eu_ai_act__tier"))
    )
    approvals = list(
        Approval.objects.filter(approved_at__lt=last)
        .only("use_case_id", "approved_at", "exception_expires_on")
        .order_by("approved_at")
    )
    first_start = datetime.combine(quarters[0].start, datetime.min.time(), tzinfo=UTC)
    cycles = list(
        ReviewCycle.objects.filter(closed_at__gte=first_start, closed_at__lt=last)
        .exclude(outcome=Outcome.WITHDRAWN)
        .values_list("closed_at", "waiting_since", "revision__submitted_at")
    )
    points = []
    for q, cut, status in zip(quarters, cutoffs, statuses, strict=True):
        submitted = {pk: s for pk, s in status.items() if s != Status.DRAFT}
        live = {pk for pk, s in submitted.items() if s in PORTFOLIO_STATES}
        latest: dict[int, str | None] = {}  # use case id -> its latest revision's tier (code)
        for use_case_id, submitted_at, tier in revisions:
            if submitted_at < cut:
                latest[use_case_id] = tier
        in_force: dict[int, Approval] = {}
        for approval in approvals:
            if approval.approved_at < cut and approval.use_case_id in live:
                in_force[approval.use_case_id] = approval
        start = datetime.combine(q.start, datetime.min.time(), tzinfo=UTC)
        durations = [
            (closed - (waiting or submitted_at)).total_seconds() / 86400
            for closed, waiting, submitted_at in cycles
            if start <= closed < cut
        ]
        points.append(
            {
                "quarter": str(q),
                "cutoff": cut,
                "live": len(live),
                "high_risk": sum(1 for pk in live if latest.get(pk) == Tier.HIGH.value),
                "prohibited": sum(1 for pk in submitted if pk in closed_by_system and pk in latest),
                "exceptions": sum(
                    1
                    for pk, a in in_force.items()
                    if a.exception_expires_on and submitted.get(pk) == Status.APPROVED
                ),
                "overdue_re_reviews": sum(1 for s in submitted.values() if s == Status.RE_REVIEW_DUE),
                "median_days": round(statistics.median(durations), 1) if durations else None,
            }
        )
    while (
        len(points) > TREND_MINIMUM
        and not points[0]["live"]
        and not any(points[0][key] for key, _, _ in TREND_SERIES)
    ):
        points.pop(0)
    return {"points": points, "series": trend_series(points)}


def trend_arrow(now: float | None, before: float | None, *, rise_is_bad: bool) -> dict[str, Any]:
    """This quarter against the last: an arrow, its words (for every reader, screen readers included) and a tone."""
    if now is None or before is None:
        return {
            "arrow": "",
            "direction": "none",
            "words": "no comparison with last quarter",
            "tone": "none",
            "change": None,
        }
    change = round(now - before, 1)
    if change == 0:
        return {
            "arrow": "=",
            "direction": "flat",
            "words": "unchanged on last quarter",
            "tone": "flat",
            "change": 0,
        }
    figure = f"{abs(change):g}"
    up = change > 0
    return {
        "arrow": "▲" if up else "▼",
        "direction": "up" if up else "down",
        "words": f"{'up' if up else 'down'} {figure} on last quarter",
        "tone": "bad" if up == rise_is_bad else "good",
        "change": change,
    }


def trend_series(points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One series per headline figure: its values by quarter, the latest, and the arrow against the quarter before."""
    series = []
    for key, title, rise_is_bad in TREND_SERIES:
        values = [point[key] for point in points]
        now = values[-1] if values else None
        before = values[-2] if len(values) > 1 else None
        series.append(
            {
                "key": key,
                "title": title,
                "quarters": [point["quarter"] for point in points],
                "values": values,
                "latest": now,
                "previous": before,
                "trend": trend_arrow(now, before, rise_is_bad=rise_is_bad),
            }
        )
    return series


# --- top risks ---------------------------------------------------------------------------------------------------

TOP_RISKS_MAX = 10
TOP_RISKS_MIN = 5
# What makes a live use case matter to the board, on top of its inherent score (1 to 25).
EXCEEDS_WEIGHT = 8
EXCEPTION_WEIGHT = 4


def risk_priority(candidate: dict[str, Any]) -> int:
    """A use case's weight for the top-risk list: its inherent score, more when outside the boundary or on an
    exception."""
    return (
        (candidate.get("score") or 0)
        + (EXCEEDS_WEIGHT if candidate.get("exceeds") else 0)
        + (EXCEPTION_WEIGHT if candidate.get("exception_expires_on") else 0)
    )


def rank_top_risks(
    candidates: list[dict[str, Any]], *, most: int = TOP_RISKS_MAX, least: int = TOP_RISKS_MIN
) -> list[dict[str, Any]]:
    """The live use cases that matter most: every one scoring high or critical, outside the boundary or on an
    exception (at most ``most``), topped up to ``least`` with the next highest; heaviest first, then by reference."""
    ordered = sorted(candidates, key=lambda c: (-risk_priority(c), str(c.get("ref"))))
    notable = [
        c for c in ordered if (c.get("score") or 0) >= 10 or c.get("exceeds") or c.get("exception_expires_on")
    ]
    chosen = notable[:most]
    if len(chosen) < least:
        chosen += [c for c in ordered if c not in chosen][: least - len(chosen)]
    return sorted(chosen, key=lambda c: (-risk_priority(c), str(c.get("ref"))))


def top_risks(facts: PackFacts, open_conditions_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The top risks with their owners, controls in place, open conditions and what changed this quarter (two
    queries: their conditions met by the cut-off, and their events this quarter)."""
    candidates = []
    for pk in facts.live:
        use_case = facts.use_cases[pk]
        revision = facts.revisions.get(pk)
        assessed = facts.assessed(pk)
        check = BoundaryCheck.from_dict(revision.boundary_check if revision else None)
        approval = facts.approvals.get(pk)
        exception = (
            approval.exception_expires_on
            if approval and approval.exception_expires_on and facts.submitted.get(pk) == Status.APPROVED
            else None
        )
        candidates.append(
            {
                "pk": pk,
                "ref": use_case.reference,
                "title": use_case.title,
                "team": use_case.team.name,
                "owner": use_case.business_owner or str(use_case.submitter),
                "submitter": str(use_case.submitter),
                "status": label_of(Status, facts.submitted[pk], empty=""),
                "tier": _tier_label(assessed.tier),
                "score": assessed.score,
                "band": assessed.band.label if assessed.band else "",
                "band_code": assessed.band.value if assessed.band else "",
                "exceeds": bool(check and check.verdict.breaches),
                "verdict": check.verdict.label if check else "Not checked against a boundary",
                "breaches": sorted({LIMIT_LABELS.get(b.clause, b.clause) for b in check.breaches})
                if check
                else [],
                "exception_expires_on": exception,
            }
        )
    chosen = rank_top_risks(candidates)
    ids = [c["pk"] for c in chosen]
    met: dict[int, list[str]] = {}
    for use_case_id, text in (
        Condition.objects.filter(use_case_id__in=ids, met_at__lt=facts.cutoff)
        .order_by("met_at", "id")
        .values_list("use_case_id", "text")
    ):
        met.setdefault(use_case_id, []).append(text)
    start = datetime.combine(facts.quarter.start, datetime.min.time(), tzinfo=UTC)
    changes: dict[int, list[str]] = {}
    for object_id, action, occurred_at in (
        AuditEvent.objects.filter(
            object_type=USE_CASE,
            object_id__in=[str(pk) for pk in ids],
            occurred_at__gte=start,
            occurred_at__lt=facts.cutoff,
        )
        .exclude(action__in=sorted(minor_codes()))
        .order_by("sequence")
        .values_list("object_id", "action", "occurred_at")
    ):
        change = f"{audit_event_type(action).label} on {human_date(occurred_at)}"
        if change not in changes.setdefault(int(object_id), []):
            changes[int(object_id)].append(change)
    by_ref: dict[str, list[dict[str, Any]]] = {}
    for row in open_conditions_rows:
        by_ref.setdefault(row["ref"], []).append(row)
    for c in chosen:
        pk = c.pop("pk")
        c["controls"] = list(dict.fromkeys(met.get(pk, [])))  # a control met on several approvals counts once
        c["open_conditions"] = [
            {"text": row["text"], "due_on": row["due_on"], "overdue": row["overdue"]}
            for row in by_ref.get(c["ref"], [])
        ]
        c["changes"] = changes.get(pk, [])
    return chosen


# --- risk appetite -----------------------------------------------------------------------------------------------


def _boundary_at(cutoff: datetime) -> RiskBoundary | None:
    return (
        RiskBoundary.objects.filter(activated_at__lt=cutoff)
        .filter(Q(superseded_at__isnull=True) | Q(superseded_at__gte=cutoff))
        .first()
    )


def appetite(facts: PackFacts, boundary: dict[str, Any] | None) -> dict[str, Any]:
    """What changed in the risk boundary this quarter (its limits before and after, who signed when) and the live
    portfolio against the boundary in force."""
    now = _boundary_at(facts.cutoff)
    before = _boundary_at(facts.quarter.previous().cutoff(facts.cutoff))
    changed = now is not None and (before is None or before.pk != now.pk)
    rows = describe_diff(boundary_diff(before.content, now.content)) if changed and before and now else []
    verdicts: dict[str, int] = {}
    for pk in facts.live:
        revision = facts.revisions.get(pk)
        check = BoundaryCheck.from_dict(revision.boundary_check if revision else None)
        label = check.verdict.label if check else "Not checked against a boundary"
        verdicts[label] = verdicts.get(label, 0) + 1
    order = [
        v.label for v in (Verdict.PROHIBITED, Verdict.EXCEEDS, Verdict.WITHIN_WITH_CONDITIONS, Verdict.WITHIN)
    ]
    exposure = sorted(
        verdicts.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order)
    )
    return {
        "changed": changed,
        "version_before": before.version if before else None,
        "version": now.version if now else None,
        "activated_at": now.activated_at if now else None,
        "first": changed and before is None,
        "diff": rows,
        "signatures": [
            {
                "name": s["name"],
                "role": ROLE_LABELS.get(s["role"].lower(), s["role"]),
                "signed_at": s["signed_at"],
            }
            for s in (boundary or {}).get("signatures", [])
        ],
        "exposure": [{"label": label, "count": count} for label, count in exposure],
    }


# --- page one: key messages and asks ------------------------------------------------------------------------------

RAG_WORDS = {"red": "Red", "amber": "Amber", "green": "Green"}


def _plural(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def key_messages(facts: dict[str, Any]) -> list[dict[str, str]]:
    """Three to five sentences the board must take away, each with the section that backs it.

    ``facts``: summary (counts, rag, rag_reasons), breaches and exceptions (exposure rows), trends (the series by key),
    appetite, decisions. Pure: the same figures always give the same messages."""
    summary = facts["summary"]
    series = {s["key"]: s for s in facts.get("trends", [])}
    breaches = facts.get("breaches", [])
    exceptions = facts.get("exceptions", [])
    messages = []
    reasons = summary.get("rag_reasons") or []
    status = RAG_WORDS.get(summary.get("rag", ""), "Not rated")
    messages.append(
        {
            "text": f"Overall status is {status}" + (f": {reasons[0].rstrip('.')}." if reasons else "."),
            "section": "summary",
        }
    )
    if breaches:
        breaching = {b["ref"] for b in breaches}
        held = sorted((e for e in exceptions if e["ref"] in breaching), key=lambda e: e["expires_on"])
        text = f"{_plural(len(breaches), 'live use case')} exceed{'s' if len(breaches) == 1 else ''} the risk boundary"
        if held:
            n = len(held)
            if len(breaches) == 1:
                text += "; it holds an exception"
            elif n == len(breaches):
                text += f"; {'both' if n == 2 else 'all'} hold exceptions"
            else:
                text += f"; {n} {'holds an exception' if n == 1 else 'hold exceptions'}"
            text += (
                f", {'expiring' if n == 1 else 'the first expiring'} on {human_date(held[0]['expires_on'])}"
            )
            if n < len(breaches):
                text += f"; {len(breaches) - n} {'has' if len(breaches) - n == 1 else 'have'} none"
        messages.append({"text": text + ".", "section": "exposure"})
    else:
        messages.append({"text": "No live use case exceeds the risk boundary.", "section": "exposure"})
    live = series.get("live")
    high = series.get("high_risk")
    if live and live["latest"] is not None:
        text = f"The portfolio holds {_plural(live['latest'], 'live use case')}"
        if live["trend"]["change"] not in (None, 0):
            text += f" ({live['trend']['words']})"
        if high and high["latest"] is not None:
            text += f", of which {high['latest']} {'is' if high['latest'] == 1 else 'are'} high-risk under the EU AI Act"
        messages.append({"text": text + ".", "section": "trends"})
    appetite_facts = facts.get("appetite") or {}
    if appetite_facts.get("changed") and not appetite_facts.get("first"):
        signers = " and ".join(s["name"] for s in appetite_facts.get("signatures", []))
        messages.append(
            {
                "text": f"The risk boundary moved to version {appetite_facts['version']} this quarter "
                f"({_plural(len(appetite_facts.get('diff', [])), 'limit')} changed)"
                + (f", signed by {signers}" if signers else "")
                + ".",
                "section": "appetite",
            }
        )
    overdue = summary.get("overdue_re_reviews") or 0
    if overdue:
        messages.append(
            {
                "text": f"{_plural(overdue, 'approved use case')} {'is' if overdue == 1 else 'are'} overdue for "
                "re-review and running on an out-of-date decision.",
                "section": "follow-up",
            }
        )
    decided = facts.get("decisions") or {}
    if len(messages) < 5 and decided.get("count"):
        median = series.get("median_days")
        text = f"{_plural(decided['count'], 'decision')} this quarter, in a median of {decided['median_days']:g} days"
        if median and median["trend"]["change"] not in (None, 0):
            text += f" ({median['trend']['words']})"
        messages.append({"text": text + ".", "section": "decisions"})
    blocked = summary.get("prohibited_blocked") or 0
    if len(messages) < 5 and blocked:
        messages.append(
            {
                "text": f"{_plural(blocked, 'request')} for a practice the EU AI Act prohibits "
                f"{'was' if blocked == 1 else 'were'} blocked on submission.",
                "section": "prohibited",
            }
        )
    return messages[:5]


EXCEPTION_HORIZON_DAYS = 90
# Page one names expiring exceptions one by one up to this many; past it, one ask covers them all (the exposure
# section lists each), so page one stays one page whatever the portfolio's size.
ASKS_NAMED_AT_MOST = 3


def board_asks(facts: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    """What the board is asked: decisions to take and items to note, each with its section. Pure."""
    summary = facts["summary"]
    decisions_asked, notes = [], []
    breaches = facts.get("breaches", [])
    exceptions = facts.get("exceptions", [])
    breaching = {b["ref"] for b in breaches}
    expiring = sorted(
        (e for e in exceptions if e["ref"] in breaching and e["days_left"] <= EXCEPTION_HORIZON_DAYS),
        key=lambda e: (e["expires_on"], e["ref"]),
    )
    if len(expiring) > ASKS_NAMED_AT_MOST:
        first, last = human_date(expiring[0]["expires_on"]), human_date(expiring[-1]["expires_on"])
        when = f"all expire on {first}" if first == last else f"expire between {first} and {last}"
        decisions_asked.append(
            {
                "text": f"Decide whether to accept {len(expiring)} live use cases outside the risk boundary beyond "
                f"their exceptions, which {when}; each is listed under exposure.",
                "section": "exposure",
            }
        )
    else:
        for item in expiring:
            decisions_asked.append(
                {
                    "text": f"Decide whether to accept {item['ref']} {item['title']} outside the risk boundary "
                    f"beyond its exception, which expires on {human_date(item['expires_on'])}.",
                    "section": "exposure",
                }
            )
    unheld = [b for b in breaches if b["ref"] not in {e["ref"] for e in exceptions}]
    if unheld:
        decisions_asked.append(
            {
                "text": f"Confirm the risk appetite: {_plural(len(unheld), 'live use case')} "
                f"{'lies' if len(unheld) == 1 else 'lie'} outside the boundary without an exception.",
                "section": "appetite",
            }
        )
    appetite_facts = facts.get("appetite") or {}
    if appetite_facts.get("changed"):
        notes.append(
            {
                "text": f"Note risk boundary version {appetite_facts['version']}, signed this quarter.",
                "section": "appetite",
            }
        )
    overdue = summary.get("overdue_re_reviews") or 0
    if overdue:
        notes.append(
            {
                "text": f"Note {_plural(overdue, 're-review')} overdue; the CIO and the CISO are asked to clear "
                "them before the next quarter.",
                "section": "follow-up",
            }
        )
    overdue_conditions = sum(1 for c in facts.get("open_conditions", []) if c.get("overdue"))
    if overdue_conditions:
        notes.append(
            {
                "text": f"Note {_plural(overdue_conditions, 'approval condition')} past the due date.",
                "section": "follow-up",
            }
        )
    notes.append({"text": "Note the top risks and their owners.", "section": "top-risks"})
    return {"decisions": decisions_asked, "notes": notes}


# --- the pack ----------------------------------------------------------------------------------------------------


def default_issue(quarter: Quarter, cutoff: datetime) -> dict[str, Any]:
    """A pack nobody has issued yet: a draft, interim while its quarter is still running at the cut-off."""
    quarter_end = datetime.combine(quarter.next().start, datetime.min.time(), tzinfo=cutoff.tzinfo)
    return {"issued": False, "interim": cutoff < quarter_end, "statement": None, "signatures": []}


def pack_context(
    quarter: Quarter, cutoff: datetime, *, version: int = 1, issue: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The pack's data, in the shape reporting/pack.html renders (see tests/reporting/pack_context.py).

    ``issue`` (issued or draft, interim, the joint statement and its signatures) is passed through unchanged."""
    facts = gather(quarter, cutoff)
    sections = {
        "breaches": boundary_breaches(facts),
        "exceptions": exceptions_in_force(facts),
        "decisions": decisions(quarter, cutoff),
        "prohibited": prohibited(facts),
        "open_conditions": open_conditions(facts),
        "overdue_re_reviews": overdue_re_reviews(facts),
    }
    boundary = boundary_in_force(cutoff)
    pack_summary = summary(facts, sections)
    trend = trends(quarter, cutoff)
    risk_appetite = appetite(facts, boundary)
    exceptions_by_expiry = sorted(sections["exceptions"], key=lambda e: e["expires_on"])
    page_one_facts = {
        "summary": pack_summary,
        "breaches": sections["breaches"],
        "exceptions": exceptions_by_expiry,
        "trends": trend["series"],
        "appetite": risk_appetite,
        "decisions": sections["decisions"],
        "open_conditions": sections["open_conditions"],
    }
    return {
        "issue": issue if issue is not None else default_issue(quarter, cutoff),
        "key_messages": key_messages(page_one_facts),
        "asks": board_asks(page_one_facts),
        "trends": trend,
        "top_risks": top_risks(facts, sections["open_conditions"]),
        "appetite": risk_appetite,
        "quarter": str(quarter),
        "period_start": quarter.start,
        "period_end": quarter.end,
        "cutoff": cutoff,
        "generated_at": timezone.now(),
        "version": version,
        "ruleset_version": RULESET_VERSION,
        "audit_head": audit_head_at(cutoff),
        "boundary": boundary,
        "summary": pack_summary,
        "portfolio": portfolio(facts),
        "heatmap": heatmap(facts),
        "exposure": {
            "breaches": sections["breaches"],
            "exceptions": exceptions_by_expiry,
        },
        "decisions": sections["decisions"],
        "regulatory": regulatory(facts),
        "prohibited": sections["prohibited"],
        "incidents": incidents(quarter, cutoff),
        "attestations": oversight_selectors.attestation_figures(quarter),
        "open_conditions": sections["open_conditions"],
        "overdue_re_reviews": sections["overdue_re_reviews"],
        "register": register(facts),
    }
