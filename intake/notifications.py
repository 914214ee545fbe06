"""Who is told about use cases, and with what: submissions and re-reviews falling due go to the sitting CIO and CISO.

The words are in templates/emails/intake/; the tasks load by id and call these after the change has committed.
"""

from accounts.selectors import approver_emails
from config.mail import send_templated_mail
from intake.models import UseCase

TEMPLATES = "emails/intake"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def notify_reviewers_of_submission(*, use_case: UseCase, revision_number: int) -> int:
    context = {"use_case": use_case, "revision_number": revision_number, "title": _one_line(use_case.title)}
    return send_templated_mail(f"{TEMPLATES}/submitted", context, approver_emails())


def notify_re_review_due(*, use_case: UseCase) -> int:
    """Both roles, when an approved use case falls due for re-review (the daily sweep or a new risk boundary)."""
    context = {"use_case": use_case, "title": _one_line(use_case.title)}
    return send_templated_mail(f"{TEMPLATES}/re_review_due", context, approver_emails())
