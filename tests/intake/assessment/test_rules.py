"""Every rule fires on a minimal case and stays silent on a near miss; the ruleset only names things that exist."""

import re

import pytest

from intake.answers import QUESTIONS_BY_NAME
from intake.assessment import assess
from intake.assessment.catalogue import (
    CONTROLS,
    IMPACT_DIMENSIONS,
    NIST_RISKS,
    OWASP_AGENTIC,
    OWASP_LLM,
    RISK_NAMES,
    TIERS,
)
from intake.assessment.rules import ANNEX_III, ART6_3_EXEMPTIONS, DERIVED_FACTS, RULES
from tests.intake.assessment.examples import answers

CV = {"decision_domain": "employment_recruitment"}
CV_DEROGATED = {**CV, "art6_3_exemption": "preparatory", "profiling": False}
REBRANDED_CV = {**CV, "role_modifiers": ["rebrand"]}
NO_EU = {"eu_nexus": "none"}
GPAI = {"sourcing": "self_trained", "gpai_model": "yes"}

PROHIBITED = {
    "EU-ART5-1A-SUBLIMINAL": "subliminal_manipulation",
    "EU-ART5-1B-VULNERABILITIES": "exploiting_vulnerabilities",
    "EU-ART5-1C-SOCIAL-SCORING": "social_scoring",
    "EU-ART5-1D-CRIME-PREDICTION": "crime_prediction_profiling",
    "EU-ART5-1E-FACIAL-SCRAPING": "facial_scraping",
    "EU-ART5-1F-EMOTION-WORK-EDUCATION": "emotion_recognition_workplace_education",
    "EU-ART5-1G-BIOMETRIC-SENSITIVE": "biometric_categorisation_sensitive",
    "EU-ART5-1H-REALTIME-RBI": "realtime_remote_biometric_id",
    "POLICY-INTIMATE-IMAGERY-CSAM": "intimate_imagery_csam",
}
TRANSPARENCY = {
    "EU-ART50-1-AI-INTERACTION": "interacts_with_people",
    "EU-ART50-2-SYNTHETIC-CONTENT": "synthetic_media",
    "EU-ART50-3-EMOTION-RECOGNITION": "emotion_recognition",
    "EU-ART50-3-BIOMETRIC-CATEGORISATION": "biometric_categorisation",
    "EU-ART50-4-DEEPFAKE": "deepfake",
    "EU-ART50-4-PUBLIC-INTEREST-TEXT": "public_interest_text",
}
ROLE = {
    "EU-ART25-1A-OWN-NAME": "rebrand",
    "EU-ART25-1B-SUBSTANTIAL-MODIFICATION": "substantial_modification",
    "EU-ART25-1C-NEW-PURPOSE": "repurpose",
}

