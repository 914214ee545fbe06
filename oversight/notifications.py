"""Who is told about incidents and suspensions: the sitting CIO and CISO, and the requester who owns the use case.

The words are in templates/emails/oversight/; the tasks load by id and call these after the change has committed.
"""

from accounts.selectors import approver_emails
from config.mail import send_templated_mail
from oversight.models import Incident, Suspension

TEMPLATES = "emails/oversight"


def _recipients(use_case) -> list[str]:
    owner = use_case.submitter.email if use_case.submitter.is_active else ""
    return sorted(set(approver_emails()) | ({owner} if owner else set()))


def notify_incident_reported(*, incident: Incident) -> int:
    context = {
        "incident": incident,
        "use_case": incident.use_case,
        "deadlines": list(incident.deadlines.open()),
    }
    return send_templated_mail(f"{TEMPLATES}/incident_reported", context, _recipients(incident.use_case))


def notify_deadlines_due(*, incident: Incident) -> int:
    deadlines = list(incident.deadlines.open())
    if not deadlines:
        return 0
    context = {"incident": incident, "use_case": incident.use_case, "deadlines": deadlines}
    return send_templated_mail(f"{TEMPLATES}/deadlines_due", context, _recipients(incident.use_case))


def notify_suspension(*, suspension: Suspension) -> int:
    context = {"suspension": suspension, "use_case": suspension.use_case}
    return send_templated_mail(f"{TEMPLATES}/suspension", context, _recipients(suspension.use_case))
