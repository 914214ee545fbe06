"""The EU AI Act outcome for the cases the Regulation itself describes: tier, role, obligations and derogations."""

import pytest

from intake.answers import QUESTIONS_BY_NAME
from intake.assessment import assess
from tests.intake.assessment.examples import (
    ANNEX_III_POINTS,
    CUSTOMER_CHATBOT,
    CV_SCREENER,
    INTERNAL_CODE_ASSISTANT,
    answers,
)


def eu(result) -> dict:
    return result.to_dict()["eu_ai_act"]


def fired(result) -> dict[str, str]:
    return {entry["rule_id"]: entry["citation"] for entry in result.to_dict()["fired"]}


def citations(items: list[dict]) -> list[str]:
    return [item["citation"] for item in items]


def test_cv_screening_assistant_is_high_risk_under_annex_iii_4a():
    result = assess(answers(CV_SCREENER))

    assert eu(result)["tier"] == "high"
    assert fired(result)["EU-ANNEX-III-EMPLOYMENT-RECRUITMENT"] == "EU AI Act Art. 6(2), Annex III point 4(a)"


def test_cv_screening_assistant_carries_the_deployer_duties_of_art_26():
    obligations = citations(eu(assess(answers(CV_SCREENER)))["obligations"])

    for paragraph in ("26(1)", "26(2)", "26(4)", "26(5)", "26(6)", "26(7)", "26(9)", "26(11)"):
        assert f"EU AI Act Art. {paragraph}" in " ".join(obligations), paragraph
    assert "EU AI Act Art. 4" in obligations


def test_cv_screener_claiming_a_preparatory_exemption_while_profiling_stays_high():
    result = assess(
        answers(CV_SCREENER, art6_3_exemption="preparatory", art6_3_justification="It only sorts CVs.")
    )

    assert eu(result)["tier"] == "high"
    assert fired(result)["EU-ART6-3-PROFILING-KEEPS-HIGH"] == "EU AI Act Art. 6(3), third subparagraph"
    assert eu(result)["derogation"]["claimed"] is False
    assert "profiles people" in eu(result)["derogation"]["reason"]


def test_cv_screener_claiming_a_preparatory_exemption_without_profiling_is_a_documented_derogation():
    result = assess(
        answers(
            CV_SCREENER,
            profiling=False,
            art6_3_exemption="preparatory",
            art6_3_justification="It extracts skills from CVs for a recruiter's own assessment.",
        )
    )

    assert eu(result)["tier"] == "minimal"
    derogation = eu(result)["derogation"]
    assert (derogation["claimed"], derogation["legal_review"], derogation["registration_required"]) == (
        True,
        True,
        True,
    )
    assert "documented derogation" in derogation["reason"]
    assert fired(result)["EU-ART6-3D-DEROGATION"] == "EU AI Act Art. 6(3)(d), 6(4), 49(2)"
    assert "EU AI Act Art. 6(3)(d), 6(4), 49(2)" in citations(eu(result)["obligations"])
    assert {"C-16", "C-17"} <= {control["id"] for control in result.to_dict()["controls"]}
    assert not any(item["citation"].startswith("EU AI Act Art. 26") for item in eu(result)["obligations"])


def test_a_derogated_use_with_a_chatbot_front_end_is_still_limited():
    result = assess(
        answers(
            CV_SCREENER,
            profiling=False,
            art6_3_exemption="narrow_procedural",
            art6_3_justification="It only books interview slots.",
            transparency_triggers=["interacts_with_people"],
        )
    )

    assert eu(result)["tier"] == "limited"
    assert eu(result)["derogation"]["claimed"] is True


def test_a_safety_component_cannot_claim_the_minor_role_exemption():
    result = assess(
        answers(
            INTERNAL_CODE_ASSISTANT,
            decision_domain="annex_i_safety_component",
            art6_3_exemption="narrow_procedural",
            art6_3_justification="It only formats sensor readings.",
        )
    )

    assert eu(result)["tier"] == "high"
    assert "EU-ART6-3-NOT-FOR-ANNEX-I" in fired(result)
    assert eu(result)["derogation"]["claimed"] is False
    assert "2027-08-02" in [item["date"] for item in eu(result)["key_dates"]]


def test_customer_service_chatbot_is_limited_with_the_art_50_1_duty():
    result = assess(answers(CUSTOMER_CHATBOT))

    assert eu(result)["tier"] == "limited"
    assert citations(eu(result)["transparency_duties"]) == ["EU AI Act Art. 50(1)"]
    assert "C-01" in {control["id"] for control in result.to_dict()["controls"]}


