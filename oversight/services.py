"""Every write of live oversight: reporting an incident (and the clocks it starts), recording a reporting duty as done,
suspending a use case and lifting it, and the reminders of duties falling due."""

import hashlib
import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from approvals.models import Condition
from audit.services import audit_batch, audit_record
from config.errors import DomainError, InvalidTransition, NotAllowed, NotFound
from config.quarters import Quarter
from config.text import text_errors
from intake.assessment import duties
from intake.models import UseCase
from intake.selectors import latest_revision, use_case_assessment, use_cases_visible_to
from intake.services import use_case_flag_re_review
from intake.workflow import Status
from outbox.services import enqueue
from oversight import clocks, events, filetypes, policies
from oversight.models import Attestation, Evidence, Incident, IncidentDeadline, Suspension
from oversight.tasks import notify_deadlines_due, notify_incident_reported, notify_suspension

MAX_LENGTHS = {
    "title": 200,
    "what_happened": 8000,
    "who_was_affected": 4000,
    "harm": 4000,
    "actions_taken": 8000,
    "reason": 2000,
    "note": 500,
}
REQUIRED = ("title", "what_happened", "who_was_affected", "harm")
# A report's times may run ahead of the server's clock by this much (a browser's clock a little fast), no more.
CLOCK_SKEW = timedelta(minutes=5)


def _locked(use_case: UseCase) -> UseCase:
    return UseCase.objects.select_for_update().get(pk=use_case.pk)


def _ensure_visible(actor: Any, use_case: UseCase) -> None:
    if not use_cases_visible_to(actor).filter(pk=use_case.pk).exists():
        raise NotFound("No such use case.")


def _role_of(use_case: UseCase) -> str:
    revision = latest_revision(use_case)
    assessment = (revision.assessment if revision else None) or {}
    return str((assessment.get("eu_ai_act") or {}).get("role") or clocks.DEPLOYER)


def _incident_errors(
    texts: dict[str, str], *, occurred_at: Any, aware_at: Any, now: datetime, serious: bool, serious_kind: str
) -> dict[str, list[str]]:
    errors = text_errors(texts, max_lengths=MAX_LENGTHS)
    for name in REQUIRED:
        if not texts[name].strip():
            errors.setdefault(name, []).append("This field is required.")
    for name, value in (("occurred_at", occurred_at), ("aware_at", aware_at)):
        if not isinstance(value, datetime) or value.tzinfo is None:
            errors[name] = ["Give a date and time."]
        elif value > now + CLOCK_SKEW:
            errors[name] = ["It cannot be in the future."]
    if (
        "occurred_at" not in errors
        and "aware_at" not in errors
        and min(aware_at, now) < min(occurred_at, now)
    ):
        errors["aware_at"] = ["We cannot have become aware of it before it happened."]
    if serious and serious_kind not in clocks.SERIOUS_KIND_LABELS:
        errors["serious_kind"] = ["Say what made it a serious incident (Art. 3(49))."]
    elif not serious and serious_kind:
        errors["serious"] = [
            f"“{clocks.SERIOUS_KIND_LABELS.get(serious_kind, serious_kind)}” makes it a serious incident: mark it "
            "as serious, or leave the kind empty."
        ]
    return errors


