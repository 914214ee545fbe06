"""The demo risk appetite: v1 active and signed by both executives; v2, stricter, awaiting the CIO's signature."""

from django.db import transaction

from accounts.models import User
from riskboundaries import services
from riskboundaries.models import RiskBoundary

V1 = {
    "max_data_classification_internal": "confidential",
    "max_data_classification_external": "internal",
    "allowed_sourcing": ["enterprise_saas", "api_model", "fine_tuned"],
    "allowed_providers": [
        {"name": "Azure OpenAI", "regions": ["eu"], "required_terms": ["dpa_signed"]},
        {"name": "GitHub", "regions": ["eu", "us"], "required_terms": ["dpa_signed"]},
        {"name": "VoiceWorks", "regions": ["eu", "us"], "required_terms": []},
    ],
    "max_autonomy": 3,
    "forbidden_tool_permissions": ["production_infrastructure"],
    "forbidden_domains": ["biometric_identification", "law_enforcement", "elections"],
    "max_eu_tier": "high",
    "max_inherent_score": 16,
    "required_controls": {
        "limited": ["C-01", "C-05"],
        "high": ["C-03", "C-05", "C-06", "C-08", "C-12"],
    },
    "exception_max_days": 180,
    "review_by": "2027-06-30",
}

V2 = {
    **V1,
    "max_autonomy": 2,
    "forbidden_tool_permissions": ["production_infrastructure", "financial_transactions"],
    "max_inherent_score": 12,
    "exception_max_days": 90,
}


def seed_active_boundary() -> RiskBoundary:
    """v1, signed by the demo CIO and CISO, unless a boundary already exists."""
    existing = RiskBoundary.objects.order_by("version").first()
    if existing is not None:
        return existing
    cio, ciso = User.objects.get(username="cio"), User.objects.get(username="ciso")
    with transaction.atomic():
        boundary = services.boundary_create(
            actor=cio, limits=V1, change_note="First jointly agreed GenAI risk appetite."
        )
        services.boundary_sign(actor=cio, boundary=boundary, role="cio", seen_hash=boundary.content_hash)
        return services.boundary_sign(
            actor=ciso, boundary=boundary, role="ciso", seen_hash=boundary.content_hash
        )


def seed_pending_boundary() -> RiskBoundary:
    """v2, stricter on autonomy, money-moving tools and score; the CISO has signed, the CIO has not yet."""
    existing = RiskBoundary.objects.filter(version=2).first()
    if existing is not None:
        return existing
    ciso = User.objects.get(username="ciso")
    with transaction.atomic():
        boundary = services.boundary_create(
            actor=ciso,
            limits=V2,
            change_note="Tighter autonomy and no money-moving tools after the Q3 incident review.",
        )
        return services.boundary_sign(
            actor=ciso, boundary=boundary, role="ciso", seen_hash=boundary.content_hash
        )
