"""Notifications about use cases, sent by the worker after the change has committed."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

from accounts.models import User
from accounts.roles import Role
from intake.models import UseCase


@shared_task(name="intake.tasks.notify_reviewers_of_submission", autoretry_for=(OSError,), retry_backoff=True)
def notify_reviewers_of_submission(use_case_id: int, revision_number: int) -> int:
    use_case = UseCase.objects.select_related("team").filter(pk=use_case_id).first()
    if use_case is None:
        return 0
    recipients = _reviewer_emails()
    if not recipients:
        return 0
    send_mail(
        subject=f"{use_case.reference} submitted for your decision: {' '.join(use_case.title.split())}",
        message=(
            f"{use_case.reference} (revision {revision_number}) from {use_case.team.name} is waiting for the CIO "
            f"and CISO decisions.\n\nTitle: {use_case.title}\nEU AI Act tier: {use_case.tier or 'n/a'}; "
            f"risk band: {use_case.band or 'n/a'}.\n\n"
            f"Review it: {settings.SITE_URL}/decisions/review/{use_case.reference}/"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )
    return len(recipients)


@shared_task(
    name="intake.tasks.notify_re_review_due", autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def notify_re_review_due(use_case_id: int) -> int:
    """Both roles, when an approved use case falls due for re-review (the daily sweep or a new risk boundary)."""
    use_case = UseCase.objects.filter(pk=use_case_id).first()
    recipients = _reviewer_emails()
    if use_case is None or not recipients:
        return 0
    send_mail(
        subject=f"{use_case.reference} is due for re-review",
        message=(
            f"{use_case.reference} ({' '.join(use_case.title.split())}) needs both decisions again. "
            f"{use_case.status_reason}\n\nReview it: {settings.SITE_URL}/decisions/review/{use_case.reference}/"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )
    return len(recipients)


def _reviewer_emails() -> list[str]:
    """The CIO and CISO role holders (never administrators) with an email address."""
    return sorted(
        set(
            User.objects.filter(groups__name__in=[Role.CIO, Role.CISO], is_active=True, is_staff=False)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
