"""E-mails about people's accounts and roles, sent by the worker after the change has committed; and the daily
pruning of old sign-in failures."""

from celery import shared_task

from accounts import notifications
from accounts.models import RoleGrantRequest, User

MAIL_TASK = {"autoretry_for": (OSError,), "retry_backoff": True, "max_retries": 5}


@shared_task(name="accounts.tasks.notify_role_change", **MAIL_TASK)
def notify_role_change(user_id: int, granted: list[str], revoked: list[str]) -> bool:
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return False
    return notifications.notify_role_change(user=user, granted=granted, revoked=revoked)


@shared_task(name="accounts.tasks.notify_role_request", **MAIL_TASK)
def notify_role_request(request_id: int) -> int:
    grant = RoleGrantRequest.objects.select_related("user", "requested_by").filter(pk=request_id).first()
    if grant is None:
        return 0
    return notifications.notify_role_request(grant=grant)


@shared_task(name="accounts.tasks.notify_role_request_decided", **MAIL_TASK)
def notify_role_request_decided(request_id: int) -> int:
    grant = (
        RoleGrantRequest.objects.select_related("user", "requested_by", "decided_by")
        .filter(pk=request_id)
        .first()
    )
    if grant is None:
        return 0
    return notifications.notify_role_request_decided(grant=grant)


@shared_task(name="accounts.tasks.notify_access_ended", **MAIL_TASK)
def notify_access_ended(user_id: int) -> bool:
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return False
    return notifications.notify_access_ended(user=user)


@shared_task(name="accounts.tasks.send_password_link", **MAIL_TASK)
def send_password_link(user_id: int, purpose: str) -> bool:
    """A one-time link to set a password: an invitation to a new account, or a reset an administrator sent."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return False
    return notifications.send_password_link(user=user, purpose=purpose)


@shared_task(name="accounts.tasks.prune_sign_in_failures")
def prune_sign_in_failures() -> int:
    from accounts.services import sign_in_failures_prune

    return sign_in_failures_prune()
