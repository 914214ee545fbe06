"""Background work on the audit chain."""

import logging

from celery import shared_task

from audit.selectors import audit_chain_verify

logger = logging.getLogger(__name__)


@shared_task(name="audit.tasks.verify_audit_chain", acks_late=True, reject_on_worker_lost=True)
def verify_audit_chain() -> dict:
    """Verify the whole chain (read-only, so safe to redeliver); scheduled nightly by beat."""
    report = audit_chain_verify()
    if not report.ok:
        logger.error("Audit chain broken at event #%s: %s", report.broken_at, report.reason)
    return report.as_dict()
