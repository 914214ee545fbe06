"""Reads of use cases, always scoped to what the user may see (guardian grants, filtered in one query)."""

from collections import Counter
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import Permission
from django.contrib.postgres.search import TrigramDistance
from django.db import connection
from django.db.models import (
    BigIntegerField,
    CharField,
    Count,
    Exists,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Lower
from django.http import Http404
from django.utils import timezone

from accounts.permissions import granted_filter
from accounts.roles import APPROVER_ROLES, group_ids_of, roles_of
from audit.selectors import audit_timeline
from config.compiled import CursorSource
from intake import hooks, policies
from intake.assessment import assess, duties
from intake.contracts import BoundaryCheck, CheckedAgainstBoundary
from intake.deadlines import overdue_cutoff
from intake.listfilters import ExceptionFilter, RequestFilters
from intake.models import (
    KeyDate,
    ObligationState,
    RulesetChange,
    RulesetUpgrade,
    UseCase,
    UseCaseGroupObjectPermission,
    UseCaseRevision,
    UseCaseUserObjectPermission,
)
from intake.similarity import normalise_letters, search_words, title_similarity
from intake.workflow import EDITABLE_STATES, WAITING_FOR_DECISION, Status

VIEW = "view_usecase"


def _visible_filter(user: Any) -> Q:
    """Direct grants to the user, or grants to any group the user is in (one query either way).

    The CIO and the CISO see nearly every submitted request through their group grants: for them one EXISTS over
    `user grants UNION ALL group grants` is probed row by row through the content_object indexes and stops after a
    page. For everyone else an OR of two EXISTS is cheaper (PostgreSQL hashes their few grants once). Measured with
    bench/queue.py: 116 ms -> 2 ms for the CIO's page at 100,000 use cases; 35 ms vs 300 ms for a requester.
    """
    per_row = bool(roles_of(user) & APPROVER_ROLES)
    return granted_filter(
        user, UseCaseUserObjectPermission, UseCaseGroupObjectPermission, VIEW, per_row=per_row
    )


def use_cases_visible_to(user: Any) -> QuerySet[UseCase]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return UseCase.objects.none()
    return UseCase.objects.filter(_visible_filter(user)).select_related("team", "submitter")


class GrantedUseCases(CursorSource):
    """The use cases a person sees through their grants, a page at a time, for the cursor paginator of the
    use-case list API: the same rows as ``use_cases_visible_to(user)`` ordered by id.

    For people who see little (requesters, the board secretary), visibility is an OR of two EXISTS, and PostgreSQL
    hashes every grant of the person's groups before it returns a row: all of a team's use cases, 125,000 at
    1,000,000, and 119 ms a page (bench/README.md). Here each source of grants (the person's own, each of their
    groups') gives its newest ids past the cursor down its own index (permission, then object id), a page's worth
    each, in one UNION ALL; the page is the newest of those, then read by id. Two queries, whatever the team's size.
    """

    def __init__(self, user: Any):
        super().__init__()
        self.user = user

    def fetch(self) -> list[UseCase]:
        (start, stop), descending = self.window, self.ordering[0].startswith("-")
        if stop is None:
            raise ValueError("a page needs its size")
        order = "-content_object_id" if descending else "content_object_id"
        bound = {} if self.bound is None else {f"content_object_id__{self.bound[0]}": self.bound[1]}
        sources = [UseCaseUserObjectPermission.objects.filter(user_id=self.user.pk)] + [
            UseCaseGroupObjectPermission.objects.filter(group_id=group) for group in group_ids_of(self.user)
        ]
        # The permission as a scalar subquery (one InitPlan), not a join: with it an index condition, each source
        # reads its newest object ids straight down its (…, permission, object) index and stops after a page.
        view = Subquery(
            Permission.objects.filter(
                content_type__app_label="intake", content_type__model="usecase", codename=VIEW
            ).values("pk")[:1]
        )
        branches = [
            source.filter(permission_id=view, **bound)
            .order_by(order)
            .values_list("content_object_id", flat=True)[:stop]
            for source in sources
        ]
        ids = set(branches[0].union(*branches[1:], all=True)) if len(branches) > 1 else set(branches[0])
        page = sorted(ids, reverse=descending)[start:stop]
        if not page:
            return []
        rows = UseCase.objects.filter(pk__in=page).select_related("team", "submitter").in_bulk()
        return [rows[pk] for pk in page if pk in rows]


def use_case_list_source(user: Any) -> "QuerySet[UseCase] | GrantedUseCases":
    """What the use-case list API pages through: approvers' visibility is probed row by row and stops after a page
    already; everyone else's is read from their grants (GrantedUseCases)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return UseCase.objects.none()
    if roles_of(user) & APPROVER_ROLES or not connection.features.supports_slicing_ordering_in_compound:
        return use_cases_visible_to(user)  # SQLite: no LIMIT inside a UNION; the embedded portfolio is small
    return GrantedUseCases(user)


def my_requests(user: Any) -> QuerySet[UseCase]:
    """The user's own requests and those of their teams (that they may see).

    The teams are a subquery, not a join: joining the memberships made a row per member and needed a DISTINCT that
    sorted every wide row of the user's teams before the first page (bench/README.md)."""
    teams = user.teams.through.objects.filter(user_id=user.pk).values("team_id") if user.pk else []
    return use_cases_visible_to(user).filter(Q(submitter=user) | Q(team_id__in=teams))


def use_cases_filtered(
    use_cases: QuerySet[UseCase], filters: RequestFilters, *, now: datetime
) -> QuerySet[UseCase]:
    """``use_cases`` narrowed by the requests list's filters; each is a column or an EXISTS, so still one query.

    Likelihood and impact are read from the latest submitted revision's assessment (the use case stores only their
    product, the score): the numbers the dashboard's heat map counts. Exceptions are those of the standing approval,
    the newest one, as the board pack counts them.
    """
    if filters.status:
        use_cases = use_cases.filter(status__in=filters.status)
    if filters.tier:
        use_cases = use_cases.filter(tier__in=filters.tier)
    if filters.band:
        use_cases = use_cases.filter(band__in=filters.band)
    if filters.verdict:
        use_cases = use_cases.filter(boundary_verdict__in=filters.verdict)
    if filters.score is not None:
        use_cases = use_cases.filter(score=filters.score)
    if filters.likelihood is not None or filters.impact is not None:
        assessed = {}
        if filters.likelihood is not None:
            assessed["assessment__likelihood"] = filters.likelihood
        if filters.impact is not None:
            assessed["assessment__impact"] = filters.impact
        latest = UseCaseRevision.objects.filter(use_case=OuterRef("pk"), number=OuterRef("revision_count"))
        use_cases = use_cases.filter(Exists(latest.filter(**assessed)))
    if filters.overdue:
        use_cases = use_cases.filter(
            status__in=tuple(sorted(WAITING_FOR_DECISION)), awaiting_decision_since__lt=overdue_cutoff(now)
        )
    if filters.exception:
        # The approvals app sits above intake: its model is reached through the relation, never imported.
        approval = UseCase._meta.get_field("approvals").related_model
        newer = approval.objects.filter(
            use_case=OuterRef("use_case"), approved_at__gt=OuterRef("approved_at")
        )
        standing = approval.objects.filter(
            use_case=OuterRef("pk"), exception_expires_on__isnull=False
        ).exclude(Exists(newer))
        if filters.exception == ExceptionFilter.EXPIRED:
            standing = standing.filter(exception_expires_on__lt=timezone.localtime(now).date())
        use_cases = use_cases.filter(Exists(standing), status=Status.APPROVED)
    return use_cases


def use_case_for(user: Any, reference: str) -> UseCase:
    """The use case, or 404 when it does not exist *or* the user may not see it (never reveal which)."""
    use_case = use_cases_visible_to(user).filter(reference=reference).first()
    if use_case is None:
        raise Http404("No such use case.")
    return use_case


def use_case_revisions(use_case: UseCase) -> QuerySet[UseCaseRevision]:
    return use_case.revisions.select_related("submitted_by").order_by("-number")


def latest_revision(use_case: UseCase) -> UseCaseRevision | None:
    return use_case.revisions.order_by("-number").first()


def boundary_check_for(use_case: UseCase, revision: UseCaseRevision) -> CheckedAgainstBoundary | None:
    """The check a submitted revision is held to (see policies.judged_on_submission_check): frozen or live."""
    if policies.judged_on_submission_check(use_case, revision):
        check = BoundaryCheck.from_dict(revision.boundary_check)
        if check is not None:
            return CheckedAgainstBoundary(revision.boundary_version, check, frozen=True)
    return hooks.check_against_active_boundary(revision.content["answers"], revision.assessment)


def use_case_assessment(use_case: UseCase) -> tuple[dict, str]:
    """The assessment to show and where it comes from: a live preview while editable, else the frozen revision."""
    if use_case.status in EDITABLE_STATES or use_case.revision_count == 0:
        return assess(use_case.answers).to_dict(), "preview"
    revision = latest_revision(use_case)
    return revision.assessment, f"revision {revision.number}"


def use_case_boundary_check(use_case: UseCase, assessment: dict) -> CheckedAgainstBoundary | None:
    """The verdict against the risk boundary: live against the active one while editable, else the check the
    submitted revision is held to. None when there is nothing to show (no boundary active, nothing submitted)."""
    if use_case.status in EDITABLE_STATES or use_case.revision_count == 0:
        return hooks.check_against_active_boundary(use_case.answers, assessment)
    revision = latest_revision(use_case)
    return boundary_check_for(use_case, revision) if revision is not None else None


def use_case_timeline(use_case: UseCase):
    return audit_timeline(object_type="intake.usecase", object_id=use_case.pk)


# On PostgreSQL the trigram index finds this many of the most alike titles; they are then scored as on SQLite.
DUPLICATE_CANDIDATES = 50


def _wording(expression: Any) -> Func:
    """A title's words without numbers, case or punctuation ("Claims triage #12" -> "claims triage"), in SQL. The
    same expression as the `usecase_team_wording_idx` index (migration 0012), so the planner answers it from there."""
    letters = Func(
        Lower(expression),
        Value("[^a-z]+"),
        Value(" "),
        Value("g"),
        function="REGEXP_REPLACE",
        output_field=CharField(),
    )
    return Func(letters, function="BTRIM", output_field=CharField())


def possible_duplicates(
    use_case: UseCase, *, user: Any, threshold: float = 0.6, limit: int = 5
) -> list[tuple[UseCase, float]]:
    """Other live requests of the same team that `user` may see, whose titles read alike, most similar first.

    The database narrows the candidates; those few are then scored in Python (similarity.title_similarity) against
    ``threshold``. On PostgreSQL, first the team's newest requests worded the same but for numbers and punctuation
    (a b-tree range, however many such titles the team has); when those give fewer than ``limit`` matches, the
    nearest titles by trigrams as well, read in order from a GiST index. Elsewhere, the titles sharing one of the
    longest words.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if connection.vendor == "postgresql":
        # The team as a bigint, the column's own type: an index condition of both indexes. A plain integer is
        # compared across types, which an index cannot answer, and the walk reads every team's titles.
        team = Cast(Value(use_case.team_id), BigIntegerField())
    else:
        team = use_case.team_id
    # Visibility probed row by row: the reads stop after a few rows, where the usual OR of two EXISTS would first
    # hash every grant of the person's groups (a whole team's use cases: 66 ms of the check at 1,000,000).
    visible = granted_filter(
        user, UseCaseUserObjectPermission, UseCaseGroupObjectPermission, VIEW, per_row=True
    )
    candidates = (
        UseCase.objects.filter(visible)
        .filter(team_id=team)
        .exclude(pk=use_case.pk)
        .exclude(status__in=[Status.WITHDRAWN])
        .select_related(None)
        .only("id", "reference", "title", "status", "team_id")
    )
    if connection.vendor != "postgresql":
        words = search_words(use_case.title)
        if not words:
            return []
        shares_a_word = Q()
        for word in words:
            shares_a_word |= Q(title__icontains=word)
        return _best(use_case, candidates.filter(shares_a_word), threshold, limit)

    found: dict[int, UseCase] = {}
    if normalise_letters(use_case.title):
        # Titles worded alike form clusters ("Claims triage #1", "#2", ...): in a large team a trigram walk would
        # read thousands of them before it had its candidates, so such titles are read by their wording first: the
        # same title (whatever its case) and the newest worded the same, each down its own b-tree, in one statement.
        same_title = (
            candidates.alias(lowered=Lower("title"))
            .filter(lowered=Lower(Value(use_case.title)))
            .order_by("-id")[:DUPLICATE_CANDIDATES]
        )
        worded_alike = (
            candidates.alias(wording=_wording("title"))
            .filter(wording=_wording(Value(use_case.title)))
            .order_by("-id")[:DUPLICATE_CANDIDATES]
        )
        found = {c.pk: c for c in same_title.union(worded_alike, all=True)}
        best = _best(use_case, found.values(), threshold, limit)
        if len(best) >= limit:
            return best
    # The nearest titles of the team, straight from the GiST index: it stops after the first few.
    nearest = candidates.annotate(distance=TrigramDistance("title", use_case.title)).order_by("distance")[
        :DUPLICATE_CANDIDATES
    ]
    for c in nearest:
        found.setdefault(c.pk, c)
    return _best(use_case, found.values(), threshold, limit)


def _best(use_case: UseCase, candidates: Any, threshold: float, limit: int) -> list[tuple[UseCase, float]]:
    scored = [(c, title_similarity(use_case.title, c.title)) for c in candidates]
    scored = [(c, s) for c, s in scored if s >= threshold]
    scored.sort(key=lambda pair: (-pair[1], pair[0].pk))
    return scored[:limit]


def prohibited_blocked_count() -> int:
    return UseCase.objects.blocked_as_prohibited().count()


def _my_visible(user: Any) -> tuple[QuerySet[UseCase], list[int]]:
    """Use cases the user may see, probed row by row (for reads that stop after a few rows), and the user's teams
    (read once per request: kept on the user object)."""
    teams = getattr(user, "_my_team_ids", None)
    if teams is None:
        teams = list(user.teams.values_list("pk", flat=True)) if user.pk else []
        user._my_team_ids = teams
    visible = UseCase.objects.filter(
        granted_filter(user, UseCaseUserObjectPermission, UseCaseGroupObjectPermission, VIEW, per_row=True)
    )
    return visible, teams


def my_recent_requests(user: Any, *, exclude_states: tuple[str, ...] = (), limit: int) -> list[UseCase]:
    """The user's own and their teams' requests most recently changed first, ``limit`` of them.

    On PostgreSQL two reads that stop after ``limit`` rows (the teams' requests down the (team, updated_at) index; the
    user's own outside those teams), merged: the cost does not grow with the teams. Elsewhere one ordered read."""
    if connection.vendor != "postgresql":
        return list(my_requests(user).exclude(status__in=exclude_states).order_by("-updated_at")[:limit])
    visible, teams = _my_visible(user)
    visible = visible.exclude(status__in=exclude_states).select_related("team", "submitter")
    in_teams = list(visible.filter(team_id__in=teams).order_by("-updated_at")[:limit]) if teams else []
    own_elsewhere = list(
        visible.filter(submitter=user).exclude(team_id__in=teams).order_by("-updated_at")[:limit]
    )
    return sorted([*in_teams, *own_elsewhere], key=lambda u: (u.updated_at, u.pk), reverse=True)[:limit]


def my_requests_by_state(user: Any, *, at_most: int | None = None) -> dict[str, int]:
    """How many of the user's own and their teams' requests stand in each state (one query).

    With ``at_most``, each state is counted up to ``at_most + 1`` rows (shown as "999+"), so the count costs at most
    that many rows a state however large the teams grow: on PostgreSQL one UNION ALL of a capped read per state,
    each read down the (team, status) index and probed row by row for visibility until it has enough.
    """
    if at_most is None or connection.vendor != "postgresql":
        counted = my_requests(user).order_by().values("status").annotate(count=Count("pk"))
        return {row["status"]: row["count"] for row in counted}
    visible, teams = _my_visible(user)
    visible = visible.filter(Q(submitter=user) | Q(team_id__in=teams))
    parts = [
        visible.filter(status=state).order_by().values_list("status")[: at_most + 1]
        for state in Status.values
    ]
    return dict(Counter(status for (status,) in parts[0].union(*parts[1:], all=True)))


def obligation_checklist(
    use_case: UseCase, assessment: Mapping[str, Any] | None = None, *, today: date | None = None
) -> list[dict[str, Any]]:
    """The use case's EU AI Act obligations as a checklist (two queries): grouped by whose duty they are (ours
    whatever the role, as deployer, as provider, as a model provider), each group by the key date it applies from,
    every item with the article, what satisfies it, and its state (open when nobody has said otherwise).

    The items are those of the assessment the page shows (the frozen one once submitted, the preview of a draft)."""
    if assessment is None:
        assessment, _ = use_case_assessment(use_case)
    items = duties.items_of(assessment)
    if not items:
        return []
    applies_on = key_date_days()
    states = {row.obligation: row for row in use_case.obligation_states.select_related("updated_by")}
    today = today or timezone.localdate()
    for item in items:
        item["applies_on"] = applies_on.get(item["date_key"]) if item["date_key"] else None
        item["in_force"] = item["applies_on"] is None or item["applies_on"] <= today
        row = states.get(item["id"])
        item["state"] = row.state if row else ObligationState.State.OPEN
        item["state_label"] = duties.STATE_LABELS[item["state"]]
        item["reason"] = row.reason if row else ""
        item["updated_by"] = row.updated_by if row else None
        item["updated_at"] = row.updated_at if row else None
    groups = []
    for role, label in duties.ROLE_GROUPS:
        mine = sorted((i for i in items if i["role"] == role), key=lambda i: i["applies_on"] or date.min)
        if mine:
            groups.append({"role": role, "label": label, "items": mine})
    return groups


def key_dates() -> list[KeyDate]:
    """The EU AI Act's key dates as they stand (data: an administrator may move one), earliest first. A date missing
    from the database (never seeded, or removed by hand) stands at the Regulation's own."""
    stored = {key_date.key: key_date for key_date in KeyDate.objects.all()}
    for key, (on, what) in duties.KEY_DATE_DEFAULTS.items():
        stored.setdefault(key, KeyDate(key=key, applies_on=date.fromisoformat(on), what=what))
    return sorted(stored.values(), key=lambda key_date: (key_date.applies_on, key_date.key))


def key_date_days() -> dict[str, date]:
    """Each key date's key -> the day it applies from (one query)."""
    return {key_date.key: key_date.applies_on for key_date in key_dates()}


def obligation_states_for(use_case_ids: list[int]) -> dict[tuple[int, str], str]:
    """(use case, obligation) -> state, for the obligations someone has said something about (one query)."""
    rows = ObligationState.objects.filter(use_case_id__in=use_case_ids).values_list(
        "use_case_id", "obligation", "state"
    )
    return {(use_case_id, obligation): state for use_case_id, obligation, state in rows}


RULESET_CHANGES_SHOWN = 200


def pending_ruleset_upgrade() -> RulesetUpgrade | None:
    """The newer ruleset not yet in force (being re-assessed, waiting for the executives, or being applied)."""
    return RulesetUpgrade.objects.exclude(state=RulesetUpgrade.State.APPLIED).order_by("-created_at").first()


def latest_ruleset_upgrade() -> RulesetUpgrade | None:
    return RulesetUpgrade.objects.order_by("-created_at").first()


def ruleset_changes(upgrade: RulesetUpgrade, *, limit: int = RULESET_CHANGES_SHOWN) -> list[RulesetChange]:
    """What the upgrade changes, the riskier first, then by reference; at most ``limit`` (the page says how many)."""
    return list(
        upgrade.changes.select_related("use_case")
        .only(
            "pk",
            "revision_number",
            "from_version",
            "change",
            "rose",
            "use_case__reference",
            "use_case__title",
        )
        .order_by("-rose", "use_case__reference")[:limit]
    )


def ruleset_change_for(use_case: UseCase, upgrade: RulesetUpgrade | None) -> RulesetChange | None:
    if upgrade is None:
        return None
    return upgrade.changes.filter(use_case=use_case).first()
