"""Everything a board pack and the register need, read through the other apps' data as of a cut-off. No writes.

Statuses are taken as they stood at the cut-off, from the audit trail of each use case's transitions, so a pack for
a past quarter says what was true then, not what is true now.
"""

import statistics
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.permissions import granted_filter
from approvals.models import Approval, Condition, ReviewCycle
from approvals.rules import Outcome
from audit.models import AuditEvent
from audit.selectors import audit_head_at
from intake.answers import QUESTIONS_BY_NAME
from intake.assessment.rules import KEY_DATES, RULESET_VERSION
from intake.models import UseCase, UseCaseRevision
from intake.presenters import BANDS, tier_label
from intake.workflow import Status
from reporting.models import BoardPack, BoardPackGroupObjectPermission, BoardPackUserObjectPermission
from reporting.policies import can_request_packs
from reporting.quarters import Quarter
from riskboundaries.limits import LIMIT_LABELS
from riskboundaries.models import RiskBoundary

LIVE = (Status.SUBMITTED, Status.APPROVED, Status.RE_REVIEW_DUE, Status.CHANGES_REQUESTED)
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
    events = (
        AuditEvent.objects.filter(
            object_type="intake.usecase", action__startswith="intake.use_case_", occurred_at__lt=cutoff
        )
        .exclude(action__in=["intake.use_case_created", "intake.use_case_edited"])
        .order_by("sequence")
        .values_list("object_id", "payload")
    )
    for object_id, payload in events.iterator(chunk_size=2000):
        use_case_id = int(object_id)
        if use_case_id in at and payload.get("to"):
            at[use_case_id] = payload["to"]
    return at


def _latest_revisions(ids: Iterable[int], cutoff: datetime) -> dict[int, UseCaseRevision]:
    latest: dict[int, UseCaseRevision] = {}
    revisions = (
        UseCaseRevision.objects.filter(use_case_id__in=list(ids), submitted_at__lt=cutoff)
        .only("use_case_id", "number", "assessment", "boundary_check", "content", "submitted_at")
        .order_by("use_case_id", "number")
    )
    for revision in revisions.iterator(chunk_size=1000):
        latest[revision.use_case_id] = revision
    return latest


def _breakdown(values: Iterable[str], previous: Iterable[str], label=lambda v: v) -> list[dict[str, Any]]:
    now, before = Counter(values), Counter(previous)
    keys = sorted(set(now) | set(before), key=lambda k: (-now.get(k, 0), str(k)))
    return [{"label": label(k) or "—", "count": now.get(k, 0), "previous": before.get(k, 0)} for k in keys]


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(share * (len(ordered) - 1))))
    return ordered[index]


def _provider(revision: UseCaseRevision | None) -> str:
    return ((revision.content.get("answers") or {}).get("provider") or "—") if revision else "—"


def _tier(revision: UseCaseRevision | None) -> str:
    return (revision.assessment.get("eu_ai_act") or {}).get("tier", "") if revision else ""


def _band(revision: UseCaseRevision | None) -> str:
    return revision.assessment.get("band", "") if revision else ""


