"""The engine as others use it: drafts, the shape of to_dict(), determinism, and invariants over many answer sets."""

import json
import random

from intake.answers import missing_for_submission
from intake.assessment import RULESET_VERSION, assess
from intake.assessment.catalogue import (
    CONTROLS,
    IMPACT_DIMENSIONS,
    NIST_RISKS,
    OWASP_AGENTIC,
    OWASP_LLM,
    TIERS,
)
from intake.vocabulary import band_for
from tests.intake.assessment.examples import (
    ANNEX_III_POINTS,
    CUSTOMER_CHATBOT,
    CV_SCREENER,
    INTERNAL_CODE_ASSISTANT,
    answers,
    random_answers,
)


def test_an_empty_draft_is_assessed_and_reported_incomplete():
    result = assess({}).to_dict()

    assert result["complete"] is False
    assert result["eu_ai_act"]["tier"] == "minimal"
    assert (result["likelihood"], result["impact"], result["band"]) == (1, 1, "low")


def test_missing_answers_never_fire_rules():
    # Only the rules that hold for every use fire; the Act is presumed to apply until the EU connection is answered.
    fired = {entry["rule_id"] for entry in assess({}).to_dict()["fired"]}

    assert fired == {
        "EU-ART4-AI-LITERACY",
        "EU-MINIMAL-RISK",
        "NIST-CONFABULATION-ALWAYS",
        "NIST-INFO-SECURITY-ALWAYS",
    }


def test_a_partial_draft_is_assessed_on_what_is_answered():
    result = assess(answers(decision_domain="employment_recruitment", users="customers")).to_dict()

    assert result["complete"] is False
    assert result["eu_ai_act"]["tier"] == "high"
    assert [risk["id"] for risk in result["owasp_llm"]] == ["LLM01", "LLM07", "LLM10"]


def test_a_draft_claiming_an_exemption_before_answering_profiling_stays_high():
    result = assess(
        answers(decision_domain="employment_recruitment", art6_3_exemption="preparatory")
    ).to_dict()

    assert result["eu_ai_act"]["tier"] == "high"
    assert result["eu_ai_act"]["derogation"]["claimed"] is False


def test_complete_answers_are_reported_complete():
    for case in (INTERNAL_CODE_ASSISTANT, CUSTOMER_CHATBOT, CV_SCREENER):
        assert missing_for_submission(answers(case)) == {}
        assert assess(answers(case)).to_dict()["complete"] is True


def test_to_dict_has_the_agreed_keys():
    result = assess(answers(CV_SCREENER)).to_dict()

    assert set(result) == {
        "ruleset_version",
        "complete",
        "eu_ai_act",
        "owasp_llm",
        "owasp_agentic",
        "nist",
        "controls",
        "likelihood",
        "impact",
        "impact_dimensions",
        "score",
        "band",
        "fired",
    }
    assert result["ruleset_version"] == RULESET_VERSION
    assert set(result["eu_ai_act"]) == {
        "tier",
        "role",
        "obligations",
        "transparency_duties",
        "prohibited_practices",
        "derogation",
        "key_dates",
    }
    assert set(result["eu_ai_act"]["derogation"]) == {
        "claimed",
        "reason",
        "legal_review",
        "registration_required",
    }
    for item in result["eu_ai_act"]["obligations"]:
        assert set(item) == {"id", "text", "citation"}
    for family in ("owasp_llm", "owasp_agentic", "nist"):
        for risk in result[family]:
            assert set(risk) == {"id", "name", "reasons", "rule_ids"}
    for control in result["controls"]:
        assert set(control) == {"id", "name", "why", "rule_ids"}
    for entry in result["fired"]:
        assert set(entry) == {"rule_id", "reason", "citation"}


def test_to_dict_is_json_serialisable_and_deterministic():
    first = json.dumps(assess(answers(CV_SCREENER)).to_dict(), sort_keys=True)
    second = json.dumps(assess(answers(dict(reversed(list(CV_SCREENER.items()))))).to_dict(), sort_keys=True)

    assert first == second


