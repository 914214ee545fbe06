"""Incidents, their clocks, the kill switch and the reminders, through the services on the database."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from audit.models import AuditEvent
from config.errors import DomainError, InvalidTransition, NotAllowed, NotFound
from intake.models import UseCase
from intake.workflow import Status
from oversight import clocks, events, services
from oversight.models import Incident, IncidentDeadline, Suspension
from tests.oversight.conftest import PROVIDER_CV_SCREENING, report_incident

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 10, 8, 0, tzinfo=UTC)  # 10:00 in Brussels


def report(actor, use_case, **overrides):
    """Not serious unless said so (these tests name what they need)."""
    return report_incident(actor, use_case, **{"serious": False, "serious_kind": "", **overrides})


@time_machine.travel(NOW, tick=False)
def test_a_serious_incident_as_deployer_starts_the_article_26_5_clocks_and_sends_it_to_re_review(
    high_risk, requester, cio, ciso, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        incident = report(requester, high_risk, serious=True, serious_kind=clocks.FUNDAMENTAL_RIGHTS)

    assert (incident.tier, incident.role, incident.aware_at) == ("high", "deployer", NOW)
    deadlines = {d.duty: d for d in incident.deadlines.all()}
    assert set(deadlines) == {clocks.DEPLOYER_TO_PROVIDER, clocks.DEPLOYER_TO_AUTHORITY}
    assert {d.due_at for d in deadlines.values()} == {NOW + timedelta(hours=24)}
    assert {d.article for d in deadlines.values()} == {"Art. 26(5)"}
    high_risk.refresh_from_db()
    assert high_risk.status == Status.RE_REVIEW_DUE
    assert incident.reference in high_risk.status_reason
    # Told at once: the CIO, the CISO and the owner, with the deadlines.
    told = [m for m in mail.outbox if incident.reference in m.body and "Serious incident" in m.subject]
    assert len(told) == 1 and set(told[0].to) == {cio.email, ciso.email, requester.email}
    assert "Inform the provider (Art. 26(5))" in told[0].body
    event = AuditEvent.objects.filter(action=events.INCIDENT_REPORTED).get()
    assert event.object_id == str(high_risk.pk) and event.payload["serious"] is True
    assert [d["duty"] for d in event.payload["deadlines"]] == [
        clocks.DEPLOYER_TO_PROVIDER,
        clocks.DEPLOYER_TO_AUTHORITY,
    ]


@time_machine.travel(NOW, tick=False)
def test_as_provider_a_death_gives_ten_days_from_becoming_aware(live, requester):
    use_case = live(answers=PROVIDER_CV_SCREENING)
    aware = NOW - timedelta(hours=30)
    incident = report(requester, use_case, serious=True, serious_kind=clocks.DEATH, aware_at=aware)
    (deadline,) = incident.deadlines.all()
    assert (incident.role, deadline.duty, deadline.article) == (
        "provider",
        clocks.PROVIDER_TO_AUTHORITY,
        "Art. 73(4)",
    )
    # Aware on 9 June (Brussels): the end of 19 June, Brussels time.
    assert deadline.due_at == datetime(2026, 6, 19, 21, 59, 59, 999999, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
def test_an_incident_that_is_not_serious_starts_no_clock_and_leaves_the_approval(high_risk, requester):
    incident = report(requester, high_risk)
    assert not incident.deadlines.exists()
    high_risk.refresh_from_db()
    assert high_risk.status == Status.APPROVED


@time_machine.travel(NOW, tick=False)
def test_a_serious_incident_of_a_system_that_is_not_high_risk_starts_no_clock_but_is_re_reviewed(
    chatbot, requester
):
    incident = report(requester, chatbot, serious=True, serious_kind=clocks.HEALTH)
    assert not incident.deadlines.exists()
    chatbot.refresh_from_db()
    assert chatbot.status == Status.RE_REVIEW_DUE


@time_machine.travel(NOW, tick=False)
def test_a_teammate_who_can_see_it_may_report_and_someone_who_cannot_gets_not_found(
    high_risk, teammate, other_team_requester
):
    assert report(teammate, high_risk).reported_by == teammate
    with pytest.raises(NotFound):
        report(other_team_requester, high_risk)
    assert Incident.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_a_draft_is_not_live_so_no_incident_is_reported_on_it(make_use_case, requester):
    draft = make_use_case()
    with pytest.raises(InvalidTransition):
        report(requester, draft)


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"harm": ""}, "harm"),
        ({"what_happened": "x" * 8001}, "what_happened"),
        ({"occurred_at": NOW + timedelta(hours=1)}, "occurred_at"),
        ({"occurred_at": datetime(2026, 6, 1, 9, 0)}, "occurred_at"),  # no time zone
        ({"aware_at": NOW - timedelta(days=3)}, "aware_at"),  # before it happened
        ({"serious": True}, "serious_kind"),
        ({"serious": True, "serious_kind": "bad luck"}, "serious_kind"),
        ({"serious_kind": clocks.DEATH}, "serious"),  # a death is serious: say so
        ({"who_was_affected": "line\x00break"}, "who_was_affected"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(high_risk, requester, overrides, field):
    with pytest.raises(DomainError) as refused:
        report(requester, high_risk, **overrides)
    assert field in refused.value.errors, refused.value.errors
    assert (
        not Incident.objects.exists()
        and not AuditEvent.objects.filter(action=events.INCIDENT_REPORTED).exists()
    )
    high_risk.refresh_from_db()
    assert high_risk.status == Status.APPROVED


@time_machine.travel(NOW, tick=False)
def test_either_executive_suspends_at_once_recorded_as_its_kill_switch_and_only_once(
    high_risk, requester, cio, ciso, django_capture_on_commit_callbacks
):
    incident = report(requester, high_risk, serious=True, serious_kind=clocks.HEALTH)
    with django_capture_on_commit_callbacks(execute=True):
        suspension = services.use_case_suspend(
            actor=ciso, use_case=high_risk, reason="Stop it", incident=incident
        )
    assert (suspension.suspended_by, suspension.incident, suspension.suspended_at) == (ciso, incident, NOW)
    event = AuditEvent.objects.filter(action=events.USE_CASE_SUSPENDED).get()
    assert event.payload["kill_switch"] is True and event.payload["incident"] == incident.reference
    assert any("is suspended" in m.subject and requester.email in m.to for m in mail.outbox)
    with pytest.raises(InvalidTransition):
        services.use_case_suspend(actor=cio, use_case=high_risk, reason="Again")
    lifted = services.suspension_lift(actor=cio, use_case=high_risk, reason="Fixed and retested")
    assert (lifted.lifted_by, lifted.lift_reason) == (cio, "Fixed and retested")
    assert AuditEvent.objects.filter(action=events.SUSPENSION_LIFTED).count() == 1
    with pytest.raises(InvalidTransition):
        services.suspension_lift(actor=cio, use_case=high_risk, reason="Again")
    assert services.use_case_suspend(actor=cio, use_case=high_risk, reason="Once more").lifted_at is None
    assert Suspension.objects.filter(use_case=high_risk).count() == 2


def test_only_the_executives_suspend_and_lift_and_a_reason_is_required(high_risk, requester, teammate, cio):
    with pytest.raises(NotAllowed):
        services.use_case_suspend(actor=requester, use_case=high_risk, reason="I own it")
    with pytest.raises(DomainError) as refused:
        services.use_case_suspend(actor=cio, use_case=high_risk, reason="  ")
    assert "reason" in refused.value.errors
    services.use_case_suspend(actor=cio, use_case=high_risk, reason="Stop")
    with pytest.raises(NotAllowed):
        services.suspension_lift(actor=teammate, use_case=high_risk, reason="Please")
    assert not Suspension.objects.filter(lifted_at__isnull=False).exists()


def test_a_closed_use_case_cannot_be_suspended(high_risk, cio):
    from django.db import transaction

    from intake import services as intake_services
    from intake.workflow import Action

    with transaction.atomic():
        intake_services._transition(intake_services._locked(high_risk), Action.RETIRE, actor=cio)
    with pytest.raises(InvalidTransition):
        services.use_case_suspend(actor=cio, use_case=high_risk, reason="Stop")
    assert not Suspension.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_owner_and_the_executives_record_a_duty_done_once_late_or_not_and_others_may_not(
    high_risk, requester, teammate, ciso
):
    incident = report(teammate, high_risk, serious=True, serious_kind=clocks.HEALTH)
    first, second = incident.deadlines.order_by("duty")
    with pytest.raises(NotAllowed):
        services.incident_deadline_met(actor=teammate, deadline=first)  # reported it, does not own it
    met = services.incident_deadline_met(actor=requester, deadline=first, note="Called the vendor's AI desk")
    assert (met.met_by, met.met_at, met.met_note) == (requester, NOW, "Called the vendor's AI desk")
    with pytest.raises(InvalidTransition):
        services.incident_deadline_met(actor=ciso, deadline=first)
    with time_machine.travel(NOW + timedelta(days=2), tick=False):
        services.incident_deadline_met(actor=ciso, deadline=second)
    late = AuditEvent.objects.filter(action=events.INCIDENT_DEADLINE_MET).order_by("id")
    assert [e.payload["late"] for e in late] == [False, True]


def test_reminders_go_for_duties_falling_due_at_most_every_so_often_one_message_per_incident(
    high_risk, requester, cio, settings, django_capture_on_commit_callbacks
):
    settings.INCIDENT_REMIND_BEFORE_HOURS = 12
    settings.INCIDENT_REMIND_EVERY_HOURS = 6
    with time_machine.travel(NOW, tick=False):
        incident = report(requester, high_risk, serious=True, serious_kind=clocks.HEALTH)  # due NOW + 24 h
    mail.outbox.clear()

    def remind_at(when):
        with time_machine.travel(when, tick=False), django_capture_on_commit_callbacks(execute=True):
            return services.incident_deadline_reminders()

    assert remind_at(NOW + timedelta(hours=11)) == 0  # 13 hours left: not yet
    assert remind_at(NOW + timedelta(hours=13)) == 2  # 11 hours left: both duties, one message
    assert len(mail.outbox) == 1 and incident.reference in mail.outbox[0].subject
    assert remind_at(NOW + timedelta(hours=15)) == 0  # reminded two hours ago
    assert remind_at(NOW + timedelta(hours=30)) == 2  # overdue: again
    services.incident_deadline_met(actor=cio, deadline=incident.deadlines.first())
    assert remind_at(NOW + timedelta(hours=40)) == 1  # only what is still open
    assert len(mail.outbox) == 3


@time_machine.travel(NOW, tick=False)
def test_a_suspension_of_another_use_cases_incident_is_refused(live, requester, cio):
    one, other = live(title="One screening"), live(title="Other screening")
    incident = report(requester, one)
    with pytest.raises(DomainError) as refused:
        services.use_case_suspend(actor=cio, use_case=other, reason="Stop", incident=incident)
    assert "incident" in refused.value.errors
    assert not Suspension.objects.exists()


def test_the_database_holds_a_serious_incident_to_its_kind_and_one_suspension_in_force(
    high_risk, requester, cio
):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Incident.objects.create(
            use_case=high_risk,
            reported_by=requester,
            reported_at=NOW,
            occurred_at=NOW,
            aware_at=NOW,
            title="t",
            what_happened="w",
            who_was_affected="a",
            harm="h",
            serious=True,
        )
    services.use_case_suspend(actor=cio, use_case=high_risk, reason="Stop")
    with pytest.raises(IntegrityError), transaction.atomic():
        Suspension.objects.create(use_case=high_risk, reason="Twice", suspended_by=cio, suspended_at=NOW)
    assert UseCase.objects.filter(pk=high_risk.pk).exists()
    assert IncidentDeadline.objects.count() == 0


@time_machine.travel(NOW, tick=False)
def test_a_time_a_little_ahead_of_the_servers_clock_is_taken_as_now(high_risk, requester):
    incident = report(requester, high_risk, occurred_at=NOW + timedelta(minutes=2))
    assert incident.occurred_at == incident.aware_at == incident.reported_at == NOW