def incident_report(
    *,
    actor: Any,
    use_case: UseCase,
    title: str,
    what_happened: str,
    who_was_affected: str,
    harm: str,
    occurred_at: datetime,
    aware_at: datetime | None = None,
    serious: bool = False,
    serious_kind: str = "",
    actions_taken: str = "",
) -> Incident:
    """Record an incident on a live use case the actor can see. A serious one starts the reporting clocks of our role
    (oversight.clocks) and sends an approved use case to re-review. The CIO, the CISO and the owner are told."""
    now = timezone.now()
    aware_at = aware_at or now
    texts = {
        "title": (title or "").strip(),
        "what_happened": what_happened or "",
        "who_was_affected": who_was_affected or "",
        "harm": harm or "",
        "actions_taken": actions_taken or "",
    }
    errors = _incident_errors(
        texts, occurred_at=occurred_at, aware_at=aware_at, now=now, serious=serious, serious_kind=serious_kind
    )
    if errors:
        raise DomainError("The incident was not reported.", errors=errors)
    # Within the clock skew allowed, a time a little ahead of ours is taken as now.
    occurred_at, aware_at = min(occurred_at, now), min(aware_at, now)
    _ensure_visible(actor, use_case)
    with transaction.atomic(), audit_batch():
        locked = _locked(use_case)
        refusal = policies.incident_report_refusal(actor, locked)
        if refusal:
            refusal.raise_it()
        role = _role_of(locked)
        incident = Incident.objects.create(
            use_case=locked,
            reported_by=actor,
            reported_at=now,
            occurred_at=occurred_at,
            aware_at=aware_at,
            serious=serious,
            serious_kind=serious_kind if serious else "",
            tier=locked.tier,
            role=role,
            **texts,
        )
        started = clocks.clocks_for(
            serious=serious,
            kind=serious_kind,
            tier=locked.tier,
            role=role,
            aware_at=incident.aware_at,
            zone=ZoneInfo(settings.TIME_ZONE),
            immediate_hours=settings.INCIDENT_IMMEDIATE_HOURS,
        )
        # The report's own message names the deadlines: the first reminder comes a reminder period later.
        IncidentDeadline.objects.bulk_create(
            IncidentDeadline(
                incident=incident,
                duty=clock.duty,
                article=clock.article,
                period=clock.period,
                due_at=clock.due_at,
                reminded_at=now,
            )
            for clock in started
        )
        audit_record(
            actor=actor,
            action=events.INCIDENT_REPORTED,
            obj=locked,
            payload={
                "incident": incident.reference,
                "title": incident.title,
                "serious": serious,
                "serious_kind": incident.serious_kind,
                "deadlines": [
                    {"duty": c.duty, "article": c.article, "due_at": c.due_at.isoformat()} for c in started
                ],
            },
        )
        if serious and locked.status == Status.APPROVED:
            use_case_flag_re_review(
                actor=actor,
                use_case=locked,
                reason=f"Serious incident {incident.reference}: {incident.title}",
            )
        enqueue(notify_incident_reported, incident.pk)
    return incident


def incident_deadline_met(*, actor: Any, deadline: IncidentDeadline, note: str = "") -> IncidentDeadline:
    """Record a reporting duty as done (by the CIO, the CISO or the owner); audited, late or not."""
    note = (note or "").strip()
    errors = text_errors({"note": note}, max_lengths=MAX_LENGTHS)
    if errors:
        raise DomainError("The duty was not recorded as done.", errors=errors)
    with transaction.atomic(), audit_batch():
        locked = (
            IncidentDeadline.objects.select_for_update(of=("self",))
            .select_related("incident", "incident__use_case")
            .get(pk=deadline.pk)
        )
        use_case = locked.incident.use_case
        _ensure_visible(actor, use_case)
        if not policies.can_record_deadline_met(actor, use_case):
            raise NotAllowed("Only the CIO, the CISO and the requester who owns the use case record this.")
        if locked.met_at is not None:
            raise InvalidTransition("It is already recorded as done.")
        now = timezone.now()
        locked.met_at, locked.met_by, locked.met_note = now, actor, note
        locked.save(update_fields=["met_at", "met_by", "met_note"])
        audit_record(
            actor=actor,
            action=events.INCIDENT_DEADLINE_MET,
            obj=use_case,
            payload={
                "incident": locked.incident.reference,
                "duty": locked.get_duty_display(),
                "article": locked.article,
                "due_at": locked.due_at.isoformat(),
                "late": now > locked.due_at,
                "note": note,
            },
        )
    return locked


def use_case_suspend(
    *, actor: Any, use_case: UseCase, reason: str, incident: Incident | None = None
) -> Suspension:
    """Stop a live use case at once (its kill switch), by the CIO or the CISO; the owner and the other executive are
    told. It stays suspended until one of them lifts it."""
    reason = (reason or "").strip()
    errors = text_errors({"reason": reason}, max_lengths=MAX_LENGTHS)
    if not reason:
        errors.setdefault("reason", []).append("Say why it is suspended.")
    if errors:
        raise DomainError("The use case was not suspended.", errors=errors)
    _ensure_visible(actor, use_case)
    with transaction.atomic(), audit_batch():
        locked = _locked(use_case)
        in_force = Suspension.objects.filter(use_case=locked, lifted_at__isnull=True).exists()
        refusal = policies.suspend_refusal(actor, locked, suspended=in_force)
        if refusal:
            refusal.raise_it()
        if incident is not None and incident.use_case_id != locked.pk:
            raise DomainError(
                "The incident is not one of this use case's.", errors={"incident": ["Not this use case's."]}
            )
        suspension = Suspension.objects.create(
            use_case=locked, incident=incident, reason=reason, suspended_by=actor, suspended_at=timezone.now()
        )
        audit_record(
            actor=actor,
            action=events.USE_CASE_SUSPENDED,
            obj=locked,
            payload={
                "reference": locked.reference,
                "reason": reason,
                "incident": incident.reference if incident else "",
                "kill_switch": True,
            },
        )
        enqueue(notify_suspension, suspension.pk)
    return suspension


