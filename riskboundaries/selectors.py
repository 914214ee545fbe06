"""Reads of risk boundaries: the active one, history, what-if impact, and the check used by intake."""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import JSONField, OuterRef, Prefetch, QuerySet, Subquery

from intake.contracts import BoundaryCheck, CheckedAgainstBoundary, SavedAssessment
from intake.models import UseCase, UseCaseRevision
from intake.workflow import LIVE_STATES, WAITING_FOR_DECISION
from riskboundaries.check import check_boundary
from riskboundaries.limits import limits_from_content
from riskboundaries.models import BoundarySignature, RiskBoundary
from riskboundaries.policies import can_manage, signing_refusal
from riskboundaries.workflow import EDITABLE_STATES, BoundaryState

# What-if impact looks at what is live or about to be: approved, under re-review, or waiting for a decision.
IMPACT_STATES = tuple(sorted(LIVE_STATES | WAITING_FOR_DECISION))


def _with_signatures(queryset: QuerySet[RiskBoundary]) -> QuerySet[RiskBoundary]:
    return queryset.select_related("created_by").prefetch_related(
        Prefetch(
            "signatures", queryset=BoundarySignature.objects.select_related("signer").order_by("signed_at")
        )
    )


def active_boundary() -> RiskBoundary | None:
    return _with_signatures(RiskBoundary.objects.filter(state=BoundaryState.ACTIVE)).first()


def boundaries_for(user: Any) -> QuerySet[RiskBoundary]:
    """The CIO and the CISO see every version; everyone else the active and superseded ones (the signed record)."""
    queryset = RiskBoundary.objects.all()
    if not can_manage(user):
        queryset = queryset.filter(state__in=[BoundaryState.ACTIVE, BoundaryState.SUPERSEDED])
    return _with_signatures(queryset).order_by("-version")


def boundary_for(user: Any, version: int) -> RiskBoundary:
    from django.http import Http404

    boundary = boundaries_for(user).filter(version=version).first()
    if boundary is None:
        raise Http404("No such risk boundary.")
    return boundary


def valid_signatures(boundary: RiskBoundary) -> list[BoundarySignature]:
    return [s for s in boundary.signatures.all() if s.voided_at is None]


def check_against_active(
    answers: Mapping[str, Any], assessment: SavedAssessment
) -> CheckedAgainstBoundary | None:
    """The hook intake calls: the verdict of these answers against the active boundary, with its version."""
    boundary = RiskBoundary.objects.filter(state=BoundaryState.ACTIVE).only("version", "content").first()
    if boundary is None:
        return None
    check = check_boundary(answers, assessment, limits_from_content(boundary.content))
    return CheckedAgainstBoundary(boundary.version, check)


def _impact_candidates(states) -> Iterator[UseCase]:
    """Use cases in `states` with their latest revision's content and assessment (one query, nothing else loaded)."""
    latest = UseCaseRevision.objects.filter(use_case=OuterRef("pk"), number=OuterRef("revision_count"))
    use_cases = (
        UseCase.objects.in_state(*states)
        .filter(revision_count__gte=1)
        .select_related("team")
        .annotate(
            latest_content=Subquery(latest.values("content"), output_field=JSONField()),
            latest_assessment=Subquery(latest.values("assessment"), output_field=JSONField()),
        )
        .order_by("id")
    )
    for use_case in use_cases.iterator(chunk_size=500):
        if use_case.latest_content:
            yield use_case


def breaching_use_cases(
    content: Mapping[str, Any], *, states=IMPACT_STATES
) -> list[tuple[UseCase, BoundaryCheck]]:
    """Use cases in `states` whose latest submitted revision would exceed (or be prohibited by) these limits.

    One query: each use case comes with its latest revision's content and assessment (nothing else is loaded).
    """
    limits = limits_from_content(content)
    found = []
    for use_case in _impact_candidates(states):
        check = check_boundary(use_case.latest_content["answers"], use_case.latest_assessment, limits)
        if check.verdict.breaches:
            found.append((use_case, check))
    return found


@dataclass(frozen=True)
class ImpactSplit:
    """A version's what-if against the active boundary: who breaches it newly, who already breached, who no longer.

    Each entry is (use case, its check against the version's limits); for `no_longer`, against the active one's.
    """

    newly: list[tuple[UseCase, BoundaryCheck]]
    already: list[tuple[UseCase, BoundaryCheck]]
    no_longer: list[tuple[UseCase, BoundaryCheck]]
    active_version: int | None

    @property
    def breaching(self) -> list[tuple[UseCase, BoundaryCheck]]:
        """Every use case that would breach the version, in id order (what boundary_impact returns)."""
        return sorted([*self.newly, *self.already], key=lambda pair: pair[0].pk)


def breaching_against_active(
    content: Mapping[str, Any], active: RiskBoundary | None, *, states=IMPACT_STATES
) -> ImpactSplit:
    """The use cases these limits would breach, split by whether `active`'s limits already breach them.

    The same single query as breaching_use_cases: each use case is checked against both sets of limits in memory.
    With no active boundary every breach is new."""
    limits = limits_from_content(content)
    active_limits = limits_from_content(active.content) if active is not None else None
    newly, already, no_longer = [], [], []
    for use_case in _impact_candidates(states):
        answers, assessment = use_case.latest_content["answers"], use_case.latest_assessment
        check = check_boundary(answers, assessment, limits)
        before = check_boundary(answers, assessment, active_limits) if active_limits is not None else None
        was_breaching = before is not None and before.verdict.breaches
        if check.verdict.breaches:
            (already if was_breaching else newly).append((use_case, check))
        elif was_breaching:
            no_longer.append((use_case, before))
    return ImpactSplit(newly, already, no_longer, active.version if active is not None else None)


def boundary_impact(boundary: RiskBoundary) -> list[tuple[UseCase, BoundaryCheck]]:
    return breaching_use_cases(boundary.content)


def boundary_impact_split(boundary: RiskBoundary, active: RiskBoundary | None = None) -> ImpactSplit:
    """What-if for `boundary` against the active one (read unless given); against itself nothing is new."""
    if active is None:
        active = RiskBoundary.objects.filter(state=BoundaryState.ACTIVE).only("version", "content").first()
    return breaching_against_active(boundary.content, active)


def boundary_diff(older: Mapping[str, Any], newer: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each limit that differs between two versions' content: name, before, after."""
    names = list(dict.fromkeys([*older, *newer]))
    return [
        {"limit": name, "before": older.get(name), "after": newer.get(name)}
        for name in names
        if older.get(name) != newer.get(name)
    ]


def boundaries_awaiting_signature_of(user: Any, *, limit: int = 3) -> list[RiskBoundary]:
    """Draft or awaiting-signature versions this person can still sign, newest first (the home's prompt).

    Three queries: the version in force, the newest open versions, their signatures. Whether each can be signed by
    this person is the same answer the sign page gives (policies.signing_refusal)."""
    if not can_manage(user):
        return []
    active_version = (
        RiskBoundary.objects.filter(state=BoundaryState.ACTIVE).values_list("version", flat=True).first()
    )
    open_versions = _with_signatures(RiskBoundary.objects.filter(state__in=tuple(sorted(EDITABLE_STATES))))
    return [
        boundary
        for boundary in open_versions.order_by("-version")[:limit]
        if signing_refusal(user, boundary, valid=valid_signatures(boundary), active_version=active_version)
        is None
    ]
