"""What a newer ruleset changes in one assessment, and whether the risk rose (pure)."""

from intake.assessment import assess
from intake.assessment.changes import compare
from tests.intake.assessment.examples import CUSTOMER_CHATBOT, CV_SCREENER, INTERNAL_CODE_ASSISTANT, answers


def stored(case: dict) -> dict:
    return assess(answers(case)).to_dict()


def test_the_same_assessment_is_no_change():
    assert compare(stored(CV_SCREENER), stored(CV_SCREENER)) is None


def test_a_reworded_reason_is_no_change():
    before = stored(CV_SCREENER)
    after = stored(CV_SCREENER)
    after["fired"][0]["reason"] = "Said differently."
    assert compare(before, after) is None


def test_a_tier_that_rises_is_riskier_and_says_which_rules_now_fire():
    change = compare(stored(INTERNAL_CODE_ASSISTANT), stored(CV_SCREENER))

    assert change.rose
    assert (change.before["tier"], change.after["tier"]) == ("minimal", "high")
    assert "EU-ANNEX-III-EMPLOYMENT-RECRUITMENT" in {rule["rule_id"] for rule in change.fired}
    assert "EU-MINIMAL-RISK" in {rule["rule_id"] for rule in change.no_longer}
    assert "EU-ART26-2-HUMAN-OVERSIGHT" in change.after["obligations"]
    why = next(rule for rule in change.fired if rule["rule_id"] == "EU-ANNEX-III-EMPLOYMENT-RECRUITMENT")
    assert why["reason"].startswith("It is used for recruiting or selecting people")
    assert why["citation"] == "EU AI Act Art. 6(2), Annex III point 4(a)"
    was = next(rule for rule in change.no_longer if rule["rule_id"] == "EU-MINIMAL-RISK")
    assert was["reason"].startswith("No banned practice") and was["citation"] == "EU AI Act Art. 95"


def test_a_tier_that_falls_is_a_change_but_not_riskier():
    change = compare(stored(CV_SCREENER), stored(INTERNAL_CODE_ASSISTANT))
    assert change is not None and not change.rose


def test_out_of_scope_to_in_scope_is_riskier():
    change = compare(stored({**INTERNAL_CODE_ASSISTANT, "eu_nexus": "none"}), stored(INTERNAL_CODE_ASSISTANT))
    assert (change.before["tier"], change.after["tier"], change.rose) == ("not_applicable", "minimal", True)


def test_becoming_the_provider_is_riskier_even_at_the_same_tier():
    change = compare(stored(CV_SCREENER), stored({**CV_SCREENER, "role_modifiers": ["rebrand"]}))
    assert (change.before["role"], change.after["role"], change.rose) == ("deployer", "provider", True)


def test_a_higher_band_is_riskier():
    before, after = stored(CUSTOMER_CHATBOT), stored(CUSTOMER_CHATBOT)
    before["band"], after["band"] = "medium", "high"
    assert compare(before, after).rose


def test_an_obligation_alone_is_a_change_but_not_riskier():
    before, after = stored(CUSTOMER_CHATBOT), stored(CUSTOMER_CHATBOT)
    after["eu_ai_act"]["obligations"].append({"id": "NEW-DUTY", "text": "A new duty.", "citation": "Art. 1"})
    change = compare(before, after)
    assert change is not None and not change.rose and "NEW-DUTY" in change.after["obligations"]


def test_a_value_an_older_ruleset_did_not_give_counts_as_a_rise_when_one_is_given_now():
    """An older assessment without a band (or with a tier this code does not know) is read as the least severe:
    any band now is a rise, so the executives see it rather than miss it."""
    before, after = stored(INTERNAL_CODE_ASSISTANT), stored(INTERNAL_CODE_ASSISTANT)
    before["band"], after["band"] = "", "low"
    assert compare(before, after).rose
    before["band"], before["eu_ai_act"]["tier"], after["band"] = "low", "unknown_tier", "low"
    after["eu_ai_act"]["tier"] = "not_applicable"
    assert compare(before, after).rose