def test_internal_code_assistant_is_minimal_and_low():
    result = assess(answers(INTERNAL_CODE_ASSISTANT))

    assert eu(result)["tier"] == "minimal"
    assert eu(result)["role"] == "deployer"
    assert citations(eu(result)["obligations"]) == ["EU AI Act Art. 4"]
    assert eu(result)["transparency_duties"] == []
    assert result.to_dict()["band"] == "low"


def test_emotion_recognition_of_employees_is_prohibited_citing_art_5_1_f():
    result = assess(
        answers(
            INTERNAL_CODE_ASSISTANT,
            decision_domain="emotion_recognition",
            affected_persons=["employees"],
            prohibited_practices=["emotion_recognition_workplace_education"],
        )
    )

    assert eu(result)["tier"] == "prohibited"
    assert citations(eu(result)["prohibited_practices"]) == ["EU AI Act Art. 5(1)(f)"]
    assert result.to_dict()["impact"] == 5


@pytest.mark.parametrize(
    ("practice", "point"),
    [
        ("subliminal_manipulation", "(a)"),
        ("exploiting_vulnerabilities", "(b)"),
        ("social_scoring", "(c)"),
        ("crime_prediction_profiling", "(d)"),
        ("facial_scraping", "(e)"),
        ("emotion_recognition_workplace_education", "(f)"),
        ("biometric_categorisation_sensitive", "(g)"),
        ("realtime_remote_biometric_id", "(h)"),
    ],
)
def test_each_banned_practice_cites_its_point_of_art_5_1(practice, point):
    result = assess(answers(INTERNAL_CODE_ASSISTANT, prohibited_practices=[practice]))

    assert eu(result)["tier"] == "prohibited"
    [item] = eu(result)["prohibited_practices"]
    assert item["citation"].startswith(f"EU AI Act Art. 5(1){point}")


def test_intimate_imagery_is_prohibited_by_other_union_law_and_policy_and_says_so():
    result = assess(answers(INTERNAL_CODE_ASSISTANT, prohibited_practices=["intimate_imagery_csam"]))

    assert eu(result)["tier"] == "prohibited"
    [item] = eu(result)["prohibited_practices"]
    assert "Art. 5(1)" not in item["citation"]
    assert "Directive 2011/93/EU" in item["citation"]
    assert "not one of the practices listed in Art. 5" in fired_reason(result, "POLICY-INTIMATE-IMAGERY-CSAM")


def fired_reason(result, rule_id: str) -> str:
    return next(entry["reason"] for entry in result.to_dict()["fired"] if entry["rule_id"] == rule_id)


def test_prohibition_outranks_high_risk():
    result = assess(answers(CV_SCREENER, prohibited_practices=["social_scoring"]))

    assert eu(result)["tier"] == "prohibited"
    assert not any(item["citation"].startswith("EU AI Act Art. 26") for item in eu(result)["obligations"])


def test_no_eu_connection_is_not_applicable_with_the_company_policy_still_listed():
    result = assess(answers(CV_SCREENER, eu_nexus="none", transparency_triggers=["interacts_with_people"]))

    assert eu(result)["tier"] == "not_applicable"
    assert [item["id"] for item in eu(result)["obligations"]] == ["EU-NOT-APPLICABLE"]
    assert eu(result)["transparency_duties"] == []
    assert eu(result)["key_dates"] == []
    assert "C-18" in {control["id"] for control in result.to_dict()["controls"]}


def test_no_eu_connection_still_lists_a_banned_practice_under_company_policy():
    result = assess(
        answers(INTERNAL_CODE_ASSISTANT, eu_nexus="none", prohibited_practices=["social_scoring"])
    )

    assert eu(result)["tier"] == "not_applicable"
    assert citations(eu(result)["prohibited_practices"]) == ["EU AI Act Art. 5(1)(c)"]
    assert result.to_dict()["impact"] == 5


def test_credit_scoring_by_a_bank_is_high_risk_with_a_fria():
    result = assess(
        answers(
            CV_SCREENER,
            decision_domain="credit_scoring",
            affected_persons=["customers"],
            personal_data=["basic", "financial"],
        )
    )

    assert eu(result)["tier"] == "high"
    assert fired(result)["EU-ANNEX-III-CREDIT-SCORING"] == "EU AI Act Art. 6(2), Annex III point 5(b)"
    assert "EU AI Act Art. 27(1), 27(3)" in citations(eu(result)["obligations"])
    assert "C-11" in {control["id"] for control in result.to_dict()["controls"]}


