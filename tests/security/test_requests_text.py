"""Typed text that ends up in pages, exports and PDFs: invisible direction overrides are refused like the other control
characters, every field has an upper bound, each refusal names the field, and what was saved stays as it was."""

import pytest
from django.test import Client

from approvals.models import SlotDecision
from intake.models import UseCase
from riskboundaries import services as boundary_services
from riskboundaries.models import RiskBoundary
from tests.approvals.reading import seen
from tests.intake.test_views import CHATBOT_POST
from tests.riskboundaries.conftest import PERMISSIVE
from tests.riskboundaries.test_views import form_data

pytestmark = pytest.mark.django_db

RLO = "\u202e"  # right-to-left override: "evil\u202etxt.exe" shows as "evilexe.txt"
LRI = "\u2066"  # left-to-right isolate


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def errors_of(response, status: int = 400) -> dict:
    assert response.status_code == status, response.content[:500]
    return response.json()["errors"]


# ------------------------------------------------------------------------------------------------- use cases


@pytest.mark.parametrize("field", ["title", "summary", "business_owner", "business_value"])
def test_a_direction_override_in_a_descriptive_field_is_400_naming_it(requester, field):
    values = {"title": "Assistant", field: f"Approved{RLO}devorppa ton"}
    response = signed_in(requester).post("/api/v1/use-cases/", values, content_type="application/json")
    assert "control characters" in errors_of(response)[field][0]
    assert not UseCase.objects.exists()


@pytest.mark.parametrize("field", ["provider", "model_name", "human_oversight", "art6_3_justification"])
def test_a_direction_isolate_in_a_text_answer_is_400_naming_it(requester, field):
    response = signed_in(requester).post(
        "/api/v1/use-cases/", {"title": "Assistant", field: f"a{LRI}b"}, content_type="application/json"
    )
    assert list(errors_of(response)) == [field]


def test_a_refused_edit_keeps_what_was_saved(requester, make_use_case):
    use_case = make_use_case()
    before = (use_case.title, use_case.summary, dict(use_case.answers))
    response = signed_in(requester).patch(
        f"/api/v1/use-cases/{use_case.reference}/",
        {"title": "New title", "summary": f"x{RLO}y", "provider": "Other"},
        content_type="application/json",
    )
    assert list(errors_of(response)) == ["summary"]
    use_case.refresh_from_db()
    assert (use_case.title, use_case.summary, use_case.answers) == before


