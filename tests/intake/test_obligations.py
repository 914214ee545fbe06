"""EU AI Act obligations as a checklist: whose duty, from which key date, what satisfies it, and where it stands;
kept by the owner, the CIO and the CISO, audited, on the page, in the API and in the board pack."""

from datetime import date

import pytest

from audit.models import AuditEvent
from config.errors import DomainError, NotAllowed, NotFound
from intake import selectors, services
from intake.assessment import assess, duties
from intake.assessment.rules import RULES
from intake.models import KeyDate, ObligationState
from tests.answer_sets import CHATBOT, CV_SCREENING

# --- the catalogue (pure) ------------------------------------------------------------------------------------------


def test_every_obligation_and_transparency_duty_of_the_ruleset_has_its_checklist_entry():
    listed = {rule.id for rule in RULES if rule.obligation or rule.transparency}
    assert listed == set(duties.DUTIES)
    for rule_id, duty in duties.DUTIES.items():
        assert duty.role in dict(duties.ROLE_GROUPS), rule_id
        assert duty.applies_from is None or duty.applies_from in duties.KEY_DATE_DEFAULTS, rule_id
        assert duty.satisfied_by.strip().endswith("."), rule_id


def test_a_cv_screener_has_deployer_duties_from_the_general_date_and_literacy_from_2025():
    items = {item["id"]: item for item in duties.items_of(assess(CV_SCREENING).to_dict())}

    assert items["EU-ART26-2-HUMAN-OVERSIGHT"]["role"] == duties.DEPLOYER
    assert items["EU-ART26-2-HUMAN-OVERSIGHT"]["date_key"] == duties.GENERAL
    assert items["EU-ART4-AI-LITERACY"]["date_key"] == duties.PROHIBITIONS
    assert items["EU-ART4-AI-LITERACY"]["role"] == duties.ANY_ROLE
    assert all(item["satisfied_by"] for item in items.values())


def test_an_annex_i_products_high_risk_duties_apply_from_the_annex_i_date():
    device = {**CHATBOT, "decision_domain": "annex_i_safety_component", "output_use": "decision_support"}
    items = {item["id"]: item for item in duties.items_of(assess(device).to_dict())}

    assert items["EU-ART26-2-HUMAN-OVERSIGHT"]["date_key"] == duties.ANNEX_I
    assert items["EU-ART4-AI-LITERACY"]["date_key"] == duties.PROHIBITIONS  # not a high-risk duty
    said = {item["id"]: item for item in duties.items_of(assess(device).to_dict(), annex_i=False)}
    assert said["EU-ART26-2-HUMAN-OVERSIGHT"]["date_key"] == duties.GENERAL


def test_transparency_duties_are_on_the_checklist_too_and_an_unknown_item_is_kept():
    stored = assess(CHATBOT).to_dict()
    stored["eu_ai_act"]["obligations"].append(
        {"id": "OLD-RULE", "text": "An old duty.", "citation": "Art. 99"}
    )

    items = {item["id"]: item for item in duties.items_of(stored)}

    assert "EU-ART50-1-AI-INTERACTION" in items
    assert items["OLD-RULE"]["role"] == duties.ANY_ROLE and items["OLD-RULE"]["date_key"] == duties.GENERAL


# --- the key dates (data) ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_key_dates_are_seeded_with_the_regulations_dates():
    seeded = {kd.key: (kd.applies_on.isoformat(), kd.what) for kd in KeyDate.objects.all()}
    assert seeded == duties.KEY_DATE_DEFAULTS


@pytest.mark.django_db
def test_moving_a_key_date_is_audited_and_moves_the_checklist(make_use_case, requester, admin_user):
    use_case = make_use_case(answers=CV_SCREENING, submit=True)
    general = KeyDate.objects.get(key=duties.GENERAL)

    services.key_date_update(actor=admin_user, key_date=general, applies_on=date(2027, 12, 2))

    event = AuditEvent.objects.filter(action="intake.key_date_changed").latest("sequence")
    assert event.payload == {"key": "general", "from": "2026-08-02", "to": "2027-12-02", "what": general.what}
    items = {
        i["id"]: i
        for g in selectors.obligation_checklist(use_case, today=date(2027, 1, 1))
        for i in g["items"]
    }
    assert items["EU-ART26-2-HUMAN-OVERSIGHT"]["applies_on"] == date(2027, 12, 2)
    assert items["EU-ART26-2-HUMAN-OVERSIGHT"]["in_force"] is False
    assert items["EU-ART4-AI-LITERACY"]["in_force"] is True


# --- keeping it (services on the database) --------------------------------------------------------------------------


@pytest.fixture
def screener(make_use_case):
    return make_use_case(answers=CV_SCREENING, submit=True)