def test_life_and_health_insurance_pricing_needs_a_fria():
    result = assess(answers(CV_SCREENER, decision_domain="insurance_pricing", affected_persons=["customers"]))

    assert "EU-ART27-FRIA" in fired(result)


def test_a_public_body_using_a_high_risk_system_needs_a_fria_and_registers_its_use():
    result = assess(
        answers(CV_SCREENER, decision_domain="public_benefits", public_body=True, affected_persons=["public"])
    )

    assert eu(result)["tier"] == "high"
    assert {"EU-ART27-FRIA", "EU-ART26-8-PUBLIC-BODY-REGISTRATION"} <= set(fired(result))


def test_a_private_employer_screening_cvs_needs_no_fria():
    assert "EU-ART27-FRIA" not in fired(assess(answers(CV_SCREENER)))


def test_critical_infrastructure_needs_no_fria_even_for_a_public_body():
    result = assess(
        answers(INTERNAL_CODE_ASSISTANT, decision_domain="critical_infrastructure", public_body=True)
    )

    assert eu(result)["tier"] == "high"
    assert "EU-ART27-FRIA" not in fired(result)


def test_rebranding_makes_us_the_provider_with_provider_obligations():
    result = assess(answers(CV_SCREENER, role_modifiers=["rebrand"]))

    assert eu(result)["role"] == "provider"
    assert fired(result)["EU-ART25-1A-OWN-NAME"] == "EU AI Act Art. 25(1)(a); Art. 3(3)"
    assert {"EU-ART16-PROVIDER-DUTIES", "EU-ART43-CONFORMITY", "EU-ART49-1-PROVIDER-REGISTRATION"} <= {
        item["id"] for item in eu(result)["obligations"]
    }


def test_without_role_changes_we_are_the_deployer():
    result = assess(answers(CV_SCREENER))

    assert eu(result)["role"] == "deployer"
    assert "EU-ART16-PROVIDER-DUTIES" not in fired(result)


def test_transparency_duties_are_listed_on_top_of_high_risk():
    result = assess(
        answers(CV_SCREENER, transparency_triggers=["interacts_with_people", "emotion_recognition"])
    )

    assert eu(result)["tier"] == "high"
    assert citations(eu(result)["transparency_duties"]) == ["EU AI Act Art. 50(1)", "EU AI Act Art. 50(3)"]


def test_ai_literacy_applies_whenever_the_act_does():
    for case in (INTERNAL_CODE_ASSISTANT, CUSTOMER_CHATBOT, CV_SCREENER):
        assert "EU-ART4-AI-LITERACY" in fired(assess(answers(case)))


def test_every_decision_area_is_either_none_annex_i_or_an_annex_iii_point():
    domains = set(QUESTIONS_BY_NAME["decision_domain"].values)
    assert domains == {"none", "annex_i_safety_component", *ANNEX_III_POINTS}


@pytest.mark.parametrize(("domain", "point"), ANNEX_III_POINTS.items())
def test_each_annex_iii_area_is_high_risk_citing_its_point(domain, point):
    result = assess(answers(INTERNAL_CODE_ASSISTANT, decision_domain=domain))

    assert eu(result)["tier"] == "high"
    assert f"EU AI Act Art. 6(2), Annex III point {point}" in fired(result).values()


def test_the_key_dates_are_the_regulations_application_dates():
    dates = [item["date"] for item in eu(assess(answers(INTERNAL_CODE_ASSISTANT)))["key_dates"]]

    assert dates == ["2025-02-02", "2025-08-02", "2026-08-02"]


