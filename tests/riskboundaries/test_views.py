"""The risk-boundary pages through the Django test client: who sees what, the editor, voiding, signing, what-if, compare."""

import re
from html import unescape

import pytest

from accounts.roles import Role
from intake.workflow import Status
from riskboundaries import services
from riskboundaries.limits import clean_limits, limits_to_content
from riskboundaries.models import BoundarySignature, RiskBoundary
from riskboundaries.workflow import BoundaryState
from tests.answer_sets import CHATBOT
from tests.factories import UserFactory
from tests.riskboundaries.conftest import PERMISSIVE, STRICT, approve, run_re_review_passes, signed_by_both

pytestmark = pytest.mark.django_db

ACTIVE, HISTORY, NEW = "/risk-boundaries/", "/risk-boundaries/history/", "/risk-boundaries/new/"


def detail_url(boundary) -> str:
    return f"/risk-boundaries/{boundary.version}/"


def edit_url(boundary) -> str:
    return f"/risk-boundaries/{boundary.version}/edit/"


def sign_url(boundary) -> str:
    return f"/risk-boundaries/{boundary.version}/sign/"


def text(response) -> str:
    """The page as a person reads it: tags removed, entities decoded, white space collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def form_data(limits=PERMISSIVE, *, note="Tighter autonomy after the agent pilot", providers=(), **overrides):
    """What the editor sends for these limits: selects as text, checkbox groups as lists, provider rows."""
    content = limits_to_content(clean_limits(limits))
    data = {
        "change_note": note,
        "max_data_classification_internal": content["max_data_classification_internal"],
        "max_data_classification_external": content["max_data_classification_external"],
        "allowed_sourcing": content["allowed_sourcing"],
        "max_autonomy": str(content["max_autonomy"]),
        "forbidden_tool_permissions": content["forbidden_tool_permissions"],
        "forbidden_domains": content["forbidden_domains"],
        "max_eu_tier": content["max_eu_tier"],
        "max_inherent_score": str(content["max_inherent_score"]),
        "exception_max_days": str(content["exception_max_days"]),
        "review_by": content["review_by"] or "",
        "providers-TOTAL_FORMS": str(len(providers) + 3),
        "providers-INITIAL_FORMS": "0",
        "providers-MIN_NUM_FORMS": "0",
        "providers-MAX_NUM_FORMS": "1000",
    }
    for tier, ids in content["required_controls"].items():
        data[f"required_controls_{tier}"] = ids
    for i, provider in enumerate(providers):
        data[f"providers-{i}-name"] = provider["name"]
        data[f"providers-{i}-regions"] = provider.get("regions", [])
        data[f"providers-{i}-required_terms"] = provider.get("required_terms", [])
    data.update(overrides)
    return data


@pytest.fixture
def draft(cio, active_boundary):
    return services.boundary_create(actor=cio, limits=STRICT, change_note="Stricter autonomy and score")


@pytest.fixture
def breaching(make_use_case):
    """An approved use case that works at autonomy 3: within PERMISSIVE, beyond STRICT."""
    return approve(make_use_case(title="Refund agent", answers={**CHATBOT, "autonomy": 3}, submit=True))


# --- the active boundary -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["requester", "secretary", "cio"])
def test_every_signed_in_person_reads_the_active_boundary(request, as_user, active_boundary, who):
    response = as_user(request.getfixturevalue(who)).get(ACTIVE)

    page = text(response)
    assert response.status_code == 200
    assert "Risk boundary v1" in page and "Active" in page
    assert "What is allowed" in page and "What needs an exception" in page and "What is never allowed" in page
    assert "Up to and including Confidential" in page  # external users
    assert "Up to 4 — Autonomous" in page
    assert "at most 180 days" in page
    assert "Manipulates people without their awareness" in page  # a prohibited practice
    assert active_boundary.content_hash in page
    assert "Signed as CIO" in page and "Signed as CISO" in page
    assert page.count("Matches the content hash") == 2


def test_the_active_page_needs_sign_in(client, active_boundary):
    response = client.get(ACTIVE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_navigation_links_to_the_active_boundary_for_everyone(as_user, secretary):
    assert 'href="/risk-boundaries/"' in as_user(secretary).get("/").content.decode()


def test_the_active_page_lists_required_controls_by_name_and_forbidden_items(as_user, cio, ciso, requester):
    limits = {
        **PERMISSIVE,
        "required_controls": {"high": ["C-06", "C-15"]},
        "forbidden_tool_permissions": ["financial_transactions"],
        "forbidden_domains": ["credit_scoring"],
        "allowed_providers": [{"name": "Azure OpenAI", "regions": ["eu"], "required_terms": ["dpa_signed"]}],
    }
    boundary = services.boundary_create(actor=cio, limits=limits, change_note="With controls")
    signed_by_both(boundary, cio, ciso)

    page = text(as_user(requester).get(ACTIVE))

    assert "C-06 Red-team before launch" in page
    assert "C-15 Named people assigned to human oversight" in page
    assert "Move money" in page and "Creditworthiness or credit scores" in page
    assert "Azure OpenAI European Union A data processing agreement is signed" in page


def test_without_an_active_boundary_the_page_says_so_and_offers_managers_a_draft(as_user, requester, cio):
    page = text(as_user(requester).get(ACTIVE))
    assert "No risk boundary is active yet" in page and "Draft the risk boundary" not in page

    response = as_user(cio).get(ACTIVE)
    assert "No risk boundary is active yet" in text(response)
    assert f'href="{NEW}"' in response.content.decode()


def test_managers_see_the_versions_not_yet_in_force_on_the_active_page(as_user, cio, requester, draft):
    assert "Not yet in force" in text(as_user(cio).get(ACTIVE))
    assert "Not yet in force" not in text(as_user(requester).get(ACTIVE))


def test_html_in_the_change_note_shows_as_text(as_user, cio, requester, active_boundary):
    note = "<script>alert('x')</script><b>bold</b>"
    draft = services.boundary_create(actor=cio, limits=STRICT, change_note=note)

    html = as_user(cio).get(detail_url(draft)).content.decode()

    assert "<script>alert" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in html


# --- history and comparison --------------------------------------------------------------------------------------


def test_history_hides_drafts_from_people_outside_the_two_roles(as_user, requester, cio, draft):
    page = text(as_user(requester).get(HISTORY))
    assert "v1" in page and "v2" not in page

    page = text(as_user(cio).get(HISTORY))
    assert "v2" in page and "Draft" in page


def test_drafts_are_not_found_for_people_outside_the_two_roles(as_user, requester, secretary, draft):
    for person in (requester, secretary):
        client = as_user(person)
        assert client.get(detail_url(draft)).status_code == 404
        assert client.get(f"/risk-boundaries/compare/?from=1&to={draft.version}").status_code == 404


def test_history_query_count_is_bounded(as_user, cio, ciso, django_assert_max_num_queries):
    for autonomy in range(5):
        boundary = services.boundary_create(actor=cio, limits={**PERMISSIVE, "max_autonomy": autonomy})
        signed_by_both(boundary, cio, ciso)
    client = as_user(cio)
    with django_assert_max_num_queries(6):
        response = client.get(HISTORY)
    assert response.status_code == 200
    assert text(response).count("Superseded") >= 4


def test_draft_page_query_count_does_not_grow_with_the_use_cases(
    as_user, cio, draft, make_use_case, django_assert_max_num_queries
):
    for n in range(4):
        approve(make_use_case(title=f"Agent {n}", answers={**CHATBOT, "autonomy": 3}, submit=True))
    client = as_user(cio)
    with django_assert_max_num_queries(10):
        response = client.get(detail_url(draft))
    assert text(response).count("Bounded autonomy") == 4


def test_compare_shows_the_differences_with_labels(as_user, cio, requester, ciso, active_boundary):
    newer = services.boundary_create(
        actor=cio,
        limits={
            **STRICT,
            "forbidden_tool_permissions": ["financial_transactions"],
            "required_controls": {"high": ["C-06"]},
            "allowed_providers": [{"name": "Azure OpenAI", "regions": ["eu"]}],
        },
    )
    signed_by_both(newer, cio, ciso)

    response = as_user(requester).get("/risk-boundaries/compare/?from=1&to=2")

    page = text(response)
    assert response.status_code == 200
    assert "Highest autonomy 4 — Autonomous: acts alone → changed to 1 — Suggests" in page
    assert "Highest inherent risk score 25 out of 25 → changed to 6 out of 25" in page
    assert "Tools may never Added Move money" in page
    assert "Required controls Added High risk: C-06 Red-team before launch" in page
    assert "Allowed providers Added Azure OpenAI — runs in: European Union" in page
    assert "max_autonomy" not in page  # labels, not names


def test_compare_lists_removed_items(as_user, cio, ciso):
    first = services.boundary_create(
        actor=cio, limits={**PERMISSIVE, "forbidden_domains": ["credit_scoring"]}
    )
    second = services.boundary_create(actor=cio, limits=PERMISSIVE)

    page = text(as_user(cio).get(f"/risk-boundaries/compare/?from={first.version}&to={second.version}"))

    assert "AI may never help decide Removed Creditworthiness or credit scores" in page


def test_compare_without_versions_offers_the_choice_and_refuses_nonsense(as_user, cio, draft):
    client = as_user(cio)
    assert client.get("/risk-boundaries/compare/").status_code == 200
    response = client.get("/risk-boundaries/compare/?from=abc&to=1")
    assert response.status_code == 400 and "Choose two versions" in text(response)
    assert client.get("/risk-boundaries/compare/?from=1&to=1").status_code == 400
    assert client.get("/risk-boundaries/compare/?from=1&to=99").status_code == 404


# --- the editor --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["requester", "secretary", "admin_user"])
def test_the_editor_and_signing_are_forbidden_outside_the_two_roles(request, as_user, draft, who):
    client = as_user(request.getfixturevalue(who))
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, form_data()).status_code == 403
    assert client.get(edit_url(draft)).status_code == 403
    assert client.post(edit_url(draft), form_data(STRICT)).status_code == 403
    assert client.get(sign_url(draft)).status_code == 403
    assert client.post(sign_url(draft), {"confirm": "on", "seen_hash": draft.content_hash}).status_code == 403
    assert RiskBoundary.objects.count() == 2 and not draft.signatures.exists()


def test_a_new_draft_is_filled_in_from_the_active_boundary(as_user, ciso, active_boundary):
    html = as_user(ciso).get(NEW).content.decode()
    assert re.search(r'<option value="4" selected>4 — Autonomous', html)
    assert 'name="max_inherent_score" value="25"' in html
    assert 'name="review_by" value="2027-06-30"' in html
    assert html.count('name="providers-') >= 3 * 1 + 4  # three empty rows and the management form


def test_saving_a_new_draft_goes_to_its_page(as_user, cio, active_boundary):
    response = as_user(cio).post(NEW, form_data(STRICT), follow=True)

    boundary = RiskBoundary.objects.get(version=2)
    assert response.redirect_chain[-1][0] == detail_url(boundary)
    assert boundary.state == BoundaryState.DRAFT and boundary.content["max_autonomy"] == 1
    assert boundary.change_note == "Tighter autonomy after the agent pilot"
    assert "Draft v2 saved" in text(response)


def test_provider_rows_become_allowed_providers(as_user, cio):
    providers = [
        {"name": "Azure OpenAI", "regions": ["eu"], "required_terms": ["dpa_signed", "zero_retention"]},
        {"name": "Mistral"},
    ]
    as_user(cio).post(NEW, form_data(providers=providers))

    content = RiskBoundary.objects.get().content
    assert content["allowed_providers"] == [
        {"name": "Azure OpenAI", "regions": ["eu"], "required_terms": ["zero_retention", "dpa_signed"]},
        {"name": "Mistral", "regions": [], "required_terms": []},
    ]


def test_the_editor_names_the_field_and_keeps_what_was_typed(as_user, cio, active_boundary):
    data = form_data(
        max_inherent_score="30",
        note="Keep this note",
        providers=[{"name": "Acme AI", "regions": ["uk"]}],
    )

    response = as_user(cio).post(NEW, data)

    html = response.content.decode()
    assert response.status_code == 400
    assert RiskBoundary.objects.count() == 1
    assert (
        '<a href="#q-max_inherent_score">Highest inherent risk score: Must be between 1 and 25.</a>' in html
    )
    assert 'id="id_max_inherent_score_error">Must be between 1 and 25.' in html
    assert 'value="30"' in html and "Keep this note" in html and 'value="Acme AI"' in html
    assert re.search(r'name="providers-0-regions" value="uk"[^>]*checked', html)


def test_a_provider_row_without_a_name_is_named_in_the_errors(as_user, cio):
    data = form_data(**{"providers-1-regions": ["eu"]})

    response = as_user(cio).post(NEW, data)

    assert response.status_code == 400
    assert "Provider 2: Give this provider a name" in text(response)
    assert RiskBoundary.objects.count() == 0


def test_every_problem_is_named_at_once(as_user, cio):
    data = form_data(note="", exception_max_days="0", review_by="someday", **{"providers-0-regions": ["eu"]})

    page = text(as_user(cio).post(NEW, data))

    assert "What changes and why: Say what this version changes and why." in page
    assert "Provider 1: Give this provider a name" in page
    assert "Longest exception, in days: Must be between 1 and 730." in page
    assert "Review by: Expected a date (YYYY-MM-DD)." in page


def test_a_missing_change_note_is_named(as_user, cio):
    response = as_user(cio).post(NEW, form_data(note=""))
    assert response.status_code == 400
    assert "What changes and why: Say what this version changes and why." in text(response)


def test_a_tampered_form_is_refused_without_an_error_page(as_user, cio):
    data = form_data(max_autonomy="9", allowed_sourcing=["from_a_friend"])
    del data["providers-TOTAL_FORMS"]

    response = as_user(cio).post(NEW, data)

    assert response.status_code == 400
    assert RiskBoundary.objects.count() == 0


def test_editing_after_a_signature_voids_it_and_says_which(as_user, cio, draft):
    services.boundary_sign(actor=cio, boundary=draft, role="cio", seen_hash=draft.content_hash)
    client = as_user(cio)
    assert "Changing any limit voids it, and the version needs both signatures again" in text(
        client.get(edit_url(draft))
    )

    response = client.post(edit_url(draft), form_data({**STRICT, "max_autonomy": 0}), follow=True)

    page = text(response)
    assert response.redirect_chain[-1][0] == detail_url(draft)
    assert f"1 signature on the old content is now void: CIO — {cio}" in page
    signature = BoundarySignature.objects.get(boundary=draft)
    assert signature.voided_at is not None
    assert "Void since" in page and "The limits changed after this signature." in page
    draft.refresh_from_db()
    assert draft.state == BoundaryState.DRAFT and draft.content["max_autonomy"] == 0


def test_saving_the_same_limits_keeps_the_signatures(as_user, cio, draft):
    services.boundary_sign(actor=cio, boundary=draft, role="cio", seen_hash=draft.content_hash)

    response = as_user(cio).post(edit_url(draft), form_data(STRICT, note=draft.change_note), follow=True)

    assert "The limits did not change, so no signature was affected" in text(response)
    assert BoundarySignature.objects.get(boundary=draft).voided_at is None


def test_a_signed_change_note_cannot_change_alone(as_user, cio, draft):
    services.boundary_sign(actor=cio, boundary=draft, role="cio", seen_hash=draft.content_hash)

    response = as_user(cio).post(edit_url(draft), form_data(STRICT, note="A different note"))

    assert response.status_code == 409
    assert "The change note cannot change once someone has signed" in text(response)
    assert 'id="id_change_note_error">Already signed.' in response.content.decode()
    assert "A different note" in text(response)  # what was typed is kept
    draft.refresh_from_db()
    assert draft.change_note == "Stricter autonomy and score"
    assert BoundarySignature.objects.get(boundary=draft).voided_at is None


def test_the_active_boundary_cannot_be_edited(as_user, cio, active_boundary):
    client = as_user(cio)
    response = client.get(edit_url(active_boundary), follow=True)
    assert "cannot be edited" in text(response)

    response = client.post(edit_url(active_boundary), form_data(STRICT))
    assert response.status_code == 409
    assert "Cannot edit a risk boundary that is active" in text(response)
    active_boundary.refresh_from_db()
    assert active_boundary.content["max_autonomy"] == 4


def test_the_editor_previews_the_use_cases_its_limits_would_breach(as_user, cio, active_boundary, breaching):
    client = as_user(cio)
    assert "No approved or submitted use case would breach these limits." in text(client.get(NEW))

    response = client.post("/risk-boundaries/impact-preview/", form_data(STRICT))

    page = text(response)
    assert response.status_code == 200 and "<nav" not in response.content.decode()
    assert f"{breaching.reference} (opens in a new tab)" in page and "Refund agent" in page
    assert "Highest autonomy limit 1 — Suggests , actual 3 — Bounded autonomy" in page
    assert RiskBoundary.objects.count() == 1


def test_the_preview_waits_for_valid_limits_and_is_for_managers_only(as_user, cio, requester):
    response = as_user(cio).post("/risk-boundaries/impact-preview/", form_data(max_autonomy="7"))
    assert "Correct the marked limits" in text(response)

    assert as_user(requester).post("/risk-boundaries/impact-preview/", form_data()).status_code == 403


# --- the draft page and its what-if ------------------------------------------------------------------------------


def test_the_draft_page_lists_the_use_cases_that_would_breach_it(as_user, ciso, draft, breaching):
    response = as_user(ciso).get(detail_url(draft))

    page = text(response)
    assert response.status_code == 200
    assert "Use cases that would breach it" in page
    assert f'href="/requests/{breaching.reference}/"' in response.content.decode()
    assert "Refund agent" in page and "Customer Service" in page and "Approved" in page
    assert "Highest autonomy limit 1 — Suggests , actual 3 — Bounded autonomy" in page
    assert "Changes from the active boundary v1" in page


def test_the_draft_page_says_when_nothing_breaches(as_user, cio, draft):
    assert "No approved or submitted use case would breach it." in text(as_user(cio).get(detail_url(draft)))


# --- signing -----------------------------------------------------------------------------------------------------


def test_the_sign_page_shows_what_is_signed(as_user, cio, draft, breaching):
    response = as_user(cio).get(sign_url(draft))

    html, page = response.content.decode(), text(response)
    assert response.status_code == 200
    assert draft.content_hash in page and "Up to 1 — Suggests" in page
    assert "I have reviewed these limits and sign them as CIO" in page
    assert f'name="seen_hash" value="{draft.content_hash}"' in html
    assert 'name="role"' not in html  # one role held: nothing to choose
    assert "1 use case would breach this boundary" in page


def test_signing_requires_the_confirmation(as_user, cio, draft):
    response = as_user(cio).post(sign_url(draft), {"seen_hash": draft.content_hash})

    assert response.status_code == 400
    assert "Tick the box to confirm you have reviewed these limits." in text(response)
    assert not draft.signatures.exists()


def test_a_stale_hash_is_refused_with_a_conflict(as_user, cio, draft):
    response = as_user(cio).post(sign_url(draft), {"confirm": "on", "seen_hash": "0" * 64})

    assert response.status_code == 409
    assert "The limits changed since you opened them" in text(response)
    assert f'name="seen_hash" value="{draft.content_hash}"' in response.content.decode()
    assert not draft.signatures.exists()


def test_content_changed_after_the_page_was_opened_is_refused(as_user, cio, ciso, draft):
    seen = draft.content_hash
    services.boundary_update(actor=ciso, boundary=draft, limits={**STRICT, "max_autonomy": 0})

    response = as_user(cio).post(sign_url(draft), {"confirm": "on", "seen_hash": seen})

    assert response.status_code == 409
    assert not draft.signatures.exists()


def test_the_first_signature_waits_for_the_second(as_user, cio, draft):
    response = as_user(cio).post(
        sign_url(draft), {"confirm": "on", "seen_hash": draft.content_hash}, follow=True
    )

    page = text(response)
    assert response.redirect_chain[-1][0] == detail_url(draft)
    assert "You signed v2 as CIO. It becomes active when the CISO signs too." in page
    assert "Waiting for the CISO to sign" in page
    draft.refresh_from_db()
    assert draft.state == BoundaryState.AWAITING_SIGNATURES


def test_the_second_signature_activates_it_and_the_page_says_so(as_user, cio, ciso, draft, breaching):
    services.boundary_sign(actor=cio, boundary=draft, role="cio", seen_hash=draft.content_hash)
    client = as_user(ciso)
    assert "Your signature completes this boundary" in text(client.get(sign_url(draft)))

    response = client.post(sign_url(draft), {"confirm": "on", "seen_hash": draft.content_hash}, follow=True)

    page = text(response)
    assert response.redirect_chain[-1][0] == ACTIVE
    assert "With both signatures it is now the active risk boundary." in page
    assert "Each approved use case is now being checked against it" in page
    assert "Risk boundary v2" in page and page.count("Matches the content hash") == 2
    assert (
        "Waiting for the worker to start checking" in page
    )  # the pass runs in the worker, not in this request
    breaching.refresh_from_db()
    assert breaching.status == Status.APPROVED

    run_re_review_passes()
    breaching.refresh_from_db()
    assert breaching.status == Status.RE_REVIEW_DUE
    progress = text(client.get(f"{detail_url(draft)}re-review/"))
    assert "All 1 approved use case checked" in progress and "1 breaches it and went to re-review" in progress


def test_one_person_cannot_sign_twice(as_user, cio, draft):
    services.boundary_sign(actor=cio, boundary=draft, role="cio", seen_hash=draft.content_hash)
    client = as_user(cio)

    assert "You signed v2 as CIO" in text(client.get(sign_url(draft)))
    response = client.post(sign_url(draft), {"confirm": "on", "seen_hash": draft.content_hash})
    assert response.status_code == 409
    assert draft.signatures.count() == 1


def test_someone_holding_both_roles_chooses_the_role(as_user, draft):
    both = UserFactory(username="both_roles", roles=[Role.CIO, Role.CISO])
    client = as_user(both)
    html = client.get(sign_url(draft)).content.decode()
    assert 'name="role" value="cio"' in html and 'name="role" value="ciso"' in html
    assert "sign them in the role chosen above" in html

    response = client.post(sign_url(draft), {"confirm": "on", "seen_hash": draft.content_hash})
    assert response.status_code == 400 and "Choose the role you sign in." in text(response)

    client.post(sign_url(draft), {"confirm": "on", "role": "ciso", "seen_hash": draft.content_hash})
    assert draft.signatures.get().role == "ciso"


def test_an_active_boundary_has_nothing_to_sign(as_user, cio, active_boundary):
    client = as_user(cio)
    assert "there is nothing to sign" in text(client.get(sign_url(active_boundary), follow=True))
    response = client.post(
        sign_url(active_boundary), {"confirm": "on", "seen_hash": active_boundary.content_hash}
    )
    assert response.status_code == 409


def test_signing_can_require_reauthentication(as_user, cio, draft, settings):
    settings.BOUNDARY_SIGNING_REQUIRES_REAUTH = True
    client = as_user(cio)
    assert client.get(sign_url(draft)).status_code == 200

    response = client.post(sign_url(draft), {"confirm": "on", "seen_hash": draft.content_hash})

    assert response.status_code == 302 and "/accounts/reauthenticate/" in response["Location"]
    assert not draft.signatures.exists()


def test_after_reauthentication_the_signature_goes_through(as_user, cio, draft, settings, password):
    settings.BOUNDARY_SIGNING_REQUIRES_REAUTH = True
    client = as_user(cio)
    asked = client.post(sign_url(draft), {"confirm": "on", "seen_hash": draft.content_hash})

    response = client.post(asked["Location"], {"password": password}, follow=True)

    assert "You signed v2 as CIO" in text(response)
    assert draft.signatures.get().role == "cio"


def test_reauthentication_is_never_asked_of_people_who_cannot_sign(as_user, requester, draft, settings):
    settings.BOUNDARY_SIGNING_REQUIRES_REAUTH = True
    response = as_user(requester).post(sign_url(draft), {"confirm": "on", "seen_hash": draft.content_hash})
    assert response.status_code == 403


def test_without_the_setting_no_reauthentication_is_asked(as_user, cio, draft):
    response = as_user(cio).post(sign_url(draft), {"confirm": "on", "seen_hash": draft.content_hash})
    assert response.status_code == 302 and response["Location"] == detail_url(draft)
    assert draft.signatures.count() == 1


def test_an_older_draft_cannot_be_signed_once_a_newer_version_is_in_force(
    as_user, cio, ciso, active_boundary
):
    older = services.boundary_create(actor=cio, limits=STRICT, change_note="Older draft")
    newer = services.boundary_create(actor=cio, limits={**STRICT, "max_autonomy": 2}, change_note="Newer")
    signed_by_both(newer, cio, ciso)
    client = as_user(ciso)

    assert "this older draft cannot replace it" in text(client.get(sign_url(older)))
    response = client.post(sign_url(older), {"confirm": "on", "seen_hash": older.content_hash})
    assert response.status_code == 409
    assert not older.signatures.exists()
