"""Background work on the audit chain: verification runs, checkpoints of its head, and the e-mails about them."""

from celery import shared_task

from audit import notifications

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
    return notifications.notify_audit_checkpoint(name=name)


@shared_task(
    name="audit.tasks.notify_audit_alarm", autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def notify_audit_alarm(problem: str) -> int:
    """Tell the CIO and the CISO at once when the chain fails verification or no longer extends its checkpoint."""
    return notifications.notify_audit_alarm(problem=problem)
