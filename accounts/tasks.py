"""Notifications about a person's own account, sent by the worker after the change has committed."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

from accounts.models import User
from accounts.roles import Role


def _labels(roles: list[str]) -> str:
    return ", ".join(Role(r).label for r in roles)


@shared_task(
    name="accounts.tasks.notify_role_change", autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def notify_role_change(user_id: int, granted: list[str], revoked: list[str]) -> bool:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    lines = [f"Hello {user},", "", "Your roles in GenAI Governance have changed."]
    if granted:
        lines.append(f"Added: {_labels(granted)}.")
    if revoked:
        lines.append(f"Removed: {_labels(revoked)}.")
    lines += ["", "If you did not expect this, tell your security team."]
    send_mail(
        subject="Your GenAI Governance roles have changed",
        message="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
    return True
