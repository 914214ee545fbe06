"""Who is told what about a boundary taking effect: the sitting CIO and CISO, once per re-review pass.

The words are in templates/emails/riskboundaries/; the task loads the pass by id and calls this after it committed.
"""

from accounts.selectors import approver_emails
from config.mail import send_templated_mail
from intake.models import UseCase
from intake.workflow import Status

TEMPLATES = "emails/riskboundaries"
NAMED_AT_MOST = 10  # the e-mail names this many of the use cases it moved; the queue lists them all


def notify_re_reviews_flagged(*, run) -> int:
    boundary = run.boundary
    named = list(
        UseCase.objects.filter(
            status=Status.RE_REVIEW_DUE, status_reason__startswith=f"Risk boundary v{boundary.version} "
        )
        .order_by("pk")
        .values_list("reference", "title")[:NAMED_AT_MOST]
    )
    context = {
        "boundary": boundary,
        "run": run,
        "named": [(reference, " ".join(title.split())) for reference, title in named],
        "more": max(0, run.flagged - len(named)),
    }
    return send_templated_mail(f"{TEMPLATES}/re_reviews_flagged", context, approver_emails())
