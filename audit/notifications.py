"""Who is told about the audit trail, and with what: each checkpoint's copy and every alarm go to its readers.

The words are in templates/emails/audit/; the readers' addresses come through audit/hooks.py.
"""

import logging

from audit.checkpoints import checkpoint_read
from audit.hooks import audit_reader_emails
from config.mail import send_templated_mail

logger = logging.getLogger(__name__)

TEMPLATES = "emails/audit"


def notify_audit_checkpoint(*, name: str) -> int:
    """The checkpoint, as stored, to the readers of the trail: a second copy outside the database."""
    recipients = audit_reader_emails()
    if not recipients:
        return 0
    return send_templated_mail(f"{TEMPLATES}/checkpoint", {"checkpoint": checkpoint_read(name)}, recipients)


def notify_audit_alarm(*, problem: str) -> int:
    """The readers of the trail, at once, when the chain fails verification or no longer extends its checkpoint.
    Logged as an error as well, so an alarm with nobody to e-mail is still seen."""
    logger.error("Audit trail alarm: %s", problem)
    return send_templated_mail(f"{TEMPLATES}/alarm", {"problem": problem}, audit_reader_emails())
