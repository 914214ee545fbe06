"""The joint decision on the real database: outcomes, the boundary's rules, segregation of duties, the sweep."""

import threading
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from accounts.roles import Role
from approvals.models import Approval, Condition, ReviewCycle, SlotDecision
from approvals.rules import ConditionInput
from approvals.services import condition_mark_met, decision_record, re_review_sweep
from audit.models import AuditEvent
from audit.selectors import audit_chain_verify
from config.errors import DomainError, InvalidTransition, NotAllowed
from intake import services as intake_services
from intake.workflow import Status
from tests.answer_sets import CHATBOT, CV_SCREENING
from tests.factories import UserFactory
from tests.support import need_postgresql

pytestmark = pytest.mark.django_db


def decide(person, use_case, decision="approve", **kwargs):
    return decision_record(actor=person, use_case=use_case, decision=decision, **kwargs)


def test_approved_only_when_both_slots_approve_the_same_revision(make_use_case, boundary, cio, ciso):
    use_case = make_use_case(submit=True)
    first = decide(ciso, use_case)  # any order
    use_case.refresh_from_db()
    assert use_case.status == Status.SUBMITTED
    decide(cio, use_case)
    use_case.refresh_from_db()
    assert use_case.status == Status.APPROVED
    revision = use_case.revisions.get()
    assert (first.revision_number, first.content_hash) == (1, revision.content_hash)
    assert Approval.objects.filter(use_case=use_case).count() == 1
    assert ReviewCycle.objects.get(use_case=use_case).outcome == "approved"


@pytest.mark.parametrize(("band", "months"), [("medium", 12)])
def test_the_re_review_date_follows_the_band(make_use_case, boundary, cio, ciso, band, months):
    with time_machine.travel(date(2026, 11, 26), tick=False):
        use_case = make_use_case(submit=True)  # the customer chatbot: medium band
        assert use_case.band == band
        decide(cio, use_case)
        decide(ciso, use_case)
    assert Approval.objects.get(use_case=use_case).re_review_on == date(2027, 11, 26)


def test_either_rejection_rejects_at_once(make_use_case, boundary, cio):
    use_case = make_use_case(submit=True)
    decide(cio, use_case, "reject", rationale="Customer data leaves the EU.")
    use_case.refresh_from_db()
    assert use_case.status == Status.REJECTED and use_case.status_reason == f"The CIO ({cio}) rejected."


def test_changes_requested_then_revision_2_needs_both_decisions_afresh(
    make_use_case, boundary, requester, cio, ciso
):
    use_case = make_use_case(submit=True)
    decide(cio, use_case)
    decide(ciso, use_case, "request_changes", rationale="Add a kill switch owner.")
    use_case.refresh_from_db()
    assert use_case.status == Status.CHANGES_REQUESTED
    intake_services.use_case_update(
        actor=requester, use_case=use_case, changes={"human_oversight": "Duty manager."}
    )
    use_case = intake_services.use_case_submit(actor=requester, use_case=use_case)
    assert use_case.revision_count == 2
    decide(cio, use_case)
    use_case.refresh_from_db()
    assert use_case.status == Status.SUBMITTED  # the CIO's approval of revision 1 does not count
    decide(ciso, use_case)
    use_case.refresh_from_db()
    assert use_case.status == Status.APPROVED
    assert list(SlotDecision.objects.filter(use_case=use_case).values_list("revision_number", flat=True)) == [
        1,
        1,
        2,
        2,
    ]


def test_a_slot_decides_once_per_revision(make_use_case, boundary, cio):
    use_case = make_use_case(submit=True)
    decide(cio, use_case)
    deputy = UserFactory(username="deputy_cio", roles=[Role.CIO])
    with pytest.raises(InvalidTransition, match="CIO decision on revision 1 is already recorded"):
        decide(deputy, use_case)


