"""The typed objects that cross app borders: what is stored as JSON reads back by name, tolerantly."""

from intake.assessment import assess
from intake.contracts import (
    BoundaryCheck,
    Breach,
    CheckedAgainstBoundary,
    RequiredControl,
    SavedAssessment,
)
from intake.vocabulary import Band, EuRole, Tier, Verdict
from tests.intake.assessment.examples import CUSTOMER_CHATBOT, CV_SCREENER


def test_a_saved_assessment_reads_the_engines_output_by_name():
    stored = assess(CV_SCREENER).to_dict()
    assessed = SavedAssessment.of(stored)
    assert assessed.tier is Tier(stored["eu_ai_act"]["tier"])
    assert assessed.role is EuRole(stored["eu_ai_act"]["role"])
    assert assessed.band is Band(stored["band"])
    assert assessed.score == stored["score"]
    assert (assessed.likelihood, assessed.impact) == (stored["likelihood"], stored["impact"])
    assert assessed.complete is stored["complete"]
    assert assessed.ruleset_version == stored["ruleset_version"]
    assert [c.id for c in assessed.controls] == [c["id"] for c in stored["controls"]]
    assert [f.id for f in assessed.fired] == [f["rule_id"] for f in stored["fired"]]
    assert [f.citation for f in assessed.fired] == [f["citation"] for f in stored["fired"]]
    assert assessed.derogation.claimed is stored["eu_ai_act"]["derogation"]["claimed"]
    assert SavedAssessment.of(assessed) is assessed


def test_a_prohibited_practice_makes_the_assessment_prohibited_whatever_the_tier_says():
    stored = {
        "eu_ai_act": {"tier": "minimal", "prohibited_practices": [{"id": "R", "citation": "Art. 5(1)(a)"}]}
    }
    assessed = SavedAssessment.of(stored)
    assert assessed.is_prohibited
    assert assessed.prohibited_practices[0].citation == "Art. 5(1)(a)"
    assert SavedAssessment.of({"eu_ai_act": {"tier": "prohibited"}}).is_prohibited
    assert not SavedAssessment.of(assess(CUSTOMER_CHATBOT).to_dict()).is_prohibited


def test_missing_or_malformed_json_reads_as_nothing_not_as_an_error():
    for stored in (
        None,
        {},
        {"eu_ai_act": "x", "score": True, "band": "extreme", "controls": "x", "fired": [1]},
    ):
        assessed = SavedAssessment.of(stored)
        assert assessed.tier is None and assessed.band is None and assessed.score is None
        assert assessed.controls == () and assessed.fired == () and not assessed.is_prohibited


def test_a_boundary_check_round_trips_through_its_stored_json():
    check = BoundaryCheck(
        Verdict.EXCEEDS,
        breaches=(Breach("max_autonomy", "1", "3", "Too autonomous."),),
        conditions=(RequiredControl("C-01", "Human oversight", "Required for high-risk use cases"),),
    )
    stored = check.to_dict()
    assert stored["verdict"] == "exceeds"
    assert stored["breaches"][0] == {
        "clause": "max_autonomy",
        "limit": "1",
        "actual": "3",
        "reason": "Too autonomous.",
    }
    assert stored["conditions"][0]["control_id"] == "C-01"
    assert BoundaryCheck.from_dict(stored) == check


def test_no_stored_check_or_an_unknown_verdict_reads_as_none():
    assert BoundaryCheck.from_dict({}) is None
    assert BoundaryCheck.from_dict(None) is None
    assert BoundaryCheck.from_dict({"verdict": "maybe"}) is None


def test_the_hooks_answer_carries_its_version_and_whether_it_is_frozen():
    answer = CheckedAgainstBoundary(3, BoundaryCheck(Verdict.WITHIN))
    assert answer.verdict is Verdict.WITHIN and answer.boundary_version == 3 and not answer.frozen


def test_a_missing_text_reads_as_empty_and_an_unset_assessment_claims_nothing():
    assessed = SavedAssessment.of(
        {"eu_ai_act": {"derogation": {}}, "controls": [{"id": "C-01"}], "fired": [{"rule_id": "R-1"}]}
    )
    assert (
        assessed.derogation.reason == "" and assessed.controls[0].name == "" and assessed.fired[0].text == ""
    )
    blank = SavedAssessment()
    assert not (blank.complete or blank.derogation.claimed or blank.derogation.legal_review)
    assert not blank.derogation.registration_required