# Facts the intake already holds, read as the Regulation reads them. Each case: the article it rests on, the answers,
# the tier and role, the rule ids that must fire and the ones that must not (a duty that does not apply is as wrong
# as one that is missing).
IMAGE_GENERATOR = {
    **INTERNAL_CODE_ASSISTANT,
    "capabilities": ["image_generation"],
    "output_use": "published",
    "transparency_triggers": ["synthetic_media"],
}
GRID_BALANCER = {**INTERNAL_CODE_ASSISTANT, "decision_domain": "critical_infrastructure", "profiling": False}
HELD_FACTS = [
    pytest.param(
        {**INTERNAL_CODE_ASSISTANT, "sourcing": "fine_tuned"},
        "minimal",
        "provider",
        {"EU-ART3-3-OWN-DEVELOPMENT"},
        {"EU-ART16-PROVIDER-DUTIES", "EU-ART43-CONFORMITY", "EU-ART49-1-PROVIDER-REGISTRATION"},
        id="Art. 3(3), 3(11): a model we fine-tune for our own use makes us its provider; not high-risk, no Art. 16",
    ),
    pytest.param(
        {**CV_SCREENER, "sourcing": "self_trained"},
        "high",
        "provider",
        {
            "EU-ART3-3-OWN-DEVELOPMENT",
            "EU-ART16-PROVIDER-DUTIES",
            "EU-ART43-CONFORMITY",
            "EU-ART49-1-PROVIDER-REGISTRATION",
            "EU-ART72-POST-MARKET",
        },
        {"EU-ART25-1A-OWN-NAME", "EU-ART49-5-NATIONAL-REGISTRATION"},
        id="Art. 3(3), 16, 43, 49(1), 72: a CV screener we build is ours as provider without any role modifier",
    ),
    pytest.param(
        {**INTERNAL_CODE_ASSISTANT, "role_modifiers": ["substantial_modification"]},
        "minimal",
        "deployer",
        set(),
        {"EU-ART25-1B-SUBSTANTIAL-MODIFICATION", "EU-ART16-PROVIDER-DUTIES"},
        id="Art. 25(1)(b): modifying a system that is not high-risk changes no role",
    ),
    pytest.param(
        {**INTERNAL_CODE_ASSISTANT, "role_modifiers": ["rebrand"]},
        "minimal",
        "provider",
        {"EU-ART3-3-OWN-NAME"},
        {"EU-ART25-1A-OWN-NAME", "EU-ART16-PROVIDER-DUTIES"},
        id="Art. 3(3): offering any AI system under our own name makes us its provider; Art. 25(1)(a) is for high-risk",
    ),
    pytest.param(
        {**CV_SCREENER, "sourcing": "consumer_app"},
        "high",
        "provider",
        {"EU-ART25-1C-GENERAL-PURPOSE-APP", "EU-ART16-PROVIDER-DUTIES", "EU-ART49-1-PROVIDER-REGISTRATION"},
        {"EU-ART25-1C-NEW-PURPOSE"},
        id="Art. 25(1)(c): a general-purpose app used to screen candidates is a change of purpose, ticked or not",
    ),
    pytest.param(
        {**CV_SCREENER, "sourcing": "consumer_app", "role_modifiers": ["repurpose"]},
        "high",
        "provider",
        {"EU-ART25-1C-NEW-PURPOSE"},
        {"EU-ART25-1C-GENERAL-PURPOSE-APP"},
        id="Art. 25(1)(c): said once when ticked, not twice",
    ),
    pytest.param(
        {**CUSTOMER_CHATBOT, "transparency_triggers": []},
        "limited",
        "deployer",
        {"EU-ART50-1-AI-INTERACTION"},
        set(),
        id="Art. 50(1): a chat shown live to customers interacts with people, ticked or not",
    ),
    pytest.param(
        {**INTERNAL_CODE_ASSISTANT, "output_use": "decision_support"},
        "minimal",
        "deployer",
        set(),
        {"EU-ART50-1-AI-INTERACTION"},
        id="Art. 50(1): an internal assistant whose drafts people read does not",
    ),
    pytest.param(
        {
            **INTERNAL_CODE_ASSISTANT,
            "prohibited_practices": ["emotion_recognition_workplace_education"],
            "emotion_recognition_purpose": "safety",
        },
        "high",
        "deployer",
        {
            "EU-ART5-1F-MEDICAL-SAFETY-EXCEPTION",
            "EU-ART50-3-EMOTION-RECOGNITION",
            "EU-ART26-2-HUMAN-OVERSIGHT",
        },
        {"EU-ART5-1F-EMOTION-WORK-EDUCATION"},
        id="Art. 5(1)(f): fatigue detection for safety is excepted from the ban, and high-risk under Annex III 1(c)",
    ),
    pytest.param(
        {
            **INTERNAL_CODE_ASSISTANT,
            "prohibited_practices": ["emotion_recognition_workplace_education"],
            "emotion_recognition_purpose": "other",
        },
        "prohibited",
        "deployer",
        {"EU-ART5-1F-EMOTION-WORK-EDUCATION"},
        {"EU-ART5-1F-MEDICAL-SAFETY-EXCEPTION"},
        id="Art. 5(1)(f): emotion recognition at work for other reasons stays banned",
    ),
    pytest.param(
        {**CUSTOMER_CHATBOT, "role_modifiers": ["repurpose"]},
        "limited",
        "deployer",
        set(),
        {"EU-ART25-1C-NEW-PURPOSE"},
        id="Art. 25(1)(c): a new purpose that is not high-risk changes no role",
    ),
    pytest.param(
        {**CV_SCREENER, "role_modifiers": ["repurpose"]},
        "high",
        "provider",
        {"EU-ART25-1C-NEW-PURPOSE", "EU-ART16-PROVIDER-DUTIES"},
        set(),
        id="Art. 25(1)(c): a general system put to an Annex III purpose makes us its provider",
    ),
    pytest.param(
        {**GRID_BALANCER, "sourcing": "self_trained"},
        "high",
        "provider",
        {"EU-ART49-5-NATIONAL-REGISTRATION", "EU-ART16-PROVIDER-DUTIES"},
        {"EU-ART49-1-PROVIDER-REGISTRATION", "EU-ART26-11-INFORM-AFFECTED", "EU-ART86-EXPLANATION"},
        id="Art. 49(5): an Annex III point 2 system is registered nationally, not in the EU database",
    ),
    pytest.param(
        GRID_BALANCER,
        "high",
        "deployer",
        {"EU-ART26-1-INSTRUCTIONS", "EU-ART26-5-MONITORING"},
        {"EU-ART26-11-INFORM-AFFECTED", "EU-ART27-FRIA", "EU-ART49-5-NATIONAL-REGISTRATION"},
        id="Art. 26(11): a critical-infrastructure system decides about no person, so no one is told",
    ),
    pytest.param(
        CV_SCREENER,
        "high",
        "deployer",
        {"EU-ART26-11-INFORM-AFFECTED"},
        set(),
        id="Art. 26(11): candidates a screener helps decide about are told",
    ),
    pytest.param(
        {**INTERNAL_CODE_ASSISTANT, "decision_domain": "emotion_recognition", "profiling": False},
        "high",
        "deployer",
        {"EU-ANNEX-III-EMOTION-RECOGNITION", "EU-ART50-3-EMOTION-RECOGNITION"},
        {"EU-ART50-3-BIOMETRIC-CATEGORISATION"},
        id="Art. 50(3): emotion recognition chosen as the decision area brings the duty to inform",
    ),
    pytest.param(
        {**INTERNAL_CODE_ASSISTANT, "decision_domain": "biometric_categorisation", "profiling": False},
        "high",
        "deployer",
        {"EU-ANNEX-III-BIOMETRIC-CATEGORISATION", "EU-ART50-3-BIOMETRIC-CATEGORISATION"},
        {"EU-ART50-3-EMOTION-RECOGNITION"},
        id="Art. 50(3): biometric categorisation chosen as the decision area brings the duty to inform",
    ),
    pytest.param(
        IMAGE_GENERATOR,
        "limited",
        "deployer",
        {"EU-ART50-2-SYNTHETIC-CONTENT", "EU-ART50-2-DEPLOYER-CHECK"},
        {"EU-ART50-2-PROVIDER-MARKING"},
        id="Art. 50(2): the deployer of a bought generator checks its provider marks outputs",
    ),
    pytest.param(
        {**IMAGE_GENERATOR, "sourcing": "self_trained"},
        "limited",
        "provider",
        {"EU-ART50-2-SYNTHETIC-CONTENT", "EU-ART50-2-PROVIDER-MARKING"},
        {"EU-ART50-2-DEPLOYER-CHECK"},
        id="Art. 50(2): the provider of a generator marks its outputs itself",
    ),
]


