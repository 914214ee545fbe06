"""What a newer ruleset changes in one use case's assessment: tier, role, band and obligations, the rules behind the
change, and whether its risk rose (pure: two stored assessments in, a comparison out)."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from intake.vocabulary import BANDS_BY_SEVERITY, TIERS_BY_SEVERITY


@dataclass(frozen=True)
class AssessmentChange:
    before: dict[
        str, Any
    ]  # {"tier", "role", "band", "obligations": [ids]} under the ruleset it was frozen with
    after: dict[str, Any]  # the same under the new ruleset
    fired: list[dict[str, str]]  # rules that fire now and did not: {"rule_id", "reason", "citation"}
    no_longer: list[dict[str, str]]  # rules that fired and no longer do
    rose: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "before": self.before,
            "after": self.after,
            "fired": self.fired,
            "no_longer": self.no_longer,
            "rose": self.rose,
        }


def _summary(assessment: Mapping[str, Any]) -> dict[str, Any]:
    eu = assessment.get("eu_ai_act") or {}
    duties = [*(eu.get("obligations") or ()), *(eu.get("transparency_duties") or ())]
    return {
        "tier": str(eu.get("tier") or ""),
        "role": str(eu.get("role") or ""),
        "band": str(assessment.get("band") or ""),
        "obligations": sorted({str(item.get("id")) for item in duties if isinstance(item, Mapping)}),
    }


def _fired(assessment: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    return {
        str(entry.get("rule_id")): {
            "rule_id": str(entry.get("rule_id")),
            "reason": str(entry.get("reason") or ""),
            "citation": str(entry.get("citation") or ""),
        }
        for entry in assessment.get("fired") or ()
        if isinstance(entry, Mapping) and entry.get("rule_id")
    }


def _severity(most_severe_first: tuple, value: str) -> int:
    """Higher is more severe; 0 for no value (not assessed)."""
    values = [str(v) for v in most_severe_first]
    return len(values) - values.index(value) if value in values else 0


def risk_rose(before: Mapping[str, Any], after: Mapping[str, Any]) -> bool:
    """The tier or the band is more severe, or we became the provider (with the provider's duties)."""
    return (
        _severity(TIERS_BY_SEVERITY, after["tier"]) > _severity(TIERS_BY_SEVERITY, before["tier"])
        or _severity(BANDS_BY_SEVERITY, after["band"]) > _severity(BANDS_BY_SEVERITY, before["band"])
        or (before["role"] != "provider" and after["role"] == "provider")
    )


def compare(before: Mapping[str, Any], after: Mapping[str, Any]) -> AssessmentChange | None:
    """How ``after`` (the new ruleset's assessment) differs from ``before`` (the frozen one) in what people act on;
    None when tier, role, band and obligations are all the same (a reworded reason is not a change)."""
    old, new = _summary(before), _summary(after)
    if old == new:
        return None
    old_fired, new_fired = _fired(before), _fired(after)
    return AssessmentChange(
        before=old,
        after=new,
        fired=[entry for rule_id, entry in new_fired.items() if rule_id not in old_fired],
        no_longer=[entry for rule_id, entry in old_fired.items() if rule_id not in new_fired],
        rose=risk_rose(old, new),
    )