# rule id -> (a minimal case on which it fires, a near miss on which it does not; None when it always fires)
CASES: dict[str, tuple[dict, dict | None]] = {
    "EU-NOT-APPLICABLE": (NO_EU, {"eu_nexus": "eu_outputs"}),
    # Art. 2: what the Act leaves out (said once: no exclusion rule beside "no EU connection").
    "EU-ART2-3-MILITARY": (
        {"scope_exclusions": ["military_defence_security"]},
        {"scope_exclusions": ["military_defence_security"], **NO_EU},
    ),
    "EU-ART2-6-RESEARCH": (
        {"scope_exclusions": ["scientific_research"]},
        {"scope_exclusions": ["open_source"]},
    ),
    "EU-ART2-8-PRE-MARKET": ({"scope_exclusions": ["pre_market_research"]}, {"scope_exclusions": []}),
    # Open source is out of scope only when nothing else applies: not for a high-risk use (Art. 2(12)).
    "EU-ART2-12-OPEN-SOURCE": (
        {"scope_exclusions": ["open_source"]},
        {**CV, "scope_exclusions": ["open_source"]},
    ),
    **{
        rule_id: ({"prohibited_practices": [practice]}, {"prohibited_practices": []})
        for rule_id, practice in PROHIBITED.items()
    },
    **{
        f"EU-ANNEX-III-{domain.upper().replace('_', '-')}": (
            {"decision_domain": domain},
            {"decision_domain": domain, "art6_3_exemption": "narrow_procedural", "profiling": False},
        )
        for domain in ANNEX_III
    },
    # Art. 5(1)(h): law enforcement inside the allowed objectives, with authorisation, is high-risk, not banned;
    # outside law enforcement the Act does not ban it, company policy does (citing itself).
    "EU-ART5-1H-AUTHORISED-EXCEPTION": (
        {
            "prohibited_practices": ["realtime_remote_biometric_id"],
            "rbi_purpose": "law_enforcement_authorised",
        },
        {"prohibited_practices": ["realtime_remote_biometric_id"], "rbi_purpose": "law_enforcement_other"},
    ),
    "EU-ANNEX-III-1A-REALTIME-RBI": (
        {"prohibited_practices": ["realtime_remote_biometric_id"], "rbi_purpose": "not_law_enforcement"},
        {
            "prohibited_practices": ["realtime_remote_biometric_id"],
            "rbi_purpose": "law_enforcement_authorised",
        },
    ),
    "POLICY-REALTIME-RBI": (
        {"prohibited_practices": ["realtime_remote_biometric_id"], "rbi_purpose": "not_law_enforcement"},
        {"prohibited_practices": ["realtime_remote_biometric_id"], "rbi_purpose": "law_enforcement_other"},
    ),
    # Art. 5(1)(f) excepts medical and safety reasons: then it is an Annex III point 1(c) use, not a banned one.
    "EU-ART5-1F-MEDICAL-SAFETY-EXCEPTION": (
        {
            "prohibited_practices": [PROHIBITED["EU-ART5-1F-EMOTION-WORK-EDUCATION"]],
            "emotion_recognition_purpose": "safety",
        },
        {
            "prohibited_practices": [PROHIBITED["EU-ART5-1F-EMOTION-WORK-EDUCATION"]],
            "emotion_recognition_purpose": "other",
        },
    ),
    "EU-ANNEX-I-SAFETY-COMPONENT": (
        {"decision_domain": "annex_i_safety_component"},
        {"decision_domain": "annex_i_safety_component", "annex_i_third_party": False},
    ),
    "EU-ANNEX-I-PRODUCT": (
        {"decision_domain": "annex_i_safety_component", "annex_i_role": "product"},
        {"decision_domain": "annex_i_safety_component", "annex_i_role": "safety_component"},
    ),
    "EU-ART6-1B-NO-THIRD-PARTY-ASSESSMENT": (
        {"decision_domain": "annex_i_safety_component", "annex_i_third_party": False},
        {"decision_domain": "annex_i_safety_component", "annex_i_third_party": True},
    ),
    "EU-ART2-2-SECTION-B": (
        {"decision_domain": "annex_i_safety_component", "annex_i_section": "section_b"},
        {"decision_domain": "annex_i_safety_component", "annex_i_section": "section_a"},
    ),
    "EU-ART50-2-ASSISTIVE-EDITING": (
        {"transparency_triggers": ["synthetic_text"], "assistive_editing": True},
        {"transparency_triggers": ["synthetic_text"], "assistive_editing": False},
    ),
    "EU-ART50-4-EDITORIAL-RESPONSIBILITY": (
        {"transparency_triggers": ["public_interest_text"], "editorial_responsibility": True},
        {"transparency_triggers": ["public_interest_text"], "editorial_responsibility": False},
    ),
    **{
        f"EU-ART6-3{letter.upper()}-DEROGATION": (
            {**CV, "art6_3_exemption": exemption, "profiling": False},
            {**CV, "art6_3_exemption": exemption, "profiling": True},
        )
        for exemption, (letter, _) in ART6_3_EXEMPTIONS.items()
    },
    "EU-ART6-3-PROFILING-KEEPS-HIGH": (
        {**CV, "art6_3_exemption": "preparatory", "profiling": True},
        {**CV, "art6_3_exemption": "none", "profiling": True},
    ),
    "EU-ART6-3-NOT-FOR-ANNEX-I": (
        {"decision_domain": "annex_i_safety_component", "art6_3_exemption": "preparatory"},
        {"decision_domain": "annex_i_safety_component", "art6_3_exemption": "none"},
    ),
    **{
        rule_id: ({"transparency_triggers": [trigger]}, {"transparency_triggers": [trigger], **NO_EU})
        for rule_id, trigger in TRANSPARENCY.items()
    },
    # Art. 25(1) turns us into the provider of a high-risk system only: the same change to a minimal one does not.
    **{
        rule_id: ({**CV, "role_modifiers": [modifier]}, {"role_modifiers": [modifier]})
        for rule_id, modifier in ROLE.items()
    },
    "EU-ART3-3-OWN-DEVELOPMENT": ({"sourcing": "fine_tuned"}, {"sourcing": "api_model"}),
    # Offering it under our name makes us its provider whatever the tier; Art. 25(1)(a) is cited for a high-risk one.
    "EU-ART3-3-OWN-NAME": ({"role_modifiers": ["rebrand"]}, REBRANDED_CV),
    "EU-ART25-1C-GENERAL-PURPOSE-APP": (
        {**CV, "sourcing": "consumer_app"},
        {**CV_DEROGATED, "sourcing": "consumer_app"},
    ),
    "EU-ART4-AI-LITERACY": ({"eu_nexus": "eu_affected"}, NO_EU),
    "EU-MINIMAL-RISK": ({}, {"transparency_triggers": ["interacts_with_people"]}),
    "EU-ART26-1-INSTRUCTIONS": (CV, CV_DEROGATED),
    "EU-ART26-2-HUMAN-OVERSIGHT": (CV, CV_DEROGATED),
    "EU-ART26-4-INPUT-DATA": (CV, CV_DEROGATED),
    "EU-ART26-5-MONITORING": (CV, CV_DEROGATED),
    "EU-ART26-6-LOGS": (CV, CV_DEROGATED),
    "EU-ART26-7-INFORM-WORKERS": (
        {"decision_domain": "credit_scoring", "affected_persons": ["employees"]},
        {"decision_domain": "credit_scoring", "affected_persons": ["customers"]},
    ),
    "EU-ART26-8-PUBLIC-BODY-REGISTRATION": ({**CV, "public_body": True}, {**CV, "public_body": False}),
    "EU-ART26-9-DPIA": ({**CV, "personal_data": ["basic"]}, {**CV, "personal_data": []}),
    "EU-ART26-11-INFORM-AFFECTED": (CV, {"decision_domain": "critical_infrastructure"}),
    "EU-ART86-EXPLANATION": (CV, {"decision_domain": "critical_infrastructure"}),
    "EU-ART27-FRIA": ({"decision_domain": "credit_scoring"}, {**CV, "public_body": False}),
    "EU-ART16-PROVIDER-DUTIES": (REBRANDED_CV, CV),
    "EU-ART43-CONFORMITY": (REBRANDED_CV, CV),
    "EU-ART49-1-PROVIDER-REGISTRATION": (
        REBRANDED_CV,
        {"decision_domain": "critical_infrastructure", "role_modifiers": ["rebrand"]},
    ),
    "EU-ART49-5-NATIONAL-REGISTRATION": (
        {"decision_domain": "critical_infrastructure", "sourcing": "self_trained"},
        {"decision_domain": "critical_infrastructure"},
    ),
    "EU-ART72-POST-MARKET": (REBRANDED_CV, CV),
    "EU-ART50-2-PROVIDER-MARKING": (
        {"transparency_triggers": ["synthetic_media"], "sourcing": "self_trained"},
        {"transparency_triggers": ["synthetic_media"]},
    ),
    "EU-ART50-2-DEPLOYER-CHECK": (
        {"transparency_triggers": ["synthetic_media"]},
        {"transparency_triggers": ["synthetic_media"], "sourcing": "fine_tuned"},
    ),
    "EU-ART53-GPAI-PROVIDER": (
        {"sourcing": "self_trained"},
        {"sourcing": "self_trained", "gpai_model": "no"},
    ),
    "EU-ART53-1-GPAI-DUTIES": (
        {**GPAI, "gpai_placement": "market"},
        {**GPAI, "gpai_placement": "own_use"},
    ),
    "EU-ART53-2-OPEN-SOURCE-MODEL": (
        {**GPAI, "gpai_open_source": True},
        {**GPAI, "gpai_open_source": True, "gpai_systemic_risk": "compute"},
    ),
    "EU-ART55-SYSTEMIC-RISK": (
        {**GPAI, "gpai_systemic_risk": "designated"},
        {**GPAI, "gpai_systemic_risk": "none"},
    ),
    "EU-GPAI-OWN-USE-ONLY": ({**GPAI, "gpai_placement": "own_use"}, {**GPAI, "gpai_placement": "market"}),
    # OWASP LLM
    "LLM01-EXTERNAL-USERS": ({"users": "customers"}, {"users": "employees_all"}),
    "LLM01-UNTRUSTED-CONTENT": (
        {"retrieval_sources": ["email"]},
        {"retrieval_sources": ["curated_internal"]},
    ),
    "LLM02-CONFIDENTIAL-DATA": ({"data_classification": "confidential"}, {"data_classification": "internal"}),
    "LLM02-PERSONAL-DATA": ({"personal_data": ["basic"]}, {"personal_data": []}),
    "LLM03-THIRD-PARTY-MODEL": ({"sourcing": "api_model"}, {"sourcing": "self_trained"}),
    "LLM04-OWN-TRAINING": ({"sourcing": "fine_tuned"}, {"sourcing": "api_model"}),
    "LLM04-UNTRUSTED-RETRIEVAL": ({"retrieval_sources": ["user_uploads"]}, {"retrieval_sources": ["email"]}),
    "LLM05-UNREVIEWED-OUTPUT": ({"output_use": "published"}, {"output_use": "draft_reviewed"}),
    "LLM05-GENERATED-CODE-RUN": (
        {"capabilities": ["code_generation"], "tool_permissions": ["code_execution"]},
        {"capabilities": ["code_generation"], "tool_permissions": ["read_only"]},
    ),
    "LLM06-AUTONOMY": ({"autonomy": 2}, {"autonomy": 1}),
    "LLM06-WRITE-TOOLS": ({"tool_permissions": ["write_internal"]}, {"tool_permissions": ["read_only"]}),
    "LLM06-AUTOMATED-ACTION": ({"output_use": "automated_action"}, {"output_use": "decision_support"}),
    "LLM07-EXTERNAL-USERS": ({"users": "public"}, {"users": "employees_limited"}),
    "LLM08-RETRIEVAL-INDEX": ({"capabilities": ["retrieval_rag"]}, {"capabilities": ["chat"]}),
    "LLM08-MIXED-PERMISSIONS": (
        {"retrieval_sources": ["mixed_permission_internal"]},
        {"retrieval_sources": ["curated_internal"]},
    ),
    "LLM09-RELIANCE": ({"output_use": "decision_support"}, {"output_use": "draft_reviewed"}),
    "LLM10-EXPOSURE": ({"user_count": "gte_5000"}, {"user_count": "lt_5000", "users": "employees_all"}),
    # OWASP agentic: only when the system acts, remembers or works with other agents
    "ASI01-GOAL-HIJACK": (
        {"capabilities": ["tool_use"], "retrieval_sources": ["web"]},
        {"retrieval_sources": ["web"]},
    ),
    "ASI02-TOOL-MISUSE": ({"capabilities": ["tool_use"]}, {"tool_permissions": ["read_only"]}),
    "ASI03-PRIVILEGE-ABUSE": (
        {"autonomy": 2, "tool_permissions": ["financial_transactions"]},
        {"autonomy": 1, "tool_permissions": ["financial_transactions"]},
    ),
    "ASI04-AGENTIC-SUPPLY-CHAIN": ({"capabilities": ["multi_agent"]}, {"capabilities": ["memory"]}),
    "ASI05-CODE-EXECUTION": (
        {"capabilities": ["tool_use"], "tool_permissions": ["code_execution"]},
        {"tool_permissions": ["code_execution"]},
    ),
    "ASI06-MEMORY-POISONING": ({"capabilities": ["memory"]}, {"capabilities": ["chat"]}),
    "ASI07-INTER-AGENT": ({"capabilities": ["multi_agent"]}, {"capabilities": ["tool_use"]}),
    "ASI08-CASCADING-FAILURES": (
        {"capabilities": ["tool_use"], "output_use": "automated_action"},
        {"output_use": "automated_action"},
    ),
    "ASI09-HUMAN-TRUST": (
        {"capabilities": ["tool_use"], "output_use": "customer_interactive"},
        {"output_use": "customer_interactive"},
    ),
    "ASI10-ROGUE-AGENT": ({"autonomy": 3}, {"autonomy": 2}),
    # NIST AI 600-1
    "NIST-CONFABULATION-ALWAYS": ({}, None),
    "NIST-INFO-SECURITY-ALWAYS": ({}, None),
    "NIST-DATA-PRIVACY": ({"personal_data": ["health"]}, {"personal_data": []}),
    "NIST-BIAS-AFFECTED-PEOPLE": ({"affected_persons": ["customers"]}, {"affected_persons": []}),
    "NIST-BIAS-PROFILING": ({"profiling": True}, {"profiling": False}),
    "NIST-BIAS-CONSEQUENTIAL-DECISIONS": (
        {"decision_domain": "justice"},
        {"decision_domain": "annex_i_safety_component"},
    ),
    "NIST-BIAS-SCORING": (
        {"capabilities": ["scoring_classification"], "affected_persons": ["employees"]},
        {"capabilities": ["scoring_classification"]},
    ),
    "NIST-HUMAN-AI-DECISION-SUPPORT": ({"output_use": "decision_support"}, {"output_use": "draft_reviewed"}),
    "NIST-HUMAN-AI-AUTONOMY": ({"autonomy": 1}, {"autonomy": 0}),
    "NIST-INTEGRITY-PUBLISHED": ({"output_use": "published"}, {"output_use": "customer_interactive"}),
    "NIST-INTEGRITY-SYNTHETIC": (
        {"transparency_triggers": ["deepfake"]},
        {"transparency_triggers": ["interacts_with_people"]},
    ),
    "NIST-IP-GENERATION": ({"capabilities": ["code_generation"]}, {"capabilities": ["chat"]}),
    "NIST-OBSCENE-MEDIA": ({"capabilities": ["image_generation"]}, {"capabilities": ["text_generation"]}),
    "NIST-OBSCENE-INTIMATE-IMAGERY": (
        {"prohibited_practices": ["intimate_imagery_csam"]},
        {"prohibited_practices": ["social_scoring"]},
    ),
    "NIST-VALUE-CHAIN": ({"sourcing": "enterprise_saas"}, {"sourcing": "self_trained"}),
    "NIST-DANGEROUS-CONTENT-PUBLIC": (
        {"users": "public", "capabilities": ["chat"]},
        {"users": "customers", "capabilities": ["chat"]},
    ),
    "NIST-CBRN-PUBLIC-OWN-MODEL": (
        {"users": "public", "capabilities": ["chat"], "sourcing": "fine_tuned"},
        {"users": "public", "capabilities": ["chat"], "sourcing": "api_model"},
    ),
    "NIST-ENVIRONMENTAL-TRAINING": ({"sourcing": "self_trained"}, {"sourcing": "consumer_app"}),
    # Controls
    "CTRL-DPIA": (
        {"personal_data": ["basic"], "profiling": True},
        {"personal_data": ["basic"], "profiling": False},
    ),
    "CTRL-VENDOR-NO-DPA": (
        {"personal_data": ["basic"], "sourcing": "api_model", "provider_terms": ["zero_retention"]},
        {"personal_data": ["basic"], "sourcing": "api_model", "provider_terms": ["dpa_signed"]},
    ),
    "CTRL-DATA-TRANSFER": (
        {"personal_data": ["basic"], "hosting_region": "us"},
        {"personal_data": ["basic"], "hosting_region": "uk"},
    ),
    "CTRL-VENDOR-TRAINING-ON-DATA": (
        {"sourcing": "consumer_app", "data_classification": "internal"},
        {"sourcing": "consumer_app", "data_classification": "public"},
    ),
    "CTRL-NO-KILL-SWITCH": ({"kill_switch": False}, {"kill_switch": True}),
    "CTRL-DISCLOSE-TO-CUSTOMERS": ({"output_use": "customer_interactive"}, {"output_use": "published"}),
    # Likelihood
    "SC-L-PUBLIC-USERS": ({"users": "public"}, {"users": "customers"}),
    "SC-L-CUSTOMER-USERS": ({"users": "customers"}, {"users": "public"}),
    "SC-L-MANY-USERS": ({"user_count": "gte_5000"}, {"user_count": "lt_5000"}),
    "SC-L-UNTRUSTED-SOURCES": (
        {"retrieval_sources": ["web"]},
        {"retrieval_sources": ["mixed_permission_internal"]},
    ),
    "SC-L-AUTONOMY": ({"autonomy": 3}, {"autonomy": 2}),
    "SC-L-WRITE-TOOLS": (
        {"tool_permissions": ["external_communications"]},
        {"tool_permissions": ["read_only"]},
    ),
    "SC-L-UNREVIEWED-OUTPUT": ({"output_use": "automated_action"}, {"output_use": "decision_support"}),
    "SC-L-DECISIONS-ABOUT-PEOPLE": (
        {"profiling": True, "affected_persons": ["customers"]},
        {"profiling": True},
    ),
    # Impact
    "SC-I-PEOPLE-AFFECTED": ({"affected_persons": ["employees"]}, {}),
    "SC-I-PEOPLE-OUTSIDERS": ({"affected_persons": ["applicants"]}, {"affected_persons": ["employees"]}),
    "SC-I-PEOPLE-VULNERABLE": (
        {"affected_persons": ["minors_or_vulnerable"]},
        {"affected_persons": ["public"]},
    ),
    "SC-I-PEOPLE-PROFILING": ({"profiling": True}, {"profiling": False}),
    "SC-I-PEOPLE-CONSEQUENTIAL": ({"decision_domain": "education_access"}, {"decision_domain": "none"}),
    "SC-I-PEOPLE-VULNERABLE-DECISIONS": (
        {"affected_persons": ["minors_or_vulnerable"], "decision_domain": "education_assessment"},
        {"affected_persons": ["minors_or_vulnerable"], "decision_domain": "none"},
    ),
    "SC-I-PEOPLE-BANNED-PRACTICE": (
        {"prohibited_practices": ["facial_scraping"]},
        {"prohibited_practices": []},
    ),
    "SC-I-REG-PROHIBITED": (
        {"prohibited_practices": ["facial_scraping"]},
        {"prohibited_practices": ["facial_scraping"], **NO_EU},
    ),
    "SC-I-REG-HIGH": (CV, CV_DEROGATED),
    "SC-I-REG-DEROGATION": (CV_DEROGATED, {**CV_DEROGATED, "profiling": True}),
    "SC-I-REG-LIMITED": (
        {"transparency_triggers": ["synthetic_media"]},
        {"transparency_triggers": ["synthetic_media"], **CV},
    ),
    "SC-I-DATA-PERSONAL": ({"personal_data": ["basic"]}, {}),
    "SC-I-DATA-CONFIDENTIAL": (
        {"data_classification": "confidential"},
        {"data_classification": "restricted"},
    ),
    "SC-I-DATA-FINANCIAL": ({"personal_data": ["financial"]}, {"personal_data": ["basic"]}),
    "SC-I-DATA-RESTRICTED": ({"data_classification": "restricted"}, {"data_classification": "confidential"}),
    "SC-I-DATA-SENSITIVE": ({"personal_data": ["biometric"]}, {"personal_data": ["financial"]}),
    "SC-I-DATA-SENSITIVE-EXPOSED": (
        {"personal_data": ["health"], "users": "customers"},
        {"personal_data": ["health"], "users": "employees_all"},
    ),
    "SC-I-FIN-MOVES-MONEY": (
        {"tool_permissions": ["financial_transactions"]},
        {"tool_permissions": ["write_internal"]},
    ),
    "SC-I-FIN-CREDIT-INSURANCE": (
        {"decision_domain": "insurance_pricing"},
        {"decision_domain": "public_benefits"},
    ),
    "SC-I-FIN-MOVES-MONEY-ALONE": (
        {"tool_permissions": ["financial_transactions"], "autonomy": 3},
        {"tool_permissions": ["financial_transactions"], "autonomy": 2},
    ),
    "SC-I-OPS-AUTOMATED-ACTION": ({"output_use": "automated_action"}, {"output_use": "published"}),
    "SC-I-OPS-NO-KILL-SWITCH": ({"kill_switch": False}, {"kill_switch": True}),
    "SC-I-OPS-PRODUCTION": (
        {"tool_permissions": ["production_infrastructure"]},
        {"tool_permissions": ["code_execution"]},
    ),
    "SC-I-OPS-PRODUCTION-UNSTOPPABLE": (
        {"tool_permissions": ["production_infrastructure"], "kill_switch": False},
        {"tool_permissions": ["production_infrastructure"], "kill_switch": True},
    ),
    "SC-I-OPS-SAFETY": (
        {"decision_domain": "critical_infrastructure"},
        {"decision_domain": "emergency_triage"},
    ),
    "SC-I-REP-CUSTOMERS": ({"users": "customers"}, {"users": "employees_all"}),
    "SC-I-REP-PUBLISHED": ({"output_use": "customer_interactive"}, {"output_use": "decision_support"}),
    "SC-I-REP-PUBLIC": ({"users": "public"}, {"users": "customers"}),
    "SC-I-REP-DEEPFAKE": (
        {"transparency_triggers": ["deepfake"]},
        {"transparency_triggers": ["synthetic_media"]},
    ),
}