def test_the_implicit_direction_marks_are_kept(requester):
    # Needed to write Arabic or Hebrew next to Latin text; they cannot reorder a run of text.
    title = "מסייע \u200fGPT\u200e · مساعد\u061c"
    response = signed_in(requester).post(
        "/api/v1/use-cases/", {"title": title}, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    assert UseCase.objects.get().title == title


def test_the_request_form_refuses_an_override_next_to_the_field_and_saves_nothing(requester):
    response = signed_in(requester).post(
        "/requests/new/", {**CHATBOT_POST, "business_value": f"Saves{RLO} time"}
    )
    assert response.status_code == 400
    assert "control characters" in response.content.decode()
    assert not UseCase.objects.exists()


def test_the_request_form_caps_the_long_text_fields(requester, make_use_case):
    # The model's TextField max_length is not enforced by full_clean; the service enforces it for every client.
    use_case = make_use_case()
    response = signed_in(requester).post(
        f"/requests/{use_case.reference}/edit/", {**CHATBOT_POST, "summary": "x" * 4001}
    )
    assert response.status_code == 400 and "At most 4,000 characters." in response.content.decode()
    use_case.refresh_from_db()
    assert use_case.summary == "Answers customer questions from our help articles."


def test_a_long_text_answer_is_400_naming_it(requester):
    response = signed_in(requester).post(
        "/api/v1/use-cases/", {"title": "Assistant", "provider": "x" * 121}, content_type="application/json"
    )
    assert list(errors_of(response)) == ["provider"]


# ------------------------------------------------------------------------------------------------- withdrawing


@pytest.mark.parametrize(
    "reason",
    [f"No{RLO}", "x" * 2001, {"a": 1}],
    ids=["with an override", "too long: capped, not cut", "not text"],
)
def test_a_withdraw_reason_that_cannot_be_stored_is_400_and_the_request_stays_open(
    requester, make_use_case, reason
):
    use_case = make_use_case(submit=True)
    response = signed_in(requester).post(
        f"/api/v1/use-cases/{use_case.reference}/withdraw/",
        {"reason": reason},
        content_type="application/json",
    )
    assert list(errors_of(response)) == ["reason"]
    use_case.refresh_from_db()
    assert use_case.status == "submitted"


def test_the_withdraw_page_refuses_an_override_and_the_request_stays_open(requester, make_use_case):
    use_case = make_use_case(submit=True)
    response = signed_in(requester).post(f"/requests/{use_case.reference}/withdraw/", {"reason": f"No{RLO}"})
    assert response.status_code == 400
    use_case.refresh_from_db()
    assert use_case.status == "submitted" and use_case.status_reason == ""


# ------------------------------------------------------------------------------------------------- risk boundaries


def test_a_change_note_with_an_override_is_400_naming_it(cio):
    response = signed_in(cio).post(
        "/api/v1/risk-boundaries/",
        {"change_note": f"Lower autonomy{RLO}", "limits": PERMISSIVE},
        content_type="application/json",
    )
    assert list(errors_of(response)) == ["change_note"]
    assert not RiskBoundary.objects.exists()


def test_a_refused_change_note_keeps_the_saved_one(cio):
    boundary = boundary_services.boundary_create(actor=cio, limits=PERMISSIVE, change_note="First appetite")
    response = signed_in(cio).patch(
        f"/api/v1/risk-boundaries/{boundary.version}/",
        {"change_note": f"Changed{LRI}", "limits": {"max_autonomy": 1}},
        content_type="application/json",
    )
    assert list(errors_of(response)) == ["change_note"]
    boundary.refresh_from_db()
    assert boundary.change_note == "First appetite" and boundary.content["max_autonomy"] == 4


@pytest.mark.parametrize("name", [f"Azure{RLO}IAnepO", "x" * 121])
def test_a_provider_name_with_an_override_or_too_long_is_400_naming_the_limit(cio, name):
    limits = {**PERMISSIVE, "allowed_providers": [{"name": "Mistral"}, {"name": name}]}
    response = signed_in(cio).post(
        "/api/v1/risk-boundaries/", {"change_note": "x", "limits": limits}, content_type="application/json"
    )
    errors = errors_of(response)
    assert list(errors) == ["limits.allowed_providers"] and errors["limits.allowed_providers"][0].startswith(
        "Provider 2:"
    )
    assert not RiskBoundary.objects.exists()


def test_a_saved_provider_name_stays_readable(cio):
    # Rules apply where limits are written; a boundary saved before them is still read and checked against.
    boundary = boundary_services.boundary_create(actor=cio, limits=PERMISSIVE, change_note="x")
    RiskBoundary.objects.filter(pk=boundary.pk).update(
        content={
            **boundary.content,
            "allowed_providers": [{"name": "y" * 200, "regions": [], "required_terms": []}],
        }
    )
    assert signed_in(cio).get(f"/api/v1/risk-boundaries/{boundary.version}/").status_code == 200


def test_the_boundary_editor_refuses_an_override_in_the_note_and_a_provider(cio):
    response = signed_in(cio).post(
        "/risk-boundaries/new/", form_data(note=f"Stricter{RLO}", providers=[{"name": f"Open{LRI}AI"}])
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("control characters") >= 2
    assert not RiskBoundary.objects.exists()


# ------------------------------------------------------------------------------------------------- decisions


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"decision": "reject", "rationale": f"Too risky{RLO}"}, "rationale"),
        (
            {
                "decision": "approve_with_conditions",
                "rationale": "ok",
                "conditions": [{"text": f"Log{LRI} it"}],
            },
            "conditions.0.text",
        ),
        (
            {
                "decision": "approve_with_conditions",
                "rationale": "ok",
                "conditions": [{"text": "Log it", "owner": f"Ann{RLO}"}],
            },
            "conditions.0.owner",
        ),
    ],
)
def test_a_direction_override_in_a_decision_is_400_naming_the_field_and_nothing_is_decided(
    cio, make_use_case, extra, field
):
    use_case = make_use_case(submit=True)
    response = signed_in(cio).post(
        f"/api/v1/use-cases/{use_case.reference}/decisions/",
        {**extra, **seen(use_case)},
        content_type="application/json",
    )
    assert field in errors_of(response)
    assert not SlotDecision.objects.exists()
