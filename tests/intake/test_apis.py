"""The use-case API through the test client: contract, bad input, cross-team access, 404 over 403, 409."""

import pytest

from intake.models import UseCase
from tests.intake.conftest import CHATBOT

pytestmark = pytest.mark.django_db

LIST = "/api/v1/use-cases/"


def url(ref: str, tail: str = "") -> str:
    return f"/api/v1/use-cases/{ref}/{tail}"


def test_a_requester_creates_a_draft(api_as, requester):
    response = api_as(requester).post(LIST, {"title": "Support assistant", **CHATBOT}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["ref"].startswith("GAI-") and body["status"] == "draft" and body["team"] == "Customer Service"
    assert body["answers"]["capabilities"] == ["chat", "retrieval_rag"]
    assert "submit" in body["allowed_actions"]


def test_unknown_enumeration_values_are_400_naming_the_field(api_as, requester):
    response = api_as(requester).post(
        LIST, {"title": "x", "stage": "someday", "capabilities": ["chat", "telepathy"]}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"stage", "capabilities"}
    assert UseCase.objects.count() == 0


def test_control_characters_are_400_naming_the_field(api_as, requester):
    response = api_as(requester).post(
        LIST,
        {"title": "Bell\x07 bot", "provider": "Open\x08AI", "summary": "Two lines\nand a\ttab are fine."},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"title", "provider"} and "control characters" in errors["provider"][0]
    assert UseCase.objects.count() == 0


def test_unknown_fields_and_a_missing_title_are_named(api_as, requester):
    response = api_as(requester).post(LIST, {"colour": "blue"}, format="json")
    assert response.status_code == 400 and "colour" in response.json()["errors"]
    response = api_as(requester).post(LIST, {"stage": "idea"}, format="json")
    assert response.status_code == 400 and "title" in response.json()["errors"]


def test_a_failed_patch_changes_nothing(api_as, requester, make_use_case):
    use_case = make_use_case()
    response = api_as(requester).patch(
        url(use_case.reference), {"title": "Changed", "autonomy": 9}, format="json"
    )
    assert response.status_code == 400 and "autonomy" in response.json()["errors"]
    use_case.refresh_from_db()
    assert use_case.title == "Customer service assistant" and use_case.answers["autonomy"] == 0


def test_patch_edits_only_the_given_fields(api_as, requester, make_use_case):
    use_case = make_use_case()
    body = api_as(requester).patch(url(use_case.reference), {"stage": "production"}, format="json").json()
    assert body["answers"]["stage"] == "production" and body["title"] == "Customer service assistant"


def test_submit_withdraw_and_409_for_a_transition_not_allowed(api_as, requester, make_use_case):
    use_case = make_use_case()
    client = api_as(requester)
    assert client.post(url(use_case.reference, "submit/")).json()["status"] == "submitted"
    assert client.patch(url(use_case.reference), {"title": "late"}, format="json").status_code == 409
    assert (
        client.post(url(use_case.reference, "withdraw/"), {"reason": "dup"}, format="json").status_code == 200
    )
    response = client.post(url(use_case.reference, "submit/"))
    assert response.status_code == 409 and "withdrawn" in response.json()["detail"]


def test_submitting_an_incomplete_request_names_the_missing_answers(api_as, requester, make_use_case):
    use_case = make_use_case(answers={"stage": "idea"})
    response = api_as(requester).post(url(use_case.reference, "submit/"))
    assert response.status_code == 400 and "eu_nexus" in response.json()["errors"]


def test_another_team_gets_404_everywhere(api_as, other_team_requester, make_use_case):
    use_case = make_use_case(submit=True)
    client = api_as(other_team_requester)
    for path in ["", "assessment/", "revisions/"]:
        assert client.get(url(use_case.reference, path)).status_code == 404
    assert client.patch(url(use_case.reference), {"title": "x"}, format="json").status_code == 404
    assert client.post(url(use_case.reference, "withdraw/")).status_code == 404
    assert client.get(LIST).json()["results"] == []


def test_a_teammate_sees_but_may_not_edit(api_as, teammate, make_use_case):
    use_case = make_use_case()
    client = api_as(teammate)
    assert client.get(url(use_case.reference)).status_code == 200
    assert client.patch(url(use_case.reference), {"title": "x"}, format="json").status_code == 403


def test_the_board_secretary_sees_no_use_case(api_as, secretary, make_use_case):
    use_case = make_use_case(submit=True)
    assert api_as(secretary).get(url(use_case.reference)).status_code == 404
    assert api_as(secretary).get(LIST).json()["results"] == []


def test_assessment_is_a_preview_for_drafts_and_frozen_after_submission(api_as, requester, make_use_case):
    use_case = make_use_case()
    client = api_as(requester)
    preview = client.get(url(use_case.reference, "assessment/")).json()
    assert preview["source"] == "preview" and preview["assessment"]["eu_ai_act"]["tier"] == "limited"
    client.post(url(use_case.reference, "submit/"))
    frozen = client.get(url(use_case.reference, "assessment/")).json()
    assert frozen["source"] == "revision 1"
    assert {"owasp_llm", "nist", "controls", "likelihood", "impact", "score", "band", "fired"} <= set(
        frozen["assessment"]
    )


def test_revisions_list_their_hashes(api_as, requester, make_use_case):
    use_case = make_use_case(submit=True)
    revisions = api_as(requester).get(url(use_case.reference, "revisions/")).json()
    assert [r["number"] for r in revisions] == [1] and len(revisions[0]["content_hash"]) == 64


def test_the_list_is_cursor_paginated_with_a_flat_query_count(
    api_as, requester, make_use_case, django_assert_max_num_queries
):
    for i in range(12):
        make_use_case(title=f"Use case {i}")
    client = api_as(requester)
    with django_assert_max_num_queries(2):
        first = client.get(LIST, {"page_size": 5}).json()
    assert len(first["results"]) == 5 and first["next"] and "count" not in first
    for i in range(30):
        make_use_case(title=f"More {i}")
    with django_assert_max_num_queries(2):
        client.get(LIST, {"page_size": 5})


def test_allowed_actions_are_what_the_person_asking_may_do(api_as, requester, teammate, cio, make_use_case):
    draft = make_use_case()
    assert api_as(requester).get(url(draft.reference)).json()["allowed_actions"] == [
        "edit",
        "submit",
        "withdraw",
    ]
    assert api_as(teammate).get(url(draft.reference)).json()["allowed_actions"] == []
    submitted = make_use_case(title="Other", submit=True)
    assert api_as(requester).get(url(submitted.reference)).json()["allowed_actions"] == ["withdraw"]
    assert api_as(cio).get(url(submitted.reference)).json()["allowed_actions"] == []


def test_create_and_submit_cost_a_pinned_number_of_queries_that_does_not_grow(api_as, requester, cio, ciso):
    """Measured on PostgreSQL (SQLite takes no advisory lock: a statement fewer per action). The audit events of
    each action are appended together (a lock, a read of the chain's head, one insert) and the grants in bulk (the
    permissions read once, one insert per table); the rest is the team, the counter, the use case, the revision and
    the outbox, and on submission one look-up of the provider in the AI inventory (a provider it does not know is
    proposed to it: that one submission writes a row more)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_as(requester)
    counts = []
    for n in range(3):
        with CaptureQueriesContext(connection) as created:
            response = client.post(LIST, {"title": f"Support assistant {n}", **CHATBOT}, format="json")
        assert response.status_code == 201, response.json()
        with CaptureQueriesContext(connection) as submitted:
            assert client.post(url(response.json()["ref"], "submit/")).status_code == 200
        counts.append((len(created.captured_queries), len(submitted.captured_queries)))

    create, submit = counts[-1]
    assert create <= 15 and submit <= 18 and create + submit <= 40, counts
    assert counts[1] == counts[2], counts  # the same for the next request as for the one before
