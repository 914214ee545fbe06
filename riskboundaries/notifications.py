"""Who is told what about a boundary taking effect: the sitting CIO and CISO, once per re-review pass.

The words are in templates/emails/riskboundaries/; the task loads the pass by id and calls this after it committed.
"""

from accounts.selectors import approver_emails
from config.mail import send_templated_mail
from riskboundaries.selectors import moved_to_re_review_by

TEMPLATES = "emails/riskboundaries"
NAMED_AT_MOST = 10  # the e-mail names this many of the use cases it moved; the queue lists them all


def notify_re_reviews_flagged(*, run) -> int:
    boundary = run.boundary
    named = moved_to_re_review_by(boundary, at_most=NAMED_AT_MOST)
    context = {
        "boundary": boundary,
        "run": run,
        "named": [(reference, " ".join(title.split())) for reference, title in named],
        "more": max(0, run.flagged - len(named)),
    }
    return send_templated_mail(f"{TEMPLATES}/re_reviews_flagged", context, approver_emails())
