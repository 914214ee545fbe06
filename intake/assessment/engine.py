"""Turns answers into an assessment by running the ruleset; every conclusion keeps the rules that produced it."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from intake.answers import missing_for_submission
from intake.assessment.catalogue import (
    CONTROLS,
    IMPACT_DIMENSIONS,
    NIST_RISKS,
    OWASP_AGENTIC,
    OWASP_LLM,
)
from intake.assessment.rules import (
    KEY_DATES,
    LATER_RULES,
    ROLE_RULES,
    RULESET_VERSION,
    SCOPE_AFTER_TIER_RULES,
    TIER_RULES,
    Rule,
)
from intake.vocabulary import TIER_PRECEDENCE, Band, EuRole, Tier, band_for

MAX_LEVEL = 5


@dataclass(frozen=True)
class Assessment:
    """The outcome for one set of answers; `to_dict()` is what is stored with a revision and served by the API."""

    # The answers plus the facts the engine derived for the later rules (eu_tier, eu_role, eu_derogation).
    case: Mapping[str, Any]
    fired: tuple[Rule, ...]
    complete: bool
    tier: Tier
    role: EuRole
    derogation_rule: Rule | None
    likelihood: int
    impact_dimensions: Mapping[str, int]
    ruleset_version: str = RULESET_VERSION

    @property
    def impact(self) -> int:
        # The worst dimension, never an average: one severe harm is not diluted by mild ones.
        return max(self.impact_dimensions.values())

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self) -> Band:
        return band_for(self.score)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ruleset_version": self.ruleset_version,
            "complete": self.complete,
            "eu_ai_act": {
                "tier": str(self.tier),
                "role": str(self.role),
                "obligations": _items(self.fired, "obligation"),
                "transparency_duties": _items(self.fired, "transparency"),
                "prohibited_practices": _items(self.fired, "prohibited"),
                "derogation": self._derogation(),
                "key_dates": [
                    {"date": date, "what": what} for date, what, when in KEY_DATES if when(self.case)
                ],
            },
            "owasp_llm": _findings(self.fired, OWASP_LLM),
            "owasp_agentic": _findings(self.fired, OWASP_AGENTIC),
            "nist": _findings(self.fired, {risk_id: name for risk_id, (name, _) in NIST_RISKS.items()}),
            "controls": [
                {"id": item["id"], "name": item["name"], "why": item["reasons"], "rule_ids": item["rule_ids"]}
                for item in _findings(self.fired, CONTROLS, attribute="controls")
            ],
            "likelihood": self.likelihood,
            "impact": self.impact,
            "impact_dimensions": dict(self.impact_dimensions),
            "score": self.score,
            "band": str(self.band),
            "fired": [
                {"rule_id": rule.id, "reason": _explained(rule), "citation": rule.citation}
                for rule in self.fired
            ],
        }

    def _derogation(self) -> dict[str, Any]:
        rule = self.derogation_rule
        claimed = rule is not None and rule.derogation == "claimed"
        return {
            "claimed": claimed,
            "reason": rule.reason if rule else "",
            "legal_review": claimed,
            "registration_required": claimed,
        }


def assess(answers: Mapping[str, Any]) -> Assessment:
    """Assess cleaned answers (as `clean_answers` returns them); a partial draft is assessed on what is answered."""
    case: dict[str, Any] = dict(answers)
    fired = [rule for rule in TIER_RULES if rule.when(case)]
    tier = next(t for t in TIER_PRECEDENCE if t == Tier.MINIMAL or any(rule.tier == t for rule in fired))
    case["eu_tier"] = tier
    # Art. 2(12) turns on the tier itself: open source is out of scope only when nothing else would apply.
    out_of_scope = [rule for rule in SCOPE_AFTER_TIER_RULES if rule.when(case)]
    if out_of_scope:
        fired += out_of_scope
        tier = case["eu_tier"] = Tier.NOT_APPLICABLE
    fired += [rule for rule in ROLE_RULES if rule.when(case)]
    role = EuRole.PROVIDER if any(rule.role == EuRole.PROVIDER for rule in fired) else EuRole.DEPLOYER
    derogation_rule = next((rule for rule in fired if rule.derogation), None)
    case.update(
        eu_role=role,
        eu_derogation=derogation_rule is not None and derogation_rule.derogation == "claimed",
    )
    fired += [rule for rule in LATER_RULES if rule.when(case)]
    return Assessment(
        case=case,
        fired=tuple(fired),
        complete=not missing_for_submission(answers),
        tier=tier,
        role=role,
        derogation_rule=derogation_rule,
        likelihood=min(MAX_LEVEL, 1 + sum(rule.likelihood for rule in fired)),
        impact_dimensions={
            dimension: max([1, *(rule.impact[dimension] for rule in fired if dimension in rule.impact)])
            for dimension in IMPACT_DIMENSIONS
        },
    )


def _items(fired: Iterable[Rule], attribute: str) -> list[dict[str, str]]:
    return [
        {"id": rule.id, "text": getattr(rule, attribute), "citation": rule.citation}
        for rule in fired
        if getattr(rule, attribute)
    ]


def _findings(
    fired: tuple[Rule, ...], catalogue: Mapping[str, str], attribute: str = "risks"
) -> list[dict[str, Any]]:
    """One entry per catalogue item that some fired rule names, in catalogue order, with every reason behind it."""
    by_item: dict[str, list[Rule]] = {}
    for rule in fired:  # one pass over the fired rules, not one per catalogue item
        for item_id in getattr(rule, attribute):
            by_item.setdefault(item_id, []).append(rule)
    findings = []
    for item_id, name in catalogue.items():
        rules = by_item.get(item_id)
        if rules:
            findings.append(
                {
                    "id": item_id,
                    "name": name,
                    "reasons": list(dict.fromkeys(rule.reason for rule in rules)),
                    "rule_ids": [rule.id for rule in rules],
                }
            )
    return findings


def _explained(rule: Rule) -> str:
    """The rule's reason, with what it adds to the score spelled out."""
    parts = [f"likelihood +{rule.likelihood}"] if rule.likelihood else []
    parts += [
        f"{dimension.replace('_', ' ')} impact at least {level}" for dimension, level in rule.impact.items()
    ]
    return f"{rule.reason} ({'; '.join(parts)})" if parts else rule.reason
