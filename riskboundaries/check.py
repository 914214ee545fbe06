"""The boundary check (DESIGN section 5): does one use case fit inside a risk boundary's limits, and if not, why.

Pure Python: the use case's answers, its assessment (a `SavedAssessment`, or the dict it is read from) and a boundary's
`Limits` go in; a `BoundaryCheck` (intake's contract) comes out. Every clause is inclusive: a value equal to its limit is within. A question not yet
answered (a partial draft in the live preview) never produces a breach.
"""

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from config.params import positive_int
from intake.answers import DATA_CLASSIFICATION_ORDER, QUESTIONS_BY_NAME
from intake.assessment.catalogue import CONTROLS
from intake.contracts import BoundaryCheck, Breach, RequiredControl, SavedAssessment
from intake.vocabulary import Tier, Verdict
from riskboundaries.limits import Limits

INTERNAL_USERS = ("employees_limited", "employees_all")
EXTERNAL_USERS = ("customers", "public")


# Every answer check_boundary reads (a test holds it to this): the what-if groups use cases by these and the
# assessment's tier, band, score and prohibited practices, and checks each distinct combination once.
ANSWERS_READ = (
    "users",
    "data_classification",
    "sourcing",
    "provider",
    "hosting_region",
    "provider_terms",
    "autonomy",
    "tool_permissions",
    "decision_domain",
    "prohibited_practices",
)


# What check_boundary reads of an assessment besides the answers: the EU AI Act tier and prohibited practices, the
# inherent-risk band and score. With ANSWERS_READ, these are a use case's "check facts".
ASSESSMENT_READ = ("tier", "prohibited", "band", "score")


# Facts kept with a use case are used only when written for the same reads: change either tuple above and every kept
# fact is of another version, read from the revision again until it is written anew (riskboundaries.selectors).
def facts_version(answers_read: tuple[str, ...], assessment_read: tuple[str, ...]) -> str:
    """A short name for these reads: it changes when either of them does."""
    return hashlib.sha256(json.dumps([answers_read, assessment_read]).encode()).hexdigest()[:12]


FACTS_VERSION = facts_version(ANSWERS_READ, ASSESSMENT_READ)


def check_facts_of(answers: Mapping[str, Any], assessment: Mapping[str, Any]) -> dict[str, Any]:
    """What check_boundary reads of a submitted revision, as the JSON the database builds from it
    (riskboundaries.selectors._check_facts, a test holds the two equal): the answers read, a missing one as null,
    and the assessment's tier, prohibited practices, band and score, with the version of these reads."""
    eu_ai_act = assessment.get("eu_ai_act") or {}
    return {
        "v": FACTS_VERSION,
        "answers": {key: answers.get(key) for key in ANSWERS_READ},
        "tier": eu_ai_act.get("tier"),
        "prohibited": eu_ai_act.get("prohibited_practices"),
        "band": assessment.get("band"),
        "score": assessment.get("score"),
    }


def check_boundary(
    answers: Mapping[str, Any], assessment: Mapping[str, Any] | SavedAssessment, limits: Limits
) -> BoundaryCheck:
    """Check one use case against one boundary; breaches come in the order of the limits, then of the choices."""
    assessment = SavedAssessment.of(assessment)
    tier = assessment.tier
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
    if _is_prohibited(answers, assessment):
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


def _is_prohibited(answers: Mapping[str, Any], assessment: SavedAssessment) -> bool:
    return assessment.is_prohibited or bool(_many(answers, "prohibited_practices"))


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


def _eu_tier(tier: Tier | None, limits: Limits) -> list[Breach]:
    allowed = Tier(limits.max_eu_tier)
    if tier is None or tier.rank <= allowed.rank:
        return []
    if tier is Tier.PROHIBITED:
        reason = "Is a practice the EU AI Act prohibits; no boundary or exception can allow it."
    else:
        reason = (
            f"Is {tier.label.lower()} under the EU AI Act; the boundary allows up to "
            f"{allowed.label.lower()} without an exception."
        )
    return [Breach("max_eu_tier", allowed.label, tier.label, reason)]


def _score(assessment: SavedAssessment, limits: Limits) -> list[Breach]:
    score = assessment.score
    if score is None or score <= limits.max_inherent_score:
        return []
    band = assessment.band
    actual = f"{score} ({band})" if band else str(score)
    return [
        Breach(
            "max_inherent_score",
            str(limits.max_inherent_score),
            actual,
            f"Its inherent risk score is {score} out of 25; the boundary allows up to {limits.max_inherent_score}.",
        )
    ]


def _conditions(tier: Tier | None, limits: Limits) -> tuple[RequiredControl, ...]:
    if tier is None or tier is Tier.PROHIBITED:
        return ()
    why = f"Required by the risk boundary for {tier.use_cases}"
    return tuple(
        RequiredControl(control_id, CONTROLS.get(control_id, control_id), why)
        for control_id in limits.required_controls.get(tier, ())
    )
