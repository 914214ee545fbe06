"""Demo decisions that fill the review queue: waiting on each role, one of each outcome, an exception close to
expiry and an overdue re-review. Made through the same services as real decisions, one step at a time (so the demo's
history can play them out on its own dates); each step is idempotent."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from approvals.models import SlotDecision
from approvals.rules import ConditionInput, Decision
from approvals.services import decision_record
from audit.models import AuditEvent
from config.dates import human_date
from intake.events import USE_CASE, USE_CASE_FLAGGED_RE_REVIEW
from intake.models import UseCase
from intake.services import use_case_flag_re_review
from intake.vocabulary import Verdict
from intake.workflow import Status


@dataclass(frozen=True)
class DemoDecision:
    title: str  # the demo use case decided on
    slot: str  # "cio" or "ciso": the demo person of that role decides
    # approve (with conditions, or with an exception when the boundary is exceeded) | reject | request_changes
    decision: str = "approve"
    rationale: str = "Within the agreed appetite."
    conditions: tuple[tuple[str, str, int | None], ...] = ()  # (text, owner, due in days from the decision)
    expires_in_days: int = 60  # for an exception, when the use case exceeds the boundary


DECISIONS: tuple[DemoDecision, ...] = (
    # approved, with a reviewer's condition (owner and due date)
    DemoDecision("Customer service reply drafting", "cio"),
    DemoDecision(
        "Customer service reply drafting",
        "ciso",
        conditions=(("Quarterly sample review of sent replies", "Customer Service QA", 180),),
    ),
    # approved under the boundary's conditions (high-risk: human approval before action)
    DemoDecision(
        "CV screening assistant",
        "ciso",
        conditions=(("Bias test on last year's applicants before go-live", "HR analytics", 30),),
    ),
    DemoDecision("CV screening assistant", "cio"),
    # approved, then due for re-review (see RE_REVIEW)
    DemoDecision("Call summarisation", "cio"),
    DemoDecision("Call summarisation", "ciso"),
    DemoDecision(
        "Complaint triage and routing",
        "cio",
        "reject",
        "Automated routing of complaints without a person in the loop is not acceptable.",
    ),
    DemoDecision(
        "Job advert writer", "ciso", "request_changes", "Say who reviews adverts before they are published."
    ),
    # approved with an exception that expires in ten days
    DemoDecision("Shift allocation optimiser", "cio", expires_in_days=10),
    DemoDecision("Shift allocation optimiser", "ciso", expires_in_days=10),
    # waiting on the CISO / on the CIO
    DemoDecision("Website chat assistant", "cio", expires_in_days=90),
    DemoDecision("HR policy chatbot", "ciso", conditions=(("AI disclosure on the chat window", "", None),)),
)
RE_REVIEW = ("Call summarisation", "call recordings now include card data.")


def seed_decision(step: DemoDecision) -> bool:
    """Record one demo decision unless its slot has decided already; True when it was recorded now."""
    use_case = UseCase.objects.filter(title=step.title, status=Status.SUBMITTED).first()
    if use_case is None or SlotDecision.objects.filter(use_case=use_case, slot=step.slot).exists():
        return False
    person = User.objects.get(username=step.slot)
    today = timezone.localdate()
    with transaction.atomic():
        if step.decision != Decision.APPROVE:
            decision_record(actor=person, use_case=use_case, decision=step.decision, rationale=step.rationale)
        elif use_case.boundary_verdict == Verdict.EXCEEDS:
            decision_record(
                actor=person,
                use_case=use_case,
                decision=Decision.APPROVE_WITH_EXCEPTION,
                rationale="Time-boxed pilot while the controls are built.",
                exception_expires_on=today + timedelta(days=step.expires_in_days),
            )
        elif step.conditions:
            decision_record(
                actor=person,
                use_case=use_case,
                decision="approve_with_conditions",
                rationale=step.rationale,
                conditions=[
                    ConditionInput(text, owner, today + timedelta(days=days) if days is not None else None)
                    for text, owner, days in step.conditions
                ],
            )
        else:
            decision_record(actor=person, use_case=use_case, decision="approve")
    return True


def seed_re_review() -> bool:
    """Flag the demo's re-review (an approved use case whose circumstances changed), once; True when flagged now."""
    title, why = RE_REVIEW
    use_case = UseCase.objects.filter(title=title, status=Status.APPROVED).first()
    if (
        use_case is None
        or AuditEvent.objects.filter(
            action=USE_CASE_FLAGGED_RE_REVIEW, object_type=USE_CASE, object_id=str(use_case.pk)
        ).exists()
    ):
        return False
    use_case_flag_re_review(
        actor=None, use_case=use_case, reason=f"Re-review due since {human_date(timezone.localdate())}: {why}"
    )
    return True
