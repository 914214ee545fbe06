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