@pytest.mark.parametrize(("case", "tier", "role", "fires", "stays_silent"), HELD_FACTS)
def test_facts_the_intake_holds_decide_role_and_duties(case, tier, role, fires, stays_silent):
    result = assess(answers(case))

    assert (eu(result)["tier"], eu(result)["role"]) == (tier, role)
    assert fires <= set(fired(result))
    assert not stays_silent & set(fired(result))


def test_the_deployer_of_a_bought_generator_is_not_told_to_mark_outputs_itself():
    duties = eu(assess(answers(IMAGE_GENERATOR)))["transparency_duties"]

    assert [(duty["citation"], duty["text"].split(" ")[0]) for duty in duties] == [
        ("EU AI Act Art. 50(2)", "Check")
    ]
    assert "provider marks" in duties[0]["text"]


def test_the_provider_of_a_generator_marks_outputs_itself():
    duties = eu(assess(answers(IMAGE_GENERATOR, sourcing="self_trained")))["transparency_duties"]

    assert [(duty["citation"], duty["text"].split(" ")[0]) for duty in duties] == [
        ("EU AI Act Art. 50(2)", "Mark")
    ]


def test_a_role_change_is_read_after_the_tier_so_a_derogated_use_is_ours_by_name_only():
    derogated = answers(
        CV_SCREENER,
        profiling=False,
        art6_3_exemption="preparatory",
        art6_3_justification="It extracts skills for a recruiter's own assessment.",
        role_modifiers=["rebrand"],
    )

    result = assess(derogated)

    assert (eu(result)["tier"], eu(result)["role"]) == ("minimal", "provider")
    assert "EU-ART25-1A-OWN-NAME" not in fired(result)
    assert fired(result)["EU-ART3-3-OWN-NAME"] == "EU AI Act Art. 3(3)"
    assert "EU-ART16-PROVIDER-DUTIES" not in fired(result)


