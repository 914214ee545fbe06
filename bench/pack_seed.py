"""Seeding for the board-pack benchmark: a portfolio built through the real services, on a controlled clock.

Every use case lives out a plan as timed steps: created, submitted (the prohibited ones closed by the system at once),
decided by the CIO and the CISO, changes asked for and resubmitted, approved with conditions or with an exception,
conditions met, re-reviewed when due, withdrawn, or left as a draft. All the steps of all the use cases, and the daily
re-review sweep, run in time order with the clock moved to each step (time_machine), so the audit trail, revisions,
review cycles, approvals and conditions are what the services leave behind on those dates. The pack is the third
quarter of 2026; the portfolio starts in January, so the previous quarter has activity too (quarter-on-quarter
deltas), and the pack is requested on 14 October, after two more weeks of activity that its cut-off must leave out.
"""

import heapq
import random
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any

import time_machine
from django.db import transaction
from django.utils import timezone

from accounts.demo import seed_people
from accounts.models import Team, User
from accounts.roles import Role
from accounts.services import team_get_or_create, user_create, user_set_roles, user_set_teams
from approvals.models import Approval, Condition
from approvals.rules import ConditionInput, Decision
from approvals.services import condition_mark_met, decision_record, re_review_sweep
from config.quarters import Quarter
from intake.assessment import assess
from intake.demo import BASE, PORTFOLIO
from intake.models import UseCase
from intake.services import use_case_create, use_case_submit, use_case_update, use_case_withdraw
from intake.workflow import CLOSED_STATES, Status
from oversight.services import evidence_add
from riskboundaries.check import check_boundary
from riskboundaries.demo import V1
from riskboundaries.limits import clean_limits
from riskboundaries.services import boundary_create, boundary_sign

QUARTER = Quarter(2026, 3)
START = datetime(2026, 1, 5, 9, tzinfo=UTC)  # the boundary is signed; use cases follow from the next week
REQUESTED_AT = datetime(2026, 10, 14, 9, tzinfo=UTC)  # the board secretary asks for the Q3 pack
SWEEP_AT = time(2, 0)  # the daily re-review sweep (celery beat), UTC

TEAMS = (
    "Customer Service",
    "People & HR",
    "Claims",
    "Finance",
    "Legal",
    "Marketing",
    "Operations",
    "Underwriting",
    "IT",
)
REQUESTERS_PER_TEAM = 3
# ((provider, model, region), weight) for API-sourced use cases: the boundary below allows the first three.
PROVIDERS = (
    (("Azure OpenAI", "gpt-4.1", "eu"), 0.5),
    (("AWS Bedrock", "titan-text-premier", "eu"), 0.2),
    (("Google Vertex AI", "gemini-2.5-pro", "eu"), 0.15),
    (("Mistral AI", "mistral-large", "eu"), 0.1),
    (("Cohere", "command-r", "us"), 0.05),
)
LIMITS = {
    **V1,
    "allowed_providers": [
        *V1["allowed_providers"],
        {"name": "AWS Bedrock", "regions": ["eu"], "required_terms": ["dpa_signed"]},
        {"name": "Google Vertex AI", "regions": ["eu"], "required_terms": ["dpa_signed"]},
    ],
}
# What happens to a use case after it is created (the rest of its life follows from the decisions).
FATES = (("draft", 0.07), ("withdrawn_draft", 0.02), ("withdrawn", 0.03), ("submitted", 0.88))
# The first outcome the two decisions add up to, for a submitted use case.
PLANS = (("approve", 0.78), ("changes", 0.15), ("reject", 0.07))
# How often each demo profile is drawn: those outside the boundary, and the prohibited ones, less often.
WEIGHT_WITHIN, WEIGHT_EXCEEDS, WEIGHT_PROHIBITED = 1.0, 0.3, 0.25
CONDITIONS = (
    ("Quarterly sample review of outputs", "Quality assurance"),
    ("Bias test before go-live", "Data science"),
    ("AI disclosure shown to every user", "Product owner"),
    ("Data protection impact assessment signed off", "Data protection officer"),
    ("Red-team exercise on prompt injection", "Security operations"),
    ("Incident runbook and kill switch tested", "Service owner"),
)
REJECTIONS = (
    "The benefit does not justify the residual risk.",
    "Automated decisions about people without a person in the loop are not acceptable.",
    "The provider cannot commit to our data-protection terms.",
)
CHANGES = (
    "Say who reviews the outputs before they are used.",
    "Describe the fallback when the service is unavailable.",
    "Name the data sources the model may read.",
)


def _weighted(rng: random.Random, choices: tuple[tuple[Any, float], ...]) -> Any:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _days(value: float) -> timedelta:
    return timedelta(days=value)