def suspension_lift(*, actor: Any, use_case: UseCase, reason: str) -> Suspension:
    reason = (reason or "").strip()
    errors = text_errors({"reason": reason}, max_lengths=MAX_LENGTHS)
    if not reason:
        errors.setdefault("reason", []).append("Say why it may run again.")
    if errors:
        raise DomainError("The suspension was not lifted.", errors=errors)
    _ensure_visible(actor, use_case)
    with transaction.atomic(), audit_batch():
        locked = _locked(use_case)
        suspension = (
            Suspension.objects.select_for_update().filter(use_case=locked, lifted_at__isnull=True).first()
        )
        refusal = policies.lift_refusal(actor, suspended=suspension is not None)
        if refusal:
            refusal.raise_it()
        suspension.lifted_at, suspension.lifted_by, suspension.lift_reason = timezone.now(), actor, reason
        suspension.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
        audit_record(
            actor=actor,
            action=events.SUSPENSION_LIFTED,
            obj=locked,
            payload={"reference": locked.reference, "reason": reason},
        )
        enqueue(notify_suspension, suspension.pk)
    return suspension


def incident_deadline_reminders(*, now: datetime | None = None) -> int:
    """Claim the open reporting duties due within INCIDENT_REMIND_BEFORE_HOURS (or overdue) and not reminded for
    INCIDENT_REMIND_EVERY_HOURS, and queue one reminder per incident. Safe to run from two beats at once: a claimed
    row is skipped by the other, and a claim is only a later reminder time."""
    now = now or timezone.now()
    soon = now + timedelta(hours=settings.INCIDENT_REMIND_BEFORE_HOURS)
    quiet_since = now - timedelta(hours=settings.INCIDENT_REMIND_EVERY_HOURS)
    with transaction.atomic():
        due = list(
            IncidentDeadline.objects.open()
            .select_for_update(skip_locked=True)
            .filter(due_at__lte=soon, reminded_at__lte=quiet_since)
            .values_list("pk", "incident_id")
        )
        if not due:
            return 0
        IncidentDeadline.objects.filter(pk__in=[pk for pk, _ in due]).update(reminded_at=now)
        for incident_id in sorted({incident for _, incident in due}):
            enqueue(notify_deadlines_due, incident_id)
    return len(due)


def _safe_base_name(name: str, *, limit: int) -> str:
    """The base name of a sender's file name, with anything but letters, digits, spaces and .()- replaced."""

    base = re.split(r"[\\/]", name or "")[-1]
    return re.sub(r"[^\w .()-]+", "_", base)[:limit]


def _shown_name(upload: Any) -> str:
    """The sent file's name, safe to show back in an error."""
    return _safe_base_name(getattr(upload, "name", ""), limit=80) or "The file"


def _file_name(original: str, kind: filetypes.FileKind) -> str:
    """The sender's name, reduced to a safe base name, with the extension of what the file really is."""
    base = _safe_base_name(original, limit=255)
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = stem.strip(" .")[:120] or "evidence"
    return f"{stem}.{kind.extension}"


