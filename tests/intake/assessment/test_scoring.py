"""Likelihood, impact, score and band: the worst dimension counts, high-risk floors impact, every point is explained."""

import pytest

from intake.assessment import assess
from intake.assessment.catalogue import IMPACT_DIMENSIONS
from intake.vocabulary import band_for
from tests.intake.assessment.examples import (
    ANNEX_III_POINTS,
    CUSTOMER_CHATBOT,
    CV_SCREENER,
    INTERNAL_CODE_ASSISTANT,
    answers,
)


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (1, "low"),
        (4, "low"),
        (5, "medium"),
        (9, "medium"),
        (10, "high"),
        (16, "high"),
        (20, "critical"),
        (25, "critical"),
    ],
)
def test_band_edges(score, band):
    assert band_for(score) == band


def test_score_is_likelihood_times_impact_and_band_follows_it():
    for case in (INTERNAL_CODE_ASSISTANT, CUSTOMER_CHATBOT, CV_SCREENER):
        result = assess(answers(case)).to_dict()
        assert result["score"] == result["likelihood"] * result["impact"]
        assert result["band"] == band_for(result["score"])


def test_impact_takes_the_worst_dimension_not_the_average():
    result = assess(
        answers(INTERNAL_CODE_ASSISTANT, tool_permissions=["financial_transactions"], autonomy=3)
    ).to_dict()

    assert result["impact_dimensions"]["financial"] == 5
    assert result["impact_dimensions"]["people_rights"] == 1
    assert result["impact"] == 5


def test_every_dimension_is_reported_between_1_and_5():
    dimensions = assess(answers(CUSTOMER_CHATBOT)).to_dict()["impact_dimensions"]

    assert set(dimensions) == set(IMPACT_DIMENSIONS)
    assert all(1 <= level <= 5 for level in dimensions.values())


@pytest.mark.parametrize("domain", [*ANNEX_III_POINTS, "annex_i_safety_component"])
def test_high_risk_floors_impact_at_4(domain):
    result = assess(answers(INTERNAL_CODE_ASSISTANT, decision_domain=domain)).to_dict()

    assert result["eu_ai_act"]["tier"] == "high"
    assert result["impact_dimensions"]["regulatory"] == 4
    assert result["impact"] >= 4


def test_high_risk_floor_alone_lifts_an_otherwise_mild_use_to_4():
    # A safety component scores 5 on operations; an Annex III use with every other dimension mild still reaches 4.
    result = assess(answers({"decision_domain": "education_proctoring"})).to_dict()

    assert result["impact"] == 4


def test_prohibited_means_impact_5():
    result = assess(
        answers(INTERNAL_CODE_ASSISTANT, prohibited_practices=["subliminal_manipulation"])
    ).to_dict()

    assert result["impact_dimensions"]["regulatory"] == 5
    assert result["impact"] == 5


def test_likelihood_grows_with_exposure_and_stops_at_5():
    quiet = assess(answers(INTERNAL_CODE_ASSISTANT)).to_dict()
    exposed = assess(
        answers(
            INTERNAL_CODE_ASSISTANT,
            users="public",
            user_count="gte_5000",
            retrieval_sources=["web"],
            autonomy=4,
            tool_permissions=["external_communications"],
            output_use="automated_action",
        )
    ).to_dict()

    assert quiet["likelihood"] == 1
    assert exposed["likelihood"] == 5


def test_customer_chatbot_is_more_exposed_than_an_internal_tool():
    chatbot = assess(answers(CUSTOMER_CHATBOT)).to_dict()

    assert chatbot["likelihood"] == 3  # customers (+1), 5,000+ users (+1)
    assert chatbot["band"] == "medium"


def test_every_score_contribution_is_documented_in_fired():
    result = assess(answers(CUSTOMER_CHATBOT, kill_switch=False)).to_dict()
    scoring = [entry for entry in result["fired"] if entry["rule_id"].startswith("SC-")]

    assert scoring
    for entry in scoring:
        assert "likelihood +" in entry["reason"] or "impact at least" in entry["reason"], entry
    assert any(
        entry["rule_id"] == "SC-I-OPS-NO-KILL-SWITCH" and "operational impact at least 3" in entry["reason"]
        for entry in scoring
    )