def test_risks_and_controls_come_in_catalogue_order_with_the_rules_behind_them():
    result = assess(
        answers(CUSTOMER_CHATBOT, capabilities=["chat", "retrieval_rag", "tool_use", "memory"])
    ).to_dict()

    for family, catalogue in (
        ("owasp_llm", OWASP_LLM),
        ("owasp_agentic", OWASP_AGENTIC),
        ("nist", NIST_RISKS),
    ):
        ids = [risk["id"] for risk in result[family]]
        assert ids == [risk_id for risk_id in catalogue if risk_id in ids]
        assert all(risk["reasons"] and risk["rule_ids"] for risk in result[family])
    ids = [control["id"] for control in result["controls"]]
    assert ids == [control_id for control_id in CONTROLS if control_id in ids]
    fired = {entry["rule_id"] for entry in result["fired"]}
    assert all(set(control["rule_ids"]) <= fired for control in result["controls"])


def test_agentic_risks_only_when_it_acts_remembers_or_works_with_other_agents():
    assert assess(answers(CUSTOMER_CHATBOT)).to_dict()["owasp_agentic"] == []
    agent = assess(
        answers(CUSTOMER_CHATBOT, capabilities=["chat", "tool_use"], tool_permissions=["write_internal"])
    )
    assert {"ASI01", "ASI02", "ASI03", "ASI09"} <= {risk["id"] for risk in agent.to_dict()["owasp_agentic"]}


def test_nist_confabulation_and_information_security_always_apply():
    for case in ({}, INTERNAL_CODE_ASSISTANT):
        ids = {risk["id"] for risk in assess(answers(case)).to_dict()["nist"]}
        assert {"NIST-CONFABULATION", "NIST-INFO_SECURITY"} <= ids


def test_invariants_hold_over_many_answer_sets():
    rng = random.Random(20261126)
    for _ in range(500):
        case = random_answers(rng)
        result = assess(case).to_dict()
        eu = result["eu_ai_act"]
        fired = {entry["rule_id"] for entry in result["fired"]}
        # Out of scope: no EU connection, or an Art. 2(3), 2(6) or 2(8) exclusion claimed.
        excluded = {"military_defence_security", "scientific_research", "pre_market_research"}
        applies = case.get("eu_nexus") != "none" and not excluded & set(case.get("scope_exclusions") or ())
        # Art. 2(12): open source is out of scope when nothing else applies (the tier would be minimal).
        open_source_out = "EU-ART2-12-OPEN-SOURCE" in fired
        section_b = (
            case.get("decision_domain") == "annex_i_safety_component"
            and case.get("annex_i_section") == "section_b"
        )
        # Emotion recognition at work for medical or safety reasons is excepted from the ban (Art. 5(1)(f)).
        excepted = (
            {"emotion_recognition_workplace_education"}
            if case.get("emotion_recognition_purpose") in ("medical", "safety")
            else set()
        )
        # So is authorised law enforcement from the ban on real-time remote biometric identification (Art. 5(1)(h)).
        if case.get("rbi_purpose") == "law_enforcement_authorised":
            excepted.add("realtime_remote_biometric_id")
        banned = bool(set(case.get("prohibited_practices") or ()) - excepted)
        derogated = (
            case.get("decision_domain") in ANNEX_III_POINTS
            and case.get("art6_3_exemption", "none") != "none"
            and case.get("profiling") is False
        )

        json.dumps(result)
        assert eu["tier"] in TIERS
        assert (eu["tier"] == "not_applicable") == (not applies or open_source_out)
        if open_source_out:
            assert "open_source" in case["scope_exclusions"] and not banned
        assert (eu["tier"] == "prohibited") == (applies and banned)
        assert (eu["tier"] == "high" and not section_b) == ("EU-ART26-2-HUMAN-OVERSIGHT" in fired)
        assert eu["derogation"]["claimed"] == (applies and derogated)
        if (
            applies
            and not banned
            and case.get("decision_domain") in ANNEX_III_POINTS
            and case.get("profiling")
        ):
            assert eu["tier"] == "high"
        if eu["tier"] == "high":
            assert result["impact"] >= 4
        if eu["tier"] == "prohibited":
            assert result["impact"] == 5
        assert ("EU-ART4-AI-LITERACY" in fired) == (applies and not open_source_out)
        assert 1 <= result["likelihood"] <= 5
        assert set(result["impact_dimensions"]) == set(IMPACT_DIMENSIONS)
        assert result["impact"] == max(result["impact_dimensions"].values())
        assert result["score"] == result["likelihood"] * result["impact"]
        assert result["band"] == band_for(result["score"])
        assert result == assess(case).to_dict()
