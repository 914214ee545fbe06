"""Decisions and the review queue through the API: contract, every forbidden actor, flat query counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from approvals.models import SlotDecision
from approvals.services import decision_record
from intake import services as intake_services
from tests.answer_sets import CHATBOT
from tests.approvals.reading import seen
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/review-queue/"


def decisions_url(ref: str) -> str:
    return f"/api/v1/use-cases/{ref}/decisions/"


def test_the_cio_and_ciso_decide_through_the_api(api_as, make_use_case, boundary, cio, ciso):
    use_case = make_use_case(submit=True)
    response = api_as(cio).post(
        decisions_url(use_case.reference), {"decision": "approve", **seen(use_case)}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["slot"] == "cio" and response.json()["revision"] == 1
    conditions = [{"text": "Publish an AI notice", "due_on": str(timezone.localdate() + timedelta(days=14))}]
    body = {
        "decision": "approve_with_conditions",
        "rationale": "Notice first.",
        "conditions": conditions,
        **seen(use_case),
    }
    assert api_as(ciso).post(decisions_url(use_case.reference), body, format="json").status_code == 201
    listed = api_as(cio).get(decisions_url(use_case.reference)).json()
    assert [d["slot"] for d in listed] == ["cio", "ciso"]
    assert api_as(cio).get(f"/api/v1/use-cases/{use_case.reference}/").json()["status"] == "approved"


def test_bad_decisions_are_400_naming_the_field(api_as, make_use_case, boundary, cio):
    use_case = make_use_case(submit=True)
    client = api_as(cio)
    assert (
        "decision"
        in client.post(
            decisions_url(use_case.reference), {"decision": "maybe", **seen(use_case)}, format="json"
        ).json()["errors"]
    )
    response = client.post(
        decisions_url(use_case.reference), {"decision": "reject", **seen(use_case)}, format="json"
    )
    assert response.status_code == 400 and "rationale" in response.json()["errors"]
    assert client.post(
        decisions_url(use_case.reference), {"decision": "approve", "x": 1, **seen(use_case)}, format="json"
    ).json()["errors"] == {"x": ["Unknown field."]}


def test_every_forbidden_actor_is_refused(
    api_as, make_use_case, boundary, requester, teammate, secretary, admin_user
):
    use_case = make_use_case(submit=True)
    body = {"decision": "approve", **seen(use_case)}
    assert (
        api_as(requester).post(decisions_url(use_case.reference), body, format="json").status_code == 403
    )  # submitter
    assert api_as(teammate).post(decisions_url(use_case.reference), body, format="json").status_code == 403
    assert api_as(secretary).post(decisions_url(use_case.reference), body, format="json").status_code == 404
    assert api_as(admin_user).post(decisions_url(use_case.reference), body, format="json").status_code == 404
    both = UserFactory(username="both", roles=[Role.CIO, Role.CISO])
    assert (
        api_as(both)
        .post(
            decisions_url(use_case.reference),
            {"decision": "approve", "slot": "cio", **seen(use_case)},
            format="json",
        )
        .status_code
        == 201
    )
    second = api_as(both).post(
        decisions_url(use_case.reference),
        {"decision": "approve", "slot": "ciso", **seen(use_case)},
        format="json",
    )
    assert second.status_code == 403 and "both slots" in second.json()["detail"]


def test_a_second_decision_in_the_same_slot_is_409(api_as, make_use_case, boundary, cio):
    use_case = make_use_case(submit=True)
    api_as(cio).post(
        decisions_url(use_case.reference), {"decision": "approve", **seen(use_case)}, format="json"
    )
    deputy = UserFactory(username="deputy", roles=[Role.CIO])
    assert (
        api_as(deputy)
        .post(decisions_url(use_case.reference), {"decision": "approve", **seen(use_case)}, format="json")
        .status_code
        == 409
    )


def test_the_queue_shows_both_slots_and_what_waits_on_me(api_as, make_use_case, boundary, cio, ciso):
    first = make_use_case(title="First", submit=True)
    second = make_use_case(title="Second", submit=True)
    decision_record(actor=cio, use_case=first, decision="approve")
    rows = {r["ref"]: r for r in api_as(ciso).get(QUEUE).json()["results"]}
    assert rows[first.reference]["slots"]["cio"] == {
        "decision": "approve",
        "decider": cio.username,
        "decider_name": cio.display_name,
    }
    assert rows[first.reference]["slots"]["ciso"] is None and rows[first.reference]["waiting_on_me"] is True
    cio_rows = {r["ref"]: r for r in api_as(cio).get(QUEUE, {"waiting_on": "me"}).json()["results"]}
    assert set(cio_rows) == {second.reference}
    waiting_on_ciso = {r["ref"] for r in api_as(cio).get(QUEUE, {"waiting_on": "ciso"}).json()["results"]}
    assert waiting_on_ciso == {first.reference, second.reference}


def test_the_queue_hides_what_the_user_may_not_see(api_as, make_use_case, boundary, requester, secretary):
    make_use_case(submit=True)
    assert api_as(secretary).get(QUEUE).json()["results"] == []
    assert api_as(requester).get(QUEUE, {"waiting_on": "me"}).json()["results"] == []


def test_overdue_and_re_review_filters(api_as, make_use_case, boundary, cio):
    import time_machine

    with time_machine.travel(timezone.now() - timedelta(days=10)):
        old = make_use_case(title="Old", submit=True)
    make_use_case(title="New", submit=True)
    overdue = [r["ref"] for r in api_as(cio).get(QUEUE, {"overdue": "true"}).json()["results"]]
    assert overdue == [old.reference]
    assert api_as(cio).get(QUEUE, {"re_review": "true"}).json()["results"] == []
    assert "waiting_on" in api_as(cio).get(QUEUE, {"waiting_on": "boss"}).json()["errors"]


def test_the_queue_page_query_count_does_not_grow(
    api_as, make_use_case, boundary, cio, ciso, django_assert_max_num_queries
):
    for i in range(3):
        decision_record(actor=ciso, use_case=make_use_case(title=f"A{i}", submit=True), decision="approve")
    client = api_as(cio)
    with django_assert_max_num_queries(2) as small:
        client.get(QUEUE)
    for i in range(12):
        make_use_case(title=f"B{i}", answers={**CHATBOT, "stage": "idea"}, submit=True)
    with django_assert_max_num_queries(2) as large:
        assert len(client.get(QUEUE).json()["results"]) == 15
    assert len(small.captured_queries) == len(large.captured_queries)


@pytest.mark.parametrize("missing", ["review_round", "content_hash"])
def test_a_decision_must_name_the_round_and_revision_it_was_made_on(
    api_as, make_use_case, boundary, cio, missing
):
    use_case = make_use_case(submit=True)
    body = {"decision": "approve", **seen(use_case)}
    del body[missing]
    response = api_as(cio).post(decisions_url(use_case.reference), body, format="json")
    assert response.status_code == 400 and set(response.json()["errors"]) == {missing}
    assert not SlotDecision.objects.exists()


def test_a_decision_sent_before_a_re_review_opened_is_409_naming_the_round(
    api_as, make_use_case, boundary, cio, ciso
):
    use_case = make_use_case(submit=True)
    read_before = seen(use_case)
    decision_record(actor=cio, use_case=use_case, decision="approve")
    decision_record(actor=ciso, use_case=use_case, decision="approve")
    intake_services.use_case_flag_re_review(actor=None, use_case=use_case, reason="Due.")

    response = api_as(cio).post(
        decisions_url(use_case.reference), {"decision": "approve", **read_before}, format="json"
    )
    assert response.status_code == 409 and set(response.json()["errors"]) == {"review_round"}
    assert "round 2" in response.json()["detail"]
    assert SlotDecision.objects.filter(use_case=use_case).count() == 2
    fresh = api_as(cio).post(
        decisions_url(use_case.reference), {"decision": "approve", **seen(use_case)}, format="json"
    )
    assert fresh.status_code == 201 and fresh.json()["review_round"] == 2


def test_a_decision_on_another_revisions_hash_is_409_naming_the_hash(api_as, make_use_case, boundary, cio):
    use_case = make_use_case(submit=True)
    body = {"decision": "approve", **seen(use_case), "content_hash": "0" * 64}
    response = api_as(cio).post(decisions_url(use_case.reference), body, format="json")
    assert response.status_code == 409 and set(response.json()["errors"]) == {"content_hash"}
    assert not SlotDecision.objects.exists()


def test_at_most_twenty_conditions_per_decision(api_as, make_use_case, boundary, cio):
    use_case = make_use_case(submit=True)
    body = {"decision": "approve_with_conditions", "rationale": "Many.", **seen(use_case)}
    too_many = [{"text": f"Condition {i}"} for i in range(21)]
    response = api_as(cio).post(
        decisions_url(use_case.reference), {**body, "conditions": too_many}, format="json"
    )
    assert response.status_code == 400 and set(response.json()["errors"]) == {"conditions"}
    assert not SlotDecision.objects.exists()
    response = api_as(cio).post(
        decisions_url(use_case.reference), {**body, "conditions": too_many[:20]}, format="json"
    )
    assert response.status_code == 201 and len(SlotDecision.objects.get().proposed_conditions) == 20


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rationale": "Looks\x08 fine."}, "rationale"),
        ({"conditions": [{"text": "Publish\x1b a notice"}]}, "conditions.0.text"),
        ({"conditions": [{"text": "Publish a notice", "owner": "Web\x7f team"}]}, "conditions.0.owner"),
    ],
)
def test_control_characters_in_typed_text_are_400_naming_the_field(
    api_as, make_use_case, boundary, cio, change, field
):
    use_case = make_use_case(submit=True)
    body = {
        "decision": "approve_with_conditions",
        "rationale": "Notice first.",
        "conditions": [{"text": "Publish a notice"}],
        **seen(use_case),
        **change,
    }
    response = api_as(cio).post(decisions_url(use_case.reference), body, format="json")
    assert response.status_code == 400 and set(response.json()["errors"]) == {field}
    assert "control characters" in response.json()["errors"][field][0]
    assert not SlotDecision.objects.exists()


def test_every_read_a_decider_decides_on_carries_the_current_round(
    api_as, make_use_case, boundary, cio, ciso
):
    use_case = make_use_case(submit=True)
    decision_record(actor=ciso, use_case=use_case, decision="approve")
    client = api_as(cio)
    detail = client.get(f"/api/v1/use-cases/{use_case.reference}/").json()
    [item] = client.get(QUEUE).json()["results"]
    [decision] = client.get(decisions_url(use_case.reference)).json()
    expected = seen(use_case)
    assert detail["review_round"] == item["review_round"] == decision["review_round"] == 1
    assert item["content_hash"] == decision["content_hash"] == expected["content_hash"]


def test_the_schema_requires_the_round_and_hash_and_caps_the_conditions(api_as, cio):
    schema = api_as(cio).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    decision_input = schema["components"]["schemas"]["DecisionInputRequest"]
    assert {"decision", "review_round", "content_hash"} <= set(decision_input["required"])
    assert decision_input["properties"]["conditions"]["maxItems"] == 20
    assert "review_round" in schema["components"]["schemas"]["QueueItem"]["required"]


def test_a_malformed_condition_is_400_naming_it_by_position(api_as, make_use_case, boundary, cio):
    use_case = make_use_case(submit=True)
    body = {
        "decision": "approve_with_conditions",
        "rationale": "Two conditions.",
        "conditions": [{"text": "Publish a notice"}, {"owner": "Web team"}],
        **seen(use_case),
    }
    response = api_as(cio).post(decisions_url(use_case.reference), body, format="json")
    assert response.status_code == 400 and response.json()["errors"] == {
        "conditions.1.text": ["This field is required."]
    }
