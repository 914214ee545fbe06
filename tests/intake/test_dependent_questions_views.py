"""The intake pages with questions that apply only after some answers, and a verdict that waits for its answers."""

import pytest

from intake.models import UseCase
from intake.workflow import Status
from tests.answer_sets import CHATBOT, CV_SCREENING
from tests.intake.test_views import CHATBOT_POST

pytestmark = pytest.mark.django_db

NO_AREA = {k: v for k, v in CHATBOT.items() if k not in ("art6_3_exemption", "public_body")}
CLAIMED = {**CV_SCREENING, "art6_3_exemption": "preparatory", "art6_3_justification": "It only sorts CVs."}


def test_the_form_marks_the_questions_that_apply_only_after_an_answer(as_user, requester):
    content = as_user(requester).get("/requests/new/").content.decode()

    assert (
        'id="q-art6_3_exemption" data-shown-when="{&quot;decision_domain&quot;: [&quot;biometric_identification'
        in (content)
    )
    assert 'id="q-art6_3_justification" data-shown-when="{&quot;art6_3_exemption&quot;: [' in content
    assert 'id="q-public_body" data-shown-when="' in content
    assert 'id="q-eu_nexus" data-shown-when' not in content
    assert "js/shown-when" in content


def test_a_request_outside_the_annex_iii_areas_is_submitted_without_the_minor_role_question(
    as_user, requester, make_use_case
):
    use_case = make_use_case(answers=NO_AREA)
    client = as_user(requester)

    review = client.get(f"/requests/{use_case.reference}/submit/").content.decode()
    assert "Is its role in the decision minor?" not in review
    client.post(f"/requests/{use_case.reference}/submit/")

    use_case.refresh_from_db()
    assert use_case.status == Status.SUBMITTED


def test_an_annex_iii_request_cannot_be_submitted_without_the_minor_role_question(
    as_user, requester, make_use_case
):
    answers = {k: v for k, v in CV_SCREENING.items() if k != "art6_3_exemption"}
    use_case = make_use_case(answers=answers)
    client = as_user(requester)

    review = client.get(f"/requests/{use_case.reference}/submit/").content.decode()
    assert "Is its role in the decision minor?" in review
    client.post(f"/requests/{use_case.reference}/submit/")

    use_case.refresh_from_db()
    assert use_case.status == Status.DRAFT


def test_changing_the_area_to_none_drops_the_minor_role_claim(as_user, requester, make_use_case):
    use_case = make_use_case(answers=CLAIMED)
    assert use_case.answers["art6_3_exemption"] == "preparatory"
    post = {**CHATBOT_POST, "decision_domain": "none", "art6_3_exemption": "preparatory"}
    post["art6_3_justification"] = "It only sorts CVs."  # still on the page, hidden by the script

    response = as_user(requester).post(f"/requests/{use_case.reference}/edit/", {**post, "next": "save"})

    use_case = UseCase.objects.get(pk=use_case.pk)
    assert response.status_code == 302
    assert not {"art6_3_exemption", "art6_3_justification", "public_body"} & set(use_case.answers)
    assert use_case.answers["decision_domain"] == "none"


def test_the_preview_ignores_a_minor_role_claim_that_does_not_apply(as_user, requester):
    post = {**CHATBOT_POST, "decision_domain": "none", "art6_3_exemption": "preparatory", "profiling": "no"}

    content = as_user(requester).post("/requests/preview/", post).content.decode()

    assert "Documented derogation" not in content
    assert "Every question is answered" in content  # no justification asked for a claim that does not apply


def test_an_empty_form_has_not_enough_answers_for_a_verdict(as_user, requester):
    content = as_user(requester).post("/requests/preview/", {}).content.decode()

    assert "Not enough answers yet" in content
    assert "12 questions left" in content
    assert 'id="preview-tier"' not in content and 'id="preview-boundary"' not in content
    assert (
        '<span class="preview-summary-pending">Not enough answers yet</span>' in content
    )  # the phone summary


def test_the_page_itself_opens_with_not_enough_answers(as_user, requester):
    content = as_user(requester).get("/requests/new/").content.decode()

    assert content.count("Not enough answers yet") == 2  # the preview and its phone summary


def test_a_complete_form_shows_the_tier_not_the_wait(as_user, requester):
    content = as_user(requester).post("/requests/preview/", CHATBOT_POST).content.decode()

    assert "Not enough answers yet" not in content
    assert 'id="preview-tier">Limited risk</span>' in content


def test_a_prohibited_practice_with_a_medium_score_is_explained(as_user, requester, make_use_case):
    quiet = {
        **CHATBOT,
        "users": "employees_limited",
        "user_count": "lt_50",
        "affected_persons": [],
        "output_use": "draft_reviewed",
        "prohibited_practices": ["subliminal_manipulation"],
    }
    use_case = make_use_case(answers=quiet)
    assert (use_case.tier, use_case.band) == ("prohibited", "medium")

    content = as_user(requester).get(f"/requests/{use_case.reference}/").content.decode()

    assert (
        'id="tier-band-note">Prohibited whatever the score: the score measures likelihood × impact' in content
    )


def test_a_tier_and_band_that_agree_carry_no_note(as_user, requester, make_use_case):
    use_case = make_use_case()

    content = as_user(requester).get(f"/requests/{use_case.reference}/").content.decode()

    assert 'id="tier-band-note"' not in content


def test_the_request_page_lists_only_the_questions_that_were_asked(as_user, requester, make_use_case):
    no_area = (
        as_user(requester).get(f"/requests/{make_use_case(answers=NO_AREA).reference}/").content.decode()
    )
    claimed = (
        as_user(requester).get(f"/requests/{make_use_case(answers=CLAIMED).reference}/").content.decode()
    )

    assert "<dt>Is its role in the decision minor?</dt>" not in no_area
    assert "<dt>Why is its role minor?</dt>" not in no_area
    assert "<dt>Is its role in the decision minor?</dt>" in claimed and "It only sorts CVs." in claimed