RULE_IDS = [rule.id for rule in RULES]


def fired_ids(raw: dict) -> list[str]:
    return [entry["rule_id"] for entry in assess(answers(**raw)).to_dict()["fired"]]


def test_every_rule_has_a_positive_case_and_a_near_miss():
    assert sorted(CASES) == sorted(RULE_IDS)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_fires_on_its_minimal_case(rule_id):
    positive, _ = CASES[rule_id]
    assert rule_id in fired_ids(positive)


@pytest.mark.parametrize("rule_id", [rule_id for rule_id in RULE_IDS if CASES[rule_id][1] is not None])
def test_rule_stays_silent_on_its_near_miss(rule_id):
    _, near_miss = CASES[rule_id]
    assert rule_id not in fired_ids(near_miss)


def test_rule_ids_are_unique():
    assert len(RULE_IDS) == len(set(RULE_IDS))


@pytest.mark.parametrize("rule", RULES, ids=RULE_IDS)
def test_rule_has_an_id_a_reason_and_a_citation(rule):
    assert re.fullmatch(r"[A-Z0-9]+(-[A-Z0-9]+)+", rule.id)
    assert rule.reason.strip() and rule.reason.rstrip().endswith(".")
    assert rule.citation.strip()


@pytest.mark.parametrize("rule", RULES, ids=RULE_IDS)
def test_rule_adds_something(rule):
    adds = (
        rule.tier,
        rule.role,
        rule.derogation,
        rule.prohibited,
        rule.obligation,
        rule.transparency,
        rule.risks,
        rule.controls,
        rule.likelihood,
        rule.impact,
    )
    # These only explain: the tier (minimal), or why a duty is absent (an exception the Regulation writes into it).
    explains = {
        "EU-MINIMAL-RISK",
        "EU-ART50-2-ASSISTIVE-EDITING",
        "EU-ART50-4-EDITORIAL-RESPONSIBILITY",
        "EU-GPAI-OWN-USE-ONLY",
    }
    assert any(adds) or rule.id in explains