@pytest.mark.django_db
def test_the_owner_marks_an_obligation_met_and_it_is_audited(screener, requester):
    row = services.obligation_set_state(
        actor=requester, use_case=screener, obligation="EU-ART26-9-DPIA", state="met", reason="DPIA-2026-14"
    )

    assert (row.state, row.reason, row.updated_by) == ("met", "DPIA-2026-14", requester)
    event = AuditEvent.objects.filter(action="intake.obligation_state").latest("sequence")
    assert event.object_id == str(screener.pk)
    assert (event.payload["from"], event.payload["to"], event.payload["citation"]) == (
        "open",
        "met",
        "EU AI Act Art. 26(9); GDPR Art. 35",
    )
    groups = selectors.obligation_checklist(screener)
    dpia = next(i for g in groups for i in g["items"] if i["id"] == "EU-ART26-9-DPIA")
    assert dpia["state"] == "met" and dpia["updated_by"] == requester


@pytest.mark.django_db
def test_not_applicable_needs_a_reason_naming_the_field_and_saves_nothing(screener, requester):
    with pytest.raises(DomainError) as refused:
        services.obligation_set_state(
            actor=requester, use_case=screener, obligation="EU-ART26-7-INFORM-WORKERS", state="not_applicable"
        )

    assert set(refused.value.errors) == {"reason"}
    assert not ObligationState.objects.exists()
    assert not AuditEvent.objects.filter(action="intake.obligation_state").exists()


@pytest.mark.django_db
def test_an_unknown_state_is_refused_naming_the_field(screener, requester):
    with pytest.raises(DomainError) as refused:
        services.obligation_set_state(
            actor=requester, use_case=screener, obligation="EU-ART26-9-DPIA", state="done"
        )
    assert set(refused.value.errors) == {"state"}


@pytest.mark.django_db
def test_an_obligation_the_use_case_does_not_have_is_not_found(screener, requester):
    with pytest.raises(NotFound):
        services.obligation_set_state(
            actor=requester, use_case=screener, obligation="EU-ART43-CONFORMITY", state="met"
        )


@pytest.mark.django_db
def test_the_cio_may_keep_it_a_teammate_may_not(screener, cio, teammate):
    services.obligation_set_state(actor=cio, use_case=screener, obligation="EU-ART26-6-LOGS", state="in_hand")
    with pytest.raises(NotAllowed):
        services.obligation_set_state(
            actor=teammate, use_case=screener, obligation="EU-ART26-6-LOGS", state="met"
        )
    assert ObligationState.objects.get(obligation="EU-ART26-6-LOGS").state == "in_hand"


@pytest.mark.django_db
def test_saying_the_same_again_writes_no_second_event(screener, requester):
    for _ in range(2):
        services.obligation_set_state(
            actor=requester, use_case=screener, obligation="EU-ART26-6-LOGS", state="met"
        )
    assert AuditEvent.objects.filter(action="intake.obligation_state").count() == 1


@pytest.mark.django_db
def test_a_withdrawn_use_case_is_no_longer_kept(make_use_case, requester):
    use_case = make_use_case(answers=CV_SCREENING)
    services.use_case_withdraw(actor=requester, use_case=use_case, reason="Not needed")
    with pytest.raises(NotAllowed):
        services.obligation_set_state(
            actor=requester, use_case=use_case, obligation="EU-ART26-6-LOGS", state="met"
        )


@pytest.mark.django_db
def test_the_checklist_is_grouped_by_role_then_by_date(screener):
    groups = selectors.obligation_checklist(screener, today=date(2026, 1, 1))

    assert [g["role"] for g in groups] == [duties.ANY_ROLE, duties.DEPLOYER]
    dates = [i["applies_on"] for i in groups[1]["items"]]
    assert dates == sorted(dates)
    literacy = next(i for i in groups[0]["items"] if i["id"] == "EU-ART4-AI-LITERACY")
    assert literacy["in_force"] is True and literacy["state"] == "open"


# --- through the API ------------------------------------------------------------------------------------------------

API = "/api/v1/use-cases/"


@pytest.mark.django_db
def test_the_api_lists_and_updates_obligations(api_as, screener, requester):
    client = api_as(requester)
    listed = client.get(f"{API}{screener.reference}/obligations/")
    assert listed.status_code == 200
    ids = [item["id"] for item in listed.json()]
    assert "EU-ART26-9-DPIA" in ids and "EU-ART4-AI-LITERACY" in ids
    item = next(i for i in listed.json() if i["id"] == "EU-ART26-9-DPIA")
    assert (item["state"], item["role"], item["applies_on"]) == ("open", "deployer", "2026-08-02")

    patched = client.patch(
        f"{API}{screener.reference}/obligations/EU-ART26-7-INFORM-WORKERS/",
        {
            "state": "not_applicable",
            "reason": "No workers are affected: it screens external candidates only.",
        },
        format="json",
    )

    assert patched.status_code == 200, patched.json()
    assert patched.json()["state"] == "not_applicable" and patched.json()["updated_by"] == requester.username


