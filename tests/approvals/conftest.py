"""People and use cases for the joint-decision tests."""

import pytest

from riskboundaries import services as boundary_services
from tests.riskboundaries.conftest import PERMISSIVE, signed_by_both


@pytest.fixture
def boundary(cio, ciso):
    """An active boundary: autonomy up to 2, score up to 16, high-risk uses need human approval (C-03)."""
    limits = {
        **PERMISSIVE,
        "max_autonomy": 2,
        "max_inherent_score": 16,
        "required_controls": {"high": ["C-03"]},
    }
    return signed_by_both(boundary_services.boundary_create(actor=cio, limits=limits), cio, ciso)