def test_the_submitter_cannot_decide(boundary, team):
    both = UserFactory(username="req_cio", roles=[Role.REQUESTER, Role.CIO], teams=[team])
    use_case = intake_services.use_case_create(actor=both, team=team, title="Mine", answers=CHATBOT)
    use_case = intake_services.use_case_submit(actor=both, use_case=use_case)
    with pytest.raises(NotAllowed, match="You submitted this request"):
        decide(both, use_case)


def test_one_person_cannot_fill_both_slots(make_use_case, boundary):
    both = UserFactory(username="both_roles", roles=[Role.CIO, Role.CISO])
    use_case = make_use_case(submit=True)
    decide(both, use_case, slot="cio")
    with pytest.raises(NotAllowed, match="cannot fill both slots"):
        decide(both, use_case, slot="ciso")


def test_someone_holding_both_roles_must_say_which(make_use_case, boundary):
    both = UserFactory(username="both_roles", roles=[Role.CIO, Role.CISO])
    with pytest.raises(NotAllowed) as excinfo:
        decide(both, make_use_case(submit=True))
    assert "slot" in excinfo.value.errors


@pytest.mark.parametrize("who", ["requester", "secretary", "admin_user"])
def test_only_cio_and_ciso_decide(make_use_case, boundary, request, who):
    with pytest.raises(NotAllowed):
        decide(request.getfixturevalue(who), make_use_case(submit=True))


def test_a_rationale_is_required_and_nothing_is_recorded_without_it(make_use_case, boundary, cio):
    use_case = make_use_case(submit=True)
    with pytest.raises(DomainError) as excinfo:
        decide(cio, use_case, "reject", rationale=" ")
    assert "rationale" in excinfo.value.errors
    assert not SlotDecision.objects.exists()


def test_exceeding_the_boundary_needs_an_exception_from_both(make_use_case, boundary, cio, ciso):
    use_case = make_use_case(answers={**CHATBOT, "autonomy": 3}, submit=True)
    assert use_case.boundary_verdict == "exceeds"
    with pytest.raises(DomainError) as excinfo:
        decide(cio, use_case)
    assert "decision" in excinfo.value.errors
    today = timezone.localdate()
    with pytest.raises(DomainError) as excinfo:
        decide(
            cio,
            use_case,
            "approve_with_exception",
            rationale="Pilot only.",
            exception_expires_on=today + timedelta(days=181),
        )
    assert "exception_expires_on" in excinfo.value.errors
    decide(
        cio,
        use_case,
        "approve_with_exception",
        rationale="Pilot only.",
        exception_expires_on=today + timedelta(days=90),
    )
    decide(
        ciso,
        use_case,
        "approve_with_exception",
        rationale="Pilot only.",
        exception_expires_on=today + timedelta(days=60),
    )
    approval = Approval.objects.get(use_case=use_case)
    assert approval.exception_expires_on == today + timedelta(days=60)  # the earlier expiry governs
    assert approval.re_review_on == approval.exception_expires_on


def test_within_with_conditions_carries_the_required_controls(make_use_case, boundary, cio, ciso, requester):
    use_case = make_use_case(answers={**CV_SCREENING}, submit=True)
    assert use_case.boundary_verdict == "within_with_conditions"
    decide(
        cio,
        use_case,
        "approve_with_conditions",
        rationale="Bias test first.",
        conditions=[
            ConditionInput(
                "Bias test on last year's applicants",
                owner="HR analytics",
                due_on=timezone.localdate() + timedelta(days=30),
            )
        ],
    )
    decide(ciso, use_case)
    conditions = {c.source: c for c in Condition.objects.filter(use_case=use_case)}
    assert conditions["boundary"].control_id == "C-03"
    assert conditions["reviewer"].owner == "HR analytics"


