"""Who is told about decisions, and with what: the requester learns of each decision and of the outcome.

The words are in templates/emails/approvals/; the task loads the decision by id and calls this after commit.
"""

from approvals.models import SlotDecision
from approvals.rules import Outcome
from config.mail import send_templated_mail

TEMPLATES = "emails/approvals"


def notify_decision(*, decision: SlotDecision, outcome: str) -> bool:
    """The requester, about one decision and, when it completes the joint decision, the outcome."""
    use_case = decision.use_case
    if not use_case.submitter.email:
        return False
    context = {
        "decision": decision,
        "use_case": use_case,
        "title": " ".join(use_case.title.split()),
        "outcome": outcome,
        "outcomes": Outcome,
    }
    return send_templated_mail(f"{TEMPLATES}/decision", context, [use_case.submitter.email]) == 1