# Questions the Regulation turns on, asked only when they apply. Each case cites the article it is written from.
ANNEX_I_DEVICE = {**INTERNAL_CODE_ASSISTANT, "decision_domain": "annex_i_safety_component"}
PUBLIC_BENEFITS = {**CV_SCREENER, "decision_domain": "public_benefits", "public_body": True}
NEW_QUESTIONS = [
    pytest.param(
        {**INTERNAL_CODE_ASSISTANT, "scope_exclusions": ["military_defence_security"]},
        "not_applicable",
        {"EU-ART2-3-MILITARY"},
        {"EU-ART4-AI-LITERACY"},
        id="Art. 2(3): exclusively military, defence or national security is out of scope",
    ),
    pytest.param(
        {**CV_SCREENER, "scope_exclusions": ["scientific_research"]},
        "not_applicable",
        {"EU-ART2-6-RESEARCH"},
        {"EU-ANNEX-III-EMPLOYMENT-RECRUITMENT", "EU-ART26-1-INSTRUCTIONS"},
        id="Art. 2(6): sole scientific research and development is out of scope, even in an Annex III area",
    ),
    pytest.param(
        {**INTERNAL_CODE_ASSISTANT, "stage": "idea", "scope_exclusions": ["pre_market_research"]},
        "not_applicable",
        {"EU-ART2-8-PRE-MARKET"},
        {"EU-ART4-AI-LITERACY"},
        id="Art. 2(8): research and testing before it is put into use is out of scope",
    ),
    pytest.param(
        {**INTERNAL_CODE_ASSISTANT, "scope_exclusions": ["open_source"]},
        "not_applicable",
        {"EU-ART2-12-OPEN-SOURCE"},
        {"EU-ART4-AI-LITERACY", "EU-MINIMAL-RISK"},
        id="Art. 2(12): an open-source system that nothing else reaches is out of scope",
    ),
    pytest.param(
        {**CV_SCREENER, "scope_exclusions": ["open_source"]},
        "high",
        {"EU-ART26-1-INSTRUCTIONS"},
        {"EU-ART2-12-OPEN-SOURCE"},
        id="Art. 2(12): open source does not take a high-risk use out of scope",
    ),
    pytest.param(
        {**CUSTOMER_CHATBOT, "scope_exclusions": ["open_source"]},
        "limited",
        {"EU-ART50-1-AI-INTERACTION"},
        {"EU-ART2-12-OPEN-SOURCE"},
        id="Art. 2(12): nor one under Art. 50",
    ),
    pytest.param(
        {**ANNEX_I_DEVICE, "annex_i_role": "product", "annex_i_third_party": True},
        "high",
        {"EU-ANNEX-I-PRODUCT", "EU-ART26-1-INSTRUCTIONS"},
        {"EU-ANNEX-I-SAFETY-COMPONENT"},
        id="Art. 6(1)(a): the AI system that is itself the product is high-risk",
    ),
    pytest.param(
        {**ANNEX_I_DEVICE, "annex_i_third_party": False},
        "minimal",
        {"EU-ART6-1B-NO-THIRD-PARTY-ASSESSMENT"},
        {"EU-ANNEX-I-SAFETY-COMPONENT", "EU-ART26-1-INSTRUCTIONS"},
        id="Art. 6(1)(b): without a third-party conformity assessment it is not high-risk",
    ),
    pytest.param(
        {**ANNEX_I_DEVICE, "annex_i_section": "section_b"},
        "high",
        {"EU-ANNEX-I-SAFETY-COMPONENT", "EU-ART2-2-SECTION-B"},
        {"EU-ART26-1-INSTRUCTIONS", "EU-ART26-2-HUMAN-OVERSIGHT", "EU-ART16-PROVIDER-DUTIES"},
        id="Art. 2(2): a Section B product meets the Act through its own law, not the Art. 26 duties",
    ),
    pytest.param(
        {**ANNEX_I_DEVICE, "annex_i_section": "section_a"},
        "high",
        {"EU-ART26-1-INSTRUCTIONS"},
        {"EU-ART2-2-SECTION-B"},
        id="Art. 2(2): a Section A product carries the Act's own duties",
    ),
    pytest.param(
        {**INTERNAL_CODE_ASSISTANT, "transparency_triggers": ["synthetic_text"]},
        "limited",
        {"EU-ART50-2-SYNTHETIC-CONTENT", "EU-ART50-2-DEPLOYER-CHECK"},
        set(),
        id="Art. 50(2): synthetic text is marked as well as images, audio and video",
    ),
    pytest.param(
        {**INTERNAL_CODE_ASSISTANT, "transparency_triggers": ["synthetic_text"], "assistive_editing": True},
        "minimal",
        {"EU-ART50-2-ASSISTIVE-EDITING"},
        {"EU-ART50-2-SYNTHETIC-CONTENT", "EU-ART50-2-DEPLOYER-CHECK"},
        id="Art. 50(2): a tool that only assists standard editing need not mark its output",
    ),
    pytest.param(
        {
            **INTERNAL_CODE_ASSISTANT,
            "transparency_triggers": ["public_interest_text"],
            "editorial_responsibility": True,
        },
        "minimal",
        {"EU-ART50-4-EDITORIAL-RESPONSIBILITY"},
        {"EU-ART50-4-PUBLIC-INTEREST-TEXT"},
        id="Art. 50(4): text reviewed under editorial responsibility need not be disclosed",
    ),
    pytest.param(
        {
            **INTERNAL_CODE_ASSISTANT,
            "transparency_triggers": ["public_interest_text"],
            "editorial_responsibility": False,
        },
        "limited",
        {"EU-ART50-4-PUBLIC-INTEREST-TEXT"},
        {"EU-ART50-4-EDITORIAL-RESPONSIBILITY"},
        id="Art. 50(4): text published without it is disclosed",
    ),
    pytest.param(
        {**PUBLIC_BENEFITS, "public_body_kind": "authority"},
        "high",
        {"EU-ART27-FRIA", "EU-ART26-8-PUBLIC-BODY-REGISTRATION"},
        set(),
        id="Art. 27(1), 26(8), 49(3): a public authority assesses rights and registers its use",
    ),
    pytest.param(
        {**PUBLIC_BENEFITS, "public_body_kind": "public_service"},
        "high",
        {"EU-ART27-FRIA"},
        {"EU-ART26-8-PUBLIC-BODY-REGISTRATION"},
        id="Art. 27(1), 26(8): a private company providing a public service assesses rights, but does not register",
    ),
    pytest.param(
        PUBLIC_BENEFITS,
        "high",
        {"EU-ART27-FRIA", "EU-ART26-8-PUBLIC-BODY-REGISTRATION"},
        set(),
        id="Art. 26(8): unsaid which, both duties are listed",
    ),
]