def pack_context(quarter: Quarter, cutoff: datetime, *, version: int = 1) -> dict[str, Any]:
    """The pack's data, in the shape reporting/pack.html renders (see tests/reporting/pack_context.py)."""
    previous_cutoff = quarter.previous().cutoff(cutoff)
    now_status = statuses_at(cutoff)
    before_status = statuses_at(previous_cutoff)
    submitted = {pk: s for pk, s in now_status.items() if s != Status.DRAFT}
    submitted_before = {pk: s for pk, s in before_status.items() if s != Status.DRAFT}
    use_cases = {
        u.pk: u
        for u in UseCase.objects.filter(pk__in=list(submitted)).select_related("team").order_by("reference")
    }
    revisions = _latest_revisions(submitted, cutoff)
    revisions_before = _latest_revisions(submitted_before, previous_cutoff)

    live = [pk for pk, s in submitted.items() if s in LIVE]
    live_before = [pk for pk, s in submitted_before.items() if s in LIVE]
    status_labels = dict(Status.choices)

    heatmap = [[0] * 5 for _ in range(5)]
    for pk in live:
        revision = revisions.get(pk)
        if revision:
            likelihood, impact = (
                revision.assessment.get("likelihood", 1),
                revision.assessment.get("impact", 1),
            )
            heatmap[5 - likelihood][impact - 1] += 1

    breaches = []
    for pk in live:
        revision = revisions.get(pk)
        check = revision.boundary_check if revision else {}
        if check.get("verdict") in ("exceeds", "prohibited"):
            breaches.append(
                {
                    "ref": use_cases[pk].reference,
                    "title": use_cases[pk].title,
                    "verdict": check["verdict"],
                    "clauses": sorted(
                        {
                            LIMIT_LABELS.get(b.get("clause", ""), b.get("clause", ""))
                            for b in check.get("breaches", [])
                        }
                    ),
                }
            )
    approvals = {
        a.use_case_id: a
        for a in Approval.objects.filter(approved_at__lt=cutoff, use_case_id__in=live).order_by("approved_at")
    }
    cut_day = timezone.localtime(cutoff).date()
    exceptions = [
        {
            "ref": use_cases[pk].reference,
            "title": use_cases[pk].title,
            "expires_on": a.exception_expires_on,
            "days_left": (a.exception_expires_on - cut_day).days,
        }
        for pk, a in approvals.items()
        if a.exception_expires_on and submitted.get(pk) == Status.APPROVED
    ]

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
    decision_rows, durations = [], []
    for cycle in cycles:
        # From when the use case began waiting for this round: its submission, or its being flagged for re-review.
        waited_from = cycle.waiting_since or cycle.revision.submitted_at
        days = (cycle.closed_at - waited_from).total_seconds() / 86400
        durations.append(days)
        decision_rows.append(
            {
                "ref": cycle.use_case.reference,
                "title": cycle.use_case.title,
                "re_review": cycle.kind == ReviewCycle.Kind.RE_REVIEW,
                "outcome": cycle.get_outcome_display(),
                "decided_on": timezone.localtime(cycle.closed_at).date(),
                "days": round(days, 1),
            }
        )

    prohibited = []
    for pk, use_case in use_cases.items():
        if use_case.closed_by_system and pk in revisions:
            labels = [
                QUESTIONS_BY_NAME["prohibited_practices"].label_for(p)
                for p in (revisions[pk].content.get("answers") or {}).get("prohibited_practices", [])
            ]
            prohibited.append(
                {
                    "ref": use_case.reference,
                    "title": use_case.title,
                    "practices": labels,
                    "submitted_on": timezone.localtime(revisions[pk].submitted_at).date(),
                }
            )

    conditions = [
        {
            "ref": c.use_case.reference,
            "text": c.text,
            "owner": c.owner,
            "due_on": c.due_on,
            "overdue": bool(c.due_on and c.due_on < cut_day),
        }
        for c in Condition.objects.filter(created_at__lt=cutoff)
        .filter(Q(met_at__isnull=True) | Q(met_at__gte=cutoff))
        .select_related("use_case")
        .order_by("due_on", "id")
    ]
    overdue_re_reviews = [
        {
            "ref": use_cases[pk].reference,
            "title": use_cases[pk].title,
            "due_since": _due_since(use_cases[pk], approvals.get(pk), cutoff),
        }
        for pk, s in submitted.items()
        if s == Status.RE_REVIEW_DUE
    ]

    derogations = sum(
        1
        for pk in live
        if (
            (revisions.get(pk) and revisions[pk].assessment.get("eu_ai_act", {}).get("derogation")) or {}
        ).get("claimed")
    )
    summary = {
        "total": len(submitted),
        "approved": sum(1 for s in submitted.values() if s == Status.APPROVED),
        "open": sum(
            1
            for s in submitted.values()
            if s in (Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.RE_REVIEW_DUE)
        ),
        "rejected": sum(1 for s in submitted.values() if s == Status.REJECTED),
        "prohibited_blocked": len(prohibited),
        "exceptions_active": len(exceptions),
        "overdue_re_reviews": len(overdue_re_reviews),
        "decisions_this_quarter": len(decision_rows),
        "new_this_quarter": len(set(submitted) - set(submitted_before)),
    }
    rag, reasons = _rag(summary, breaches, exceptions, conditions)
    summary.update({"rag": rag, "rag_reasons": reasons})

    boundary = (
        RiskBoundary.objects.filter(activated_at__lt=cutoff)
        .filter(Q(superseded_at__isnull=True) | Q(superseded_at__gte=cutoff))
        .prefetch_related("signatures__signer")
        .first()
    )

    key_dates = [{"date": d, "what": what} for d, what, _when in KEY_DATES]
    return {
        "quarter": str(quarter),
        "period_start": quarter.start,
        "period_end": quarter.end,
        "cutoff": cutoff,
        "generated_at": timezone.now(),
        "version": version,
        "ruleset_version": RULESET_VERSION,
        "audit_head": audit_head_at(cutoff),
        "boundary": {
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
        if boundary
        else None,
        "summary": summary,
        "portfolio": {
            "by_status": _breakdown(
                submitted.values(), submitted_before.values(), lambda s: status_labels.get(s, s)
            ),
            "by_tier": _breakdown(
                (_tier(revisions.get(pk)) for pk in live),
                (_tier(revisions_before.get(pk)) for pk in live_before),
                lambda t: tier_label(t)["label"],
            ),
            "by_band": _breakdown(
                (_band(revisions.get(pk)) for pk in live),
                (_band(revisions_before.get(pk)) for pk in live_before),
                lambda b: BANDS.get(b, b),
            ),
            "by_team": _breakdown(
                (use_cases[pk].team.name for pk in submitted),
                (use_cases[pk].team.name for pk in submitted_before if pk in use_cases),
            ),
            "by_provider": _breakdown(
                (_provider(revisions.get(pk)) for pk in live),
                (_provider(revisions_before.get(pk)) for pk in live_before),
            ),
        },
        "heatmap": heatmap,
        "exposure": {"breaches": breaches, "exceptions": sorted(exceptions, key=lambda e: e["expires_on"])},
        "decisions": {
            "count": len(decision_rows),
            "median_days": round(statistics.median(durations), 1) if durations else None,
            "p90_days": round(_percentile(durations, 0.9), 1) if durations else None,
            "rows": decision_rows,
        },
        "regulatory": {
            "by_tier": [
                {"label": i["label"], "count": i["count"]}
                for i in _breakdown(
                    (_tier(revisions.get(pk)) for pk in live), [], lambda t: tier_label(t)["label"]
                )
            ],
            "key_dates": key_dates,
            "derogations": derogations,
        },
        "prohibited": prohibited,
        "open_conditions": conditions,
        "overdue_re_reviews": overdue_re_reviews,
        "register": [
            _register_row(use_cases[pk], submitted[pk], revisions.get(pk), approvals.get(pk))
            for pk in sorted(submitted, key=lambda pk: use_cases[pk].reference)
        ],
    }


def _due_since(use_case: UseCase, approval: Approval | None, cutoff: datetime) -> date | None:
    """When a use case due for re-review became due: its flag (by the sweep on the date, or by a new boundary)."""
    flagged = use_case.awaiting_decision_since
    if flagged is not None and flagged < cutoff:
        return timezone.localtime(flagged).date()
    return approval.re_review_on if approval else None


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _rag(summary: dict, breaches: list, exceptions: list, conditions: list) -> tuple[str, list[str]]:
    reasons = []
    red = False
    amber = False
    if summary["overdue_re_reviews"]:
        red = True
        reasons.append(f"{_count(summary['overdue_re_reviews'], 'approved use case')} overdue for re-review.")
    if any(e["days_left"] < 0 for e in exceptions):
        red = True
        reasons.append("An exception has expired while the use case is still approved.")
    if breaches:
        amber = True
        reasons.append(f"{_count(len(breaches), 'live use case')} outside the risk boundary.")
    if any(e["days_left"] <= 30 for e in exceptions):
        amber = True
        reasons.append("Exceptions expire within 30 days.")
    overdue_conditions = sum(1 for c in conditions if c["overdue"])
    if overdue_conditions:
        amber = True
        reasons.append(f"{_count(overdue_conditions, 'condition')} past the due date.")
    if not reasons:
        reasons.append("Every live use case is within the boundary, decided on time and reviewed when due.")
    return ("red" if red else "amber" if amber else "green"), reasons


def _register_row(
    use_case: UseCase, status: str, revision: UseCaseRevision | None, approval: Approval | None
) -> dict[str, Any]:
    """One line of the register: the use case as its latest revision before the cut-off described it."""
    return {
        "ref": use_case.reference,
        "title": use_case.title,
        "team": use_case.team.name,
        "status": Status(status).label if status in Status.values else status,
        "tier": tier_label(_tier(revision))["label"] if revision else "—",
        "band": BANDS.get(_band(revision), "—"),
        "score": revision.assessment.get("score") if revision else None,
        "verdict": (revision.boundary_check or {}).get("verdict", "") if revision else "",
        "provider": _provider(revision),
        "submitted_on": timezone.localtime(revision.submitted_at).date() if revision else None,
        "approved_on": timezone.localtime(approval.approved_at).date() if approval else None,
        "re_review_on": approval.re_review_on if approval else None,
    }


def register_rows(user: Any, *, now: datetime | None = None) -> list[dict[str, Any]]:
    """The register as of now (what the exports download), for the pack roles only: the pack's register rows.

    Now, each use case's status is the one on its row, so nothing is rebuilt from the audit trail: after the role
    check, three queries (use cases, their latest revisions, approvals of the live ones) whatever the size.
    """
    if not can_request_packs(user):
        return []
    now = now or timezone.now()
    use_cases = list(
        UseCase.objects.filter(created_at__lt=now)
        .exclude(status=Status.DRAFT)
        .select_related("team")
        .only("reference", "title", "status", "team__name")
        .order_by("reference")
    )
    revisions = _latest_revisions([u.pk for u in use_cases], now)
    live = [u.pk for u in use_cases if u.status in LIVE]
    approvals = {
        a.use_case_id: a
        for a in Approval.objects.filter(approved_at__lt=now, use_case_id__in=live)
        .only("use_case_id", "approved_at", "re_review_on")
        .order_by("approved_at")
    }
    return [_register_row(u, u.status, revisions.get(u.pk), approvals.get(u.pk)) for u in use_cases]
