"""How assessments read on pages: plain-language labels and the reasons behind the tier. Shared by every page
that shows an assessment (the intake pages, the review page)."""

from typing import Any

from intake.answers import BOOL, MANY
from intake.assessment.rules import LATER_RULES, TIER_RULES

TIERS: dict[str, tuple[str, str]] = {
    "prohibited": (
        "Prohibited",
        "It involves a practice the EU AI Act bans. It cannot be approved and is closed when submitted.",
    ),
    "high": (
        "High risk",
        "Its output feeds decisions in an area the EU AI Act lists as high-risk: strict duties apply before use.",
    ),
    "limited": (
        "Limited risk",
        "People must be told they are dealing with AI, or that content is AI-made.",
    ),
    "minimal": (
        "Minimal risk",
        "No specific EU AI Act duties beyond AI literacy; company policy still applies.",
    ),
    "not_applicable": (
        "Outside the EU AI Act",
        "No EU connection, so the EU AI Act does not apply; company policy still does.",
    ),
}
ROLES = {
    "deployer": ("Deployer", "We use an AI system supplied by someone else."),
    "provider": (
        "Provider",
        "We put it on the market or into service under our name, with the provider's duties.",
    ),
}
BANDS = {"low": "Low", "medium": "Medium", "high": "High", "critical": "Critical"}
IMPACT_DIMENSIONS = {
    "people_rights": "People and their rights",
    "regulatory": "Regulatory",
    "data": "Data",
    "financial": "Financial",
    "operational": "Operational",
    "reputational": "Reputational",
}
# The rules that explain the EU AI Act tier and role, each with the tier it argues for ("derogation" for Art. 6(3)).
TIER_REASONS: dict[str, str] = {
    **{rule.id: rule.tier or ("derogation" if rule.derogation == "claimed" else "") for rule in TIER_RULES},
    **{rule.id: "minimal" for rule in LATER_RULES if rule.id == "EU-MINIMAL-RISK"},
}


def tier_label(tier: str) -> dict[str, str]:
    label, summary = TIERS.get(
        tier, (tier.replace("_", " ").capitalize() if tier else "Not assessed yet", "")
    )
    return {"value": tier or "none", "label": label, "summary": summary}


def explain_assessment(assessment: dict[str, Any]) -> dict[str, Any]:
    """The assessment with the plain-language labels the pages show next to its values, and why the tier is what it is."""
    eu = assessment.get("eu_ai_act") or {}
    tier = eu.get("tier", "")
    role_label, role_summary = ROLES.get(eu.get("role", ""), (eu.get("role", "").capitalize(), ""))
    tier_reasons = [f for f in assessment.get("fired", []) if f.get("rule_id") in TIER_REASONS]
    # The citations that put it in this tier (not those of the transparency or role rules listed with them).
    deciding = [f for f in tier_reasons if TIER_REASONS[f["rule_id"]] in (tier, "derogation")]
    return {
        **assessment,
        "eu": eu,
        "tier": tier_label(tier),
        "tier_reasons": tier_reasons,
        "tier_citations": list(dict.fromkeys(f["citation"] for f in deciding if f.get("citation"))),
        "role": {"value": eu.get("role", ""), "label": role_label, "summary": role_summary},
        "band_label": BANDS.get(assessment.get("band", ""), assessment.get("band", "")),
        "risk_count": sum(len(assessment.get(key) or []) for key in ("owasp_llm", "owasp_agentic", "nist")),
        "dimensions": [
            {"name": IMPACT_DIMENSIONS.get(name, name.replace("_", " ").capitalize()), "level": level}
            for name, level in (assessment.get("impact_dimensions") or {}).items()
        ],
    }


DESCRIPTIVE_LABELS = {
    "title": "Title",
    "summary": "What it does",
    "business_owner": "Business owner",
    "business_value": "Business value",
    "go_live_target": "Target go-live date",
}


def answer_text(question, value: Any) -> str:
    """An answer in the words of its question's choices ("" when unanswered)."""
    if value is None or value == "":
        return ""
    if question.kind == BOOL:
        return "Yes" if value else "No"
    if question.kind == MANY:
        return "; ".join(question.label_for(v) for v in value) if value else "None"
    if question.choices:
        return question.label_for(str(value))
    return str(value)
