"""Every write of the joint decision: a slot decision (and the outcome it may complete), conditions, re-review sweeps.

Each runs in one transaction under the use case's row lock, applies state changes through the use-case state table
(intake.services.use_case_conclude / use_case_flag_re_review), writes its audit events and notifies after commit.
"""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from approvals import events, hooks, policies
from approvals.models import Approval, Condition, ReviewCycle, SlotDecision
from approvals.rules import (
    MAX_NOTE,
    ConditionInput,
    Outcome,
    decision_errors,
    decisions_in_words,
    outcome,
    re_review_on,
)
from approvals.selectors import cycle_check, exception_max_days_of
from approvals.tasks import notify_decision
from approvals.workflow import ended_state
from audit.services import audit_batch, audit_record
from config.dates import human_date
from config.errors import DomainError, InvalidTransition, NotAllowed
from config.text import ensure_text
from intake.hooks import check_against_active_boundary
from intake.models import UseCase
from intake.services import use_case_conclude, use_case_flag_re_review
from intake.workflow import WAITING_FOR_DECISION, Action, Status
from outbox.services import enqueue

OUTCOME_ACTIONS = {
    Outcome.APPROVED: Action.APPROVE,
    Outcome.REJECTED: Action.REJECT,
    Outcome.CHANGES_REQUESTED: Action.REQUEST_CHANGES,
}


def _open_cycle(use_case: UseCase) -> ReviewCycle:
    """The open review cycle of a use case waiting for decisions; opened on first use for its latest revision."""
    cycle = ReviewCycle.objects.filter(use_case=use_case, closed_at__isnull=True).first()
    if cycle is not None:
        return cycle
    revision = use_case.revisions.order_by("-number").first()
    kind = ReviewCycle.Kind.RE_REVIEW if use_case.status == Status.RE_REVIEW_DUE else ReviewCycle.Kind.INITIAL
    check = cycle_check(use_case, revision)
    return ReviewCycle.objects.create(
        use_case=use_case,
        revision=revision,
        kind=kind,
        review_round=use_case.review_round,
        boundary_verdict=check.verdict.value if check else "",
        boundary_version=check.boundary_version if check else None,
        # The longest exception comes from the same boundary as the verdict.
        exception_max_days=exception_max_days_of(check),
        boundary_conditions=[c.to_dict() for c in check.check.conditions] if check else [],
        opened_at=timezone.now(),
        waiting_since=use_case.awaiting_decision_since or revision.submitted_at,
    )


def decision_record(
    *,
    actor: Any,
    use_case: UseCase,
    decision: str,
    rationale: str = "",
    conditions: Iterable[ConditionInput] = (),
    exception_expires_on: date | None = None,
    slot: str | None = None,
    review_round: int | None = None,
    seen_hash: str | None = None,
) -> SlotDecision:
    """Record one slot's decision on the current revision; complete the outcome when it is the deciding one.

    `review_round` and `seen_hash` are what the decider saw (the API and the review form always send both): a
    decision is bound to that round and revision, and refused (409, naming the field) when either is no longer
    current. Both are checked under the use case's row lock, so a request sent before a re-review or a resubmission
    opened can never decide it. Callers that decide on whatever is current (the demo, test set-up) pass neither.
    """
    conditions = list(conditions)
    with transaction.atomic(), audit_batch():
        locked = UseCase.objects.select_for_update().select_related("team", "submitter").get(pk=use_case.pk)
        if locked.status not in WAITING_FOR_DECISION:
            raise InvalidTransition(
                f"{locked.reference} is {locked.get_status_display().lower()}: it is not waiting for a decision."
            )
        my_slots = set(
            SlotDecision.objects.filter(use_case=locked, decider=actor).values_list("slot", flat=True)
        )
        chosen = policies.slot_for(actor, locked, slot, my_slots)
        if review_round is not None and review_round != locked.review_round:
            raise InvalidTransition(
                f"{locked.reference} is in review round {locked.review_round} now, not round {review_round} "
                "that you read: read it again before deciding.",
                errors={"review_round": [f"Not the current round ({locked.review_round})."]},
            )
        cycle = _open_cycle(locked)
        if seen_hash is not None and seen_hash != cycle.revision.content_hash:
            raise InvalidTransition(
                f"Revision {cycle.revision.number} of {locked.reference} is not the revision you reviewed: "
                "review it before deciding.",
                errors={"content_hash": ["Not the current revision's content hash."]},
            )
        slots = dict(cycle.decisions.values_list("slot", "decision"))
        if chosen in slots:
            raise InvalidTransition(
                f"The {chosen.upper()} decision on revision {cycle.revision.number} is already recorded."
            )
        today = timezone.localdate()
        errors = decision_errors(
            decision=decision,
            rationale=rationale,
            conditions=conditions,
            exception_expires_on=exception_expires_on,
            verdict=cycle.boundary_verdict,
            today=today,
            exception_max_days=cycle.exception_max_days,
            in_re_review=cycle.kind == ReviewCycle.Kind.RE_REVIEW,
        )
        if errors:
            raise DomainError("The decision cannot be recorded as it is.", errors=errors)
        recorded = SlotDecision.objects.create(
            cycle=cycle,
            use_case=locked,
            revision_number=cycle.revision.number,
            content_hash=cycle.revision.content_hash,
            slot=chosen,
            decider=actor,
            decision=decision,
            rationale=rationale.strip(),
            exception_expires_on=exception_expires_on,
            proposed_conditions=[
                {
                    "text": c.text.strip(),
                    "owner": c.owner.strip() or str(locked.submitter),
                    "due_on": c.due_on.isoformat() if c.due_on else None,
                }
                for c in conditions
            ],
            decided_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action=events.DECISION_RECORDED,
            obj=locked,
            payload={
                "reference": locked.reference,
                "slot": chosen,
                "decision": decision,
                "revision": recorded.revision_number,
                "content_hash": recorded.content_hash,
                "review_round": cycle.review_round,
                "boundary_verdict": cycle.boundary_verdict,
                "exception_expires_on": exception_expires_on.isoformat() if exception_expires_on else None,
                "conditions": recorded.proposed_conditions,
            },
        )
        slots[chosen] = decision
        result = outcome(slots)
        if result != Outcome.WAITING:
            _close(locked, cycle, result, actor=actor)
        enqueue(notify_decision, recorded.pk, result)
    return recorded


