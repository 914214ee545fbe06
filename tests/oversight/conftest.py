"""Live use cases for oversight tests: approved through the state table's transition (the joint decision is tested
in approvals)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from oversight import clocks, services
from tests.answer_sets import CHATBOT, CV_SCREENING
from tests.riskboundaries.conftest import approve

PROVIDER_CV_SCREENING = {**CV_SCREENING, "role_modifiers": ["rebrand"]}


@pytest.fixture
def live(make_use_case):
    """An approved use case, high-risk (CV screening) unless answers say otherwise; we are its deployer."""

    def _live(*, answers=CV_SCREENING, title="CV screening assistant", actor=None):
        return approve(make_use_case(answers=answers, title=title, submit=True, actor=actor))

    return _live


@pytest.fixture
def high_risk(live):
    return live()


@pytest.fixture
def chatbot(live):
    return live(answers=CHATBOT, title="Customer service assistant")


def report_incident(actor, use_case, **overrides):
    """An incident as a person reports it: serious (health) unless said otherwise, two days ago."""
    fields = {
        "title": "Qualified applicants rejected",
        "what_happened": "The screening scored every applicant over 50 as unsuitable for a week.",
        "who_was_affected": "About 40 applicants for three roles.",
        "harm": "Applications rejected on age: unequal treatment.",
        "occurred_at": timezone.now() - timedelta(days=2),
        "serious": True,
        "serious_kind": clocks.HEALTH,
        **overrides,
    }
    return services.incident_report(actor=actor, use_case=use_case, **fields)


__all__ = ["PROVIDER_CV_SCREENING", "report_incident"]
