"""The intake pages through the Django test client: who sees what, saving drafts, the preview, submit and withdraw."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.services import user_set_teams
from audit.models import AuditEvent
from intake import services, views
from intake.answers import QUESTIONS, SECTIONS, applicable_answers, clean_answers
from intake.models import UseCase
from intake.workflow import Status
from tests.factories import TeamFactory
from tests.intake.conftest import CHATBOT, CV_SCREENING

pytestmark = pytest.mark.django_db

# What a browser sends for the CHATBOT answers: radios and selects as text, booleans as yes/no, lists repeated.
CHATBOT_POST = {
    "title": "Customer service assistant",
    "summary": "Answers customer questions from our help articles.",
    **{
        name: ("yes" if value else "no") if isinstance(value, bool) else value
        for name, value in CHATBOT.items()
        if not isinstance(value, int) or isinstance(value, bool)
    },
    "autonomy": "0",
}


def detail_url(use_case) -> str:
    return f"/requests/{use_case.reference}/"


# --- my requests -----------------------------------------------------------------------------------------------


def test_my_requests_lists_own_and_team_requests_only(
    as_user, requester, teammate, other_team_requester, make_use_case
):
    mine = make_use_case(title="Reply drafting assistant")
    teams = make_use_case(actor=teammate, title="Call summary notes")
    others = make_use_case(actor=other_team_requester, title="Interview scheduling helper")

    content = as_user(requester).get("/requests/").content.decode()

    assert mine.reference in content and teams.reference in content
    assert others.reference not in content and "Interview scheduling helper" not in content
    assert 'href="/requests/new/"' in content


def test_the_cio_sees_submitted_use_cases_not_drafts(as_user, cio, make_use_case):
    submitted = make_use_case(title="Submitted assistant", submit=True)
    draft = make_use_case(title="Draft assistant")

    response = as_user(cio).get("/requests/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Use cases</h1>" in content
    assert submitted.reference in content and draft.reference not in content
    assert 'href="/requests/new/"' not in content


def test_the_board_secretary_has_no_request_list(as_user, secretary):
    assert as_user(secretary).get("/requests/").status_code == 403


def test_my_requests_columns_show_status_tier_and_band(as_user, requester, make_use_case):
    use_case = make_use_case(answers=CV_SCREENING, submit=True)

    content = as_user(requester).get("/requests/").content.decode()

    assert "status-submitted" in content and "Submitted" in content
    assert f"tier-{use_case.tier}" in content and "High risk" in content
    assert f"band-{use_case.band}" in content


def test_my_requests_query_count_is_pinned_and_does_not_grow_with_rows(
    as_user, requester, make_use_case, django_assert_max_num_queries
):
    client = as_user(requester)
    make_use_case(title="First")
    client.get("/requests/")  # warm the session and the role cache
    with CaptureQueriesContext(connection) as few:
        client.get("/requests/")
    for n in range(12):
        make_use_case(title=f"Assistant number {n}")

    with django_assert_max_num_queries(4):
        response = client.get("/requests/")

    assert response.content.decode().count('href="/requests/GAI-') == 13
    with CaptureQueriesContext(connection) as many:
        client.get("/requests/")
    assert len(many) == len(few)


def test_my_requests_pages_by_id(as_user, requester, make_use_case, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    first, second, third = (make_use_case(title=f"Assistant {n}") for n in range(3))
    client = as_user(requester)

    newest = client.get("/requests/").content.decode()
    assert third.reference in newest and second.reference in newest and first.reference not in newest
    assert f"?before={second.pk}" in newest

    older = client.get(f"/requests/?before={second.pk}").content.decode()
    assert first.reference in older and second.reference not in older
    assert "?before=" not in older


# --- the form --------------------------------------------------------------------------------------------------


def test_the_new_request_form_has_every_section_and_question_with_help(as_user, requester):
    response = as_user(requester).get("/requests/new/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "What and why" in content
    for _key, title, _intro in SECTIONS:
        assert title in content
    for question in QUESTIONS:
        assert f'id="q-{question.name}"' in content
    assert 'aria-describedby="id_title_helptext"' in content
    assert '<legend class="question-label">Where is this today?</legend>' in content
    assert '<select name="decision_domain"' in content
    assert 'type="checkbox" name="capabilities"' in content
    assert 'type="radio" name="kill_switch" value="yes"' in content
    assert 'aria-live="polite"' in content and 'hx-post="/requests/preview/"' in content


def test_only_requesters_can_start_a_request(as_user, cio):
    assert as_user(cio).get("/requests/new/").status_code == 403


def test_a_draft_can_be_saved_with_only_a_title(as_user, requester):
    response = as_user(requester).post("/requests/new/", {"title": "Meeting notes helper", "next": "save"})

    use_case = UseCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/requests/{use_case.reference}/edit/"
    assert use_case.title == "Meeting notes helper" and use_case.status == Status.DRAFT
    assert use_case.submitter == requester


def test_a_full_draft_is_saved_with_every_answer_converted(as_user, requester):
    response = as_user(requester).post("/requests/new/", {**CHATBOT_POST, "next": "review"})

    use_case = UseCase.objects.get()
    assert response["Location"] == f"/requests/{use_case.reference}/submit/"
    # Its decision area is "None", so the Art. 6(3) and public-body answers do not apply and are not kept.
    assert use_case.answers == applicable_answers(clean_answers(CHATBOT))
    assert "art6_3_exemption" not in use_case.answers and "public_body" not in use_case.answers
    assert use_case.answers["autonomy"] == 0 and use_case.answers["kill_switch"] is True


def test_saving_a_draft_with_a_bad_value_keeps_the_input_and_names_the_field(as_user, requester):
    posted = {
        "title": "Reply assistant",
        "summary": "Drafts <b>replies</b> to customers.",
        "provider": "Azure OpenAI",
        "stage": "someday",
        "capabilities": ["chat", "retrieval_rag"],
        "next": "save",
    }

    response = as_user(requester).post("/requests/new/", posted)

    content = response.content.decode()
    assert response.status_code == 400
    assert not UseCase.objects.exists()
    assert "“someday” is not one of" in content
    assert 'href="#q-stage"' in content  # the error summary links to the question
    assert (
        'id="id_stage_error"' in content and 'aria-describedby="id_stage_helptext id_stage_error"' in content
    )
    assert 'value="Azure OpenAI"' in content and "Drafts &lt;b&gt;replies&lt;/b&gt; to customers." in content
    assert 'value="retrieval_rag" class="form-check-input" id="id_capabilities_6" checked' in content


def test_a_missing_title_is_named_and_nothing_is_saved(as_user, requester):
    response = as_user(requester).post("/requests/new/", {"title": "  ", "provider": "Mistral"})

    content = response.content.decode()
    assert response.status_code == 400 and not UseCase.objects.exists()
    assert "Give the request a title" in content and 'href="#q-title"' in content
    assert 'class="form-control is-invalid"' in content and 'aria-invalid="true"' in content
    assert 'value="Mistral"' in content


def test_a_failed_edit_changes_nothing_and_keeps_what_was_typed(as_user, requester, make_use_case):
    use_case = make_use_case()
    before = UseCase.objects.get(pk=use_case.pk)

    response = as_user(requester).post(
        f"/requests/{use_case.reference}/edit/",
        {**CHATBOT_POST, "summary": "A new summary I typed", "go_live_target": "31/02/2026"},
    )

    assert response.status_code == 400
    assert (
        "Enter a date" in response.content.decode() and "A new summary I typed" in response.content.decode()
    )
    after = UseCase.objects.get(pk=use_case.pk)
    assert (after.summary, after.answers, after.updated_at) == (
        before.summary,
        before.answers,
        before.updated_at,
    )


def test_editing_saves_changes_and_clears_what_was_unticked(as_user, requester, make_use_case):
    use_case = make_use_case()
    client = as_user(requester)
    assert client.get(f"/requests/{use_case.reference}/edit/").status_code == 200

    response = client.post(
        f"/requests/{use_case.reference}/edit/",
        {**CHATBOT_POST, "capabilities": ["chat"], "provider": "", "kill_switch": "", "next": "save"},
    )

    assert response.status_code == 302
    use_case.refresh_from_db()
    assert use_case.answers["capabilities"] == ["chat"]
    assert "provider" not in use_case.answers and "kill_switch" not in use_case.answers


def test_a_teammate_can_read_a_request_but_not_edit_it(as_user, teammate, make_use_case):
    use_case = make_use_case()
    client = as_user(teammate)

    assert client.get(detail_url(use_case)).status_code == 200
    assert client.get(f"/requests/{use_case.reference}/edit/").status_code == 403
    response = client.post(f"/requests/{use_case.reference}/edit/", {**CHATBOT_POST, "title": "Hijacked"})
    assert response.status_code == 403
    use_case.refresh_from_db()
    assert use_case.title == "Customer service assistant"


def test_a_submitted_request_cannot_be_edited(as_user, requester, make_use_case):
    use_case = make_use_case(submit=True)
    client = as_user(requester)

    response = client.get(f"/requests/{use_case.reference}/edit/")
    assert response.status_code == 302 and response["Location"] == detail_url(use_case)

    response = client.post(
        f"/requests/{use_case.reference}/edit/", {**CHATBOT_POST, "title": "Changed later"}
    )
    assert response.status_code == 409
    assert "Cannot edit a use case that is submitted" in response.content.decode()
    use_case.refresh_from_db()
    assert use_case.title == "Customer service assistant"


# --- the live preview ------------------------------------------------------------------------------------------


def test_the_preview_shows_the_tier_and_writes_nothing(as_user, requester, django_assert_max_num_queries):
    client = as_user(requester)
    client.get("/requests/new/")
    events, use_cases = AuditEvent.objects.count(), UseCase.objects.count()

    with django_assert_max_num_queries(
        3
    ):  # the session, the user and the active boundary: nothing is written
        response = client.post(
            "/requests/preview/",
            {**CHATBOT_POST, "decision_domain": "employment_recruitment", "profiling": "yes"},
        )

    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="preview-tier">High risk</span>' in content
    assert "Annex III point 4(a)" in content
    assert "Every question is answered" in content
    assert (AuditEvent.objects.count(), UseCase.objects.count()) == (events, use_cases)


def test_the_preview_ignores_answers_it_cannot_read(as_user, requester):
    response = as_user(requester).post(
        "/requests/preview/",
        # Its output only drafts for people, so nothing but the triggers could make it more than minimal.
        {
            **CHATBOT_POST,
            "title": "",
            "output_use": "draft_reviewed",
            "transparency_triggers": ["interacts_with_people", "nope"],
        },
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="preview-tier">Minimal risk</span>' in content  # the invalid list is left out, not half-read
    assert "left before you can submit" in content


def test_the_preview_needs_a_signed_in_user(client):
    response = client.post("/requests/preview/", {"eu_nexus": "eu_affected"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- submit ----------------------------------------------------------------------------------------------------


def test_the_review_step_lists_what_is_missing_with_links_to_the_form(as_user, requester, make_use_case):
    use_case = make_use_case(answers={"stage": "idea"})

    response = as_user(requester).get(f"/requests/{use_case.reference}/submit/")

    content = response.content.decode()
    assert response.status_code == 200
    assert f'href="/requests/{use_case.reference}/edit/#q-sourcing"' in content
    assert "Submit for decision" not in content

    response = as_user(requester).post(f"/requests/{use_case.reference}/submit/")
    assert response.status_code == 400
    use_case.refresh_from_db()
    assert use_case.status == Status.DRAFT


def test_the_review_step_shows_possible_duplicates_and_asks_to_confirm(
    as_user, requester, teammate, make_use_case
):
    existing = make_use_case(actor=teammate, title="Customer service reply assistant", submit=True)
    use_case = make_use_case(title="Customer service reply assistant v2")
    client = as_user(requester)

    content = client.get(f"/requests/{use_case.reference}/submit/").content.decode()
    assert existing.reference in content and f'href="{detail_url(existing)}"' in content
    assert 'name="not_duplicate"' in content

    refused = client.post(f"/requests/{use_case.reference}/submit/")
    assert refused.status_code == 400 and "not a duplicate" in refused.content.decode()
    use_case.refresh_from_db()
    assert use_case.status == Status.DRAFT

    accepted = client.post(f"/requests/{use_case.reference}/submit/", {"not_duplicate": "yes"})
    assert accepted.status_code == 302
    use_case.refresh_from_db()
    assert use_case.status == Status.SUBMITTED


def test_submitting_sends_the_request_for_decision(as_user, requester, make_use_case):
    use_case = make_use_case()
    client = as_user(requester)

    review = client.get(f"/requests/{use_case.reference}/submit/").content.decode()
    assert "not_duplicate" not in review and "Submit for decision" in review

    response = client.post(f"/requests/{use_case.reference}/submit/", follow=True)

    use_case.refresh_from_db()
    assert use_case.status == Status.SUBMITTED and use_case.revision_count == 1
    assert response.redirect_chain == [(detail_url(use_case), 302)]
    assert "is submitted as revision 1" in response.content.decode()


def test_a_prohibited_request_is_closed_and_the_page_says_why(as_user, requester, make_use_case):
    use_case = make_use_case(answers={**CHATBOT, "prohibited_practices": ["social_scoring"]})
    client = as_user(requester)
    assert "closed automatically" in client.get(f"/requests/{use_case.reference}/submit/").content.decode()

    response = client.post(f"/requests/{use_case.reference}/submit/", follow=True)

    content = response.content.decode()
    use_case.refresh_from_db()
    assert use_case.status == Status.REJECTED
    assert "was not sent for a decision" in content and "Art. 5(1)(c)" in content
    assert "status-rejected" in content


def test_submitting_twice_is_a_conflict_not_an_error(as_user, requester, make_use_case):
    use_case = make_use_case(submit=True)

    response = as_user(requester).post(f"/requests/{use_case.reference}/submit/")

    assert response.status_code == 409
    assert "Cannot submit a use case that is submitted" in response.content.decode()


# --- withdraw --------------------------------------------------------------------------------------------------


def test_withdrawing_asks_first_then_records_the_reason(as_user, requester, make_use_case):
    use_case = make_use_case(submit=True)
    client = as_user(requester)

    assert "Withdraw the request" in client.get(f"/requests/{use_case.reference}/withdraw/").content.decode()
    response = client.post(
        f"/requests/{use_case.reference}/withdraw/", {"reason": "Bought a product instead."}
    )

    assert response.status_code == 302 and response["Location"] == detail_url(use_case)
    use_case.refresh_from_db()
    assert use_case.status == Status.WITHDRAWN and use_case.status_reason == "Bought a product instead."


def test_only_the_submitter_can_withdraw(as_user, teammate, make_use_case):
    use_case = make_use_case()
    client = as_user(teammate)

    assert client.get(f"/requests/{use_case.reference}/withdraw/").status_code == 403
    assert client.post(f"/requests/{use_case.reference}/withdraw/").status_code == 403
    use_case.refresh_from_db()
    assert use_case.status == Status.DRAFT


# --- the use-case page -----------------------------------------------------------------------------------------


def test_the_use_case_page_explains_the_assessment(as_user, requester, make_use_case):
    use_case = make_use_case(answers=CV_SCREENING, submit=True)
    revision = use_case.revisions.get()

    content = as_user(requester).get(detail_url(use_case)).content.decode()

    assert "Frozen at revision 1" in content
    assert "High risk" in content and "Deployer" in content
    assert "EU AI Act Art. 6(2), Annex III point 4(a)" in content  # why it is high-risk
    assert "EU AI Act Art. 26(7)" in content  # an obligation with its citation
    assert "OWASP Top 10 for LLM applications" in content and "LLM09" in content
    assert "NIST-HARMFUL_BIAS" in content and "It builds profiles of individuals" in content
    assert "C-12" in content  # a required control
    assert "<details" in content and "EU-ANNEX-III-EMPLOYMENT-RECRUITMENT" in content
    assert revision.content_hash in content
    assert "Submitted revision 1 for the CIO and CISO decision" in content
    assert "Created the draft" in content


def test_a_draft_page_shows_a_preview_and_the_submitters_buttons(as_user, requester, teammate, make_use_case):
    use_case = make_use_case()

    own = as_user(requester).get(detail_url(use_case)).content.decode()
    assert "Preview of your draft" in own
    for path in ("edit", "submit", "withdraw"):
        assert f'href="/requests/{use_case.reference}/{path}/"' in own

    theirs = as_user(teammate).get(detail_url(use_case)).content.decode()
    assert "Preview of the current draft" in theirs
    assert f"/requests/{use_case.reference}/edit/" not in theirs


def test_html_in_a_title_is_shown_as_text(as_user, requester, cio, make_use_case):
    use_case = make_use_case(title="<script>alert(1)</script> <b>bold</b> assistant", submit=True)

    for user, path in ((requester, detail_url(use_case)), (requester, "/requests/"), (cio, "/requests/")):
        content = as_user(user).get(path).content.decode()
        assert "<script>alert(1)</script>" not in content and "<b>bold</b>" not in content
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt; assistant" in content


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", ""),
        ("get", "edit/"),
        ("post", "edit/"),
        ("get", "submit/"),
        ("post", "submit/"),
        ("get", "withdraw/"),
        ("post", "withdraw/"),
    ],
)
def test_another_teams_requester_gets_404_on_every_url(
    as_user, other_team_requester, make_use_case, method, path
):
    use_case = make_use_case(submit=path.startswith("withdraw"))

    response = getattr(as_user(other_team_requester), method)(f"{detail_url(use_case)}{path}", {"title": "x"})

    assert response.status_code == 404
    assert UseCase.objects.get(pk=use_case.pk).status == use_case.status


def test_an_unknown_reference_is_404(as_user, requester):
    assert as_user(requester).get("/requests/GAI-2000-9999/").status_code == 404


def test_requesters_find_my_requests_in_the_navigation_and_on_home(as_user, requester):
    content = as_user(requester).get("/").content.decode()
    assert 'href="/requests/">My requests</a>' in content
    assert 'href="/requests/new/">New request</a>' in content


def test_a_service_refusal_without_fields_is_shown_at_the_top(as_user, requester, make_use_case, monkeypatch):
    use_case = make_use_case()

    def refuse(**kwargs):
        raise services.DomainError("The request is locked for review.")

    monkeypatch.setattr(services, "use_case_update", refuse)
    response = as_user(requester).post(f"/requests/{use_case.reference}/edit/", CHATBOT_POST)

    assert response.status_code == 400
    assert "The request is locked for review." in response.content.decode()


def test_a_requester_in_several_teams_says_which_team_the_request_is_for(as_user, requester):
    hr = TeamFactory(name="People & HR")
    user_set_teams(actor=None, user=requester, teams=[*requester.teams.all(), hr])
    client = as_user(requester)
    assert '<select name="team"' in client.get("/requests/new/").content.decode()

    refused = client.post("/requests/new/", {"title": "Onboarding buddy"})
    assert refused.status_code == 400 and "Choose the team this request is for." in refused.content.decode()

    client.post("/requests/new/", {"title": "Onboarding buddy", "team": hr.pk})
    assert UseCase.objects.get().team == hr


def test_the_submit_step_reveals_nothing_to_someone_who_cannot_submit(client, cio, make_use_case):
    make_use_case(title="Secret draft about layoffs")
    submitted = make_use_case(title="Secret draft about layoffs, v2", submit=True)
    client.force_login(cio)
    for method in (client.get, client.post):
        response = method(f"/requests/{submitted.reference}/submit/")
        assert b"Secret draft about layoffs<" not in response.content
        assert response.status_code in (302, 403, 409)