def test_a_required_control_the_decider_kept_is_tracked_once(make_use_case, boundary, cio, ciso):
    use_case = make_use_case(answers={**CV_SCREENING}, submit=True)
    kept = ConditionInput("C-03 Human review of every outcome, within two weeks", owner="HR analytics")
    decide(cio, use_case, "approve_with_conditions", rationale="Kept the control.", conditions=[kept])
    decide(ciso, use_case)
    conditions = list(Condition.objects.filter(use_case=use_case))
    assert [(c.source, c.control_id, c.owner) for c in conditions] == [("reviewer", "C-03", "HR analytics")]


def test_the_requester_marks_a_condition_met_and_it_is_audited(make_use_case, boundary, cio, ciso, requester):
    use_case = make_use_case(submit=True)
    decide(
        cio,
        use_case,
        "approve_with_conditions",
        rationale="x",
        conditions=[ConditionInput("Publish an AI notice")],
    )
    assert not Condition.objects.exists()  # conditions exist once the use case is approved, not before
    decide(ciso, use_case)
    condition = Condition.objects.get()
    with pytest.raises(NotAllowed):
        condition_mark_met(actor=cio, condition=condition)
    condition = condition_mark_met(actor=requester, condition=condition, note="Live on the site.")
    assert condition.met_by == requester
    assert AuditEvent.objects.filter(action="approvals.condition_met").exists()
    with pytest.raises(InvalidTransition):
        condition_mark_met(actor=requester, condition=condition)


@pytest.mark.parametrize(
    ("note", "problem"), [("Live\u202etis etis eht no", "control characters"), ("n" * 501, "At most 500")]
)
def test_a_note_on_a_met_condition_that_cannot_be_stored_is_refused_and_nothing_is_recorded(
    make_use_case, boundary, cio, ciso, requester, note, problem
):
    use_case = make_use_case(submit=True)
    decide(cio, use_case, "approve_with_conditions", rationale="x", conditions=[ConditionInput("Notice")])
    decide(ciso, use_case)
    condition = Condition.objects.get()
    with pytest.raises(DomainError) as refused:
        condition_mark_met(actor=requester, condition=condition, note=note)
    assert problem in refused.value.errors["note"][0]
    condition.refresh_from_db()
    assert condition.met_at is None
    assert not AuditEvent.objects.filter(action="approvals.condition_met").exists()


def test_a_decision_on_a_closed_use_case_is_a_conflict(make_use_case, boundary, cio, requester):
    use_case = make_use_case()
    with pytest.raises(InvalidTransition):
        decide(cio, use_case)


def test_every_decision_is_audited_with_revision_and_hash(make_use_case, boundary, cio, ciso):
    use_case = make_use_case(submit=True)
    decide(cio, use_case)
    decide(ciso, use_case)
    events = AuditEvent.objects.filter(action="approvals.decision_recorded").order_by("sequence")
    assert [(e.payload["slot"], e.payload["revision"]) for e in events] == [("cio", 1), ("ciso", 1)]
    assert AuditEvent.objects.filter(action="intake.use_case_approve").exists()
    assert AuditEvent.objects.filter(action="approvals.approved").exists()


def test_the_sweep_moves_due_approvals_to_re_review_and_both_decide_again(make_use_case, boundary, cio, ciso):
    with time_machine.travel(date(2026, 11, 26), tick=False):
        use_case = make_use_case(submit=True)
        decide(cio, use_case)
        decide(ciso, use_case)
    assert re_review_sweep(today=date(2027, 11, 25)) == []
    assert re_review_sweep(today=date(2027, 11, 26)) == [use_case.reference]
    assert re_review_sweep(today=date(2027, 11, 26)) == []  # idempotent
    use_case.refresh_from_db()
    assert (
        use_case.status == Status.RE_REVIEW_DUE
        and "Re-review due since 26 Nov 2027" in use_case.status_reason
    )
    with pytest.raises(DomainError):
        decide(cio, use_case, "request_changes", rationale="x")
    decide(cio, use_case)
    decide(ciso, use_case)
    use_case.refresh_from_db()
    assert use_case.status == Status.APPROVED
    assert ReviewCycle.objects.filter(use_case=use_case, kind="re_review", outcome="approved").count() == 1


