"""How assessments read on pages: plain-language labels and the reasons behind the tier. Shared by every page
that shows an assessment (the intake pages, the review page)."""

from typing import Any

from intake.answers import BOOL, MANY
from intake.assessment.rules import LATER_RULES, ROLE_RULES, SCOPE_AFTER_TIER_RULES, TIER_RULES
from intake.contracts import SavedAssessment
from intake.vocabulary import Band, EuRole, ImpactDimension, Tier, label_of

# The rules that explain the EU AI Act tier and role, each with the tier it argues for ("derogation" for Art. 6(3)).
TIER_REASONS: dict[str, str] = {
    **{
        rule.id: rule.tier or ("derogation" if rule.derogation == "claimed" else "")
        for rule in (*TIER_RULES, *SCOPE_AFTER_TIER_RULES, *ROLE_RULES)
    },
    **{rule.id: "minimal" for rule in LATER_RULES if rule.id == "EU-MINIMAL-RISK"},
}


def tier_label(tier: str) -> dict[str, str]:
    """A tier as its badge shows it: the value (for the badge's colour), the label and what it means."""
    if tier in Tier.values:
        return {"value": tier, "label": Tier(tier).label, "summary": Tier(tier).summary}
    return {"value": tier or "none", "label": label_of(Tier, tier, empty="Not assessed yet"), "summary": ""}


def band_label(band: str) -> str:
    return label_of(Band, band, empty="")


# The tier says what the Regulation makes of the use, the band how likely and how bad harm is; where they point in
# opposite directions the pages say why in one sentence.
_SCORE_MEANS = "the score measures likelihood × impact of harm"
TIER_BAND_NOTES: dict[tuple[str, frozenset[str]], str] = {
    (Tier.PROHIBITED, frozenset({Band.LOW, Band.MEDIUM})): (
        f"Prohibited whatever the score: {_SCORE_MEANS}, the tier what the Regulation and company policy say about "
        "the practice."
    ),
    (Tier.HIGH, frozenset({Band.LOW, Band.MEDIUM})): (
        f"High-risk under the EU AI Act whatever the score: {_SCORE_MEANS}, the tier what the Regulation says about "
        "the use, and its duties apply in full."
    ),
    (Tier.MINIMAL, frozenset({Band.HIGH, Band.CRITICAL})): (
        "Minimal risk under the EU AI Act, yet a {band} inherent risk: the tier says what the Regulation requires, "
        f"{_SCORE_MEANS}, and the controls follow the score."
    ),
}


def tier_band_note(tier: str, band: str) -> str:
    """One sentence when the tier and the band disagree (a prohibited practice with a low score, say); else ""."""
    for (noted_tier, bands), note in TIER_BAND_NOTES.items():
        if tier == noted_tier and band in bands:
            return note.format(band=band_label(band).lower())
    return ""


def explain_assessment(assessment: dict[str, Any]) -> dict[str, Any]:
    """The assessment with the plain-language labels the pages show next to its values, and why the tier is what it is."""
    assessed = SavedAssessment.of(assessment)
    eu = assessment.get("eu_ai_act") or {}
    tier = assessed.tier.value if assessed.tier else ""
    role = assessed.role
    tier_reasons = [f for f in assessment.get("fired", []) if f.get("rule_id") in TIER_REASONS]
    # The citations that put it in this tier (not those of the transparency or role rules listed with them).
    deciding = [f for f in assessed.fired if TIER_REASONS.get(f.id) in (tier, "derogation")]
    return {
        **assessment,
        "eu": eu,
        "tier": tier_label(tier),
        "tier_reasons": tier_reasons,
        "tier_citations": list(dict.fromkeys(f.citation for f in deciding if f.citation)),
        "role": {
            "value": role.value if role else "",
            "label": role.label if role else "",
            "summary": role.summary if role else "",
        },
        "band_label": band_label(assessed.band or ""),
        "tier_band_note": tier_band_note(tier, assessed.band or ""),
        "risk_count": sum(len(assessment.get(key) or []) for key in ("owasp_llm", "owasp_agentic", "nist")),
        "dimensions": [
            {"name": label_of(ImpactDimension, name), "level": level}
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


def describe_ruleset_change(change: dict[str, Any]) -> dict[str, Any]:
    """A ruleset change as pages show it: each of tier, role and band before and after (only those that moved),
    the obligations added and removed, and the rules behind it in words."""
    before, after = change.get("before") or {}, change.get("after") or {}
    labels = {
        "tier": lambda value: tier_label(value)["label"],
        "band": lambda value: band_label(value) or "none",
        "role": lambda value: label_of(EuRole, value, empty="none"),
    }
    moved = [
        {
            "what": what,
            "before": labels[what](before.get(what, "")),
            "after": labels[what](after.get(what, "")),
        }
        for what in ("tier", "role", "band")
        if before.get(what) != after.get(what)
    ]
    old, new = set(before.get("obligations") or ()), set(after.get("obligations") or ())
    return {
        "moved": moved,
        "obligations_added": sorted(new - old),
        "obligations_removed": sorted(old - new),
        "fired": change.get("fired") or [],
        "no_longer": change.get("no_longer") or [],
        "rose": bool(change.get("rose")),
    }