@pytest.mark.django_db
def test_the_api_names_the_reason_when_not_applicable_has_none(api_as, screener, requester):
    response = api_as(requester).patch(
        f"{API}{screener.reference}/obligations/EU-ART26-7-INFORM-WORKERS/",
        {"state": "not_applicable"},
        format="json",
    )
    assert response.status_code == 400 and "reason" in response.json()["errors"]


@pytest.mark.django_db
def test_the_api_hides_another_teams_obligations_and_unknown_ones(
    api_as, screener, requester, other_team_requester
):
    assert api_as(other_team_requester).get(f"{API}{screener.reference}/obligations/").status_code == 404
    outsider = api_as(other_team_requester).patch(
        f"{API}{screener.reference}/obligations/EU-ART26-9-DPIA/", {"state": "met"}, format="json"
    )
    assert outsider.status_code == 404
    unknown = api_as(requester).patch(
        f"{API}{screener.reference}/obligations/NOPE/", {"state": "met"}, format="json"
    )
    assert unknown.status_code == 404


@pytest.mark.django_db
def test_a_teammate_reads_the_checklist_but_may_not_change_it(api_as, screener, teammate):
    client = api_as(teammate)
    assert client.get(f"{API}{screener.reference}/obligations/").status_code == 200
    assert (
        client.patch(
            f"{API}{screener.reference}/obligations/EU-ART26-9-DPIA/", {"state": "met"}, format="json"
        ).status_code
        == 403
    )


# --- on the page ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_shows_the_checklist_and_keeps_what_was_typed_on_a_refusal(as_user, screener, requester):
    client = as_user(requester)
    page = client.get(f"/requests/{screener.reference}/").content.decode()
    assert "EU AI Act obligations" in page and "What satisfies it" in page and "As the deployer" in page

    refused = client.post(
        f"/requests/{screener.reference}/obligations/EU-ART26-7-INFORM-WORKERS/", {"state": "not_applicable"}
    )
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "Say why this obligation does not apply" in body
    assert '<option value="not_applicable" selected>' in body

    saved = client.post(
        f"/requests/{screener.reference}/obligations/EU-ART26-9-DPIA/", {"state": "met", "reason": "DPIA-7"}
    )
    assert saved.status_code == 302 and saved["Location"].endswith("#obligation-EU-ART26-9-DPIA")
    assert ObligationState.objects.get(obligation="EU-ART26-9-DPIA").reason == "DPIA-7"


@pytest.mark.django_db
def test_a_key_date_missing_from_the_database_stands_at_the_regulations_own(screener):
    KeyDate.objects.filter(key=duties.GENERAL).delete()

    items = {i["id"]: i for g in selectors.obligation_checklist(screener) for i in g["items"]}

    assert items["EU-ART26-2-HUMAN-OVERSIGHT"]["applies_on"] == date(2026, 8, 2)


@pytest.mark.django_db
def test_an_administrator_moves_a_key_date_in_the_admin_and_it_is_audited(client, admin_user):
    client.force_login(admin_user)
    general = KeyDate.objects.get(key=duties.GENERAL)

    response = client.post(
        f"/admin/intake/keydate/{general.pk}/change/",
        {"applies_on": "2027-02-02", "what": "The Act applies in general (postponed by the omnibus)."},
    )

    assert response.status_code == 302, response.content.decode()[:500]
    general.refresh_from_db()
    assert general.applies_on == date(2027, 2, 2)
    event = AuditEvent.objects.filter(action="intake.key_date_changed").latest("sequence")
    assert event.actor == admin_user and event.payload["from"] == "2026-08-02"
    assert client.get("/admin/intake/keydate/add/").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["rejected", "withdrawn", "retired"])
def test_a_closed_use_case_is_kept_by_no_one(screener, requester, cio, ciso, status):
    from intake import policies

    UseCase = type(screener)
    UseCase.objects.filter(pk=screener.pk).update(status=status)
    screener.refresh_from_db()
    assert not any(policies.can_update_obligations(person, screener) for person in (requester, cio, ciso))


@pytest.mark.django_db
def test_the_owner_the_cio_and_the_ciso_keep_it_while_it_runs_an_inactive_owner_does_not(
    screener, requester, cio, ciso, teammate
):
    from intake import policies

    assert [policies.can_update_obligations(p, screener) for p in (requester, cio, ciso, teammate)] == [
        True,
        True,
        True,
        False,
    ]
    requester.is_active = False
    assert not policies.can_update_obligations(requester, screener)


def test_the_models_states_are_the_checklists_states():
    assert list(ObligationState.State.choices) == [tuple(state) for state in duties.STATES]
