"""Every write to risk boundaries: draft, edit (voiding signatures), sign, and activation with superseding.

Each runs in one transaction under row locks and writes its audit events. Activation queues a pass, run by the
worker a batch at a time, that moves the approved use cases breaching the new boundary to re-review, through the
use-case state table.
"""

import time
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import audit_batch, audit_record
from config.errors import DomainError, InvalidTransition
from config.text import ensure_text
from intake.contracts import BoundaryCheck
from intake.models import UseCase
from intake.services import ReReviewFlag, use_cases_flag_re_review
from intake.workflow import Status
from outbox.services import enqueue
from riskboundaries import events, policies
from riskboundaries.check import check_boundary
from riskboundaries.limits import (
    LIMIT_LABELS,
    LimitsInvalid,
    clean_limits,
    content_hash,
    limits_from_content,
    limits_to_content,
    typed_text_errors,
)
from riskboundaries.models import BoundarySignature, ReReviewRun, RiskBoundary
from riskboundaries.selectors import (
    built_check_facts,
    latest_facts,
    re_review_reason_prefix,
    stale_check_facts,
    with_latest_facts,
)
from riskboundaries.tasks import flag_breaching_use_cases, notify_re_reviews_flagged
from riskboundaries.workflow import EDITABLE_STATES, BoundaryAction, BoundaryState, next_state

CHANGE_NOTE_MAX_LENGTH = RiskBoundary._meta.get_field("change_note").max_length


def _set_state(boundary: RiskBoundary, action: str, *, actor: Any, payload: dict | None = None) -> None:
    """The one place a boundary changes state: through the lifecycle table, audited."""
    before = boundary.state
    boundary.state = next_state(before, action)
    boundary.save()
    audit_record(
        actor=actor,
        action=events.BOUNDARY_TRANSITIONS[action],
        obj=boundary,
        payload={"version": boundary.version, "from": before, "to": boundary.state, **(payload or {})},
    )


def _content(limits: Mapping[str, Any]) -> tuple[dict[str, Any], str]:
    typed = typed_text_errors(limits)
    if typed:
        raise LimitsInvalid("Some limits are not valid.", errors=typed)
    content = limits_to_content(clean_limits(limits))
    return content, content_hash(content)


def _note(change_note: str) -> str:
    """The change note as stored; refused (naming it) when too long or holding control characters."""
    note = change_note.strip()
    ensure_text({"change_note": note}, max_lengths={"change_note": CHANGE_NOTE_MAX_LENGTH})
    return note


def boundary_create(*, actor: Any, limits: Mapping[str, Any], change_note: str = "") -> RiskBoundary:
    policies.ensure_can_manage(actor)
    change_note = _note(change_note)
    content, digest = _content(limits)
    for attempt in range(2):
        try:
            with transaction.atomic():
                latest = RiskBoundary.objects.select_for_update().order_by("-version").first()
                boundary = RiskBoundary.objects.create(
                    version=(latest.version if latest else 0) + 1,
                    change_note=change_note,
                    content=content,
                    content_hash=digest,
                    created_by=actor,
                )
                audit_record(
                    actor=actor,
                    action=events.BOUNDARY_DRAFTED,
                    obj=boundary,
                    payload={"version": boundary.version, "content_hash": digest},
                )
                return boundary
        except IntegrityError:
            if attempt:  # two first versions at once: the second retry sees the first
                raise
    raise AssertionError("unreachable")


def _locked(boundary: RiskBoundary) -> RiskBoundary:
    return RiskBoundary.objects.select_for_update().get(pk=boundary.pk)


