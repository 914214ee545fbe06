"""The demo fills the review queue with every situation a reviewer meets."""

import pytest
from django.core.management import call_command

from approvals.models import Approval, Condition, SlotDecision
from intake.models import UseCase
from intake.workflow import Status

pytestmark = pytest.mark.django_db


def test_seed_demo_fills_the_queue_with_each_situation():
    call_command("seed_demo", "--password", "demo-password-123")
    statuses = set(UseCase.objects.values_list("status", flat=True))
    assert {
        Status.APPROVED,
        Status.REJECTED,
        Status.CHANGES_REQUESTED,
        Status.RE_REVIEW_DUE,
        Status.SUBMITTED,
    } <= statuses
    open_slots = set(
        SlotDecision.objects.filter(
            use_case__status=Status.SUBMITTED, cycle__closed_at__isnull=True
        ).values_list("slot", flat=True)
    )
    assert open_slots == {"cio", "ciso"}  # one waits on the CISO, one on the CIO
    assert Approval.objects.filter(exception_expires_on__isnull=False).exists()
    assert (
        Condition.objects.filter(source="boundary").exists()
        and Condition.objects.filter(source="reviewer").exists()
    )
    decisions = SlotDecision.objects.count()
    call_command("seed_demo", "--password", "demo-password-123")
    assert SlotDecision.objects.count() == decisions
