"""Every write to risk boundaries: draft, edit (voiding signatures), sign, and activation with superseding.

Each runs in one transaction under row locks and writes its audit events. Activation also moves approved use cases
that breach the new boundary to re-review, through the use-case state table.
"""

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import audit_record
from config.errors import DomainError, InvalidTransition
from config.text import ensure_text
from intake.contracts import BoundaryCheck
from intake.models import UseCase
from intake.services import use_case_flag_re_review
from intake.workflow import Status
from riskboundaries import events, policies
from riskboundaries.limits import (
    LIMIT_LABELS,
    LimitsInvalid,
    clean_limits,
    content_hash,
    limits_to_content,
    typed_text_errors,
)
from riskboundaries.models import BoundarySignature, RiskBoundary
from riskboundaries.selectors import breaching_use_cases
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
    with transaction.atomic():
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
    with transaction.atomic():
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
        # Lock the use cases activation will move before the first audit write: every use-case service locks its
        # row first and the audit chain second, so taking them in the same order here cannot deadlock.
        to_flag = _lock_breaching_approved(locked) if activates else []
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
            _activate(locked, actor=actor, to_flag=to_flag)
    return locked


def _lock_breaching_approved(boundary: RiskBoundary) -> list[tuple[UseCase, BoundaryCheck]]:
    found = breaching_use_cases(boundary.content, states=(Status.APPROVED,))
    ids = [use_case.pk for use_case, _ in found]
    still_approved = set(
        UseCase.objects.select_for_update()
        .filter(pk__in=ids, status=Status.APPROVED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return [(use_case, result) for use_case, result in found if use_case.pk in still_approved]


def _activate(boundary: RiskBoundary, *, actor: Any, to_flag: list[tuple[UseCase, BoundaryCheck]]) -> None:
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
    for use_case, check in to_flag:
        clauses = sorted({LIMIT_LABELS.get(b.clause, b.clause).lower() for b in check.breaches}) or [
            check.verdict.label.lower()
        ]
        use_case_flag_re_review(
            actor=None,
            use_case=use_case,
            reason=f"Risk boundary v{boundary.version} took effect and this use case breaches: {', '.join(clauses)}.",
            payload={"boundary_version": boundary.version, "breaches": [b.to_dict() for b in check.breaches]},
        )


def boundary_limits_errors(limits: Mapping[str, Any]) -> dict[str, list[str]]:
    """Validation only (for forms that want to show every problem at once)."""
    errors = typed_text_errors(limits)
    try:
        clean_limits(limits)
    except DomainError as exc:
        for name, messages in exc.errors.items():
            errors.setdefault(name, []).extend(messages)
    return errors
