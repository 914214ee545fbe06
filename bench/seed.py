"""Fast, realistic seeding for the queue benchmark: PostgreSQL COPY in batches, ids assigned here.

What the services would leave behind, without going through them (no audit events, no mail):
teams with their groups, requesters, two CIOs and two CISOs; use cases mostly submitted, due for re-review or
approved, each with its first revision; the guardian grants the services make (the submitter's view permission,
change while editable, the team group's view, and the cio and ciso groups' view once submitted); review cycles and
slot decisions: closed cycles behind every outcome, and open cycles with one decision for a share of the queue.
"""

import hashlib
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone
from psycopg.types.json import Jsonb

from accounts.models import Team, User
from approvals.models import ReviewCycle, SlotDecision
from approvals.rules import Decision, Outcome, Slot
from intake.models import UseCase, UseCaseGroupObjectPermission, UseCaseRevision, UseCaseUserObjectPermission
from intake.workflow import Status
from riskboundaries.check import check_facts_of

BATCH = 10_000
TEAMS = ("Claims", "Customer Service", "Finance", "HR", "Legal", "Marketing", "Operations", "Underwriting")
REQUESTERS_PER_TEAM = 50
CIO, CISO = "bench-cio", "bench-ciso"
OTHER_CIO, OTHER_CISO = "bench-cio-delegate", "bench-ciso-delegate"

# Share of each status: the queue (submitted, re-review due) is about half of everything.
STATUS_WEIGHTS = (
    (Status.SUBMITTED, 0.35),
    (Status.RE_REVIEW_DUE, 0.12),
    (Status.APPROVED, 0.33),
    (Status.CHANGES_REQUESTED, 0.05),
    (Status.REJECTED, 0.05),
    (Status.DRAFT, 0.06),
    (Status.WITHDRAWN, 0.04),
)
TIERS = (("minimal", 0.45), ("limited", 0.35), ("high", 0.2))
BANDS = (("low", 0.35), ("medium", 0.4), ("high", 0.2), ("critical", 0.05))
VERDICTS = (("within", 0.6), ("within_with_conditions", 0.3), ("exceeds", 0.1))
SUBJECTS = (
    "claims triage",
    "email replies",
    "contract review",
    "fraud signals",
    "call summaries",
    "code review",
)
VERBS = ("Drafting", "Summarising", "Classifying", "Translating", "Answering", "Checking")
# Of the submitted ones, this share already carries one decision (an open cycle); of re-reviews, this share.
SUBMITTED_WITH_DECISION = 0.45
RE_REVIEW_WITH_DECISION = 0.4


@dataclass
class People:
    teams: list[Team]
    members: dict[int, list[int]]  # team id -> requester ids
    cio: User
    cios: list[int]
    cisos: list[int]


@dataclass
class Rows:
    """One batch of rows per table, in the order they must be written."""

    use_cases: list[dict] = field(default_factory=list)
    revisions: list[dict] = field(default_factory=list)
    user_perms: list[dict] = field(default_factory=list)
    group_perms: list[dict] = field(default_factory=list)
    cycles: list[dict] = field(default_factory=list)
    decisions: list[dict] = field(default_factory=list)

    def written(self) -> Iterator[tuple[type[models.Model], list[dict]]]:
        yield UseCase, self.use_cases
        yield UseCaseRevision, self.revisions
        yield UseCaseUserObjectPermission, self.user_perms
        yield UseCaseGroupObjectPermission, self.group_perms
        yield ReviewCycle, self.cycles
        yield SlotDecision, self.decisions


def _weighted(rng: random.Random, choices: Sequence[tuple[Any, float]]) -> Any:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def copy_rows(model: type[models.Model], rows: Iterable[dict]) -> int:
    """COPY rows (dicts keyed by attname; missing fields take the model default) into the model's table."""
    fields = model._meta.concrete_fields
    quote = connection.ops.quote_name
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) FROM STDIN"
    defaults = {f.attname: f.get_default() for f in fields}
    json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
    count = 0
    with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            values = []
            for f in fields:
                value = row.get(f.attname, defaults[f.attname])
                values.append(Jsonb(value) if f.attname in json_fields and value is not None else value)
            copy.write_row(values)
            count += 1
    return count


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1