def cycle_end_on_withdrawal(use_case: UseCase, action: str, actor: Any) -> None:
    """A request withdrawn while it waits for the second decision: its review cycle ends there, saying so.

    Called by intake inside the withdrawal's transaction, which holds the use case's row lock: decisions on it wait.
    The decision already made stays on record; the cycle no longer counts as waiting, nor as decided.
    """
    if action != Action.WITHDRAW:
        return
    cycle = ReviewCycle.objects.filter(use_case=use_case, closed_at__isnull=True).first()
    if cycle is None:
        return
    _cycle_end(cycle, Outcome.WITHDRAWN)
    audit_record(
        actor=actor,
        action=events.REVIEW_ROUND_ENDED,
        obj=use_case,
        payload={
            "reference": use_case.reference,
            "cycle": cycle.pk,
            "revision": cycle.revision.number,
            "outcome": Outcome.WITHDRAWN.value,
            "decided": sorted(cycle.decisions.values_list("slot", flat=True)),
        },
    )


def _cycle_end(cycle: ReviewCycle, outcome: str) -> datetime:
    """The one place a review round changes state: its table says whether the round may end with ``outcome``."""
    # The round's state is read from these two fields; the table refuses what does not exist (ending it twice).
    ended_state(cycle.state, outcome)
    cycle.closed_at, cycle.outcome = timezone.now(), outcome
    cycle.save(update_fields=["closed_at", "outcome"])
    return cycle.closed_at


