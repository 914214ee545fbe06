"""Every write to use cases: create, edit, submit (with the system's rejection of prohibited practices), withdraw.

Each runs in one transaction under a row lock on the use case, changes state only through the workflow table,
grants or revokes guardian permissions, and writes its audit events; notifications go out after commit.
"""

import hashlib
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from accounts.roles import Role
from audit.chain import canonical_json
from audit.services import audit_batch, audit_record
from config.dates import human_date
from config.errors import DomainError, InvalidTransition, NotAllowed, NotFound
from config.text import ensure_text, text_errors
from intake import events, hooks, permissions, policies, selectors
from intake.answers import ANSWER_FIELDS, applicable_answers, clean_answers, full_answers
from intake.assessment import RULESET_VERSION, assess, duties
from intake.assessment.changes import compare as compare_assessments
from intake.contracts import SavedAssessment
from intake.models import (
    KeyDate,
    ObligationState,
    ReferenceCounter,
    RulesetAcknowledgement,
    RulesetChange,
    RulesetUpgrade,
    UseCase,
    UseCaseRevision,
)
from intake.presenters import describe_ruleset_change
from intake.tasks import notify_re_review_due, notify_reviewers_of_submission, ruleset_apply, ruleset_reassess
from intake.workflow import PORTFOLIO_STATES, RULESET_UPGRADE_STEPS, TABLE, Action, Status, next_state
from outbox.services import enqueue

DESCRIPTIVE_FIELDS = ("title", "summary", "business_owner", "business_value", "go_live_target")
WITHDRAW_REASON_MAX_LENGTH = 2000


def _next_reference(year: int) -> str:
    try:
        counter = ReferenceCounter.objects.select_for_update().get(year=year)
    except ReferenceCounter.DoesNotExist:  # the year's first request
        ReferenceCounter.objects.get_or_create(year=year)
        counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"GAI-{year}-{counter.last:04d}"


def _locked(use_case: UseCase) -> UseCase:
    return UseCase.objects.select_for_update().select_related("team", "submitter").get(pk=use_case.pk)


def _transition(
    use_case: UseCase, action: str, *, actor: Any, reason: str = "", payload: dict | None = None
) -> None:
    """The one place a use case changes state: through the workflow table, audited."""
    before = use_case.status
    use_case.status = next_state(before, action)
    use_case.status_reason = reason
    use_case.save(update_fields=["status", "status_reason", "updated_at"])
    audit_record(
        actor=actor,
        action=events.USE_CASE_TRANSITIONS[action],
        obj=use_case,
        payload={"reference": use_case.reference, "from": before, "to": use_case.status, **(payload or {})},
    )
    hooks.transitioned(use_case, action, actor=actor)