def boundary_update(
    *, actor: Any, boundary: RiskBoundary, limits: Mapping[str, Any], change_note: str | None = None
) -> tuple[RiskBoundary, int]:
    """Change the limits of a draft (or a boundary awaiting signatures). Returns the boundary and how many
    signatures the change voided: a signature is only ever on the exact content that was signed."""
    policies.ensure_can_manage(actor)
    change_note = _note(change_note) if change_note is not None else None
    content, digest = _content(limits)
    with transaction.atomic(), audit_batch():
        locked = _locked(boundary)
        if locked.state not in EDITABLE_STATES:
            next_state(locked.state, BoundaryAction.EDIT)  # raises 409
        note_before = locked.change_note
        if change_note is not None and change_note != note_before:
            if locked.signatures.filter(voided_at__isnull=True).exists() and digest == locked.content_hash:
                raise InvalidTransition(
                    "The change note cannot change once someone has signed; change the limits to start again.",
                    errors={"change_note": ["Already signed."]},
                )
            locked.change_note = change_note
            audit_record(
                actor=actor,
                action=events.BOUNDARY_NOTE_CHANGED,
                obj=locked,
                payload={"version": locked.version, "from": note_before, "to": locked.change_note},
            )
        if digest == locked.content_hash:
            locked.save(update_fields=["change_note", "updated_at"])
            return locked, 0
        before_hash = locked.content_hash
        locked.content, locked.content_hash = content, digest
        voided = 0
        for signature in locked.signatures.select_for_update().filter(voided_at__isnull=True):
            signature.voided_at = timezone.now()
            signature.void_reason = "The limits changed after this signature."
            signature.save(update_fields=["voided_at", "void_reason"])
            voided += 1
            audit_record(
                actor=actor,
                action=events.SIGNATURE_VOIDED,
                obj=locked,
                payload={
                    "version": locked.version,
                    "signer": signature.signer.get_username(),
                    "role": signature.role,
                    "signed_hash": signature.content_hash,
                },
            )
        payload = {"from_hash": before_hash, "to_hash": digest, "voided_signatures": voided}
        _set_state(locked, BoundaryAction.EDIT, actor=actor, payload=payload)
    return locked, voided


def boundary_sign(*, actor: Any, boundary: RiskBoundary, role: str, seen_hash: str) -> RiskBoundary:
    """Sign the exact content `seen_hash` as `role`. The second valid signature activates the boundary."""
    policies.ensure_can_sign_as(actor, role)
    with transaction.atomic(), audit_batch():
        locked = _locked(boundary)
        active = RiskBoundary.objects.filter(state=BoundaryState.ACTIVE).only("version").first()
        valid = list(locked.signatures.select_related("signer").filter(voided_at__isnull=True))
        refusal = policies.signing_refusal(
            actor, locked, valid=valid, active_version=active.version if active else None, role=role
        )
        if refusal is not None:
            refusal.raise_it()
        if seen_hash != locked.content_hash:
            raise InvalidTransition(
                "The limits changed since you opened them; review the current version before signing.",
                errors={"content_hash": ["Does not match the current content."]},
            )
        activates = len(valid) + 1 == len(policies.SIGNING_ROLES)
        signature = BoundarySignature.objects.create(
            boundary=locked,
            signer=actor,
            role=role,
            signed_at=timezone.now(),
            content_hash=locked.content_hash,
        )
        audit_record(
            actor=actor,
            action=events.BOUNDARY_SIGNED,
            obj=locked,
            payload={"version": locked.version, "role": role, "content_hash": signature.content_hash},
        )
        if locked.state == BoundaryState.DRAFT:
            _set_state(locked, BoundaryAction.SIGN, actor=actor)
        if activates:
            _activate(locked, actor=actor)
    return locked


def _activate(boundary: RiskBoundary, *, actor: Any) -> None:
    """Put ``boundary`` in force and queue the re-review pass over the approved use cases (it returns at once: the
    pass runs in the worker, a batch at a time, whatever the size of the portfolio)."""
    now = timezone.now()
    previous = RiskBoundary.objects.select_for_update().filter(state=BoundaryState.ACTIVE).first()
    if previous is not None:
        previous.superseded_at = now
        _set_state(previous, BoundaryAction.SUPERSEDE, actor=actor, payload={"by_version": boundary.version})
    boundary.activated_at = now
    _set_state(
        boundary,
        BoundaryAction.ACTIVATE,
        actor=actor,
        payload={"content_hash": boundary.content_hash, "supersedes": previous.version if previous else None},
    )
    run = ReReviewRun.objects.create(boundary=boundary)  # the worker counts what there is to check
    enqueue(flag_breaching_use_cases, run.pk)


# A pass over the approved use cases works in batches of settings.BOUNDARY_RE_REVIEW_BATCH (each its own short
# transaction), and hands over to a fresh task after this many seconds, so no message outlives the outbox's lease.
RE_REVIEW_SLICE_SECONDS = 30


def _flag_for(boundary: RiskBoundary, check: BoundaryCheck) -> tuple[str, dict[str, Any]]:
    clauses = sorted({LIMIT_LABELS.get(b.clause, b.clause).lower() for b in check.breaches}) or [
        check.verdict.label.lower()
    ]
    reason = f"{re_review_reason_prefix(boundary.version)} and this use case breaches: {', '.join(clauses)}."
    return reason, {"boundary_version": boundary.version, "breaches": [b.to_dict() for b in check.breaches]}