def evidence_add(
    *,
    actor: Any,
    use_case: UseCase,
    condition_id: int | None = None,
    obligation: str = "",
    note: str = "",
    upload: Any = None,
) -> Evidence:
    """Keep a note and/or a file as evidence for one condition of the approval or one EU AI Act obligation. The file is
    checked by its content (oversight.filetypes) and its size (EVIDENCE_MAX_BYTES); a refused one stores nothing."""

    note = (note or "").strip()
    obligation = (obligation or "").strip()
    errors = text_errors({"note": note}, max_lengths={"note": 4000})
    if bool(condition_id) == bool(obligation):
        errors.setdefault("target", []).append("Say which one condition or obligation it is evidence for.")
    if upload is None and not note:
        errors.setdefault("file", []).append("Add a file, a note, or both.")
    kind = None
    if upload is not None:
        limit = settings.EVIDENCE_MAX_BYTES
        if upload.size == 0:
            errors.setdefault("file", []).append("The file is empty.")
        elif upload.size > limit:
            errors.setdefault("file", []).append(
                f"The file is {upload.size / 1048576:.1f} MiB; at most {limit / 1048576:.0f} MiB is accepted."
            )
        else:
            try:
                kind = filetypes.sniff(upload)
            except filetypes.Refused as refused:
                errors.setdefault("file", []).append(f"{_shown_name(upload)}: {refused}")
    if errors:
        raise DomainError("The evidence was not added.", errors=errors)
    _ensure_visible(actor, use_case)
    with transaction.atomic(), audit_batch():
        locked = _locked(use_case)
        if not policies.can_add_evidence(actor, locked):
            raise NotAllowed(
                "Only the requester who owns this use case, the CIO and the CISO add evidence, and not once it is closed."
            )
        condition = None
        if condition_id:
            condition = Condition.objects.filter(pk=condition_id, use_case=locked).first()
            if condition is None:
                raise DomainError(
                    "No such condition.", errors={"condition": ["Not a condition of this use case."]}
                )
        else:
            assessment, _ = use_case_assessment(locked)
            if obligation not in {item["id"] for item in duties.items_of(assessment)}:
                raise DomainError(
                    "No such obligation.", errors={"obligation": ["Not an obligation of this use case."]}
                )
        item = Evidence(
            use_case=locked,
            condition=condition,
            obligation=obligation,
            note=note,
            added_by=actor,
            added_at=timezone.now(),
        )
        if upload is not None and kind is not None:
            digest = hashlib.sha256()
            upload.seek(0)
            for chunk in iter(lambda: upload.read(1 << 20), b""):
                digest.update(chunk)
            upload.seek(0)
            item.original_name = _file_name(getattr(upload, "name", ""), kind)
            item.content_type, item.size, item.sha256 = kind.content_type, upload.size, digest.hexdigest()
            item.file.save(f"upload.{kind.extension}", File(upload), save=False)
        item.save()
        audit_record(
            actor=actor,
            action=events.EVIDENCE_ADDED,
            obj=locked,
            payload={
                "evidence": item.pk,
                "condition": condition.pk if condition else None,
                "condition_text": condition.text if condition else "",
                "obligation": obligation,
                "file": item.original_name,
                "sha256": item.sha256,
                "size": item.size,
            },
        )
    return item


def evidence_downloaded(*, actor: Any, item: Evidence) -> None:
    """Who read which evidence file, and when (the caller has checked that they may see it)."""
    audit_record(
        actor=actor,
        action=events.EVIDENCE_DOWNLOADED,
        obj=item.use_case,
        payload={"evidence": item.pk, "file": item.original_name, "sha256": item.sha256},
    )


def condition_evidence_refusal(condition: Any) -> str | None:
    """A condition the risk boundary requires is met only with evidence of it (approvals asks before marking it)."""

    if condition.source != Condition.Source.BOUNDARY:
        return None
    if Evidence.objects.filter(condition=condition).exists():
        return None
    return "The risk boundary requires this control: add evidence of it before marking it met."


def use_case_attest(
    *,
    actor: Any,
    use_case: UseCase,
    same_model: bool,
    same_data: bool,
    controls_operating: bool,
    note: str = "",
    today: Any = None,
) -> Attestation:
    """The owner's word for this quarter that the use case runs as approved. A "no" (explained in the note) sends an
    approved use case to re-review. Once per quarter."""

    note = (note or "").strip()
    errors = text_errors({"note": note}, max_lengths={"note": 4000})
    as_approved = bool(same_model and same_data and controls_operating)
    if not as_approved and not note:
        errors.setdefault("note", []).append("Say what changed: the model, the data or the controls.")
    if errors:
        raise DomainError("The attestation was not recorded.", errors=errors)
    _ensure_visible(actor, use_case)
    quarter = str(Quarter.containing(today or timezone.localdate()))
    with transaction.atomic(), audit_batch():
        locked = _locked(use_case)
        refusal = policies.attestation_refusal(actor, locked)
        if refusal:
            refusal.raise_it()
        if Attestation.objects.filter(use_case=locked, quarter=quarter).exists():
            raise InvalidTransition(f"{locked.reference} is already attested for {quarter}.")
        try:
            with transaction.atomic():
                attestation = Attestation.objects.create(
                    use_case=locked,
                    quarter=quarter,
                    same_model=bool(same_model),
                    same_data=bool(same_data),
                    controls_operating=bool(controls_operating),
                    note=note,
                    attested_by=actor,
                    attested_at=timezone.now(),
                )
        except IntegrityError as exc:  # the row lock makes this unlikely; the constraint makes it impossible
            raise InvalidTransition(f"{locked.reference} is already attested for {quarter}.") from exc
        audit_record(
            actor=actor,
            action=events.USE_CASE_ATTESTED,
            obj=locked,
            payload={
                "quarter": quarter,
                "as_approved": as_approved,
                "same_model": attestation.same_model,
                "same_data": attestation.same_data,
                "controls_operating": attestation.controls_operating,
                "note": note,
            },
        )
        if not as_approved and locked.status == Status.APPROVED:
            use_case_flag_re_review(
                actor=actor,
                use_case=locked,
                reason=f"The owner's attestation for {quarter}: it no longer runs as approved. {note}",
            )
    return attestation