def _split_changes(changes: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    unknown = [k for k in changes if k not in DESCRIPTIVE_FIELDS and k not in ANSWER_FIELDS]
    if unknown:
        raise DomainError("Unknown fields.", errors={k: ["Unknown field."] for k in unknown})
    descriptive = {k: v for k, v in changes.items() if k in DESCRIPTIVE_FIELDS}
    answers = {k: v for k, v in changes.items() if k in ANSWER_FIELDS}
    return descriptive, answers


def _apply(use_case: UseCase, descriptive: Mapping[str, Any], answer_changes: Mapping[str, Any]) -> list[str]:
    """Validate everything first, then set it: a refused change leaves the use case exactly as it was."""
    errors: dict[str, list[str]] = {}
    merged = {**use_case.answers, **answer_changes}
    merged = {k: v for k, v in merged.items() if v is not None}
    try:
        # An answer to a question that no longer applies (a minor-role claim once the area is "None") is dropped.
        cleaned = applicable_answers(clean_answers(merged))
    except DomainError as exc:
        errors.update(exc.errors)
        cleaned = None
    candidate = UseCase(**{f: getattr(use_case, f) for f in DESCRIPTIVE_FIELDS}, team=use_case.team)
    for name, value in descriptive.items():
        setattr(candidate, name, value.strip() if isinstance(value, str) else value)
    # full_clean leaves a TextField's max_length to forms: checked here, once for every client.
    text_limits = {name: UseCase._meta.get_field(name).max_length for name in ("summary", "business_value")}
    typed = {name: getattr(candidate, name) for name in descriptive}
    errors.update(text_errors(typed, max_lengths=text_limits))
    try:
        candidate.full_clean(
            exclude=["reference", "submitter", "answers", "team"], validate_constraints=False
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    errors.update(_go_live_errors(candidate.go_live_target, was=use_case.go_live_target))
    if errors:
        raise DomainError("Some fields are not valid.", errors=errors)
    changed = [f for f in DESCRIPTIVE_FIELDS if getattr(candidate, f) != getattr(use_case, f)]
    changed += sorted(k for k in ANSWER_FIELDS if cleaned.get(k) != use_case.answers.get(k))
    for name in DESCRIPTIVE_FIELDS:
        setattr(use_case, name, getattr(candidate, name))
    use_case.answers = cleaned
    _refresh_preview(use_case)
    return changed


def _go_live_errors(go_live: date | None, *, was: date | None) -> dict[str, list[str]]:
    """A target go-live date is refused once it has passed; a draft that already holds one still saves unchanged."""
    if go_live is None or go_live == was or go_live >= timezone.localdate():
        return {}
    return {
        "go_live_target": [
            f"The target go-live date {human_date(go_live)} has passed: "
            "choose today or a later date, or leave it blank."
        ]
    }


def _refresh_preview(use_case: UseCase) -> None:
    result = assess(use_case.answers)
    use_case.tier, use_case.band, use_case.score = result.tier, result.band, result.score


def use_case_create(
    *,
    actor: Any,
    team: Any,
    title: str,
    summary: str = "",
    business_owner: str = "",
    business_value: str = "",
    go_live_target: date | None = None,
    answers: Mapping[str, Any] | None = None,
) -> UseCase:
    policies.ensure_can_create(actor, team)
    with transaction.atomic(), audit_batch():
        use_case = UseCase(team=team, submitter=actor, answers={})
        _apply(
            use_case,
            {
                "title": title,
                "summary": summary,
                "business_owner": business_owner,
                "business_value": business_value,
                "go_live_target": go_live_target,
            },
            dict(answers or {}),
        )
        use_case.reference = _next_reference(timezone.localdate().year)
        use_case.save()
        audit_record(
            actor=actor,
            action=events.USE_CASE_CREATED,
            obj=use_case,
            payload={"reference": use_case.reference, "title": use_case.title, "team": team.name},
        )
        permissions.grant(
            actor=actor,
            use_case=use_case,
            users=[(actor, permissions.VIEW), (actor, permissions.CHANGE)],
            groups=[(team.group, permissions.VIEW)] if team.group_id else [],
            new_use_case=True,
        )
    return use_case


def use_case_update(*, actor: Any, use_case: UseCase, changes: Mapping[str, Any]) -> UseCase:
    """Edit while draft or changes requested, by the submitter only. Partial: only the given fields change."""
    with transaction.atomic():
        locked = _locked(use_case)
        policies.ensure_is_submitter(actor, locked, "edit")
        next_state(locked.status, Action.EDIT)  # 409 unless the state allows editing
        descriptive, answer_changes = _split_changes(changes)
        changed = _apply(locked, descriptive, answer_changes)
        if changed:
            locked.save()
            audit_record(
                actor=actor,
                action=events.USE_CASE_EDITED,
                obj=locked,
                payload={"reference": locked.reference, "fields": changed},
            )
    return locked


def content_of(use_case: UseCase) -> dict[str, Any]:
    """What a revision freezes: the description and every answer, in canonical form."""
    return {
        "title": use_case.title,
        "summary": use_case.summary,
        "business_owner": use_case.business_owner,
        "business_value": use_case.business_value,
        "go_live_target": use_case.go_live_target.isoformat() if use_case.go_live_target else None,
        "team": use_case.team.name,
        "answers": full_answers(use_case.answers),
    }


def content_hash(content: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def use_case_submit(*, actor: Any, use_case: UseCase) -> UseCase:
    """Freeze the answers and the assessment into the next revision and hand it to the CIO and the CISO.

    A request with any Art. 5 practice is closed as rejected by the system at once, citing the articles.
    """
    with transaction.atomic(), audit_batch():
        locked = _locked(use_case)
        policies.ensure_is_submitter(actor, locked, "submit")
        action = Action.RESUBMIT if TABLE.allows(locked.status, Action.RESUBMIT) else Action.SUBMIT
        next_state(locked.status, action)  # 409 before anything else
        missing = policies.submission_gaps(locked.title, locked.answers)
        if missing:
            raise DomainError(
                "Some questions still need an answer, or some answers contradict each other, before submitting.",
                errors=missing,
            )

        assessment = assess(locked.answers).to_dict()
        assessed = SavedAssessment.of(assessment)
        boundary = hooks.check_against_active_boundary(locked.answers, assessed)
        content = content_of(locked)
        now = timezone.now()
        revision = UseCaseRevision.objects.create(
            use_case=locked,
            number=locked.revision_count + 1,
            content=content,
            content_hash=content_hash(content),
            assessment=assessment,
            ruleset_version=assessed.ruleset_version,
            boundary_check=boundary.check.to_dict() if boundary else {},
            boundary_version=boundary.boundary_version if boundary else None,
            submitted_by=actor,
            submitted_at=now,
        )
        locked.revision_count = revision.number
        locked.submitted_at = locked.awaiting_decision_since = now
        locked.review_round += 1  # a new round of decisions: anything decided on an earlier one is stale
        locked.tier, locked.band, locked.score = assessed.tier, assessed.band, assessed.score
        locked.boundary_verdict = boundary.verdict if boundary else ""
        locked.check_facts = hooks.check_facts(content.get("answers") or {}, assessment)
        locked.save(
            update_fields=[
                "revision_count",
                "submitted_at",
                "awaiting_decision_since",
                "review_round",
                "tier",
                "band",
                "score",
                "boundary_verdict",
                "check_facts",
                "updated_at",
            ]
        )
        _transition(
            locked,
            action,
            actor=actor,
            payload={
                "revision": revision.number,
                "content_hash": revision.content_hash,
                "review_round": locked.review_round,
                "tier": locked.tier,
                "band": locked.band,
                "boundary_version": revision.boundary_version,
                "boundary_verdict": locked.boundary_verdict,
            },
        )
        permissions.revoke_user(actor=actor, use_case=locked, user=actor, codename=permissions.CHANGE)
        permissions.grant(
            actor=actor, use_case=locked, groups=[(role, permissions.VIEW) for role in (Role.CIO, Role.CISO)]
        )

        practices = assessed.prohibited_practices
        if practices:
            # Banned in the EU (Art. 5) and, without an EU connection, by company policy: never goes to review.
            citations = sorted({p.citation for p in practices})
            locked.closed_by_system = True
            locked.save(update_fields=["closed_by_system"])
            _transition(
                locked,
                Action.SYSTEM_REJECT,
                actor=None,
                reason="Closed automatically: it involves a prohibited practice ("
                + "; ".join(citations)
                + ").",
                payload={
                    "practices": list(locked.answers.get("prohibited_practices", [])),
                    "rules": [p.id for p in practices],
                    "citations": citations,
                },
            )
        else:
            enqueue(notify_reviewers_of_submission, locked.pk, revision.number)
    return locked


def use_case_withdraw(*, actor: Any, use_case: UseCase, reason: str = "") -> UseCase:
    with transaction.atomic(), audit_batch():
        locked = _locked(use_case)
        policies.ensure_is_submitter(actor, locked, "withdraw")
        reason = reason.strip()
        ensure_text({"reason": reason}, max_lengths={"reason": WITHDRAW_REASON_MAX_LENGTH})
        _transition(locked, Action.WITHDRAW, actor=actor, reason=reason)
        permissions.revoke_user(actor=actor, use_case=locked, user=actor, codename=permissions.CHANGE)
    return locked


def use_case_flag_re_review(
    *, actor: Any, use_case: UseCase, reason: str, payload: dict | None = None
) -> UseCase:
    """Move an approved use case to re-review (a boundary change, a sweep); the reason is recorded."""
    with transaction.atomic(), audit_batch():
        locked = _locked(use_case)
        locked.review_round += 1  # the re-review is a new round: decisions sent before the flag do not count
        _transition(
            locked,
            Action.FLAG_RE_REVIEW,
            actor=actor,
            reason=reason,
            payload={**(payload or {}), "review_round": locked.review_round},
        )
        # A re-review is judged against the boundary in force now: show that verdict from here on.
        revision = locked.revisions.order_by("-number").first()
        current = hooks.check_against_active_boundary(revision.content["answers"], revision.assessment)
        locked.boundary_verdict = current.verdict if current else locked.boundary_verdict
        locked.awaiting_decision_since = timezone.now()
        locked.save(
            update_fields=["boundary_verdict", "awaiting_decision_since", "review_round", "updated_at"]
        )
        enqueue(notify_re_review_due, locked.pk)
    return locked


@dataclass(frozen=True)
class ReReviewFlag:
    """One approved use case to move to re-review: why, and its verdict against the boundary now in force."""

    use_case_id: int
    reason: str
    boundary_verdict: str
    payload: Mapping[str, Any]


def use_cases_flag_re_review(*, flags: Sequence[ReReviewFlag], approved_before: datetime) -> list[int]:
    """Move many approved use cases to re-review at once (a new risk boundary): the same transition, audit event and
    verdict as ``use_case_flag_re_review``, in a fixed number of statements for any number of them.

    Only use cases still approved, and unchanged since ``approved_before``, move: one decided since then was decided
    against the limits in force now. The system acts, so no one is named. Runs inside the caller's transaction (and
    audit batch) and returns the ids moved. Both executives are told once, by the caller, not once per use case.
    """
    by_id = {flag.use_case_id: flag for flag in flags}
    if not by_id:
        return []
    locked = list(
        UseCase.objects.select_for_update()
        .filter(pk__in=by_id, status=Status.APPROVED, updated_at__lte=approved_before)
        .order_by("pk")
        .values_list("pk", "reference", "review_round")
    )
    if not locked:
        return []
    after = next_state(Status.APPROVED, Action.FLAG_RE_REVIEW)
    now = timezone.now()

    def per_row(value_of) -> Case:
        return Case(*(When(pk=pk, then=Value(value_of(by_id[pk]))) for pk, _, _ in locked))

    UseCase.objects.filter(pk__in=[pk for pk, _, _ in locked]).update(
        status=after,
        status_reason=per_row(lambda flag: flag.reason),
        boundary_verdict=per_row(lambda flag: flag.boundary_verdict),
        review_round=F("review_round") + 1,
        awaiting_decision_since=now,
        updated_at=now,
    )
    for pk, reference, review_round in locked:
        moved = UseCase(pk=pk, reference=reference, status=after, review_round=review_round + 1)
        audit_record(
            actor=None,
            action=events.USE_CASE_TRANSITIONS[Action.FLAG_RE_REVIEW],
            obj=moved,
            payload={
                "reference": reference,
                "from": Status.APPROVED,
                "to": after,
                **by_id[pk].payload,
                "review_round": moved.review_round,
            },
        )
        hooks.transitioned(moved, Action.FLAG_RE_REVIEW, actor=None)
    return [pk for pk, _, _ in locked]


DECISION_ACTIONS = (Action.APPROVE, Action.REJECT, Action.REQUEST_CHANGES)


def use_case_conclude(
    *, actor: Any, use_case: UseCase, action: str, reason: str, payload: dict | None = None
) -> None:
    """Apply the joint outcome of the CIO and CISO decisions. The caller holds the row lock (approvals services).

    Asking for changes hands the request back to its submitter for editing.
    """
    if action not in DECISION_ACTIONS:
        raise ValueError(f"not a decision outcome: {action}")
    _transition(use_case, action, actor=actor, reason=reason, payload=payload)
    if action == Action.REQUEST_CHANGES:
        permissions.grant_user(
            actor=actor, use_case=use_case, user=use_case.submitter, codename=permissions.CHANGE
        )


MAX_OBLIGATION_REASON = 1000


def obligation_set_state(
    *, actor: Any, use_case: UseCase, obligation: str, state: str, reason: str = ""
) -> ObligationState | None:
    """Say where one EU AI Act obligation of the use case stands: open, in hand, met, or not applicable (with the
    reason, which is required). Audited with the state before and after; saying the same again changes nothing."""
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if state not in ObligationState.State.values:
        errors["state"] = [f"“{state}” is not one of: {', '.join(ObligationState.State.values)}."]
    elif state == ObligationState.State.NOT_APPLICABLE and not reason:
        errors["reason"] = ["Say why this obligation does not apply to this use case."]
    errors.update(text_errors({"reason": reason}, max_lengths={"reason": MAX_OBLIGATION_REASON}))
    if errors:
        raise DomainError("The obligation was not updated.", errors=errors)
    with transaction.atomic():
        locked = _locked(use_case)
        if not policies.can_update_obligations(actor, locked):
            raise NotAllowed(
                "Only the requester who owns this use case, the CIO and the CISO keep its obligations, and not once "
                "it is closed."
            )
        assessment, _ = selectors.use_case_assessment(locked)
        item = next((i for i in duties.items_of(assessment) if i["id"] == obligation), None)
        if item is None:
            raise NotFound(f"{locked.reference} has no obligation “{obligation[:60]}”.")
        current = ObligationState.objects.filter(use_case=locked, obligation=obligation).first()
        before = current.state if current else ObligationState.State.OPEN
        if current is not None and (current.state, current.reason) == (state, reason):
            return current
        if current is None and state == ObligationState.State.OPEN and not reason:
            return None
        row, _ = ObligationState.objects.update_or_create(
            use_case=locked,
            obligation=obligation,
            defaults={"state": state, "reason": reason, "updated_by": actor, "updated_at": timezone.now()},
        )
        audit_record(
            actor=actor,
            action=events.OBLIGATION_STATE_CHANGED,
            obj=locked,
            payload={
                "obligation": obligation,
                "citation": item["citation"],
                "from": before,
                "to": state,
                "from_label": duties.STATE_LABELS[before],
                "to_label": duties.STATE_LABELS[state],
                "reason": reason,
            },
        )
    return row


def key_date_update(*, actor: Any, key_date: KeyDate, applies_on: date, what: str | None = None) -> KeyDate:
    """Move one of the Act's key dates (a postponement, a change of the law). Audited with the date before."""
    what = key_date.what if what is None else what.strip()
    ensure_text({"what": what}, max_lengths={"what": 300})
    if not what:
        raise DomainError(
            "The key date was not changed.", errors={"what": ["Say what applies from this date."]}
        )
    with transaction.atomic():
        locked = KeyDate.objects.select_for_update().get(pk=key_date.pk)
        before = locked.applies_on
        if (before, locked.what) == (applies_on, what):
            return locked
        locked.applies_on, locked.what = applies_on, what
        locked.save(update_fields=["applies_on", "what", "updated_at"])
        audit_record(
            actor=actor,
            action=events.KEY_DATE_CHANGED,
            payload={
                "key": locked.key,
                "from": before.isoformat(),
                "to": applies_on.isoformat(),
                "what": what,
            },
        )
    return locked


# --- a newer ruleset over the portfolio ------------------------------------------------------------------------------

# Batches of the re-assessment and of the re-review that follows; each slice of work hands over to a fresh task after
# this many seconds, so that no message outlives the outbox's lease.
RULESET_BATCH = 200
RULESET_SLICE_SECONDS = 30


def _live_use_cases():
    return UseCase.objects.filter(status__in=PORTFOLIO_STATES, revision_count__gte=1)


def ruleset_upgrade_start(*, version: str = RULESET_VERSION) -> RulesetUpgrade | None:
    """Start the upgrade to ``version`` (this code's ruleset) if any live use case was assessed under another one:
    record it, and queue the worker's re-assessment. Idempotent (one upgrade per version). None when every live use
    case is already assessed under it (a fresh installation, or a deployment without a new ruleset)."""
    existing = RulesetUpgrade.objects.filter(version=version).first()
    if existing is not None:
        return existing
    older = (
        UseCaseRevision.objects.filter(use_case__in=_live_use_cases(), number=F("use_case__revision_count"))
        .exclude(ruleset_version=version)
        .values_list("ruleset_version", flat=True)
        .distinct()
    )
    from_versions = sorted(older)
    if not from_versions:
        return None
    with transaction.atomic():
        upgrade, created = RulesetUpgrade.objects.get_or_create(
            version=version, defaults={"total": _live_use_cases().count()}
        )
        if created:
            audit_record(
                actor=None,
                action=events.RULESET_DEPLOYED,
                object_type=events.RULESET,
                object_id=upgrade.pk,
                payload={"version": version, "total": upgrade.total, "from_versions": from_versions},
            )
            enqueue(ruleset_reassess, upgrade.pk)
    return upgrade


def _ruleset_reassess_batch(upgrade_id: int, *, batch_size: int) -> bool:
    """Re-assess the next batch of live use cases under the upgrade's ruleset and record what changes; True once all
    are done. One transaction with the upgrade's row lock; the cursor moves with the batch."""
    with transaction.atomic(), audit_batch():
        upgrade = RulesetUpgrade.objects.select_for_update().get(pk=upgrade_id)
        if upgrade.state != RulesetUpgrade.State.ASSESSING:
            return True
        ids = list(
            _live_use_cases()
            .filter(pk__gt=upgrade.cursor)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            counts = {"checked": upgrade.checked, "changed": upgrade.changed, "rose": upgrade.rose}
            return _ruleset_step_over(upgrade, RulesetUpgrade.State.AWAITING, "assessed_at", counts)
        revisions = UseCaseRevision.objects.filter(
            use_case_id__in=ids, number=F("use_case__revision_count")
        ).only("use_case_id", "number", "content", "assessment", "ruleset_version")
        changes = []
        for revision in revisions:
            if revision.ruleset_version == upgrade.version:
                continue  # submitted under this ruleset already
            now_assessed = assess(revision.content.get("answers") or {}).to_dict()
            change = compare_assessments(revision.assessment, now_assessed)
            if change is not None:
                changes.append(
                    RulesetChange(
                        upgrade=upgrade,
                        use_case_id=revision.use_case_id,
                        revision_number=revision.number,
                        from_version=revision.ruleset_version,
                        change=change.to_dict(),
                        rose=change.rose,
                    )
                )
        RulesetChange.objects.bulk_create(changes, ignore_conflicts=True)
        upgrade.cursor = ids[-1]
        upgrade.checked += len(ids)
        upgrade.changed += len(changes)
        upgrade.rose += sum(1 for change in changes if change.rose)
        upgrade.save(update_fields=["cursor", "checked", "changed", "rose"])
    return False


def _ruleset_advance(upgrade: RulesetUpgrade, to: str, *, at_field: str | None = None) -> None:
    """The one place an upgrade's state is written: only to the step after its own (workflow.RULESET_UPGRADE_STEPS)."""
    if RULESET_UPGRADE_STEPS.get(upgrade.state) != to:
        raise InvalidTransition(f"A ruleset upgrade does not go from {upgrade.state} to {to}.")
    upgrade.state = to
    fields = ["state"]
    if at_field is not None:
        setattr(upgrade, at_field, timezone.now())
        fields.append(at_field)
    upgrade.save(update_fields=fields)


def _ruleset_step_over(upgrade: RulesetUpgrade, state: str, at_field: str, counts: dict[str, int]) -> bool:
    """A step of the upgrade is over: its next state and when, and the audit event with its counts."""
    _ruleset_advance(upgrade, state, at_field=at_field)
    audit_record(
        actor=None,
        action=events.RULESET_STEP_EVENTS[state],
        object_type=events.RULESET,
        object_id=upgrade.pk,
        payload={"version": upgrade.version, **counts},
    )
    return True


def _ruleset_in_slices(
    batch: Any, task: Any, upgrade_id: int, batch_size: int, slice_seconds: float
) -> RulesetUpgrade:
    """Run ``batch`` until it says it is over, for up to ``slice_seconds``; when time is up first, queue ``task`` for
    the next slice. Safe to run twice or after a worker died: each batch resumes at the upgrade's cursor."""
    deadline = time.monotonic() + slice_seconds
    while not batch(upgrade_id, batch_size=batch_size):
        if time.monotonic() >= deadline:
            with transaction.atomic():
                enqueue(task, upgrade_id)
            break
    return RulesetUpgrade.objects.get(pk=upgrade_id)


def ruleset_reassess_run(
    *, upgrade_id: int, batch_size: int = RULESET_BATCH, slice_seconds: float = RULESET_SLICE_SECONDS
) -> RulesetUpgrade:
    """Work through the re-assessment, a slice at a time."""
    return _ruleset_in_slices(
        _ruleset_reassess_batch, ruleset_reassess, upgrade_id, batch_size, slice_seconds
    )


def ruleset_acknowledge(*, actor: Any, upgrade: RulesetUpgrade, role: str) -> RulesetUpgrade:
    """The CIO or the CISO acknowledges the upgrade's changes, once per role; when both have, it is put in force
    (the approved use cases whose risk rose go to re-review, in the worker)."""
    with transaction.atomic(), audit_batch():
        locked = RulesetUpgrade.objects.select_for_update().get(pk=upgrade.pk)
        acknowledged = dict(locked.acknowledgements.values_list("role", "person_id"))
        refusal = policies.ruleset_acknowledgement_refusal(actor, locked.state, role, acknowledged)
        if refusal is not None:
            raise refusal
        RulesetAcknowledgement.objects.create(upgrade=locked, role=role, person=actor, at=timezone.now())
        audit_record(
            actor=actor,
            action=events.RULESET_ACKNOWLEDGED,
            object_type=events.RULESET,
            object_id=locked.pk,
            payload={"version": locked.version, "role": role, "role_label": Role(role).label},
        )
        if len(acknowledged) + 1 == 2:  # this one and the other role's
            _ruleset_advance(locked, RulesetUpgrade.State.APPLYING)
            enqueue(ruleset_apply, locked.pk)
    return locked


def _ruleset_reason(upgrade: RulesetUpgrade, change: RulesetChange) -> str:
    names = {"tier": "tier", "band": "risk band", "role": "role"}
    moved = [
        f"{names[item['what']]} {item['before']} → {item['after']}"
        for item in describe_ruleset_change(change.change)["moved"]
    ]
    return f"Ruleset {upgrade.version} assesses it as riskier: {'; '.join(moved)}."


def _ruleset_apply_batch(upgrade_id: int, *, batch_size: int) -> bool:
    with transaction.atomic(), audit_batch():
        upgrade = RulesetUpgrade.objects.select_for_update().get(pk=upgrade_id)
        if upgrade.state != RulesetUpgrade.State.APPLYING:
            return True
        batch = list(
            upgrade.changes.filter(rose=True, pk__gt=upgrade.apply_cursor)
            .select_related("use_case")
            .order_by("pk")[:batch_size]
        )
        if not batch:
            counts = {"re_reviewed": upgrade.re_reviewed}
            return _ruleset_step_over(upgrade, RulesetUpgrade.State.APPLIED, "applied_at", counts)
        flags = [
            ReReviewFlag(
                change.use_case_id,
                _ruleset_reason(upgrade, change),
                change.use_case.boundary_verdict,
                {"ruleset_version": upgrade.version, "ruleset_change": change.change},
            )
            for change in batch
            # Resubmitted since: its newer revision was assessed under this ruleset already.
            if change.use_case.revision_count == change.revision_number
        ]
        moved = use_cases_flag_re_review(flags=flags, approved_before=timezone.now())
        upgrade.apply_cursor = batch[-1].pk
        upgrade.re_reviewed += len(moved)
        upgrade.save(update_fields=["apply_cursor", "re_reviewed"])
        for use_case_id in moved:
            enqueue(notify_re_review_due, use_case_id)
    return False


def ruleset_apply_run(
    *, upgrade_id: int, batch_size: int = RULESET_BATCH, slice_seconds: float = RULESET_SLICE_SECONDS
) -> RulesetUpgrade:
    """Send the riskier approved use cases to re-review, a slice at a time."""
    return _ruleset_in_slices(_ruleset_apply_batch, ruleset_apply, upgrade_id, batch_size, slice_seconds)