@pytest.mark.parametrize("rule", RULES, ids=RULE_IDS)
def test_rule_reads_only_real_questions_and_real_choices(rule):
    for field, value in rule.when.references():
        if field in DERIVED_FACTS:
            assert value is None or value in DERIVED_FACTS[field], (field, value)
        else:
            assert field in QUESTIONS_BY_NAME, field
            assert value is None or value in QUESTIONS_BY_NAME[field].values, (field, value)


@pytest.mark.parametrize("rule", RULES, ids=RULE_IDS)
def test_rule_adds_only_known_tiers_risks_controls_and_dimensions(rule):
    assert rule.tier is None or rule.tier in TIERS
    assert rule.role in (None, "provider")
    assert rule.derogation in (None, "claimed", "refused")
    assert set(rule.risks) <= set(RISK_NAMES)
    assert set(rule.controls) <= set(CONTROLS)
    assert set(rule.impact) <= set(IMPACT_DIMENSIONS)
    assert all(1 <= level <= 5 for level in rule.impact.values())


def test_risk_rules_cite_the_risk_they_add():
    for rule in RULES:
        for risk in rule.risks:
            if risk in NIST_RISKS:
                assert NIST_RISKS[risk][1] in rule.citation, rule.id
            else:
                assert risk in rule.citation, rule.id


def test_catalogues_are_complete():
    assert list(OWASP_LLM) == [f"LLM{n:02}" for n in range(1, 11)]
    assert list(OWASP_AGENTIC) == [f"ASI{n:02}" for n in range(1, 11)]
    assert len(NIST_RISKS) == 12
    assert list(CONTROLS) == [f"C-{n:02}" for n in range(1, len(CONTROLS) + 1)]


def test_every_risk_and_control_in_the_catalogues_can_be_reached_by_some_rule():
    named_risks = {risk for rule in RULES for risk in rule.risks}
    named_controls = {control for rule in RULES for control in rule.controls}
    assert set(RISK_NAMES) == named_risks
    assert set(CONTROLS) == named_controls


def test_a_company_policy_ban_cites_the_policy_never_article_5():
    policy_rules = [rule for rule in RULES if rule.id.startswith("POLICY-")]
    assert {"POLICY-REALTIME-RBI", "POLICY-INTIMATE-IMAGERY-CSAM"} <= {rule.id for rule in policy_rules}
    for rule in policy_rules:
        assert "company ai policy" in rule.citation.lower()
        assert "EU AI Act" not in rule.citation, rule.id