def _close(use_case: UseCase, cycle: ReviewCycle, result: str, *, actor: Any) -> None:
    now = _cycle_end(cycle, result)
    decisions = list(cycle.decisions.select_related("decider").order_by("slot"))
    summary = decisions_in_words([(d.slot, str(d.decider), d.decision) for d in decisions])
    use_case_conclude(
        actor=actor,
        use_case=use_case,
        action=OUTCOME_ACTIONS[result],
        reason=summary,
        payload={"revision": cycle.revision.number, "cycle": cycle.pk},
    )
    if result != Outcome.APPROVED:
        return
    expiries = [d.exception_expires_on for d in decisions if d.exception_expires_on]
    exception_expires_on = min(expiries) if expiries else None
    approval = Approval.objects.create(
        use_case=use_case,
        cycle=cycle,
        approved_at=now,
        re_review_on=re_review_on(use_case.band, timezone.localdate(), exception_expires_on),
        exception_expires_on=exception_expires_on,
    )
    created = []
    required_ids = {required.control_id for required in cycle.required_controls}
    for decision in decisions:
        for item in decision.proposed_conditions:
            # A required control the decider kept (the review form pre-fills them as "C-07 Name") is that control,
            # tracked once: it is not attached a second time below.
            first_word = item["text"].split(" ", 1)[0]
            created.append(
                Condition.objects.create(
                    use_case=use_case,
                    decision=decision,
                    source=Condition.Source.REVIEWER,
                    control_id=first_word if first_word in required_ids else "",
                    text=item["text"],
                    owner=item["owner"],
                    due_on=date.fromisoformat(item["due_on"]) if item["due_on"] else None,
                )
            )
    # The controls the boundary requires for its tier go with every approval (within with conditions or exception).
    existing = set(use_case.conditions.filter(met_at__isnull=True).values_list("control_id", flat=True))
    for required in cycle.required_controls:
        if required.control_id not in existing:
            created.append(
                Condition.objects.create(
                    use_case=use_case,
                    source=Condition.Source.BOUNDARY,
                    control_id=required.control_id,
                    text=f"{required.control_id} {required.name}",
                    owner=str(use_case.submitter),
                )
            )
    audit_record(
        actor=actor,
        action=events.APPROVAL_RECORDED,
        obj=use_case,
        payload={
            "reference": use_case.reference,
            "revision": cycle.revision.number,
            "re_review_on": approval.re_review_on.isoformat(),
            "exception_expires_on": exception_expires_on.isoformat() if exception_expires_on else None,
            "conditions": [
                {
                    "text": c.text,
                    "owner": c.owner,
                    "due_on": c.due_on.isoformat() if c.due_on else None,
                    "source": c.source,
                }
                for c in created
            ],
        },
    )
    # If a new risk boundary took effect while the decisions were being made and this use case breaches it, the
    # approval stands but goes straight to re-review against the new boundary.
    revision = cycle.revision
    current = check_against_active_boundary(revision.content["answers"], revision.assessment)
    if current and current.boundary_version != cycle.boundary_version and current.verdict.breaches:
        use_case_flag_re_review(
            actor=None,
            use_case=use_case,
            reason=f"Risk boundary v{current.boundary_version} took effect during the decision and this use case "
            "breaches it.",
            payload={
                "boundary_version": current.boundary_version,
                "breaches": [breach.to_dict() for breach in current.check.breaches],
            },
        )


def condition_mark_met(*, actor: Any, condition: Condition, note: str = "") -> Condition:
    note = note.strip()
    ensure_text({"note": note}, max_lengths={"note": MAX_NOTE})
    with transaction.atomic():
        locked = Condition.objects.select_for_update().select_related("use_case").get(pk=condition.pk)
        if not policies.can_mark_condition_met(actor, locked.use_case):
            raise NotAllowed("Only the requester marks the conditions of their use case as met.")
        if locked.met_at is not None:
            raise InvalidTransition("This condition is already marked as met.")
        refusal = hooks.condition_met_refusal(locked)
        if refusal:
            raise DomainError(refusal, errors={"evidence": [refusal]})
        locked.met_at, locked.met_by = timezone.now(), actor
        locked.save(update_fields=["met_at", "met_by"])
        audit_record(
            actor=actor,
            action=events.CONDITION_MET,
            obj=locked.use_case,
            payload={"condition": locked.pk, "text": locked.text, "note": note},
        )
    return locked


def re_review_sweep(*, today: date | None = None) -> list[str]:
    """Move every approval that is due (re-review date reached or exception expired) to re-review. Idempotent."""
    today = today or timezone.localdate()
    latest = Approval.objects.filter(use_case=OuterRef("pk")).order_by("-approved_at")
    due = (
        UseCase.objects.filter(status=Status.APPROVED)
        .annotate(
            due_on=Subquery(latest.values("re_review_on")[:1]),
            expires_on=Subquery(latest.values("exception_expires_on")[:1]),
        )
        .filter(due_on__lte=today)
        .order_by("id")
    )
    moved = []
    for candidate in due:
        expired = candidate.expires_on is not None and candidate.expires_on <= today
        reason = (
            f"The exception expired on {human_date(candidate.expires_on)}."
            if expired
            else f"Re-review due since {human_date(candidate.due_on)}."
        )
        with transaction.atomic():
            use_case = UseCase.objects.select_for_update().get(pk=candidate.pk)
            if use_case.status != Status.APPROVED:
                continue  # decided on in the meantime
            use_case_flag_re_review(
                actor=None,
                use_case=use_case,
                reason=reason,
                payload={"sweep": today.isoformat(), "expired": expired},
            )
        moved.append(use_case.reference)
    audit_record(
        actor=None, action=events.RE_REVIEW_SWEEP, payload={"date": today.isoformat(), "moved": moved}
    )
    return moved
