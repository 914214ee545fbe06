"""Demo decisions that fill the review queue: waiting on each role, one of each outcome, an exception close to
expiry and an overdue re-review. Made through the same services as real decisions; idempotent."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from approvals.models import SlotDecision
from approvals.rules import ConditionInput
from approvals.services import decision_record
from intake.models import UseCase
from intake.services import use_case_flag_re_review
from intake.workflow import Status


def _approve(
    person, use_case, *, rationale="Within the agreed appetite.", conditions=(), expires_in_days=None
):
    if use_case.boundary_verdict == "exceeds":
        return decision_record(
            actor=person,
            use_case=use_case,
            decision="approve_with_exception",
            rationale="Time-boxed pilot while the controls are built.",
            exception_expires_on=timezone.localdate() + timedelta(days=expires_in_days or 60),
        )
    if conditions:
        return decision_record(
            actor=person,
            use_case=use_case,
            decision="approve_with_conditions",
            rationale=rationale,
            conditions=conditions,
        )
    return decision_record(actor=person, use_case=use_case, decision="approve")


def seed_decisions() -> int:
    """Returns how many decisions were recorded now (0 when the demo decisions already exist)."""
    if SlotDecision.objects.exists():
        return 0
    cio, ciso = User.objects.get(username="cio"), User.objects.get(username="ciso")
    by_title = {u.title: u for u in UseCase.objects.filter(status=Status.SUBMITTED)}
    today = timezone.localdate()
    count = 0
    with transaction.atomic():
        plan = [
            # approved, with a reviewer's condition (owner and due date)
            (
                "Customer service reply drafting",
                [
                    (cio, {}),
                    (
                        ciso,
                        {
                            "conditions": [
                                ConditionInput(
                                    "Quarterly sample review of sent replies",
                                    "Customer Service QA",
                                    today + timedelta(days=90),
                                )
                            ]
                        },
                    ),
                ],
            ),
            # approved under the boundary's conditions (high-risk: human approval before action)
            (
                "CV screening assistant",
                [
                    (
                        ciso,
                        {
                            "conditions": [
                                ConditionInput(
                                    "Bias test on last year's applicants before go-live",
                                    "HR analytics",
                                    today + timedelta(days=30),
                                )
                            ]
                        },
                    ),
                    (cio, {}),
                ],
            ),
            # approved with an exception that expires in ten days
            ("Shift allocation optimiser", [(cio, {"expires_in_days": 10}), (ciso, {"expires_in_days": 10})]),
            # approved, then due for re-review
            ("Call summarisation", [(cio, {}), (ciso, {})]),
            # waiting on the CISO / on the CIO
            ("Website chat assistant", [(cio, {"expires_in_days": 90})]),
            (
                "HR policy chatbot",
                [(ciso, {"conditions": [ConditionInput("AI disclosure on the chat window")]})],
            ),
        ]
        for title, steps in plan:
            use_case = by_title.get(title)
            if use_case is None:
                continue
            for person, options in steps:
                _approve(person, use_case, **options)
                count += 1
        if (use_case := by_title.get("Complaint triage and routing")) is not None:
            decision_record(
                actor=cio,
                use_case=use_case,
                decision="reject",
                rationale="Automated routing of complaints without a person in the loop is not acceptable.",
            )
            count += 1
        if (use_case := by_title.get("Job advert writer")) is not None:
            decision_record(
                actor=ciso,
                use_case=use_case,
                decision="request_changes",
                rationale="Say who reviews adverts before they are published.",
            )
            count += 1
        if (use_case := by_title.get("Call summarisation")) is not None:
            use_case_flag_re_review(
                actor=None,
                use_case=UseCase.objects.get(pk=use_case.pk),
                reason=f"Re-review due since {(today - timedelta(days=21)).isoformat()}: call recordings now include card data.",
            )
    return count