class Timeline:
    """Steps in time order: each step runs with the clock stopped at its time and may schedule its plan's next step.

    The clock does not tick within a step, so the audit trail's times never go backwards along its sequence (the
    pack's cut-off and its audit-trail checkpoint rely on that).
    """

    def __init__(self) -> None:
        self.heap: list[tuple[datetime, int, Iterator[datetime]]] = []
        self.count = 0
        self.steps = 0

    def at(self, when: datetime, plan: Iterator[datetime]) -> None:
        self.count += 1
        heapq.heappush(self.heap, (when, self.count, plan))

    def run(self, until: datetime) -> None:
        while self.heap and self.heap[0][0] <= until:
            when, _, plan = heapq.heappop(self.heap)
            with time_machine.travel(when, tick=False):
                self.steps += 1
                try:
                    following = next(plan)
                except StopIteration:
                    continue
            self.at(max(following, when + timedelta(seconds=1)), plan)


class Portfolio:
    """Builds `size` use cases between START and REQUESTED_AT, deterministically for a given seed."""

    def __init__(self, size: int, *, seed: int = 2026) -> None:
        self.size = size
        self.rng = random.Random(seed)
        self.timeline = Timeline()
        self.profiles = [(demo, {**BASE, **demo.answers}) for demo in PORTFOLIO]
        limits = clean_limits(LIMITS)
        self.weights = []
        for _, answers in self.profiles:
            assessment = assess(answers).to_dict()
            verdict = check_boundary(answers, assessment, limits).verdict
            self.weights.append(
                WEIGHT_PROHIBITED
                if assessment["eu_ai_act"]["prohibited_practices"]
                else WEIGHT_EXCEEDS
                if verdict == "exceeds"
                else WEIGHT_WITHIN
            )

    # People and the boundary --------------------------------------------------------------------------------

    def people(self) -> None:
        seed_people(password="bench-password-123")  # the demo CIO, CISO, board secretary and two requesters
        users = {u.username: u for u in User.objects.filter(username__in=["cio", "ciso"])}
        self.cio, self.ciso = users["cio"], users["ciso"]
        self.requesters: list[tuple[User, Team]] = []
        for name in TEAMS:
            team = team_get_or_create(actor=None, name=name)
            for n in range(1, REQUESTERS_PER_TEAM + 1):
                username = f"{team.slug}-{n}"
                user = user_create(
                    actor=None,
                    username=username,
                    password=None,
                    email=f"{username}@example.com",
                    display_name=f"{name} requester {n}",
                    job_title="Product owner",
                )
                user_set_roles(actor=None, user=user, roles=[Role.REQUESTER])
                user_set_teams(actor=None, user=user, teams=[team])
                self.requesters.append((user, team))

    def boundary(self) -> None:
        with transaction.atomic():
            boundary = boundary_create(
                actor=self.cio, limits=LIMITS, change_note="First jointly agreed GenAI risk appetite."
            )
            boundary_sign(actor=self.cio, boundary=boundary, role="cio", seen_hash=boundary.content_hash)
            boundary_sign(actor=self.ciso, boundary=boundary, role="ciso", seen_hash=boundary.content_hash)

    # Plans ---------------------------------------------------------------------------------------------------

    def build(self) -> dict[str, Any]:
        with time_machine.travel(START - timedelta(days=3), tick=False):
            self.people()
        with time_machine.travel(START, tick=False):
            self.boundary()
        self.timeline.at(datetime.combine(START.date() + timedelta(days=1), SWEEP_AT, UTC), self._sweeps())
        span = (REQUESTED_AT - START - _days(10)).total_seconds()
        for n in range(self.size):
            # More requests as the programme grows: the density rises through the year.
            created = START + _days(7) + timedelta(seconds=span * self.rng.random() ** 0.8)
            self.timeline.at(created, self._life(random.Random(self.rng.random()), n))
        self.timeline.run(REQUESTED_AT)
        return {
            "steps": self.timeline.steps,
            "statuses": dict(Counter(UseCase.objects.values_list("status", flat=True))),
        }

    def _sweeps(self) -> Iterator[datetime]:
        while True:
            re_review_sweep()
            yield timezone.now() + _days(1)

    def _answers(self, rng: random.Random) -> tuple[Any, dict[str, Any]]:
        demo, answers = rng.choices(self.profiles, weights=self.weights)[0]
        answers = dict(answers)
        if answers.get("sourcing") == "api_model":
            provider, model, region = _weighted(rng, PROVIDERS)
            answers.update(provider=provider, model_name=model, hosting_region=region)
        return demo, answers

    def _life(self, rng: random.Random, n: int) -> Iterator[datetime]:
        submitter, team = rng.choice(self.requesters)
        demo, answers = self._answers(rng)
        fate = _weighted(rng, FATES)
        use_case = use_case_create(
            actor=submitter,
            team=team,
            title=f"{demo.title} ({team.name} {n + 1})",
            summary=demo.summary,
            business_owner=f"Head of {team.name}",
            business_value=demo.business_value,
            answers=answers,
        )
        if fate == "draft":
            return
        yield timezone.now() + _days(rng.uniform(0.2, 10))
        if fate == "withdrawn_draft":
            use_case_withdraw(actor=submitter, use_case=use_case, reason="No longer needed.")
            return
        use_case = use_case_submit(actor=submitter, use_case=use_case)
        if use_case.status != Status.SUBMITTED:  # closed by the system: a prohibited practice
            return
        if fate == "withdrawn":
            yield timezone.now() + _days(rng.uniform(1, 6))
            use_case_withdraw(actor=submitter, use_case=use_case, reason="The team chose another approach.")
            return
        plan = _weighted(rng, PLANS)
        outcome = yield from self._decisions(rng, use_case, plan)
        if outcome == Status.CHANGES_REQUESTED:
            if rng.random() < 0.25:
                return  # left with the requester
            yield timezone.now() + _days(rng.uniform(2, 25))
            use_case_update(
                actor=submitter,
                use_case=use_case,
                changes={
                    "human_oversight": "A named reviewer checks every output; the rest is sampled weekly."
                },
            )
            use_case_submit(actor=submitter, use_case=use_case)
            outcome = yield from self._decisions(
                rng, use_case, "approve" if rng.random() < 0.85 else "reject"
            )
        while outcome == Status.APPROVED:
            self._follow_conditions(rng, use_case, submitter)
            approval = Approval.objects.filter(use_case=use_case).order_by("-approved_at").first()
            # The sweep moves it to re-review on its date (or when its exception expires); someone then acts.
            yield datetime.combine(approval.re_review_on, time(12), UTC)
            if UseCase.objects.get(pk=use_case.pk).status != Status.RE_REVIEW_DUE:
                return
            if rng.random() < 0.35:
                return  # still waiting for the re-review
            outcome = yield from self._decisions(rng, use_case, "approve" if rng.random() < 0.9 else "reject")

    def _decisions(self, rng: random.Random, use_case: UseCase, plan: str) -> Iterator[datetime]:
        """The two slot decisions of one cycle, some days apart; returns the use case's status after them."""
        deciders = [self.cio, self.ciso]
        rng.shuffle(deciders)
        negative_first = rng.random() < 0.6
        for i, decider in enumerate(deciders):
            yield timezone.now() + _days(0.3 + rng.expovariate(1 / (5 if i == 0 else 7)))
            current = UseCase.objects.get(pk=use_case.pk)
            if current.status not in (Status.SUBMITTED, Status.RE_REVIEW_DUE):
                return current.status
            negative = plan != "approve" and (negative_first == (i == 0))
            if current.boundary_verdict == "prohibited":
                plan, negative = "reject", True
            if negative and plan == "reject":
                decision_record(
                    actor=decider,
                    use_case=current,
                    decision=Decision.REJECT,
                    rationale=rng.choice(REJECTIONS),
                )
            elif negative:
                decision_record(
                    actor=decider,
                    use_case=current,
                    decision=Decision.REQUEST_CHANGES,
                    rationale=rng.choice(CHANGES),
                )
            else:
                self._approve(rng, decider, current)
        return UseCase.objects.get(pk=use_case.pk).status

    def _approve(self, rng: random.Random, decider: User, use_case: UseCase) -> None:
        today = timezone.localdate()
        conditions = []
        if rng.random() < 0.3:
            for text, owner in rng.sample(CONDITIONS, rng.randint(1, 2)):
                conditions.append(ConditionInput(text, owner, today + _days(rng.randint(14, 120))))
        if use_case.boundary_verdict == "exceeds":
            decision_record(
                actor=decider,
                use_case=use_case,
                decision=Decision.APPROVE_WITH_EXCEPTION,
                rationale="Time-boxed while the controls are built.",
                conditions=conditions,
                exception_expires_on=today + _days(rng.randint(30, 175)),
            )
        elif conditions:
            decision_record(
                actor=decider,
                use_case=use_case,
                decision=Decision.APPROVE_WITH_CONDITIONS,
                rationale="Within the appetite, with these safeguards.",
                conditions=conditions,
            )
        else:
            decision_record(actor=decider, use_case=use_case, decision=Decision.APPROVE)

    def _follow_conditions(self, rng: random.Random, use_case: UseCase, submitter: User) -> None:
        """The requester meets some of the open conditions later (others stay open, some past their due date)."""
        for condition in Condition.objects.filter(use_case=use_case, met_at__isnull=True):
            if rng.random() < 0.55:
                self.timeline.at(
                    timezone.now() + _days(rng.uniform(5, 110)), self._meet(condition.pk, submitter)
                )

    def _meet(self, condition_id: int, submitter: User) -> Iterator[datetime]:
        condition = Condition.objects.get(pk=condition_id)
        # A condition the boundary requires is met only with evidence of it (approvals.hooks), and evidence is kept
        # only while the use case is open: the requester keeps a note of what was done, then marks it met.
        if condition.met_at is None and condition.use_case.status not in CLOSED_STATES:
            evidence_add(
                actor=submitter, use_case=condition.use_case, condition_id=condition.pk, note="Done."
            )
            condition_mark_met(actor=submitter, condition=condition, note="Done.")
        return
        yield


def seed(size: int) -> dict[str, Any]:
    """Build the portfolio of `size` use cases; returns the number of timed steps and the statuses reached."""
    return Portfolio(size).build()


def pack_dates() -> tuple[Quarter, datetime]:
    """The quarter and cut-off of the pack the benchmark renders, as board_pack_request would set them."""
    return QUARTER, QUARTER.cutoff(REQUESTED_AT)
