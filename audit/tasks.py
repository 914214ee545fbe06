"""Background work on the audit chain: verification runs, checkpoints of its head, and the e-mails about them."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

logger = logging.getLogger(__name__)

# A full verification reads the whole chain: allow it far longer than ordinary tasks.
VERIFY_SOFT_TIME_LIMIT = 1800
VERIFY_TIME_LIMIT = 1900


@shared_task(
    name="audit.tasks.verify_audit_chain",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=False,
    soft_time_limit=VERIFY_SOFT_TIME_LIMIT,
    time_limit=VERIFY_TIME_LIMIT,
)
def verify_audit_chain(run_id: int | None = None, kind: str = "full") -> dict:
    """Run a queued verification (``run_id``), or a new one of ``kind`` (beat: hourly incremental, nightly full).

    Safe to redeliver: a run is claimed once, and one that is already finished is only reported.
    """
    from audit.services import audit_verification_run

    run = audit_verification_run(run_id=run_id, kind=kind)
    return {
        "run": run.pk,
        "kind": run.kind,
        "status": run.status,
        "ok": run.ok,
        "checked": run.checked,
        "broken_at": run.broken_at,
        "reason": run.reason,
    }


@shared_task(name="audit.tasks.write_audit_checkpoint", ignore_result=False)
def write_audit_checkpoint(reason: str = "daily") -> dict:
    """Beat's daily checkpoint of the chain's head (a refusal is logged and e-mailed by the service)."""
    from audit.services import AuditCheckpointRefused, audit_checkpoint_write

    try:
        checkpoint = audit_checkpoint_write(reason=reason)
    except AuditCheckpointRefused as exc:
        return {"written": False, "reason": str(exc)}
    return {"written": True, "name": checkpoint["name"], "sequence": checkpoint["sequence"]}


@shared_task(
    name="audit.tasks.notify_audit_checkpoint", autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def notify_audit_checkpoint(name: str) -> int:
    """E-mail the checkpoint, as stored, to the CIO and the CISO: a second copy outside the database."""
    from accounts.selectors import approver_emails
    from audit.checkpoints import checkpoint_read

    recipients = approver_emails()
    if not recipients:
        return 0
    checkpoint = checkpoint_read(name)
    send_mail(
        subject=f"Audit trail checkpoint: event #{checkpoint['sequence']}",
        message=(
            "The audit trail's newest event was copied outside the database. Keep this message: if a later check of "
            "the trail does not find this hash at this event, the trail was changed after this moment.\n\n"
            f"Event: #{checkpoint['sequence']} (recorded {checkpoint['event_at'] or 'never: the trail is empty'})\n"
            f"Hash: {checkpoint['hash']}\n"
            f"Chain key id: {checkpoint['key_id'] or 'none'}\n"
            f"Checkpoint written: {checkpoint['written_at']} ({checkpoint['reason']})\n"
            f"Stored as: {name}\n\n"
            f"The audit trail: {settings.SITE_URL}/audit/"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )
    return len(recipients)


@shared_task(
    name="audit.tasks.notify_audit_alarm", autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def notify_audit_alarm(problem: str) -> int:
    """Tell the CIO and the CISO at once when the chain fails verification or no longer extends its checkpoint."""
    from accounts.selectors import approver_emails

    recipients = approver_emails()
    logger.error("Audit trail alarm: %s", problem)
    if not recipients:
        return 0
    send_mail(
        subject="Audit trail alarm: the chain failed verification",
        message=f"{problem}\n\nSee the verification on the audit page: {settings.SITE_URL}/audit/",
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )
    return len(recipients)