def reset_sequences(*tables: type[models.Model]) -> None:
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(tables)):
            cursor.execute(sql)


def seed_people() -> People:
    """Teams (each with its group), requesters in them, and the two approver roles, twice over."""
    with transaction.atomic():
        teams = []
        for name in TEAMS:
            slug = name.lower().replace(" ", "-")
            group = Group.objects.create(name=f"team:{slug}")
            teams.append(Team.objects.create(name=name, slug=slug, group=group))
        requester_group = Group.objects.get(name="requester")
        now = timezone.now()
        users = [
            User(
                username=f"bench-{team.slug}-{n:02d}",
                password="!",
                display_name=f"{team.name} {n}",
                date_joined=now,
            )
            for team in teams
            for n in range(REQUESTERS_PER_TEAM)
        ]
        approvers = [
            User(username=name, password="!", date_joined=now) for name in (CIO, OTHER_CIO, CISO, OTHER_CISO)
        ]
        User.objects.bulk_create(users + approvers, batch_size=5_000)
        by_name = {u.username: u for u in User.objects.filter(username__startswith="bench-")}
        members: dict[int, list[int]] = {}
        team_links, group_links = [], []
        for team in teams:
            ids = [by_name[f"bench-{team.slug}-{n:02d}"].pk for n in range(REQUESTERS_PER_TEAM)]
            members[team.pk] = ids
            for user_id in ids:
                team_links.append(User.teams.through(user_id=user_id, team_id=team.pk))
                group_links.append(User.groups.through(user_id=user_id, group_id=team.group_id))
                group_links.append(User.groups.through(user_id=user_id, group_id=requester_group.pk))
        roles = {g.name: g.pk for g in Group.objects.filter(name__in=["cio", "ciso"])}
        for name, role in ((CIO, "cio"), (OTHER_CIO, "cio"), (CISO, "ciso"), (OTHER_CISO, "ciso")):
            group_links.append(User.groups.through(user_id=by_name[name].pk, group_id=roles[role]))
        User.teams.through.objects.bulk_create(team_links, batch_size=5_000)
        User.groups.through.objects.bulk_create(group_links, batch_size=5_000)
    return People(
        teams=teams,
        members=members,
        cio=by_name[CIO],
        cios=[by_name[CIO].pk, by_name[OTHER_CIO].pk],
        cisos=[by_name[CISO].pk, by_name[OTHER_CISO].pk],
    )


