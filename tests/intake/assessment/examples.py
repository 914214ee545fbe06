"""Complete, valid answer sets for well-known kinds of use case, to vary one answer at a time in tests."""

import random
from typing import Any

from intake.answers import QUESTIONS, clean_answers

INTERNAL_CODE_ASSISTANT: dict[str, Any] = {
    "stage": "pilot",
    "sourcing": "enterprise_saas",
    "provider": "GitHub",
    "model_name": "Copilot",
    "hosting_region": "eu",
    "provider_terms": ["zero_retention", "no_training_on_data", "dpa_signed", "eu_data_residency"],
    "capabilities": ["chat", "code_generation"],
    "data_classification": "internal",
    "personal_data": [],
    "retrieval_sources": ["curated_internal"],
    "users": "employees_limited",
    "user_count": "lt_500",
    "affected_persons": [],
    "output_use": "draft_reviewed",
    "decision_domain": "none",
    "profiling": False,
    "autonomy": 1,
    "tool_permissions": [],
    "human_oversight": "Developers review every suggestion in code review.",
    "kill_switch": True,
    "eu_nexus": "eu_affected",
    "prohibited_practices": [],
    "transparency_triggers": [],
    "role_modifiers": [],
    "public_body": False,
    "art6_3_exemption": "none",
}

CV_SCREENER: dict[str, Any] = {
    **INTERNAL_CODE_ASSISTANT,
    "sourcing": "api_model",
    "capabilities": ["text_generation", "scoring_classification"],
    "data_classification": "confidential",
    "personal_data": ["basic"],
    "affected_persons": ["applicants"],
    "output_use": "decision_support",
    "decision_domain": "employment_recruitment",
    "profiling": True,
    "human_oversight": "A recruiter reads every CV the assistant ranks and makes the shortlist.",
}

CUSTOMER_CHATBOT: dict[str, Any] = {
    **INTERNAL_CODE_ASSISTANT,
    "sourcing": "api_model",
    "capabilities": ["chat", "retrieval_rag"],
    "personal_data": ["basic"],
    "users": "customers",
    "user_count": "gte_5000",
    "affected_persons": ["customers"],
    "output_use": "customer_interactive",
    "autonomy": 0,
    "transparency_triggers": ["interacts_with_people"],
    "human_oversight": "Agents review a sample of conversations daily and can take over any chat.",
}


# Written out from Annex III of Regulation (EU) 2024/1689, independently of the ruleset's own table.
ANNEX_III_POINTS = {
    "biometric_identification": "1(a)",
    "biometric_categorisation": "1(b)",
    "emotion_recognition": "1(c)",
    "critical_infrastructure": "2",
    "education_access": "3(a)",
    "education_assessment": "3(b)",
    "education_level": "3(c)",
    "education_proctoring": "3(d)",
    "employment_recruitment": "4(a)",
    "employment_decisions": "4(b)",
    "employment_task_allocation": "4(b)",
    "employment_monitoring": "4(b)",
    "public_benefits": "5(a)",
    "credit_scoring": "5(b)",
    "insurance_pricing": "5(c)",
    "emergency_triage": "5(d)",
    "law_enforcement": "6",
    "migration_border": "7",
    "justice": "8(a)",
    "elections": "8(b)",
}


def answers(base: dict[str, Any] | None = None, **changes: Any) -> dict[str, Any]:
    """Cleaned answers: `base` (or nothing, for a draft) with `changes`, validated like the real intake."""
    return clean_answers({**(base or {}), **changes})


def random_answers(rng: random.Random) -> dict[str, Any]:
    """A valid answer set drawn at random over every question and choice, a few left unanswered as in a draft."""
    raw: dict[str, Any] = {}
    for question in QUESTIONS:
        if rng.random() < 0.15:
            continue
        if question.kind in ("one", "level"):
            raw[question.name] = rng.choice(question.values)
        elif question.kind == "many":
            raw[question.name] = rng.sample(question.values, rng.randint(0, min(3, len(question.values))))
        elif question.kind == "bool":
            raw[question.name] = rng.random() < 0.5
        else:
            raw[question.name] = "Some text."
    return clean_answers(raw)
