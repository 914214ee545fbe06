"""Answers that contradict each other: found without the database, each naming every field involved and the article;
a request holding one is not submitted (400 naming the fields) and keeps its draft."""

import pytest

from intake.answers import QUESTIONS_BY_NAME, clean_answers
from intake.assessment import assess
from intake.consistency import CONTRADICTIONS, contradictions
from intake.models import UseCase
from intake.policies import submission_gaps
from tests.answer_sets import CHATBOT

STAFF_MOOD_MONITOR = clean_answers(
    {
        **CHATBOT,
        "capabilities": ["scoring_classification"],
        "users": "employees_limited",
        "output_use": "decision_support",
        "decision_domain": "emotion_recognition",
        "affected_persons": ["employees"],
        "personal_data": ["biometric"],
        "transparency_triggers": [],
        "art6_3_exemption": "none",
    }
)


def test_emotion_recognition_affecting_only_staff_without_the_practice_ticked_names_both_fields():
    found = contradictions(STAFF_MOOD_MONITOR)

    assert {"decision_domain", "prohibited_practices", "affected_persons"} == set(found)
    assert all("Art. 5(1)(f)" in messages[0] for messages in found.values())
    assert "medical or safety" in found["prohibited_practices"][0]


def test_the_transparency_trigger_is_named_when_it_is_what_says_emotion_recognition():
    case = {**STAFF_MOOD_MONITOR, "decision_domain": "none", "transparency_triggers": ["emotion_recognition"]}

    assert set(contradictions(case)) == {"transparency_triggers", "prohibited_practices", "affected_persons"}


@pytest.mark.parametrize(
    "change",
    [
        {"prohibited_practices": ["emotion_recognition_workplace_education"]},  # said: closed, or excepted
        {"affected_persons": ["employees", "customers"]},  # customers too: not only the workplace
        {"affected_persons": ["customers"]},
        {"affected_persons": []},  # nobody named: nothing to reconcile
        {"decision_domain": "employment_monitoring"},  # no emotion recognition said
    ],
)
def test_no_contradiction_once_the_answers_agree(change):
    assert contradictions({**STAFF_MOOD_MONITOR, **change}) == {}


def test_candidates_are_the_workplace_too():
    assert "prohibited_practices" in contradictions(
        {**STAFF_MOOD_MONITOR, "affected_persons": ["applicants"]}
    )


def test_submission_gaps_carry_the_contradiction_with_the_missing_answers():
    gaps = submission_gaps("", STAFF_MOOD_MONITOR)

    assert {"title", "decision_domain", "prohibited_practices"} <= set(gaps)
    assert submission_gaps("Mood monitor", {**STAFF_MOOD_MONITOR, "affected_persons": ["customers"]}) == {}


@pytest.mark.parametrize("contradiction", CONTRADICTIONS, ids=lambda c: c.id)
def test_each_contradiction_names_real_questions_and_cites_the_act(contradiction):
    assert len(contradiction.fields) >= 2
    assert set(contradiction.fields) <= set(QUESTIONS_BY_NAME)
    for field, value in contradiction.when.references():
        assert field in QUESTIONS_BY_NAME
        assert value is None or value in QUESTIONS_BY_NAME[field].values
    assert contradiction.citation in contradiction.message


# Through the API: the draft saves, the submission is refused naming the fields, and nothing saved is lost.

LIST = "/api/v1/use-cases/"


@pytest.mark.django_db
def test_the_api_refuses_to_submit_a_contradiction_with_a_400_naming_both_fields(api_as, requester):
    client = api_as(requester)
    created = client.post(LIST, {"title": "Staff mood monitor", **STAFF_MOOD_MONITOR}, format="json")
    assert created.status_code == 201, created.json()
    reference = created.json()["ref"]

    refused = client.post(f"{LIST}{reference}/submit/")

    assert refused.status_code == 400
    errors = refused.json()["errors"]
    assert {"decision_domain", "prohibited_practices"} <= set(errors)
    assert "Art. 5(1)(f)" in errors["prohibited_practices"][0]
    use_case = UseCase.objects.get(reference=reference)
    assert use_case.status == "draft" and use_case.revision_count == 0
    assert use_case.answers["decision_domain"] == "emotion_recognition"  # the draft is kept as saved


@pytest.mark.django_db
def test_reconciled_as_fatigue_detection_for_safety_it_is_submitted_as_high_risk(api_as, requester):
    client = api_as(requester)
    reference = client.post(
        LIST, {"title": "Driver fatigue alerts", **STAFF_MOOD_MONITOR}, format="json"
    ).json()["ref"]
    assert client.post(f"{LIST}{reference}/submit/").status_code == 400

    patched = client.patch(
        f"{LIST}{reference}/",
        {
            "prohibited_practices": ["emotion_recognition_workplace_education"],
            "emotion_recognition_purpose": "safety",
        },
        format="json",
    )
    assert patched.status_code == 200, patched.json()
    submitted = client.post(f"{LIST}{reference}/submit/")

    assert submitted.status_code == 200, submitted.json()
    use_case = UseCase.objects.get(reference=reference)
    assert use_case.status == "submitted"
    assert assess(use_case.answers).tier == "high"


@pytest.mark.django_db
def test_reconciled_by_ticking_the_practice_for_other_reasons_it_is_closed_by_the_system(api_as, requester):
    client = api_as(requester)
    reference = client.post(LIST, {"title": "Mood scores", **STAFF_MOOD_MONITOR}, format="json").json()["ref"]
    client.patch(
        f"{LIST}{reference}/",
        {
            "prohibited_practices": ["emotion_recognition_workplace_education"],
            "emotion_recognition_purpose": "other",
        },
        format="json",
    )

    assert client.post(f"{LIST}{reference}/submit/").status_code == 200
    use_case = UseCase.objects.get(reference=reference)
    assert use_case.status == "rejected" and "Art. 5(1)(f)" in use_case.status_reason


@pytest.mark.parametrize("stage", ["pilot", "production", "change"])
def test_pre_market_research_claimed_for_a_use_already_running_names_both_fields(stage):
    case = clean_answers({**CHATBOT, "stage": stage, "scope_exclusions": ["pre_market_research"]})

    found = contradictions(case)

    assert set(found) == {"scope_exclusions", "stage"}
    assert "Art. 2(8)" in found["stage"][0]


def test_pre_market_research_at_the_idea_stage_agrees():
    assert (
        contradictions(
            clean_answers({**CHATBOT, "stage": "idea", "scope_exclusions": ["pre_market_research"]})
        )
        == {}
    )
