"""The AI inventory: providers and models kept by the CIO and the CISO, providers proposed from submitted requests, and
a change of a provider's terms shown against the active risk boundary before it is saved, then sending the live use
cases it would put outside the boundary to re-review."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from config.errors import DomainError, InvalidTransition, NotAllowed
from intake.workflow import Status
from oversight import events, inventory
from oversight.models import AiProvider, ProviderTerm
from riskboundaries import services as boundary_services
from tests.answer_sets import CHATBOT
from tests.riskboundaries.conftest import PERMISSIVE, approve, signed_by_both

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 2)


@pytest.fixture
def boundary(cio, ciso):
    """The active boundary allows Azure OpenAI only with a signed data processing agreement."""
    limits = {
        **PERMISSIVE,
        "allowed_providers": [{"name": "Azure OpenAI", "regions": ["eu"], "required_terms": ["dpa_signed"]}],
    }
    return signed_by_both(boundary_services.boundary_create(actor=cio, limits=limits), cio, ciso)


@pytest.fixture
def azure(cio):
    return inventory.provider_list(actor=cio, name="Azure OpenAI", hosting_regions=["eu"])


def terms(**holds: bool) -> dict:
    return {
        term: {"holds": value, "checked_on": timezone.localdate(), "document": "MSA §7"}
        for term, value in holds.items()
    }


def test_the_executives_list_providers_once_whatever_the_case_and_others_may_not(cio, requester, azure):
    assert AuditEvent.objects.filter(action=events.PROVIDER_LISTED).count() == 1
    with pytest.raises(InvalidTransition):
        inventory.provider_list(actor=cio, name="azure openai")
    with pytest.raises(NotAllowed):
        inventory.provider_list(actor=requester, name="Mistral AI")
    with pytest.raises(DomainError) as refused:
        inventory.provider_list(actor=cio, name=" ", hosting_regions=["mars"])
    assert {"name", "hosting_regions"} <= set(refused.value.errors)
    model = inventory.model_list(
        actor=cio, provider=azure, name="gpt-4.1", version="2025-04", hosting_region="eu"
    )
    with pytest.raises(InvalidTransition):
        inventory.model_list(actor=cio, provider=azure, name="GPT-4.1", version="2025-04")
    assert str(model) == "gpt-4.1 2025-04"


def test_a_request_submitted_naming_an_unknown_provider_proposes_it_once(
    make_use_case, requester, cio, azure
):
    make_use_case(answers={**CHATBOT, "provider": "Mistral AI"}, submit=True)
    make_use_case(title="Another", answers={**CHATBOT, "provider": "mistral ai"}, submit=True)
    make_use_case(title="Known", answers=CHATBOT, submit=True)  # Azure OpenAI: already listed
    proposed = AiProvider.objects.get(status=AiProvider.Status.PROPOSED)
    assert (proposed.name, proposed.proposed_by) == ("Mistral AI", requester)
    assert AiProvider.objects.count() == 2
    # Listing it completes the proposal rather than adding a second one.
    assert inventory.provider_list(actor=cio, name="Mistral AI").pk == proposed.pk
    assert AiProvider.objects.get(pk=proposed.pk).status == AiProvider.Status.LISTED


def test_losing_a_term_the_boundary_requires_shows_who_would_breach_then_sends_them_to_re_review(
    make_use_case, boundary, azure, cio
):
    live = approve(make_use_case(answers=CHATBOT, submit=True))
    other = approve(
        make_use_case(title="Other provider", answers={**CHATBOT, "provider": "Anthropic"}, submit=True)
    )
    inventory.provider_terms_set(actor=cio, provider=azure, terms=terms(dpa_signed=True, zero_retention=True))

    impact, saved = inventory.provider_terms_set(actor=cio, provider=azure, terms=terms(dpa_signed=False))
    assert not saved and [u.pk for u, _ in impact] == [live.pk]
    assert "dpa" in " ".join(b.reason for b in impact[0][1].breaches).lower() or impact[0][1].breaches
    assert ProviderTerm.objects.get(provider=azure, term="dpa_signed").holds is True  # nothing saved yet
    live.refresh_from_db()
    assert live.status == Status.APPROVED

    impact, saved = inventory.provider_terms_set(
        actor=cio, provider=azure, terms=terms(dpa_signed=False), confirm=True
    )
    assert saved and [u.pk for u, _ in impact] == [live.pk]
    live.refresh_from_db()
    other.refresh_from_db()
    assert live.status == Status.RE_REVIEW_DUE and "Azure OpenAI's terms changed" in live.status_reason
    assert "A data processing agreement is signed" in live.status_reason
    assert other.status == Status.APPROVED
    event = AuditEvent.objects.filter(action=events.PROVIDER_TERMS_CHANGED).order_by("-id").first()
    assert event.payload["changed"] == {"dpa_signed": "does not commit"} and event.payload["re_review"] == [
        live.reference
    ]


def test_terms_that_keep_everyone_inside_the_boundary_save_at_once(make_use_case, boundary, azure, cio):
    approve(make_use_case(answers=CHATBOT, submit=True))
    impact, saved = inventory.provider_terms_set(
        actor=cio, provider=azure, terms=terms(no_training_on_data=True)
    )
    assert saved and impact == []
    row = ProviderTerm.objects.get(provider=azure, term="no_training_on_data")
    assert (row.holds, row.checked_by, row.document) == (True, cio, "MSA §7")


def test_bad_terms_name_the_term_and_save_nothing(azure, cio, requester):
    bad = {
        "dpa_signed": {"holds": "maybe", "checked_on": timezone.localdate()},
        "zero_retention": {"holds": True, "checked_on": timezone.localdate() + timedelta(days=3)},
        "free_lunch": {"holds": True, "checked_on": timezone.localdate()},
    }
    with pytest.raises(DomainError) as refused:
        inventory.provider_terms_set(actor=cio, provider=azure, terms=bad)
    assert {"dpa_signed", "zero_retention", "terms"} <= set(refused.value.errors)
    with pytest.raises(NotAllowed):
        inventory.provider_terms_set(actor=requester, provider=azure, terms=terms(dpa_signed=True))
    assert not ProviderTerm.objects.exists()


def test_the_provider_page_lists_its_live_use_cases_as_far_as_the_person_may_see(
    make_use_case, azure, cio, requester, other_team_requester, as_user
):
    mine = approve(make_use_case(answers=CHATBOT, submit=True))
    theirs = approve(
        make_use_case(actor=other_team_requester, title="HR helper", answers=CHATBOT, submit=True)
    )
    page = as_user(requester).get(f"/oversight/inventory/providers/{azure.pk}/").content.decode()
    assert mine.reference in page and theirs.reference not in page
    page = as_user(cio).get(f"/oversight/inventory/providers/{azure.pk}/").content.decode()
    assert mine.reference in page and theirs.reference in page and "owner" in page
    # A model's own list: the use cases that name it (CHATBOT names "gpt-4.1"), with their tier and owner.
    model = inventory.model_list(actor=cio, provider=azure, name="gpt-4.1")
    other = inventory.model_list(actor=cio, provider=azure, name="o3")
    assert [u.pk for u in inventory.live_use_cases_of_model(model, requester)] == [mine.pk]
    assert list(inventory.live_use_cases_of_model(other, cio)) == []
    page = as_user(cio).get(f"/oversight/inventory/providers/{azure.pk}/").content.decode()
    listed = page[page.index(f'id="model-{model.pk}"') : page.index(f'id="model-{other.pk}"')]
    assert mine.reference in listed and ("Limited risk" in listed or "Minimal risk" in listed)
    assert f"owner {requester}" in listed or "owner " in listed


def test_the_terms_form_shows_the_what_if_then_saves_on_confirmation(
    make_use_case, boundary, azure, cio, as_user
):
    live = approve(make_use_case(answers=CHATBOT, submit=True))
    client = as_user(cio)
    today = timezone.localdate().isoformat()
    form = {
        "dpa_signed-holds": "no",
        "dpa_signed-checked_on": today,
        "dpa_signed-document": "Letter of 1 Nov",
    }
    preview = client.post(f"/oversight/inventory/providers/{azure.pk}/", form)
    html = preview.content.decode()
    assert (
        "would exceed the risk boundary" in html
        and live.reference in html
        and "Save and send 1 to re-review" in html
    )
    assert not ProviderTerm.objects.exists()
    previewed = re.search(r'name="previewed" value="([0-9a-f]{64})"', html).group(1)
    # Confirming other terms than those previewed shows their what-if instead of saving them.
    other = {**form, "dpa_signed-document": "Another letter", "confirm": "yes", "previewed": previewed}
    again = client.post(f"/oversight/inventory/providers/{azure.pk}/", other)
    assert "would exceed the risk boundary" in again.content.decode() and not ProviderTerm.objects.exists()
    saved = client.post(
        f"/oversight/inventory/providers/{azure.pk}/",
        {**form, "confirm": "yes", "previewed": previewed},
        follow=True,
    )
    assert f"terms are recorded. Sent to re-review: {live.reference}." in saved.content.decode()
    live.refresh_from_db()
    assert live.status == Status.RE_REVIEW_DUE


def test_the_intake_form_offers_the_inventory(azure, cio, requester, as_user):
    inventory.model_list(actor=cio, provider=azure, name="gpt-4.1", version="2025-04")
    html = as_user(requester).get("/requests/new/").content.decode()
    assert 'list="provider-suggestions"' in html and '<option value="Azure OpenAI">' in html
    assert '<option value="gpt-4.1 2025-04">' in html


def test_the_api_lists_providers_and_runs_the_what_if(make_use_case, boundary, azure, cio, requester, api_as):
    live = approve(make_use_case(answers=CHATBOT, submit=True))
    listed = api_as(requester).get("/api/v1/inventory/providers/").json()
    assert [p["name"] for p in listed] == ["Azure OpenAI"]
    detail = api_as(requester).get(f"/api/v1/inventory/providers/{azure.pk}/").json()
    assert [u["ref"] for u in detail["use_cases"]] == [live.reference]
    url = f"/api/v1/inventory/providers/{azure.pk}/terms/"
    body = {"terms": {"dpa_signed": {"holds": False, "checked_on": timezone.localdate().isoformat()}}}
    assert api_as(requester).post(url, body, format="json").status_code == 403
    dry = api_as(cio).post(url, body, format="json").json()
    assert dry["saved"] is False and [i["ref"] for i in dry["impact"]] == [live.reference]
    done = api_as(cio).post(url, {**body, "confirm": True}, format="json").json()
    assert done["saved"] is True
    bad = api_as(cio).post(
        url, {"terms": {"dpa_signed": {"holds": True, "checked_on": "soon"}}}, format="json"
    )
    assert bad.status_code == 400
    created = api_as(cio).post(
        f"/api/v1/inventory/providers/{azure.pk}/models/", {"name": "o3"}, format="json"
    )
    assert created.status_code == 201


def test_a_use_cases_provider_commits_to_what_the_inventory_records_and_otherwise_to_what_it_answered():
    assert inventory.effective_terms({}, ["dpa_signed"]) == ["dpa_signed"]
    assert inventory.effective_terms({"dpa_signed": False}, ["dpa_signed", "zero_retention"]) == [
        "zero_retention"
    ]
    assert inventory.effective_terms({"eu_data_residency": True}, None) == ["eu_data_residency"]
    assert inventory.effective_terms({"dpa_signed": True}, ["bogus", 3]) == ["bogus", "dpa_signed"]
