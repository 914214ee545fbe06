"""Messages about incidents and suspensions, sent by the worker after the change has committed, and the beat's
reminder of reporting duties falling due."""

from celery import shared_task

from oversight import notifications


@shared_task(name="oversight.tasks.notify_incident_reported", autoretry_for=(OSError,), retry_backoff=True)
def notify_incident_reported(incident_id: int) -> int:
    from oversight.models import Incident

    incident = (
        Incident.objects.select_related("use_case", "use_case__submitter").filter(pk=incident_id).first()
    )
    return notifications.notify_incident_reported(incident=incident) if incident else 0


@shared_task(name="oversight.tasks.notify_suspension", autoretry_for=(OSError,), retry_backoff=True)
def notify_suspension(suspension_id: int) -> int:
    from oversight.models import Suspension

    suspension = (
        Suspension.objects.select_related("use_case", "use_case__submitter", "suspended_by", "lifted_by")
        .filter(pk=suspension_id)
        .first()
    )
    return notifications.notify_suspension(suspension=suspension) if suspension else 0


@shared_task(name="oversight.tasks.notify_deadlines_due", autoretry_for=(OSError,), retry_backoff=True)
def notify_deadlines_due(incident_id: int) -> int:
    from oversight.models import Incident

    incident = (
        Incident.objects.select_related("use_case", "use_case__submitter").filter(pk=incident_id).first()
    )
    return notifications.notify_deadlines_due(incident=incident) if incident else 0


@shared_task(name="oversight.tasks.incident_deadline_reminders")
def incident_deadline_reminders() -> int:
    """Beat: remind of the reporting duties falling due (or overdue)."""
    from oversight.services import incident_deadline_reminders as remind

    return remind()
