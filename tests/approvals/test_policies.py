"""Segregation of duties, refusal by refusal: who may decide, in which slot, and who keeps which slot."""

import pytest

from accounts.roles import Role
from approvals import policies
from approvals.models import SlotDecision
from approvals.services import decision_record
from config.errors import NotAllowed
from intake import services as intake_services
from tests.answer_sets import CHATBOT
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def decide(person, use_case, decision="approve", **kwargs):
    return decision_record(actor=person, use_case=use_case, decision=decision, **kwargs)


@pytest.fixture
def both(db):
    return UserFactory(username="both_roles", roles=[Role.CIO, Role.CISO])


def test_a_cio_cannot_decide_in_the_ciso_slot(make_use_case, boundary, cio):
    use_case = make_use_case(submit=True)
    with pytest.raises(NotAllowed, match="You do not hold the CISO role"):
        decide(cio, use_case, slot="ciso")
    assert not SlotDecision.objects.exists()


def test_a_ciso_cannot_decide_in_the_cio_slot(make_use_case, boundary, ciso):
    with pytest.raises(NotAllowed, match="You do not hold the CIO role"):
        decide(ciso, make_use_case(submit=True), slot="cio")


def test_a_slot_that_does_not_exist_is_refused_naming_the_slot(make_use_case, boundary, cio):
    with pytest.raises(NotAllowed, match="Decide as cio or ciso") as excinfo:
        decide(cio, make_use_case(submit=True), slot="board")
    assert excinfo.value.errors == {"slot": ["Choose cio or ciso."]}
    assert not SlotDecision.objects.exists()


def test_naming_ones_own_slot_is_the_same_as_not_naming_it(make_use_case, boundary, cio):
    assert decide(cio, make_use_case(submit=True), slot="cio").slot == "cio"


def test_holding_both_roles_one_must_name_the_slot_the_first_time(make_use_case, boundary, both):
    with pytest.raises(NotAllowed, match="say whether you decide as CIO or as CISO") as excinfo:
        decide(both, make_use_case(submit=True))
    assert excinfo.value.errors == {"slot": ["Choose."]}


def test_one_keeps_ones_slot_on_a_later_revision_without_naming_it(make_use_case, boundary, requester, both):
    use_case = make_use_case(submit=True)
    decide(both, use_case, "request_changes", slot="ciso", rationale="Name the owner.")
    intake_services.use_case_update(actor=requester, use_case=use_case, changes={"human_oversight": "Ops."})
    use_case = intake_services.use_case_submit(actor=requester, use_case=use_case)
    assert decide(both, use_case).slot == "ciso"  # no slot named: the one already held on this use case
    assert list(SlotDecision.objects.values_list("revision_number", "slot")) == [(1, "ciso"), (2, "ciso")]


def test_one_keeps_ones_slot_in_a_re_review(make_use_case, boundary, cio, both):
    use_case = make_use_case(submit=True)
    decide(cio, use_case)
    decide(both, use_case, slot="ciso")
    use_case = intake_services.use_case_flag_re_review(actor=None, use_case=use_case, reason="Due.")
    with pytest.raises(NotAllowed, match="already decided on this use case as CISO"):
        decide(both, use_case, slot="cio")  # the CIO slot of the re-review is open, but not to them
    recorded = decide(both, use_case)
    assert (recorded.slot, recorded.cycle.kind) == ("ciso", "re_review")


def test_a_single_role_decider_keeps_their_slot_in_a_re_review(make_use_case, boundary, cio, ciso):
    use_case = make_use_case(submit=True)
    decide(cio, use_case)
    decide(ciso, use_case)
    use_case = intake_services.use_case_flag_re_review(actor=None, use_case=use_case, reason="Due.")
    assert decide(cio, use_case).slot == "cio"


def test_the_submitter_cannot_decide_even_naming_a_slot_they_hold(boundary, team):
    submitter = UserFactory(username="req_ciso", roles=[Role.REQUESTER, Role.CISO], teams=[team])
    use_case = intake_services.use_case_submit(
        actor=submitter,
        use_case=intake_services.use_case_create(actor=submitter, team=team, title="Mine", answers=CHATBOT),
    )
    with pytest.raises(NotAllowed, match="You submitted this request"):
        decide(submitter, use_case, slot="ciso")


@pytest.mark.parametrize("who", ["teammate", "secretary", "admin_user"])
def test_people_without_an_approver_role_hold_no_slot(make_use_case, boundary, request, who):
    person = request.getfixturevalue(who)
    assert policies.slots_of(person) == []
    with pytest.raises(NotAllowed, match="Only the CIO and the CISO"):
        decide(person, make_use_case(submit=True), slot="cio")


def test_the_decision_is_offered_to_approvers_who_did_not_submit(make_use_case, team, cio, ciso, requester):
    use_case = make_use_case()
    submitter_cio = UserFactory(username="req_cio", roles=[Role.REQUESTER, Role.CIO], teams=[team])
    own = intake_services.use_case_create(actor=submitter_cio, team=team, title="Mine", answers=CHATBOT)
    assert policies.can_decide(cio, use_case) and policies.can_decide(ciso, use_case)
    assert not policies.can_decide(requester, use_case)  # no approver role
    assert not policies.can_decide(submitter_cio, own)  # an approver, but the submitter
    assert policies.can_decide(submitter_cio, use_case)  # someone else's request


def test_the_use_case_page_offers_review_and_decide_only_to_whom_may_decide(
    client, make_use_case, boundary, cio, requester
):
    use_case = make_use_case(submit=True)
    client.force_login(cio)
    assert "Review and decide" in client.get(f"/requests/{use_case.reference}/").content.decode()
    client.force_login(requester)
    assert "Review and decide" not in client.get(f"/requests/{use_case.reference}/").content.decode()


def test_only_the_submitter_marks_conditions_met(make_use_case, requester, teammate, cio):
    use_case = make_use_case()
    assert policies.can_mark_condition_met(requester, use_case)
    assert not policies.can_mark_condition_met(teammate, use_case)
    assert not policies.can_mark_condition_met(cio, use_case)