class Seeder:
    """Appends use cases with ids first..last, in batches, continuing every table's id sequence."""

    def __init__(self, people: People, *, seed: int = 7) -> None:
        self.people = people
        self.rng_seed = seed
        perms = Permission.objects.filter(content_type__app_label="intake", content_type__model="usecase")
        self.view = perms.get(codename="view_usecase").pk
        self.change = perms.get(codename="change_usecase").pk
        self.role_groups = {g.name: g.pk for g in Group.objects.filter(name__in=["cio", "ciso"])}
        self.now = timezone.now()

    def seed(self, count: int) -> dict[str, int]:
        """Add `count` use cases; returns the rows written per table."""
        first = _next_id(UseCase)
        self.ids = {model: _next_id(model) for model in (UseCaseRevision, ReviewCycle, SlotDecision)}
        self.ids[UseCaseUserObjectPermission] = _next_id(UseCaseUserObjectPermission)
        self.ids[UseCaseGroupObjectPermission] = _next_id(UseCaseGroupObjectPermission)
        rng = random.Random(self.rng_seed * 1_000_003 + first)
        written: dict[str, int] = {}
        with transaction.atomic():
            for start in range(first, first + count, BATCH):
                rows = Rows()
                for pk in range(start, min(start + BATCH, first + count)):
                    self._use_case(rng, pk, rows)
                for model, batch in rows.written():
                    name = model._meta.label
                    written[name] = written.get(name, 0) + copy_rows(model, batch)
            reset_sequences(
                UseCase,
                UseCaseRevision,
                UseCaseUserObjectPermission,
                UseCaseGroupObjectPermission,
                ReviewCycle,
                SlotDecision,
            )
        return written

    def _take(self, model: type[models.Model]) -> int:
        pk = self.ids[model]
        self.ids[model] = pk + 1
        return pk

    def _use_case(self, rng: random.Random, pk: int, rows: Rows) -> None:
        people = self.people
        team = people.teams[pk % len(people.teams)]
        submitter = rng.choice(people.members[team.pk])
        status = _weighted(rng, STATUS_WEIGHTS)
        tier, band, verdict = _weighted(rng, TIERS), _weighted(rng, BANDS), _weighted(rng, VERDICTS)
        score = {"low": rng.randint(1, 5), "medium": rng.randint(6, 12), "high": rng.randint(13, 19)}.get(
            band, rng.randint(20, 25)
        )
        title = f"{rng.choice(VERBS)} {rng.choice(SUBJECTS)} #{pk}"
        submitted = status != Status.DRAFT
        # Queue items are mostly recent (a few weeks); decided ones older.
        age_days = (
            rng.uniform(0, 30) if status in (Status.SUBMITTED, Status.RE_REVIEW_DUE) else rng.uniform(5, 400)
        )
        submitted_at = (
            self.now - timedelta(days=age_days, seconds=rng.randint(0, 86_399)) if submitted else None
        )
        created_at = (submitted_at or self.now) - timedelta(days=rng.uniform(0.1, 20))
        rows.use_cases.append(
            {
                "id": pk,
                "reference": f"GAI-B-{pk:07d}",
                "title": title,
                "summary": f"{title}: a benchmark request.",
                "team_id": team.pk,
                "submitter_id": submitter,
                "business_owner": "Head of " + team.name,
                "answers": {"stage": "pilot", "data": ["internal"]},
                "status": status,
                "revision_count": 1 if submitted else 0,
                "review_round": 2 if status == Status.RE_REVIEW_DUE else 1 if submitted else 0,
                "tier": tier,
                "band": band,
                "score": score,
                "boundary_verdict": verdict if submitted else "",
                "created_at": created_at,
                "updated_at": submitted_at or created_at,
                "submitted_at": submitted_at,
            }
        )
        self._grants(pk, submitter, team, status, rows)
        if not submitted:
            return
        content_hash = hashlib.sha256(f"{pk}:1".encode()).hexdigest()
        revision = self._take(UseCaseRevision)
        content = {"title": title, "team": team.name, "answers": {"stage": "pilot"}}
        assessment = {"band": band, "score": score, "eu_ai_act": {"tier": tier}, "ruleset_version": "bench"}
        # As a submission keeps them with the use case (intake.services.use_case_submit).
        rows.use_cases[-1]["check_facts"] = check_facts_of(content["answers"], assessment)
        rows.revisions.append(
            {
                "id": revision,
                "use_case_id": pk,
                "number": 1,
                "content": content,
                "content_hash": content_hash,
                "assessment": assessment,
                "ruleset_version": "bench",
                "boundary_check": {"verdict": verdict, "breaches": [], "conditions": []},
                "submitted_by_id": submitter,
                "submitted_at": submitted_at,
            }
        )
        self._cycles(rng, pk, revision, content_hash, status, verdict, submitted_at, rows)

    def _grants(self, pk: int, submitter: int, team: Team, status: str, rows: Rows) -> None:
        rows.user_perms.append(
            {
                "id": self._take(UseCaseUserObjectPermission),
                "permission_id": self.view,
                "user_id": submitter,
                "content_object_id": pk,
            }
        )
        if status in (Status.DRAFT, Status.CHANGES_REQUESTED):
            rows.user_perms.append(
                {
                    "id": self._take(UseCaseUserObjectPermission),
                    "permission_id": self.change,
                    "user_id": submitter,
                    "content_object_id": pk,
                }
            )
        groups = [team.group_id]
        if status != Status.DRAFT:
            groups += [self.role_groups["cio"], self.role_groups["ciso"]]
        for group in groups:
            rows.group_perms.append(
                {
                    "id": self._take(UseCaseGroupObjectPermission),
                    "permission_id": self.view,
                    "group_id": group,
                    "content_object_id": pk,
                }
            )

    def _cycle(
        self, pk: int, revision: int, kind: str, verdict: str, opened: datetime, outcome: str, rows: Rows
    ) -> int:
        cycle = self._take(ReviewCycle)
        rows.cycles.append(
            {
                "id": cycle,
                "use_case_id": pk,
                "revision_id": revision,
                # One revision here: its first round, and a re-review's second.
                "review_round": 2 if kind == ReviewCycle.Kind.RE_REVIEW else 1,
                "kind": kind,
                "boundary_verdict": verdict,
                "opened_at": opened,
                "closed_at": opened + timedelta(days=3) if outcome else None,
                "outcome": outcome,
            }
        )
        return cycle

    def _decision(
        self,
        pk: int,
        cycle: int,
        content_hash: str,
        slot: str,
        decider: int,
        decision: str,
        at: datetime,
        rows: Rows,
    ) -> None:
        rows.decisions.append(
            {
                "id": self._take(SlotDecision),
                "cycle_id": cycle,
                "use_case_id": pk,
                "revision_number": 1,
                "content_hash": content_hash,
                "slot": slot,
                "decider_id": decider,
                "decision": decision,
                "rationale": "" if decision == Decision.APPROVE else "Benchmark rationale.",
                "decided_at": at,
            }
        )

    def _cycles(
        self,
        rng: random.Random,
        pk: int,
        revision: int,
        content_hash: str,
        status: str,
        verdict: str,
        submitted_at: datetime,
        rows: Rows,
    ) -> None:
        """Closed cycles behind each outcome; an open cycle with one decision for a share of the queue."""
        people = self.people
        opened = submitted_at + timedelta(hours=2)
        decided = opened + timedelta(days=1)
        if status in (Status.APPROVED, Status.RE_REVIEW_DUE):
            cycle = self._cycle(
                pk, revision, ReviewCycle.Kind.INITIAL, verdict, opened, Outcome.APPROVED, rows
            )
            approve = (
                Decision.APPROVE_WITH_CONDITIONS if verdict == "within_with_conditions" else Decision.APPROVE
            )
            if verdict == "exceeds":
                approve = Decision.APPROVE_WITH_CONDITIONS  # no exception rows: the queue does not read them
            self._decision(pk, cycle, content_hash, Slot.CIO, rng.choice(people.cios), approve, decided, rows)
            self._decision(
                pk, cycle, content_hash, Slot.CISO, rng.choice(people.cisos), approve, decided, rows
            )
        elif status in (Status.REJECTED, Status.CHANGES_REQUESTED):
            outcome = Outcome.REJECTED if status == Status.REJECTED else Outcome.CHANGES_REQUESTED
            decision = Decision.REJECT if status == Status.REJECTED else Decision.REQUEST_CHANGES
            cycle = self._cycle(pk, revision, ReviewCycle.Kind.INITIAL, verdict, opened, outcome, rows)
            self._decision(
                pk, cycle, content_hash, Slot.CISO, rng.choice(people.cisos), decision, decided, rows
            )
        share = {
            Status.SUBMITTED: SUBMITTED_WITH_DECISION,
            Status.RE_REVIEW_DUE: RE_REVIEW_WITH_DECISION,
        }.get(status)
        if share is None or rng.random() >= share:
            return
        kind = ReviewCycle.Kind.RE_REVIEW if status == Status.RE_REVIEW_DUE else ReviewCycle.Kind.INITIAL
        start = self.now - timedelta(days=rng.uniform(0, 3)) if kind == ReviewCycle.Kind.RE_REVIEW else opened
        cycle = self._cycle(pk, revision, kind, verdict, start, "", rows)
        slot = Slot.CISO if rng.random() < 0.55 else Slot.CIO
        decider = rng.choice(people.cisos if slot == Slot.CISO else people.cios)
        self._decision(
            pk, cycle, content_hash, slot, decider, Decision.APPROVE, start + timedelta(hours=5), rows
        )