def test_an_expired_exception_is_swept(make_use_case, boundary, cio, ciso):
    today = timezone.localdate()
    use_case = make_use_case(answers={**CHATBOT, "autonomy": 3}, submit=True)
    for person in (cio, ciso):
        decide(
            person,
            use_case,
            "approve_with_exception",
            rationale="Pilot.",
            exception_expires_on=today + timedelta(days=10),
        )
    assert re_review_sweep(today=today + timedelta(days=10)) == [use_case.reference]
    use_case.refresh_from_db()
    assert "exception expired" in use_case.status_reason


@pytest.mark.django_db(transaction=True)
def test_simultaneous_decisions_stay_consistent(make_use_case, boundary, cio, ciso):
    need_postgresql()
    use_case = make_use_case(submit=True)
    deciders = [cio, ciso] + [UserFactory(username=f"cio{i}", roles=[Role.CIO]) for i in range(3)]
    deciders += [UserFactory(username=f"ciso{i}", roles=[Role.CISO]) for i in range(3)]
    barrier = threading.Barrier(len(deciders))
    outcomes: list[str] = []

    def attempt(person):
        try:
            barrier.wait()
            decide(person, use_case)
            outcomes.append("recorded")
        except (InvalidTransition, NotAllowed) as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(p,)) for p in deciders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("recorded") == 2
    use_case.refresh_from_db()
    assert use_case.status == Status.APPROVED
    assert sorted(SlotDecision.objects.filter(use_case=use_case).values_list("slot", flat=True)) == [
        "cio",
        "ciso",
    ]
    assert Approval.objects.filter(use_case=use_case).count() == 1
    assert audit_chain_verify().ok


