"""Who may act in live oversight, asked of the policies directly: signed out or deactivated people may do nothing, and
each action has its one set of people and states."""

from types import SimpleNamespace

import pytest

from config.errors import InvalidTransition, NotAllowed
from intake.workflow import Status
from oversight import policies

pytestmark = pytest.mark.django_db


def case(status=Status.APPROVED, submitter_id=None):
    return SimpleNamespace(status=status, submitter_id=submitter_id)


def test_a_deactivated_or_signed_out_person_may_do_nothing(requester, cio):
    from django.contrib.auth.models import AnonymousUser

    live = case(submitter_id=requester.pk)
    for person in (requester, cio):
        person.is_active = False
        assert policies.incident_report_refusal(person, live).error is NotAllowed
        assert not policies.is_executive(person)
        assert not policies.can_record_deadline_met(person, live)
        assert not policies.can_add_evidence(person, live)
        assert policies.attestation_refusal(person, live).error is NotAllowed
    anonymous = AnonymousUser()
    assert policies.incident_report_refusal(anonymous, live).error is NotAllowed
    assert not policies.can_manage_inventory(anonymous)


def test_reporting_is_for_live_use_cases(requester):
    assert policies.incident_report_refusal(requester, case()) is None
    assert policies.incident_report_refusal(requester, case(Status.RE_REVIEW_DUE)) is None
    for status in (Status.DRAFT, Status.SUBMITTED, Status.RETIRED, Status.REJECTED):
        assert policies.incident_report_refusal(requester, case(status)).error is InvalidTransition


def test_suspending_and_lifting_are_the_executives_in_the_right_state(requester, cio, ciso):
    for executive in (cio, ciso):
        assert policies.suspend_refusal(executive, case(), suspended=False) is None
        assert policies.suspend_refusal(executive, case(), suspended=True).error is InvalidTransition
        assert (
            policies.suspend_refusal(executive, case(Status.RETIRED), suspended=False).error
            is InvalidTransition
        )
        assert policies.lift_refusal(executive, suspended=True) is None
        assert policies.lift_refusal(executive, suspended=False).error is InvalidTransition
    assert policies.suspend_refusal(requester, case(), suspended=False).error is NotAllowed
    assert policies.lift_refusal(requester, suspended=True).error is NotAllowed


def test_duties_evidence_and_attestation_belong_to_the_owner_and_the_executives(requester, teammate, cio):
    mine = case(submitter_id=requester.pk)
    assert policies.can_record_deadline_met(requester, mine) and policies.can_record_deadline_met(cio, mine)
    assert not policies.can_record_deadline_met(teammate, mine)
    assert policies.can_add_evidence(requester, mine) and policies.can_add_evidence(cio, mine)
    assert not policies.can_add_evidence(teammate, mine)
    assert not policies.can_add_evidence(requester, case(Status.WITHDRAWN, requester.pk))
    assert policies.attestation_refusal(requester, mine) is None
    assert policies.attestation_refusal(cio, mine).error is NotAllowed  # the owner's word, not an executive's
    assert (
        policies.attestation_refusal(requester, case(Status.DRAFT, requester.pk)).error is InvalidTransition
    )
    assert policies.can_manage_inventory(cio) and not policies.can_manage_inventory(requester)
