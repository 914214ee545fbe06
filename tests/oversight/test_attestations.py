"""Quarterly attestations: the owner's word that a live use case runs as approved, once a quarter; a change sends it
to re-review; what is owed and missed shows on the executives' home and in the pack's figures."""

from datetime import UTC, datetime

import pytest
import time_machine

from approvals.services import decision_record
from audit.models import AuditEvent
from config.errors import DomainError, InvalidTransition, NotAllowed
from config.quarters import Quarter
from intake.workflow import Status
from oversight import events, selectors, services
from oversight.models import Attestation
from riskboundaries import services as boundary_services
from tests.answer_sets import CHATBOT
from tests.riskboundaries.conftest import PERMISSIVE, signed_by_both

pytestmark = pytest.mark.django_db

APPROVED_ON = datetime(2026, 8, 20, 9, 0, tzinfo=UTC)  # in 2026-Q3
IN_Q4 = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def approved(make_use_case, cio, ciso):
    """A use case approved through both decisions in 2026-Q3 (so it owes its first attestation for 2026-Q4)."""

    def _approved(title="Support chatbot"):
        with time_machine.travel(APPROVED_ON, tick=False):
            if not hasattr(_approved, "boundary"):
                _approved.boundary = signed_by_both(
                    boundary_services.boundary_create(actor=cio, limits=PERMISSIVE), cio, ciso
                )
            use_case = make_use_case(title=title, answers=CHATBOT, submit=True)
            decision_record(actor=cio, use_case=use_case, decision="approve", slot="cio")
            decision_record(actor=ciso, use_case=use_case, decision="approve", slot="ciso")
        use_case.refresh_from_db()
        assert use_case.status == Status.APPROVED
        return use_case

    return _approved


@time_machine.travel(IN_Q4, tick=False)
def test_the_owner_attests_once_a_quarter_that_it_runs_as_approved(approved, requester):
    use_case = approved()
    assert [u.pk for u in selectors.my_attestations_owed(requester, Quarter(2026, 4))] == [use_case.pk]
    attestation = services.use_case_attest(
        actor=requester, use_case=use_case, same_model=True, same_data=True, controls_operating=True
    )
    assert (attestation.quarter, attestation.as_approved) == ("2026-Q4", True)
    assert AuditEvent.objects.filter(action=events.USE_CASE_ATTESTED).get().payload["as_approved"] is True
    assert selectors.my_attestations_owed(requester, Quarter(2026, 4)) == []
    with pytest.raises(InvalidTransition):
        services.use_case_attest(
            actor=requester, use_case=use_case, same_model=True, same_data=True, controls_operating=True
        )
    use_case.refresh_from_db()
    assert use_case.status == Status.APPROVED


@time_machine.travel(IN_Q4, tick=False)
def test_a_change_must_be_explained_and_sends_it_to_re_review(approved, requester):
    use_case = approved()
    with pytest.raises(DomainError) as refused:
        services.use_case_attest(
            actor=requester, use_case=use_case, same_model=False, same_data=True, controls_operating=True
        )
    assert "note" in refused.value.errors and not Attestation.objects.exists()
    services.use_case_attest(
        actor=requester,
        use_case=use_case,
        same_model=False,
        same_data=True,
        controls_operating=True,
        note="Moved to the provider's newer model version.",
    )
    use_case.refresh_from_db()
    assert use_case.status == Status.RE_REVIEW_DUE and "newer model version" in use_case.status_reason


@time_machine.travel(IN_Q4, tick=False)
def test_only_the_owner_attests_and_only_a_live_use_case(approved, make_use_case, requester, teammate, cio):
    use_case = approved()
    for someone in (teammate, cio):
        with pytest.raises(NotAllowed):
            services.use_case_attest(
                actor=someone, use_case=use_case, same_model=True, same_data=True, controls_operating=True
            )
    draft = make_use_case(title="A draft")
    with pytest.raises(InvalidTransition):
        services.use_case_attest(
            actor=requester, use_case=draft, same_model=True, same_data=True, controls_operating=True
        )
    assert not Attestation.objects.exists()


def test_a_use_case_approved_during_a_quarter_owes_from_the_next_and_misses_show_in_the_figures(
    approved, requester
):
    first, second = approved("Support chatbot"), approved("Second chatbot")
    assert selectors.attestation_figures(Quarter(2026, 3))["owed"] == 0  # approved during Q3
    with time_machine.travel(IN_Q4, tick=False):
        services.use_case_attest(
            actor=requester, use_case=first, same_model=True, same_data=True, controls_operating=True
        )
    figures = selectors.attestation_figures(Quarter(2026, 4))
    assert (figures["owed"], figures["attested"], figures["changed"], figures["missing"]) == (2, 1, 0, 1)
    assert figures["missing_refs"] == [second.reference]


def test_the_executives_home_shows_last_quarters_misses_and_the_owner_is_asked(
    approved, requester, cio, as_user
):
    use_case = approved()
    with time_machine.travel(datetime(2027, 1, 15, 9, 0, tzinfo=UTC), tick=False):
        home = as_user(cio).get("/").content.decode()
        assert "1 live use case went unattested in 2026-Q4." in home
        assert "1 still to attest in 2027-Q1" in home
        owner = as_user(requester)
        assert f"Attest {use_case.reference}" in owner.get("/").content.decode()
        page = owner.get(f"/requests/{use_case.reference}/").content.decode()
        assert "Attest for 2027-Q1" in page
        refused = owner.post(
            f"/oversight/requests/{use_case.reference}/attest/", {"same_model": "on", "note": ""}
        )
        assert refused.status_code == 400 and "Say what changed" in refused.content.decode()
        done = owner.post(
            f"/oversight/requests/{use_case.reference}/attest/",
            {"same_model": "on", "same_data": "on", "controls_operating": "on"},
            follow=True,
        )
        assert f"{use_case.reference} is attested for 2027-Q1." in done.content.decode()
        assert "Attest for 2027-Q1" not in done.content.decode()


@time_machine.travel(IN_Q4, tick=False)
def test_the_api_records_and_lists_attestations(approved, requester, teammate, api_as):
    use_case = approved()
    url = f"/api/v1/use-cases/{use_case.reference}/attestations/"
    assert (
        api_as(teammate)
        .post(url, {"same_model": True, "same_data": True, "controls_operating": True}, format="json")
        .status_code
        == 403
    )
    bad = api_as(requester).post(url, {"same_model": "perhaps"}, format="json")
    assert bad.status_code == 400 and {"same_model", "same_data", "controls_operating"} <= set(
        bad.json()["errors"]
    )
    created = api_as(requester).post(
        url, {"same_model": True, "same_data": True, "controls_operating": True}, format="json"
    )
    assert created.status_code == 201 and created.json()["quarter"] == "2026-Q4"
    assert api_as(teammate).get(url).json()[0]["as_approved"] is True