def _re_review_batch(run_id: int, *, batch_size: int) -> bool:
    """Check the next batch of approved use cases and move those that breach; True once the pass is over.

    One transaction: the run's row lock (two workers on one run take turns), the batch's use cases in id order with
    their latest answers and assessment summary (one query), one update for those that move, their audit events with
    one lock and one insert, and the cursor. Idempotent: what moved is no longer approved, and the cursor only grows.
    """
    with transaction.atomic(), audit_batch():
        run = ReReviewRun.objects.select_for_update().select_related("boundary").get(pk=run_id)
        boundary = run.boundary
        if run.state == ReReviewRun.State.DONE:
            return True
        # Superseded meanwhile: the newer boundary's own pass takes over.
        if boundary.state != BoundaryState.ACTIVE:
            return _re_review_finish(run, superseded=True)
        candidates = list(
            with_latest_facts(UseCase.objects.in_state(Status.APPROVED))
            .filter(pk__gt=run.cursor, updated_at__lte=boundary.activated_at)
            .only("pk")
            .order_by("pk")[:batch_size]
        )
        if not candidates:
            return _re_review_finish(run)
        limits = limits_from_content(boundary.content)
        flags = []
        for use_case in candidates:
            facts = latest_facts(use_case)
            if facts is None:
                continue
            check = check_boundary(*facts, limits)
            if check.verdict.breaches:
                reason, payload = _flag_for(boundary, check)
                flags.append(ReReviewFlag(use_case.pk, reason, check.verdict.value, payload))
        moved = use_cases_flag_re_review(flags=flags, approved_before=boundary.activated_at)
        run.cursor = candidates[-1].pk
        run.checked += len(candidates)
        run.flagged += len(moved)
        run.state = ReReviewRun.State.RUNNING
        run.save(update_fields=["cursor", "checked", "flagged", "state"])
    return False


def _re_review_finish(run: ReReviewRun, *, superseded: bool = False) -> bool:
    run.state, run.finished_at = ReReviewRun.State.DONE, timezone.now()
    run.save(update_fields=["state", "finished_at"])
    audit_record(
        actor=None,
        action=events.RE_REVIEW_PASS_DONE,
        obj=run.boundary,
        payload={
            "version": run.boundary.version,
            "checked": run.checked,
            "flagged": run.flagged,
            "superseded": superseded,
        },
    )
    if run.flagged:
        enqueue(notify_re_reviews_flagged, run.pk)
    return True


def boundary_re_review_run(
    *, run_id: int, batch_size: int | None = None, slice_seconds: float = RE_REVIEW_SLICE_SECONDS
) -> ReReviewRun:
    """Work through the re-review pass that followed an activation, batch by batch, for up to ``slice_seconds``;
    when time is up and the pass is not over, queue its next slice. Safe to run twice or after a worker died."""
    batch_size = batch_size or settings.BOUNDARY_RE_REVIEW_BATCH
    # The first slice counts what there is to check (what the progress counts to), not the signature's request.
    unstarted = ReReviewRun.objects.filter(pk=run_id, started_at__isnull=True)
    activated_at = unstarted.values_list("boundary__activated_at", flat=True).first()
    if activated_at is not None:
        to_check = UseCase.objects.in_state(Status.APPROVED).filter(
            revision_count__gte=1, updated_at__lte=activated_at
        )
        unstarted.update(started_at=timezone.now(), total=to_check.count())
    deadline = time.monotonic() + slice_seconds
    while not _re_review_batch(run_id, batch_size=batch_size):
        if time.monotonic() >= deadline:
            with transaction.atomic():
                enqueue(flag_breaching_use_cases, run_id)
            break
    return ReReviewRun.objects.get(pk=run_id)


def boundary_limits_errors(limits: Mapping[str, Any]) -> dict[str, list[str]]:
    """Validation only (for forms that want to show every problem at once)."""
    errors = typed_text_errors(limits)
    try:
        clean_limits(limits)
    except DomainError as exc:
        for name, messages in exc.errors.items():
            errors.setdefault(name, []).extend(messages)
    return errors


def check_facts_refresh(*, batch_size: int = 5000) -> int:
    """Keep on every submitted use case the check facts of its latest revision where they are missing or were written
    for other reads (riskboundaries.check.FACTS_VERSION): after the facts were first kept, after the reads changed,
    or after rows were loaded in bulk. Batches of ``batch_size``, each its own short transaction; idempotent. A
    submission meanwhile writes its own facts; this one never writes an older revision's (it reads the revision the
    row names). Returns how many were written. Not audited: the facts are a copy of the revision, kept for reading."""
    written, after = 0, 0
    while True:
        with transaction.atomic():
            ids = list(
                stale_check_facts(UseCase.objects.filter(pk__gt=after))
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                return written
            batch = UseCase.objects.filter(pk__in=ids)
            written += batch.update(check_facts=built_check_facts())
            after = ids[-1]
