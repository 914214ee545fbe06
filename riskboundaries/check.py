"""The boundary check (DESIGN section 5): does one use case fit inside a risk boundary's limits, and if not, why.

Pure Python: the use case's answers, its assessment (`assess(answers).to_dict()`) and a boundary's `Limits` go in; a
`BoundaryCheck` comes out. Every clause is inclusive: a value equal to its limit is within. A question not yet
answered (a partial draft in the live preview) never produces a breach.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from config.params import positive_int
from intake.answers import DATA_CLASSIFICATION_ORDER, QUESTIONS_BY_NAME
from intake.assessment.catalogue import CONTROLS
from riskboundaries.limits import Limits

INTERNAL_USERS = ("employees_limited", "employees_all")
EXTERNAL_USERS = ("customers", "public")

# The EU AI Act tiers in the order max_eu_tier compares them; a use case outside the Act counts as minimal.
EU_TIER_ORDER = ("minimal", "limited", "high", "prohibited")
EU_TIER_LABELS = {
    "prohibited": "Prohibited",
    "high": "High risk",
    "limited": "Limited risk",
    "minimal": "Minimal risk",
    "not_applicable": "Outside the EU AI Act",
}
# How the reason for a required control names the use cases it applies to.
TIER_USE_CASES = {
    "high": "high-risk use cases",
    "limited": "limited-risk use cases",
    "minimal": "minimal-risk use cases",
    "not_applicable": "use cases outside the EU AI Act",
}


class Verdict(StrEnum):
    WITHIN = "within"
    WITHIN_WITH_CONDITIONS = "within_with_conditions"
    EXCEEDS = "exceeds"
    PROHIBITED = "prohibited"

    @property
    def label(self) -> str:
        return _VERDICT_LABELS[self]


_VERDICT_LABELS = {
    Verdict.WITHIN: "Within the risk boundary",
    Verdict.WITHIN_WITH_CONDITIONS: "Within the risk boundary, with required controls",
    Verdict.EXCEEDS: "Exceeds the risk boundary",
    Verdict.PROHIBITED: "Prohibited",
}
VERDICT_CHOICES: tuple[tuple[str, str], ...] = tuple((v.value, v.label) for v in Verdict)


@dataclass(frozen=True)
class Breach:
    clause: str  # the Limits field that is breached
    limit: str
    actual: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"clause": self.clause, "limit": self.limit, "actual": self.actual, "reason": self.reason}


@dataclass(frozen=True)
class Condition:
    control_id: str
    name: str
    why: str

    def to_dict(self) -> dict[str, str]:
        return {"control_id": self.control_id, "name": self.name, "why": self.why}


@dataclass(frozen=True)
class BoundaryCheck:
    verdict: Verdict
    breaches: tuple[Breach, ...] = ()
    conditions: tuple[Condition, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict.value,
            "breaches": [breach.to_dict() for breach in self.breaches],
            "conditions": [condition.to_dict() for condition in self.conditions],
        }


def check_boundary(
    answers: Mapping[str, Any], assessment: Mapping[str, Any], limits: Limits
) -> BoundaryCheck:
    """Check one use case against one boundary; breaches come in the order of the limits, then of the choices."""
    tier = _tier(assessment)
    breaches = (
        *_data_classification(answers, limits),
        *_sourcing(answers, limits),
        *_providers(answers, limits),
        *_autonomy(answers, limits),
        *_tool_permissions(answers, limits),
        *_domains(answers, limits),
        *_eu_tier(tier, limits),
        *_score(assessment, limits),
    )
    if _is_prohibited(answers, assessment, tier):
        # Never allowed by any boundary; controls cannot make it acceptable, so none are attached.
        return BoundaryCheck(Verdict.PROHIBITED, breaches=breaches)
    conditions = _conditions(tier, limits)
    if breaches:
        return BoundaryCheck(Verdict.EXCEEDS, breaches=breaches, conditions=conditions)
    if conditions:
        return BoundaryCheck(Verdict.WITHIN_WITH_CONDITIONS, conditions=conditions)
    return BoundaryCheck(Verdict.WITHIN)


# --- helpers -----------------------------------------------------------------------------------------------------


def _answered(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _label(question: str, value: Any) -> str:
    return QUESTIONS_BY_NAME[question].label_for(value)


def _labels(question: str, values: tuple[str, ...] | list[str]) -> str:
    return ", ".join(_label(question, v) for v in values)


def _many(answers: Mapping[str, Any], question: str) -> list[str]:
    """A multiple-choice answer in the order of its choices (unknown values ignored); [] when unanswered."""
    chosen = answers.get(question) or ()
    if isinstance(chosen, str):
        chosen = (chosen,)
    return [v for v in QUESTIONS_BY_NAME[question].values if v in set(chosen)]


def _tier(assessment: Mapping[str, Any]) -> str | None:
    eu = assessment.get("eu_ai_act") or {}
    tier = eu.get("tier") if isinstance(eu, Mapping) else None
    return tier if tier in EU_TIER_LABELS else None


def _is_prohibited(answers: Mapping[str, Any], assessment: Mapping[str, Any], tier: str | None) -> bool:
    eu = assessment.get("eu_ai_act") or {}
    return (
        tier == "prohibited"
        or bool(_many(answers, "prohibited_practices"))
        or (isinstance(eu, Mapping) and bool(eu.get("prohibited_practices")))
    )


# --- one function per clause, in the order of the Limits fields -------------------------------------------------


def _data_classification(answers: Mapping[str, Any], limits: Limits) -> list[Breach]:
    users = answers.get("users")
    actual = answers.get("data_classification")
    if actual not in DATA_CLASSIFICATION_ORDER:
        return []
    if users in INTERNAL_USERS:
        clause, limit, who = (
            "max_data_classification_internal",
            limits.max_data_classification_internal,
            "internal",
        )
    elif users in EXTERNAL_USERS:
        clause, limit, who = (
            "max_data_classification_external",
            limits.max_data_classification_external,
            "external",
        )
    else:
        return []
    if DATA_CLASSIFICATION_ORDER.index(actual) <= DATA_CLASSIFICATION_ORDER.index(limit):
        return []
    return [
        Breach(
            clause,
            _label("data_classification", limit),
            _label("data_classification", actual),
            f"Uses {actual} data with {who} users; the boundary allows up to {limit}.",
        )
    ]


def _sourcing(answers: Mapping[str, Any], limits: Limits) -> list[Breach]:
    sourcing = answers.get("sourcing")
    if not limits.allowed_sourcing or not _answered(sourcing) or sourcing in limits.allowed_sourcing:
        return []
    actual = _label("sourcing", sourcing)
    allowed = _labels("sourcing", limits.allowed_sourcing)
    return [
        Breach(
            "allowed_sourcing",
            allowed,
            actual,
            f"Gets the AI as “{actual}”; the boundary allows only: {allowed}.",
        )
    ]


def _providers(answers: Mapping[str, Any], limits: Limits) -> list[Breach]:
    provider = answers.get("provider")
    if not limits.allowed_providers or not _answered(provider) or not isinstance(provider, str):
        return []
    provider = provider.strip()
    rule = next(
        (p for p in limits.allowed_providers if p.name.strip().casefold() == provider.casefold()),
        None,
    )
    if rule is None:
        allowed = ", ".join(sorted((p.name for p in limits.allowed_providers), key=str.casefold))
        return [
            Breach(
                "allowed_providers",
                allowed,
                provider,
                f"Uses {provider}, which is not an allowed provider; the boundary allows only: {allowed}.",
            )
        ]
    breaches = []
    region = answers.get("hosting_region")
    if rule.regions and _answered(region) and region not in rule.regions:
        allowed = _labels("hosting_region", rule.regions)
        actual = _label("hosting_region", region)
        breaches.append(
            Breach(
                "allowed_providers",
                f"{rule.name} in: {allowed}",
                f"{rule.name} in: {actual}",
                f"Runs {rule.name} in “{actual}”; the boundary allows {rule.name} only in: {allowed}.",
            )
        )
    # Provider terms are optional ("leave blank if none or unknown"): once the question has an answer, even an
    # empty one, a required commitment that is not ticked is missing. Not yet answered at all: no breach.
    if rule.required_terms and answers.get("provider_terms") is not None:
        committed = _many(answers, "provider_terms")
        missing = [t for t in rule.required_terms if t not in committed]
        if missing:
            breaches.append(
                Breach(
                    "allowed_providers",
                    f"{rule.name} commits to: {_labels('provider_terms', rule.required_terms)}",
                    f"{rule.name} commits to: {_labels('provider_terms', committed) or 'nothing recorded'}",
                    f"The boundary requires {rule.name} to commit to more than recorded; missing: "
                    f"{_labels('provider_terms', missing)}.",
                )
            )
    return breaches


def _autonomy_level(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return positive_int(value.strip())
    return None


def _autonomy_label(level: int) -> str:
    # "3 — Bounded autonomy: acts alone within set limits" -> "3 — Bounded autonomy"
    return _label("autonomy", str(level)).split(":")[0]


def _autonomy(answers: Mapping[str, Any], limits: Limits) -> list[Breach]:
    level = _autonomy_level(answers.get("autonomy"))
    if level is None or level <= limits.max_autonomy:
        return []
    return [
        Breach(
            "max_autonomy",
            _autonomy_label(limits.max_autonomy),
            _autonomy_label(level),
            f"Works at autonomy level {level}; the boundary allows up to level {limits.max_autonomy}.",
        )
    ]


def _tool_permissions(answers: Mapping[str, Any], limits: Limits) -> list[Breach]:
    breaches = []
    for permission in _many(answers, "tool_permissions"):
        if permission in limits.forbidden_tool_permissions:
            label = _label("tool_permissions", permission)
            breaches.append(
                Breach(
                    "forbidden_tool_permissions",
                    "Not allowed",
                    label,
                    f"Its tools can “{label.lower()}”; the boundary forbids this.",
                )
            )
    return breaches


def _domains(answers: Mapping[str, Any], limits: Limits) -> list[Breach]:
    domain = answers.get("decision_domain")
    if not _answered(domain) or domain not in limits.forbidden_domains:
        return []
    label = _label("decision_domain", domain)
    return [
        Breach(
            "forbidden_domains",
            "Not allowed",
            label,
            f"Helps decide “{label.lower()}”; the boundary forbids AI in this area.",
        )
    ]


def _eu_tier(tier: str | None, limits: Limits) -> list[Breach]:
    if tier is None:
        return []
    compared = "minimal" if tier == "not_applicable" else tier
    if EU_TIER_ORDER.index(compared) <= EU_TIER_ORDER.index(limits.max_eu_tier):
        return []
    limit = EU_TIER_LABELS[limits.max_eu_tier]
    if tier == "prohibited":
        reason = "Is a practice the EU AI Act prohibits; no boundary or exception can allow it."
    else:
        reason = (
            f"Is {EU_TIER_LABELS[tier].lower()} under the EU AI Act; the boundary allows up to "
            f"{limit.lower()} without an exception."
        )
    return [Breach("max_eu_tier", limit, EU_TIER_LABELS[tier], reason)]


def _score(assessment: Mapping[str, Any], limits: Limits) -> list[Breach]:
    score = assessment.get("score")
    if isinstance(score, bool) or not isinstance(score, int) or score <= limits.max_inherent_score:
        return []
    band = assessment.get("band")
    actual = f"{score} ({band})" if band else str(score)
    return [
        Breach(
            "max_inherent_score",
            str(limits.max_inherent_score),
            actual,
            f"Its inherent risk score is {score} out of 25; the boundary allows up to {limits.max_inherent_score}.",
        )
    ]


def _conditions(tier: str | None, limits: Limits) -> tuple[Condition, ...]:
    if tier is None or tier not in TIER_USE_CASES:
        return ()
    why = f"Required by the risk boundary for {TIER_USE_CASES[tier]}"
    return tuple(
        Condition(control_id, CONTROLS.get(control_id, control_id), why)
        for control_id in limits.required_controls.get(tier, ())
    )