RBI = {**INTERNAL_CODE_ASSISTANT, "prohibited_practices": ["realtime_remote_biometric_id"]}
NEW_QUESTIONS += [
    pytest.param(
        RBI,
        "prohibited",
        {"EU-ART5-1H-REALTIME-RBI"},
        {"POLICY-REALTIME-RBI"},
        id="Art. 5(1)(h): real-time remote biometric identification, purpose unsaid, is presumed banned",
    ),
    pytest.param(
        {**RBI, "rbi_purpose": "law_enforcement_other"},
        "prohibited",
        {"EU-ART5-1H-REALTIME-RBI"},
        {"EU-ART5-1H-AUTHORISED-EXCEPTION"},
        id="Art. 5(1)(h): for law enforcement outside its exceptions it is banned",
    ),
    pytest.param(
        {**RBI, "rbi_purpose": "law_enforcement_authorised"},
        "high",
        {"EU-ART5-1H-AUTHORISED-EXCEPTION", "EU-ART26-1-INSTRUCTIONS"},
        {"EU-ART5-1H-REALTIME-RBI", "POLICY-REALTIME-RBI"},
        id="Art. 5(1)(h)(i)-(iii), 5(2)-(5): under the exceptions and authorised it is high-risk, not banned",
    ),
    pytest.param(
        {**RBI, "rbi_purpose": "not_law_enforcement"},
        "prohibited",
        {"POLICY-REALTIME-RBI", "EU-ANNEX-III-1A-REALTIME-RBI"},
        {"EU-ART5-1H-REALTIME-RBI"},
        id="Annex III 1(a): outside law enforcement the Act makes it high-risk; company policy bans it, citing itself",
    ),
]


