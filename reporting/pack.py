"""A board pack's content as of a cut-off, section by section: what each page of reporting/pack.html renders.

The facts every section reads (statuses at the cut-off, the latest revisions, approvals) are gathered once into
`PackFacts`; each section is then a named function of those facts. Reads only.
"""

import statistics
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from typing import Any

from django.db.models import Q
from django.utils import timezone

from approvals.models import Approval, Condition, ReviewCycle
from approvals.rules import Outcome
from audit.selectors import audit_head_at
from intake.answers import QUESTIONS_BY_NAME
from intake.assessment.rules import KEY_DATES, RULESET_VERSION
from intake.contracts import BoundaryCheck, SavedAssessment
from intake.models import UseCase, UseCaseRevision
from intake.vocabulary import BANDS_BY_SEVERITY, TIERS_BY_SEVERITY, Band, Tier, label_of
from intake.workflow import OPEN_STATES, PORTFOLIO_STATES, Status
from reporting.quarters import Quarter
from reporting.selectors import (
    breakdown,
    latest_revisions,
    percentile,
    provider_of,
    register_row,
    statuses_at,
)
from riskboundaries.limits import LIMIT_LABELS
from riskboundaries.models import RiskBoundary


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
        """The latest revision's assessment (read once per use case and cut-off)."""
        key = (pk, before)
        if key not in self._assessed:
            revision = (self.revisions_before if before else self.revisions).get(pk)
            self._assessed[key] = SavedAssessment.of(revision.assessment if revision else None)
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
            .select_related("team")
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
            "ref": c.use_case.reference,
            "text": c.text,
            "owner": c.owner,
            "due_on": c.due_on,
            "overdue": bool(c.due_on and c.due_on < facts.cut_day),
        }
        for c in Condition.objects.filter(created_at__lt=facts.cutoff)
        .filter(Q(met_at__isnull=True) | Q(met_at__gte=facts.cutoff))
        .select_related("use_case")
        .order_by("due_on", "id")
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
    """EU AI Act exposure: live use cases by tier, the Act's key dates, and Art. 6(3) derogations claimed."""
    return {
        "by_tier": [
            {"label": item["label"], "count": item["count"]}
            for item in breakdown((facts.assessed(pk).tier for pk in facts.live), [], _tier_label)
        ],
        "key_dates": [{"date": d, "what": what} for d, what, _when in KEY_DATES],
        "derogations": sum(1 for pk in facts.live if facts.assessed(pk).derogation.claimed),
    }


def register(facts: PackFacts) -> list[dict[str, Any]]:
    return [
        register_row(
            facts.use_cases[pk], facts.submitted[pk], facts.revisions.get(pk), facts.approvals.get(pk)
        )
        for pk in sorted(facts.submitted, key=lambda pk: facts.use_cases[pk].reference)
    ]


# --- the pack ----------------------------------------------------------------------------------------------------


def pack_context(quarter: Quarter, cutoff: datetime, *, version: int = 1) -> dict[str, Any]:
    """The pack's data, in the shape reporting/pack.html renders (see tests/reporting/pack_context.py)."""
    facts = gather(quarter, cutoff)
    sections = {
        "breaches": boundary_breaches(facts),
        "exceptions": exceptions_in_force(facts),
        "decisions": decisions(quarter, cutoff),
        "prohibited": prohibited(facts),
        "open_conditions": open_conditions(facts),
        "overdue_re_reviews": overdue_re_reviews(facts),
    }
    return {
        "quarter": str(quarter),
        "period_start": quarter.start,
        "period_end": quarter.end,
        "cutoff": cutoff,
        "generated_at": timezone.now(),
        "version": version,
        "ruleset_version": RULESET_VERSION,
        "audit_head": audit_head_at(cutoff),
        "boundary": boundary_in_force(cutoff),
        "summary": summary(facts, sections),
        "portfolio": portfolio(facts),
        "heatmap": heatmap(facts),
        "exposure": {
            "breaches": sections["breaches"],
            "exceptions": sorted(sections["exceptions"], key=lambda e: e["expires_on"]),
        },
        "decisions": sections["decisions"],
        "regulatory": regulatory(facts),
        "prohibited": sections["prohibited"],
        "open_conditions": sections["open_conditions"],
        "overdue_re_reviews": sections["overdue_re_reviews"],
        "register": register(facts),
    }
