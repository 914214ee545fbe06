"""The demo portfolio: varied across teams, tiers and states, and idempotent."""

import pytest
from django.core.management import call_command

from intake.models import UseCase
from intake.workflow import Status

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_a_varied_portfolio_once():
    call_command("seed_demo", "--password", "demo-password-123")
    count = UseCase.objects.count()
    assert count >= 15
    assert set(UseCase.objects.values_list("team__name", flat=True)) == {"Customer Service", "People & HR"}
    statuses = set(UseCase.objects.values_list("status", flat=True))
    assert {Status.DRAFT, Status.SUBMITTED, Status.WITHDRAWN, Status.REJECTED} <= statuses
    tiers = set(UseCase.objects.exclude(status=Status.DRAFT).values_list("tier", flat=True))
    assert {"prohibited", "high", "limited", "minimal", "not_applicable"} <= tiers
    assert UseCase.objects.blocked_as_prohibited().count() == 1

    call_command("seed_demo", "--password", "demo-password-123")
    assert UseCase.objects.count() == count


def test_seed_demo_leaves_an_active_boundary_and_a_stricter_one_awaiting_the_cio():
    from riskboundaries.models import RiskBoundary
    from riskboundaries.selectors import boundary_impact

    call_command("seed_demo", "--password", "demo-password-123")
    active, pending = RiskBoundary.objects.order_by("version")
    assert active.state == "active" and {s.role for s in active.signatures.all()} == {"cio", "ciso"}
    assert pending.state == "awaiting_signatures" and [s.role for s in pending.signatures.all()] == ["ciso"]
    assert len(boundary_impact(pending)) >= 1  # its what-if shows breaches
    assert UseCase.objects.exclude(status=Status.DRAFT).filter(revisions__boundary_version=1).exists()
