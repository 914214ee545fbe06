"""Notifications about use cases, sent by the worker after the change has committed."""

from celery import shared_task

from intake import notifications
from intake.models import UseCase


@shared_task(name="intake.tasks.notify_reviewers_of_submission", autoretry_for=(OSError,), retry_backoff=True)
def notify_reviewers_of_submission(use_case_id: int, revision_number: int) -> int:
    use_case = UseCase.objects.select_related("team").filter(pk=use_case_id).first()
    if use_case is None:
        return 0
    return notifications.notify_reviewers_of_submission(use_case=use_case, revision_number=revision_number)


@shared_task(
    name="intake.tasks.notify_re_review_due", autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def notify_re_review_due(use_case_id: int) -> int:
    """Both roles, when an approved use case falls due for re-review (the daily sweep or a new risk boundary)."""
    use_case = UseCase.objects.filter(pk=use_case_id).first()
    if use_case is None:
        return 0
    return notifications.notify_re_review_due(use_case=use_case)


@shared_task(name="intake.tasks.ruleset_upgrade_check")
def ruleset_upgrade_check() -> dict:
    """Beat, and every deployment: start the upgrade of this code's ruleset if the portfolio was assessed under
    another. Idempotent: an upgrade already started is left to its own tasks."""
    from intake.services import ruleset_upgrade_start

    upgrade = ruleset_upgrade_start()
    return {"version": upgrade.version, "state": upgrade.state} if upgrade else {}


@shared_task(name="intake.tasks.ruleset_reassess", acks_late=True, reject_on_worker_lost=True)
def ruleset_reassess(upgrade_id: int) -> dict:
    """One slice of the re-assessment (it queues the next one itself). Safe to redeliver: it resumes at its cursor."""
    from intake.services import ruleset_reassess_run

    upgrade = ruleset_reassess_run(upgrade_id=upgrade_id)
    return {
        "upgrade": upgrade.pk,
        "state": upgrade.state,
        "checked": upgrade.checked,
        "changed": upgrade.changed,
    }


@shared_task(name="intake.tasks.ruleset_apply", acks_late=True, reject_on_worker_lost=True)
def ruleset_apply(upgrade_id: int) -> dict:
    """Once both executives acknowledged: send the approved use cases whose risk rose to re-review, a batch at a
    time. Safe to redeliver: it resumes at its cursor, and a use case already moved is no longer approved."""
    from intake.services import ruleset_apply_run

    upgrade = ruleset_apply_run(upgrade_id=upgrade_id)
    return {"upgrade": upgrade.pk, "state": upgrade.state, "re_reviewed": upgrade.re_reviewed}
