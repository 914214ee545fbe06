"""Reads of risk boundaries: the active one, history, what-if impact, and the check used by intake."""

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    F,
    Func,
    JSONField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Coalesce, JSONObject

from intake.contracts import BoundaryCheck, CheckedAgainstBoundary, SavedAssessment
from intake.models import UseCase, UseCaseRevision
from intake.workflow import LIVE_STATES, WAITING_FOR_DECISION, Status
from riskboundaries.check import ANSWERS_READ, FACTS_VERSION, check_boundary
from riskboundaries.limits import limits_from_content
from riskboundaries.models import BoundarySignature, ReReviewRun, RiskBoundary
from riskboundaries.policies import can_manage, signing_refusal
from riskboundaries.workflow import EDITABLE_STATES, BoundaryState

# What-if impact looks at what is live or about to be: approved, under re-review, or waiting for a decision.
IMPACT_STATES = tuple(sorted(LIVE_STATES | WAITING_FOR_DECISION))


def _with_signatures(queryset: QuerySet[RiskBoundary]) -> QuerySet[RiskBoundary]:
    return queryset.select_related("created_by", "re_review_run").prefetch_related(
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


def re_review_run_of(boundary: RiskBoundary | None) -> ReReviewRun | None:
    """The re-review pass that followed this boundary's activation (None before it took effect)."""
    if boundary is None or boundary.activated_at is None:
        return None
    try:
        return boundary.re_review_run  # loaded with the boundary by boundaries_for and active_boundary
    except ReReviewRun.DoesNotExist:
        return None


def re_review_reason_prefix(version: int) -> str:
    """How the reason of every use case a boundary's re-review pass moved begins (services write it, reads find it)."""
    return f"Risk boundary v{version} took effect"


def moved_to_re_review_by(boundary: RiskBoundary, *, at_most: int) -> list[tuple[str, str]]:
    """(reference, title) of the first ``at_most`` use cases this boundary's pass sent to re-review, still waiting."""
    return list(
        UseCase.objects.filter(
            status=Status.RE_REVIEW_DUE, status_reason__startswith=re_review_reason_prefix(boundary.version)
        )
        .order_by("pk")
        .values_list("reference", "title")[:at_most]
    )


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


def _check_facts() -> JSONObject:
    """What a boundary check reads of a revision, as one JSON object built in the database: the answers it reads
    (ANSWERS_READ, a test holds the check to them) and the assessment's tier, prohibited practices, band and score,
    with the version of these reads. Nothing else of the frozen JSON leaves the database, and equal facts group
    together. The same object as check_facts_of builds in Python at submission (a test holds them equal)."""
    answers = KeyTransform("answers", "content")
    eu = KeyTransform("eu_ai_act", "assessment")
    return JSONObject(
        v=Value(FACTS_VERSION),
        answers=JSONObject(**{key: KeyTransform(key, answers) for key in ANSWERS_READ}),
        tier=KeyTransform("tier", eu),
        prohibited=KeyTransform("prohibited_practices", eu),
        band=KeyTransform("band", "assessment"),
        score=KeyTransform("score", "assessment"),
    )


# Facts kept with a use case that were written for this version of the reads (riskboundaries.check.FACTS_VERSION).
CURRENT_FACTS = Q(check_facts__v=FACTS_VERSION)


def _latest_check_facts() -> Coalesce:
    """A use case's check facts: those kept with it at its last submission (``UseCase.check_facts``) when they are of
    this version of the reads, else built from its latest revision's JSON (a use case submitted before the facts were
    kept, or under other reads)."""
    kept = Case(When(CURRENT_FACTS, then=F("check_facts")), default=None, output_field=JSONField())
    return Coalesce(kept, built_check_facts(), output_field=JSONField())


def _check_input(facts: Mapping[str, Any] | None) -> tuple[Mapping[str, Any], SavedAssessment] | None:
    """``_check_facts`` as check_boundary takes them: the answers and the assessment (None without a revision)."""
    if not facts or not isinstance(facts.get("answers"), dict):
        return None
    assessment = {
        "eu_ai_act": {"tier": facts.get("tier"), "prohibited_practices": facts.get("prohibited")},
        "band": facts.get("band"),
        "score": facts.get("score"),
    }
    return facts["answers"], SavedAssessment.of(assessment)


def built_check_facts() -> Subquery:
    """For a query or an update of use cases: each one's check facts built from its latest revision's JSON."""
    latest = UseCaseRevision.objects.filter(use_case=OuterRef("pk"), number=OuterRef("revision_count"))
    return Subquery(latest.annotate(facts=_check_facts()).values("facts"), output_field=JSONField())


def stale_check_facts(use_cases: QuerySet[UseCase]) -> QuerySet[UseCase]:
    """Submitted use cases whose kept check facts are missing or of other reads than this version's."""
    return use_cases.filter(revision_count__gte=1).filter(Q(check_facts__isnull=True) | ~CURRENT_FACTS)


def with_latest_facts(use_cases: QuerySet[UseCase]) -> QuerySet[UseCase]:
    """``use_cases`` with what a boundary check reads of each one's latest revision, in the same query (read it back
    with ``latest_facts``)."""
    return use_cases.filter(revision_count__gte=1).annotate(latest_facts=_latest_check_facts())


def latest_facts(use_case: UseCase) -> tuple[Mapping[str, Any], SavedAssessment] | None:
    """The answers and the assessment of a use case read through ``with_latest_facts``."""
    return _check_input(use_case.latest_facts)


def _impact_candidates(states) -> Iterator[tuple[UseCase, Mapping[str, Any], SavedAssessment]]:
    """Use cases in `states` with their latest revision's answers and assessment (one query, nothing else loaded)."""
    use_cases = with_latest_facts(UseCase.objects.in_state(*states)).select_related("team").order_by("id")
    for use_case in use_cases.iterator(chunk_size=2000):
        facts = latest_facts(use_case)
        if facts is not None:
            yield use_case, *facts


def breaching_use_cases(
    content: Mapping[str, Any], *, states=IMPACT_STATES
) -> list[tuple[UseCase, BoundaryCheck]]:
    """Use cases in `states` whose latest submitted revision would exceed (or be prohibited by) these limits.

    One query: each use case comes with its latest revision's content and assessment (nothing else is loaded).
    """
    limits = limits_from_content(content)
    found = []
    for use_case, answers, assessment in _impact_candidates(states):
        check = check_boundary(answers, assessment, limits)
        if check.verdict.breaches:
            found.append((use_case, check))
    return found


@dataclass(frozen=True)
class ImpactSplit:
    """A version's what-if against the active boundary: who breaches it newly, who already breached, who no longer.

    Each entry is (use case, its check against the version's limits); for `no_longer`, against the active one's. The
    lists hold every such use case, or the first `listed` of each (in id order) when a limit was asked for; `counts`
    always has the whole number of each.
    """

    newly: list[tuple[UseCase, BoundaryCheck]]
    already: list[tuple[UseCase, BoundaryCheck]]
    no_longer: list[tuple[UseCase, BoundaryCheck]]
    active_version: int | None
    counts: Mapping[str, int] | None = None

    def count(self, group: str) -> int:
        return self.counts[group] if self.counts is not None else len(getattr(self, group))

    @property
    def breaching(self) -> list[tuple[UseCase, BoundaryCheck]]:
        """Every use case that would breach the version (as listed), in id order (what boundary_impact returns)."""
        return sorted([*self.newly, *self.already], key=lambda pair: pair[0].pk)


def _classify(
    answers: Mapping[str, Any], assessment: SavedAssessment, limits, active_limits
) -> tuple[str | None, BoundaryCheck | None]:
    """Which group of the what-if a use case falls in, with the check to show for it."""
    check = check_boundary(answers, assessment, limits)
    before = check_boundary(answers, assessment, active_limits) if active_limits is not None else None
    was_breaching = before is not None and bool(before.verdict.breaches)
    if check.verdict.breaches:
        return ("already" if was_breaching else "newly"), check
    if was_breaching:
        return "no_longer", before
    return None, None


def breaching_against_active(
    content: Mapping[str, Any],
    active: RiskBoundary | None,
    *,
    states=IMPACT_STATES,
    listed: int | None = None,
) -> ImpactSplit:
    """The use cases these limits would breach, split by whether `active`'s limits already breach them.

    On PostgreSQL, set-based: one grouped query (``_fact_groups``: the facts kept with the use cases; a second one
    only for use cases without them) finds each distinct combination of what a check reads (ANSWERS_READ and the
    assessment's tier, band, score and prohibited practices) with how many use cases share it and the first ids;
    each combination is checked once, and one more query loads the use cases listed. Elsewhere each use case is
    read and checked (one query). With no active boundary every breach is new. ``listed`` caps the use cases listed
    per group (None: all of them)."""
    limits = limits_from_content(content)
    active_limits = limits_from_content(active.content) if active is not None else None
    active_version = active.version if active is not None else None
    if connection.vendor != "postgresql":
        groups: dict[str, list] = {"newly": [], "already": [], "no_longer": []}
        for use_case, answers, assessment in _impact_candidates(states):
            group, check = _classify(answers, assessment, limits, active_limits)
            if group:
                groups[group].append((use_case, check))
        counts = {key: len(pairs) for key, pairs in groups.items()}
        if listed is not None:
            groups = {key: pairs[:listed] for key, pairs in groups.items()}
        return ImpactSplit(**groups, active_version=active_version, counts=counts)
    counts = {"newly": 0, "already": 0, "no_longer": 0}
    first_ids: dict[str, list[int]] = {"newly": [], "already": [], "no_longer": []}
    check_of: dict[int, BoundaryCheck] = {}
    for facts, how_many, ids in _fact_groups(states, listed):
        checked = _check_input(facts)
        if checked is None:
            continue
        group, check = _classify(*checked, limits, active_limits)
        if group:
            counts[group] += how_many
            first_ids[group] += ids
            check_of.update(dict.fromkeys(ids, check))
    for group, ids in first_ids.items():
        first_ids[group] = sorted(ids)[:listed] if listed is not None else sorted(ids)
    wanted = [pk for ids in first_ids.values() for pk in ids]
    loaded = UseCase.objects.filter(pk__in=wanted).select_related("team").in_bulk() if wanted else {}
    groups = {
        key: [(loaded[pk], check_of[pk]) for pk in ids if pk in loaded] for key, ids in first_ids.items()
    }
    return ImpactSplit(**groups, active_version=active_version, counts=counts)


class _AsText(Func):
    """A JSON value as its text (PostgreSQL's jsonb output)."""

    template = "(%(expressions)s)::text"
    output_field = TextField()


class _FirstOf(Func):
    """The first ``n`` items of an array (PostgreSQL)."""

    template = "(%(expressions)s)[1:%(n)s]"
    output_field = ArrayField(BigIntegerField())


def _fact_groups(states, listed: int | None) -> Iterator[tuple[dict[str, Any] | None, int, list[int]]]:
    """(what the check reads, how many use cases share it, the first ids of them) for the use cases in ``states``
    (PostgreSQL): one statement groups them by the facts kept with them, a plain column of their own rows (as text,
    jsonb's own output: text sorts faster than jsonb compares), no revision read. Use cases without
    facts of this version (submitted before the facts were kept, under other reads, or loaded in bulk) form groups of
    their own there; only then does a second statement group those by what their latest revision's JSON says. A
    combination found by both is one group here."""
    first = (
        _FirstOf(ArrayAgg("pk", order_by="pk"), n=listed)
        if listed is not None
        else ArrayAgg("pk", order_by="pk")
    )
    in_states = UseCase.objects.filter(status__in=states, revision_count__gte=1)

    def grouped(use_cases: QuerySet[UseCase], facts) -> list[tuple[Any, int, list[int]]]:
        return list(
            use_cases.values(facts=facts)
            .annotate(how_many=Count("pk"), ids=first)
            .values_list("facts", "how_many", "ids")
            .order_by()
        )

    found, any_stale = [], False
    for text, how_many, ids in grouped(in_states, _AsText("check_facts")):
        facts = json.loads(text) if text else None
        if isinstance(facts, dict) and facts.get("v") == FACTS_VERSION:
            found.append((facts, how_many, ids))
        else:
            any_stale = True
    if any_stale:
        # Each one's facts read from its latest revision by the unique (use case, number).
        found += grouped(stale_check_facts(in_states), built_check_facts())
    groups: dict[str, list] = {}
    for facts, how_many, ids in found:
        group = groups.setdefault(json.dumps(facts, sort_keys=True), [facts, 0, []])
        group[1] += how_many
        group[2] += ids or []
    for facts, how_many, ids in groups.values():
        ids = sorted(ids)
        yield facts, how_many, ids[:listed] if listed is not None else ids


def boundary_impact(boundary: RiskBoundary) -> list[tuple[UseCase, BoundaryCheck]]:
    return breaching_use_cases(boundary.content)


def boundary_impact_split(
    boundary: RiskBoundary, active: RiskBoundary | None = None, *, listed: int | None = None
) -> ImpactSplit:
    """What-if for `boundary` against the active one (read unless given); against itself nothing is new."""
    if active is None:
        active = RiskBoundary.objects.filter(state=BoundaryState.ACTIVE).only("version", "content").first()
    return breaching_against_active(boundary.content, active, listed=listed)


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