def test_the_requester_is_told_of_each_decision_with_a_link(
    make_use_case, boundary, cio, ciso, requester, django_capture_on_commit_callbacks
):
    from django.core import mail

    use_case = make_use_case(submit=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decide(cio, use_case)
    with django_capture_on_commit_callbacks(execute=True):
        decide(ciso, use_case)
    to_requester = [m for m in mail.outbox if m.to == [requester.email]]
    assert len(to_requester) == 2
    assert "The other decision is still to come." in to_requester[0].body
    assert (
        "It is approved." in to_requester[1].body
        and f"/requests/{use_case.reference}/" in to_requester[1].body
    )


def test_both_roles_are_told_when_a_re_review_falls_due(
    make_use_case, boundary, cio, ciso, django_capture_on_commit_callbacks
):
    from django.core import mail

    with time_machine.travel(date(2026, 11, 26), tick=False):
        use_case = make_use_case(submit=True)
        decide(cio, use_case)
        decide(ciso, use_case)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        re_review_sweep(today=date(2027, 11, 26))
    assert sorted(mail.outbox[0].to) == sorted([cio.email, ciso.email])
    assert f"/decisions/review/{use_case.reference}/" in mail.outbox[0].body


def test_one_person_keeps_one_slot_across_revisions_whoever_decides_in_between(
    make_use_case, boundary, requester, cio
):
    both = UserFactory(username="both_roles", roles=[Role.CIO, Role.CISO])
    use_case = make_use_case(submit=True)
    decide(both, use_case, "request_changes", slot="cio", rationale="Name the owner.")
    intake_services.use_case_update(
        actor=requester, use_case=use_case, changes={"human_oversight": "Ops lead."}
    )
    use_case = intake_services.use_case_submit(actor=requester, use_case=use_case)
    decide(cio, use_case)  # another CIO fills the CIO slot of revision 2
    with pytest.raises(NotAllowed, match="cannot fill both slots"):
        decide(both, use_case, slot="ciso")


def test_a_decision_on_a_revision_the_reviewer_did_not_see_is_refused(
    make_use_case, boundary, requester, cio, ciso
):
    use_case = make_use_case(submit=True)
    seen = use_case.revisions.get().content_hash
    decide(cio, use_case, "request_changes", rationale="Name the owner.")
    intake_services.use_case_update(
        actor=requester, use_case=use_case, changes={"human_oversight": "Ops lead."}
    )
    use_case = intake_services.use_case_submit(actor=requester, use_case=use_case)
    with pytest.raises(InvalidTransition, match="not the revision you reviewed") as excinfo:
        decide(ciso, use_case, seen_hash=seen)
    assert set(excinfo.value.errors) == {"content_hash"}


def test_a_rejection_leaves_no_conditions_behind(make_use_case, boundary, cio, ciso):
    use_case = make_use_case(submit=True)
    decide(
        cio, use_case, "approve_with_conditions", rationale="x", conditions=[ConditionInput("Kill switch")]
    )
    decide(ciso, use_case, "reject", rationale="No.")
    assert not Condition.objects.exists()


def test_conditions_only_go_with_an_approval_with_conditions(make_use_case, boundary, cio):
    with pytest.raises(DomainError) as excinfo:
        decide(cio, make_use_case(submit=True), "reject", rationale="x", conditions=[ConditionInput("y")])
    assert "conditions" in excinfo.value.errors


def test_an_exception_approval_carries_the_boundarys_required_controls(make_use_case, boundary, cio, ciso):
    use_case = make_use_case(answers={**CV_SCREENING, "autonomy": 3}, submit=True)
    assert use_case.boundary_verdict == "exceeds"
    expires = timezone.localdate() + timedelta(days=30)
    for person in (cio, ciso):
        decide(person, use_case, "approve_with_exception", rationale="Pilot.", exception_expires_on=expires)
    assert Condition.objects.filter(use_case=use_case, source="boundary", control_id="C-03").exists()


def test_exception_length_comes_from_the_boundary_of_the_verdict(make_use_case, boundary, cio, ciso):
    from riskboundaries import services as boundary_services
    from tests.riskboundaries.conftest import PERMISSIVE, signed_by_both

    use_case = make_use_case(answers={**CHATBOT, "autonomy": 3}, submit=True)  # exceeds v1, at most 180 days
    looser = boundary_services.boundary_create(actor=cio, limits={**PERMISSIVE, "exception_max_days": 700})
    signed_by_both(looser, cio, ciso)
    with pytest.raises(DomainError) as excinfo:
        decide(
            cio,
            use_case,
            "approve_with_exception",
            rationale="x",
            exception_expires_on=timezone.localdate() + timedelta(days=600),
        )
    assert "exception_expires_on" in excinfo.value.errors


def test_an_approval_completed_under_a_newer_boundary_it_breaches_goes_to_re_review(
    make_use_case, boundary, cio, ciso
):
    from riskboundaries import services as boundary_services
    from tests.riskboundaries.conftest import PERMISSIVE, signed_by_both

    use_case = make_use_case(answers={**CHATBOT, "autonomy": 2}, submit=True)
    decide(cio, use_case)
    stricter = boundary_services.boundary_create(actor=cio, limits={**PERMISSIVE, "max_autonomy": 1})
    signed_by_both(stricter, cio, ciso)
    decide(ciso, use_case)
    use_case.refresh_from_db()
    assert (
        use_case.status == Status.RE_REVIEW_DUE
        and "took effect during the decision" in use_case.status_reason
    )


def test_a_withdrawal_between_the_two_decisions_ends_the_cycle_without_counting_as_decided(
    make_use_case, boundary, cio, ciso, requester
):
    from config.quarters import Quarter
    from reporting.pack import pack_context

    use_case = make_use_case(submit=True)
    decide(cio, use_case)
    intake_services.use_case_withdraw(actor=requester, use_case=use_case, reason="Project stopped.")

    cycle = ReviewCycle.objects.get(use_case=use_case)
    assert cycle.closed_at is not None and cycle.outcome == "withdrawn"
    # The decision made stays on record.
    assert list(cycle.decisions.values_list("slot", flat=True)) == ["cio"]
    event = AuditEvent.objects.get(action="approvals.cycle_ended")
    assert event.payload["decided"] == ["cio"] and event.payload["outcome"] == "withdrawn"
    assert audit_chain_verify().ok
    # Nothing waits on the CISO any more, and the board pack does not count it among the quarter's decisions.
    with pytest.raises((DomainError, InvalidTransition, NotAllowed)):
        decide(ciso, use_case)
    context = pack_context(Quarter.containing(timezone.localdate()), timezone.now())
    assert context["decisions"]["count"] == 0


def test_a_withdrawal_before_any_decision_opens_no_cycle(make_use_case, boundary, requester):
    use_case = make_use_case(submit=True)
    intake_services.use_case_withdraw(actor=requester, use_case=use_case)

    assert not ReviewCycle.objects.filter(use_case=use_case).exists()
    assert not AuditEvent.objects.filter(action="approvals.cycle_ended").exists()


def test_a_re_reviews_time_to_decision_runs_from_its_flag_not_the_first_submission(
    make_use_case, boundary, cio, ciso
):
    from datetime import UTC, datetime

    from config.quarters import Quarter
    from reporting.pack import pack_context

    with time_machine.travel(datetime(2025, 1, 10, 9, tzinfo=UTC), tick=False):
        use_case = make_use_case(submit=True)  # medium band: re-review after 12 months
        decide(cio, use_case)
        decide(ciso, use_case)
    with time_machine.travel(datetime(2026, 10, 5, 6, tzinfo=UTC), tick=False):
        assert re_review_sweep(today=date(2026, 10, 5)) == [use_case.reference]
    with time_machine.travel(datetime(2026, 10, 7, 6, tzinfo=UTC), tick=False):
        decide(cio, use_case)
        decide(ciso, use_case)

    cycle = ReviewCycle.objects.get(use_case=use_case, kind="re_review")
    assert cycle.waiting_since == datetime(2026, 10, 5, 6, tzinfo=UTC)
    context = pack_context(Quarter.parse("2026-Q4"), datetime(2026, 12, 31, 22, 59, tzinfo=UTC))
    [row] = context["decisions"]["rows"]
    assert row["re_review"] and row["days"] == 2.0  # not the 635 days since the first submission
    assert context["decisions"]["median_days"] == 2.0


def test_each_start_of_waiting_opens_a_new_review_round(make_use_case, boundary, requester, cio, ciso):
    use_case = make_use_case()
    assert use_case.review_round == 0
    use_case = intake_services.use_case_submit(actor=requester, use_case=use_case)
    assert use_case.review_round == 1
    decide(cio, use_case, "request_changes", rationale="Name the owner.")
    use_case.refresh_from_db()
    assert use_case.review_round == 1  # deciding does not start a round
    intake_services.use_case_update(actor=requester, use_case=use_case, changes={"human_oversight": "Ops."})
    use_case = intake_services.use_case_submit(actor=requester, use_case=use_case)
    assert use_case.review_round == 2
    decide(cio, use_case)
    decide(ciso, use_case)
    use_case = intake_services.use_case_flag_re_review(actor=None, use_case=use_case, reason="Due.")
    assert use_case.review_round == 3
    decide(cio, use_case)
    assert list(
        ReviewCycle.objects.filter(use_case=use_case)
        .order_by("opened_at")
        .values_list("review_round", "kind")
    ) == [(1, "initial"), (2, "initial"), (3, "re_review")]
    flagged = AuditEvent.objects.filter(action="intake.use_case_flag_re_review").get()
    assert flagged.payload["review_round"] == 3
    assert (
        AuditEvent.objects.filter(action="approvals.decision_recorded")
        .latest("sequence")
        .payload["review_round"]
        == 3
    )


def test_a_decision_for_a_round_that_is_over_is_refused_naming_the_round(make_use_case, boundary, cio, ciso):
    use_case = make_use_case(submit=True)
    decide(cio, use_case, review_round=1)
    decide(ciso, use_case, review_round=1)
    intake_services.use_case_flag_re_review(actor=None, use_case=use_case, reason="Due.")
    with pytest.raises(InvalidTransition, match="review round 2 now, not round 1") as excinfo:
        decide(cio, use_case, review_round=1)
    assert set(excinfo.value.errors) == {"review_round"}
    assert not ReviewCycle.objects.filter(use_case=use_case, review_round=2).exists()  # nothing was opened
    decide(cio, use_case, review_round=2)
    with pytest.raises(InvalidTransition, match="round 3"):  # a round that has not begun is no better
        decide(ciso, use_case, review_round=3)


def test_a_request_sent_before_a_boundary_activation_cannot_decide_the_re_review_it_opens(
    make_use_case, boundary, cio, ciso
):
    from riskboundaries import services as boundary_services
    from tests.riskboundaries.conftest import PERMISSIVE, run_re_review_passes, signed_by_both

    use_case = make_use_case(answers={**CHATBOT, "autonomy": 2}, submit=True)
    revision_hash = use_case.revisions.get().content_hash
    decide(cio, use_case, review_round=1, seen_hash=revision_hash)
    decide(ciso, use_case, review_round=1, seen_hash=revision_hash)
    stricter = boundary_services.boundary_create(actor=cio, limits={**PERMISSIVE, "max_autonomy": 1})
    signed_by_both(stricter, cio, ciso)
    run_re_review_passes()
    use_case.refresh_from_db()
    assert use_case.status == Status.RE_REVIEW_DUE and use_case.review_round == 2
    late = UserFactory(username="late_cio", roles=[Role.CIO])
    with pytest.raises(InvalidTransition) as excinfo:
        decide(
            late,
            use_case,
            "approve_with_exception",
            rationale="Sent before the flag.",
            exception_expires_on=timezone.localdate() + timedelta(days=30),
            review_round=1,
            seen_hash=revision_hash,
        )
    assert set(excinfo.value.errors) == {"review_round"}
    assert Approval.objects.filter(use_case=use_case).count() == 1


def test_the_round_is_checked_before_anything_is_opened_or_recorded(make_use_case, boundary, cio):
    use_case = make_use_case(submit=True)
    with pytest.raises(InvalidTransition):
        decide(cio, use_case, review_round=0)
    assert not ReviewCycle.objects.exists() and not SlotDecision.objects.exists()
    assert not AuditEvent.objects.filter(action="approvals.decision_recorded").exists()


def test_segregation_of_duties_is_still_refused_with_a_current_round(make_use_case, boundary, requester):
    use_case = make_use_case(submit=True)
    with pytest.raises(NotAllowed, match="You submitted this request"):
        decide(requester, use_case, review_round=1)


def test_a_round_reads_open_then_decided_and_cannot_end_twice(make_use_case, boundary, cio, ciso):
    from approvals.services import _cycle_end

    use_case = make_use_case(submit=True)
    decide(cio, use_case)
    cycle = ReviewCycle.objects.get(use_case=use_case)
    assert cycle.state == "open"
    decide(ciso, use_case)
    cycle.refresh_from_db()
    assert cycle.state == "decided"
    closed_at = cycle.closed_at
    with pytest.raises(InvalidTransition, match="a review round that is decided"):
        _cycle_end(cycle, "withdrawn")
    cycle.refresh_from_db()
    assert (cycle.state, cycle.outcome, cycle.closed_at) == ("decided", "approved", closed_at)


def test_a_withdrawn_round_reads_withdrawn(make_use_case, boundary, cio, requester):
    use_case = make_use_case(submit=True)
    decide(cio, use_case)
    intake_services.use_case_withdraw(actor=requester, use_case=use_case)
    assert ReviewCycle.objects.get(use_case=use_case).state == "withdrawn"
