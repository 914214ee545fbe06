"""Questions that apply only after some answers, and the questions that decide the verdict (pure, no database)."""

import pytest

from intake.answers import (
    ANNEX_III_AREAS,
    ART6_3_CLAIMS,
    BOOL,
    MANY,
    QUESTIONS,
    QUESTIONS_BY_NAME,
    VERDICT_QUESTIONS,
    applicable_answers,
    applies,
    clean_answers,
    missing_for_submission,
    missing_for_verdict,
)
from intake.assessment import assess
from intake.assessment.rules import ANNEX_III, ART6_3_EXEMPTIONS, RULES, TIER_RULES
from intake.presenters import tier_band_note
from tests.answer_sets import CHATBOT, CV_SCREENING

EXEMPTION = QUESTIONS_BY_NAME["art6_3_exemption"]
JUSTIFICATION = QUESTIONS_BY_NAME["art6_3_justification"]
PUBLIC_BODY = QUESTIONS_BY_NAME["public_body"]
NOT_ANNEX_III = [v for v in QUESTIONS_BY_NAME["decision_domain"].values if v not in ANNEX_III_AREAS]
# What the inherent score and the boundary check read besides the tier (riskboundaries/check.py).
BOUNDARY_READS = {"data_classification", "users", "sourcing", "provider", "hosting_region", "autonomy"}
BOUNDARY_READS |= {"provider_terms", "tool_permissions", "decision_domain", "prohibited_practices"}


def test_the_minor_role_question_applies_only_to_an_annex_iii_area():
    assert applies(EXEMPTION, {"decision_domain": "employment_recruitment"})
    assert not applies(EXEMPTION, {"decision_domain": "none"})
    assert not applies(EXEMPTION, {"decision_domain": "annex_i_safety_component"})
    assert not applies(EXEMPTION, {})


def test_the_justification_applies_only_to_a_minor_role_claim_that_itself_applies():
    claimed = {"decision_domain": "employment_recruitment", "art6_3_exemption": "preparatory"}
    assert applies(JUSTIFICATION, claimed)
    assert not applies(JUSTIFICATION, {**claimed, "art6_3_exemption": "none"})
    assert not applies(JUSTIFICATION, {**claimed, "decision_domain": "none"})


def test_the_public_body_question_applies_to_annex_iii_areas_but_critical_infrastructure():
    assert applies(PUBLIC_BODY, {"decision_domain": "public_benefits"})
    assert not applies(PUBLIC_BODY, {"decision_domain": "critical_infrastructure"})
    assert not applies(PUBLIC_BODY, {"decision_domain": "none"})


def test_every_dependency_names_an_earlier_question_and_its_real_values():
    order = [q.name for q in QUESTIONS]
    for question in QUESTIONS:
        for name, values in question.shown_when:
            assert order.index(name) < order.index(question.name), question.name
            earlier = QUESTIONS_BY_NAME[name]
            choices = ("yes", "no") if earlier.kind == BOOL else earlier.values  # yes/no as the form says it
            assert values and set(values) <= set(choices), question.name


def test_the_areas_and_claims_are_those_of_the_rules():
    assert set(ANNEX_III_AREAS) == set(ANNEX_III)
    assert set(ART6_3_CLAIMS) == set(ART6_3_EXEMPTIONS)


@pytest.mark.parametrize("domain", NOT_ANNEX_III)
def test_a_question_that_does_not_apply_changes_nothing_in_the_assessment(domain):
    # The one exception, kept by the ruleset: an Art. 6(3) claim on an Annex I product is refused with a reason.
    ignored = {"EU-ART6-3-NOT-FOR-ANNEX-I"}
    base = {**CV_SCREENING, "decision_domain": domain, "profiling": False}
    stale = {
        **base,
        "art6_3_exemption": "preparatory",
        "art6_3_justification": "Sorts CVs.",
        "public_body": True,
    }
    without = {k: v for k, v in base.items() if k not in ("art6_3_exemption", "public_body")}

    fired = {rule.id for rule in assess(clean_answers(stale)).fired} - ignored
    assert fired == {rule.id for rule in assess(clean_answers(without)).fired}
    assert applicable_answers(stale) == without


def test_a_dependent_question_is_required_only_when_it_applies():
    no_area = {k: v for k, v in CHATBOT.items() if k not in ("art6_3_exemption", "public_body")}
    assert missing_for_submission(no_area) == {}

    annex_iii = {**no_area, "decision_domain": "public_benefits"}
    assert set(missing_for_submission(annex_iii)) == {"art6_3_exemption", "public_body"}

    claimed = {**annex_iii, "art6_3_exemption": "preparatory", "public_body": False}
    assert missing_for_submission(claimed) == {
        "art6_3_justification": ["Explain why its role is minor, for the legal review."]
    }


def test_stale_answers_are_dropped_once_their_question_no_longer_applies():
    answers = {**CV_SCREENING, "art6_3_exemption": "preparatory", "art6_3_justification": "Sorts CVs."}
    assert applicable_answers(answers) == answers

    moved = applicable_answers({**answers, "decision_domain": "none"})
    assert not {"art6_3_exemption", "art6_3_justification", "public_body"} & set(moved)
    assert moved["decision_domain"] == "none" and moved["profiling"] is True


def test_the_verdict_questions_are_every_single_answer_the_tier_score_or_boundary_read():
    scoring = [rule for rule in RULES if rule.likelihood or rule.impact]
    read = {field for rule in (*TIER_RULES, *scoring) for field, _ in rule.when.references()} | BOUNDARY_READS
    expected = {q.name for q in QUESTIONS if q.name in read and q.kind != MANY}
    assert set(VERDICT_QUESTIONS) == expected
    assert list(VERDICT_QUESTIONS) == [q.name for q in QUESTIONS if q.name in expected]  # in the form's order


def test_an_empty_form_lacks_every_verdict_question_that_applies():
    follow_ups = {q.name for q in QUESTIONS if q.shown_when}
    assert missing_for_verdict({}) == [name for name in VERDICT_QUESTIONS if name not in follow_ups]


def test_the_verdict_waits_for_the_minor_role_answer_in_an_annex_iii_area():
    answers = {k: v for k, v in CV_SCREENING.items() if k != "art6_3_exemption"}
    assert missing_for_verdict(answers) == ["art6_3_exemption"]
    assert missing_for_verdict(CV_SCREENING) == []
    assert missing_for_verdict({**answers, "decision_domain": "none"}) == []


def test_a_blank_text_answer_is_still_missing_for_the_verdict():
    assert missing_for_verdict({**CHATBOT, "provider": ""}) == ["provider"]


@pytest.mark.parametrize(
    ("tier", "band", "starts"),
    [
        ("prohibited", "low", "Prohibited whatever the score"),
        ("prohibited", "medium", "Prohibited whatever the score"),
        ("high", "low", "High-risk under the EU AI Act whatever the score"),
        ("minimal", "critical", "Minimal risk under the EU AI Act, yet a critical inherent risk"),
        ("minimal", "high", "Minimal risk under the EU AI Act, yet a high inherent risk"),
    ],
)
def test_a_tier_and_band_that_disagree_are_explained(tier, band, starts):
    note = tier_band_note(tier, band)
    assert note.startswith(starts) and "likelihood × impact of harm" in note


@pytest.mark.parametrize(
    ("tier", "band"),
    [("prohibited", "critical"), ("high", "high"), ("minimal", "low"), ("limited", "critical"), ("high", "")],
)
def test_a_tier_and_band_that_agree_need_no_note(tier, band):
    assert tier_band_note(tier, band) == ""