OWN_MODEL = {**INTERNAL_CODE_ASSISTANT, "sourcing": "self_trained", "gpai_model": "yes"}
NEW_QUESTIONS += [
    pytest.param(
        {**OWN_MODEL, "gpai_placement": "market"},
        "minimal",
        {"EU-ART53-1-GPAI-DUTIES"},
        {"EU-ART53-GPAI-PROVIDER", "EU-ART55-SYSTEMIC-RISK", "EU-ART53-2-OPEN-SOURCE-MODEL"},
        id="Art. 53(1): placing a general-purpose model on the market brings the model duties",
    ),
    pytest.param(
        {**OWN_MODEL, "gpai_placement": "own_use"},
        "minimal",
        {"EU-GPAI-OWN-USE-ONLY"},
        {"EU-ART53-1-GPAI-DUTIES", "EU-ART53-GPAI-PROVIDER"},
        id="Art. 53(1), Recital 97: a general-purpose model we only use ourselves is not placed on the market",
    ),
    pytest.param(
        {**OWN_MODEL, "gpai_open_source": True, "gpai_systemic_risk": "none"},
        "minimal",
        {"EU-ART53-2-OPEN-SOURCE-MODEL"},
        {"EU-ART53-1-GPAI-DUTIES", "EU-ART55-SYSTEMIC-RISK"},
        id="Art. 53(2): an open-source model without systemic risk keeps only the copyright and summary duties",
    ),
    pytest.param(
        {**OWN_MODEL, "gpai_open_source": True, "gpai_systemic_risk": "compute"},
        "minimal",
        {"EU-ART53-1-GPAI-DUTIES", "EU-ART55-SYSTEMIC-RISK"},
        {"EU-ART53-2-OPEN-SOURCE-MODEL"},
        id="Art. 51(2), 53(2), 55: the compute presumption brings systemic-risk duties, open source or not",
    ),
    pytest.param(
        {**OWN_MODEL, "gpai_model": "no"},
        "minimal",
        set(),
        {"EU-ART53-1-GPAI-DUTIES", "EU-ART53-GPAI-PROVIDER"},
        id="Art. 3(63): a model trained for specific tasks is not a general-purpose model",
    ),
]


@pytest.mark.parametrize(("case", "tier", "fires", "stays_silent"), NEW_QUESTIONS)
def test_questions_the_regulation_turns_on(case, tier, fires, stays_silent):
    result = assess(answers(case))

    assert eu(result)["tier"] == tier
    assert fires <= set(fired(result))
    assert not stays_silent & set(fired(result))


def test_annex_iii_choices_carry_their_exclusions_in_their_wording():
    labels = dict(QUESTIONS_BY_NAME["decision_domain"].choices)

    assert (
        "remotely" in labels["biometric_identification"]
        and "not checking" in labels["biometric_identification"]
    )
    assert "not fraud detection" in labels["credit_scoring"]
    assert "not tools whose output voters never see" in labels["elections"]


def test_follow_up_questions_are_asked_only_when_they_apply():
    from intake.answers import applies

    def asked(name, **given):
        return applies(QUESTIONS_BY_NAME[name], given)

    assert not asked("emotion_recognition_purpose", prohibited_practices=["social_scoring"])
    assert asked(
        "emotion_recognition_purpose", prohibited_practices=["emotion_recognition_workplace_education"]
    )
    assert not asked("annex_i_third_party", decision_domain="credit_scoring")
    assert asked("annex_i_third_party", decision_domain="annex_i_safety_component")
    assert not asked("assistive_editing", transparency_triggers=["deepfake"])
    assert asked("assistive_editing", transparency_triggers=["synthetic_text"])
    assert asked("editorial_responsibility", transparency_triggers=["public_interest_text"])
    assert not asked("public_body_kind", decision_domain="public_benefits", public_body=False)
    assert asked("public_body_kind", decision_domain="public_benefits", public_body=True)
    assert not asked("public_body_kind", decision_domain="critical_infrastructure", public_body=True)
    assert not asked("scope_exclusions", eu_nexus="none")
    assert asked("scope_exclusions", eu_nexus="eu_outputs")


def test_the_company_ban_on_biometric_identification_is_listed_as_the_policys_not_the_acts():
    result = assess(answers(RBI, rbi_purpose="not_law_enforcement"))

    assert citations(eu(result)["prohibited_practices"]) == ["Company AI policy"]
