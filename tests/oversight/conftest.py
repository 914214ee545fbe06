"""Live use cases for oversight tests: approved through the state table's transition (the joint decision is tested
in approvals)."""

import pytest

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


__all__ = ["PROVIDER_CV_SCREENING"]
