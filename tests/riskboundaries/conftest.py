"""Boundaries and approved use cases for risk-boundary tests."""

import pytest
from django.db import transaction

from intake import services as intake_services
from intake.workflow import Action
from riskboundaries import services

PERMISSIVE = {
    "max_data_classification_internal": "restricted",
    "max_data_classification_external": "confidential",
    "max_autonomy": 4,
    "max_eu_tier": "high",
    "max_inherent_score": 25,
    "exception_max_days": 180,
    "review_by": "2027-06-30",
}

STRICT = {**PERMISSIVE, "max_autonomy": 1, "max_inherent_score": 6, "max_eu_tier": "limited"}


def approve(use_case):
    """Stand-in for the joint decision (a later piece of work): take the state table's approve transition."""
    with transaction.atomic():
        locked = intake_services._locked(use_case)
        intake_services._transition(locked, Action.APPROVE, actor=None, reason="Approved for the test.")
    return locked


def signed_by_both(boundary, cio, ciso):
    """The CIO, then the CISO, sign the boundary as it is: it is the active one."""
    services.boundary_sign(actor=cio, boundary=boundary, role="cio", seen_hash=boundary.content_hash)
    return services.boundary_sign(actor=ciso, boundary=boundary, role="ciso", seen_hash=boundary.content_hash)


def run_re_review_passes():
    """What the worker does after an activation (a test's transaction never commits, so nothing queued runs)."""
    from riskboundaries.models import ReReviewRun

    for run_id in ReReviewRun.objects.exclude(state=ReReviewRun.State.DONE).values_list("pk", flat=True):
        services.boundary_re_review_run(run_id=run_id)


@pytest.fixture
def active_boundary(cio, ciso):
    return signed_by_both(
        services.boundary_create(actor=cio, limits=PERMISSIVE, change_note="First appetite"), cio, ciso
    )
