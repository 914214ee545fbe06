"""E-mails about people's accounts and roles, sent by the worker after the change has committed; and the daily
pruning of old sign-in failures."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from accounts.models import RoleGrantRequest, User
from accounts.roles import APPROVER_ROLES, Role

MAIL_TASK = {"autoretry_for": (OSError,), "retry_backoff": True, "max_retries": 5}


def _labels(roles: list[str]) -> str:
    return ", ".join(Role(r).label for r in roles)


def _approver_emails(*, exclude_ids: tuple[int, ...] = ()) -> list[str]:
    holders = User.objects.filter(
        groups__name__in=sorted(APPROVER_ROLES), is_active=True, is_staff=False, is_superuser=False
    ).exclude(email="")
    return sorted(set(holders.exclude(pk__in=exclude_ids).values_list("email", flat=True)))


@shared_task(name="accounts.tasks.notify_role_change", **MAIL_TASK)
def notify_role_change(user_id: int, granted: list[str], revoked: list[str]) -> bool:
    user = User.objects.filter(pk=user_id).first()
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


@shared_task(name="accounts.tasks.notify_role_request", **MAIL_TASK)
def notify_role_request(request_id: int) -> int:
    """The sitting CIO and CISO (not the grantee) are asked to confirm; the grantee is told it was asked."""
    grant = RoleGrantRequest.objects.select_related("user", "requested_by").filter(pk=request_id).first()
    if grant is None or grant.state != RoleGrantRequest.State.PENDING:
        return 0
    role = Role(grant.role).label
    link = f"{settings.SITE_URL}{reverse('people:role-requests')}"
    recipients = _approver_emails(exclude_ids=(grant.user_id, grant.requested_by_id))
    sent = 0
    if recipients:
        send_mail(
            subject=f"Confirm or decline: {role} role for {grant.user}",
            message=(
                f"{grant.requested_by} asked for {grant.user} ({grant.user.username}) to receive the {role} role."
                # Where the account's password links go: an address that is not theirs means it is not their account.
                + f"\nTheir e-mail address: {grant.user.email or 'none'}"
                + (f"\nTheir note: {grant.note}" if grant.note else "")
                + f"\n\nIt takes effect only when a sitting CIO or CISO confirms it, before "
                f"{grant.expires_at:%d %b %Y}.\n\nConfirm or decline it: {link}"
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=recipients,
        )
        sent += len(recipients)
    if grant.user.email:
        send_mail(
            subject=f"You have been proposed for the {role} role",
            message=(
                f"Hello {grant.user},\n\n{grant.requested_by} asked for you to receive the {role} role in GenAI "
                "Governance. It takes effect when a sitting CIO or CISO confirms it.\n\n"
                "If you did not expect this, tell your security team."
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[grant.user.email],
        )
        sent += 1
    return sent


@shared_task(name="accounts.tasks.notify_role_request_decided", **MAIL_TASK)
def notify_role_request_decided(request_id: int) -> int:
    grant = (
        RoleGrantRequest.objects.select_related("user", "requested_by", "decided_by")
        .filter(pk=request_id)
        .first()
    )
    if grant is None or grant.state == RoleGrantRequest.State.PENDING:
        return 0
    role = Role(grant.role).label
    verdict = grant.get_state_display().lower()
    recipients = sorted(
        {e for e in (grant.user.email, grant.requested_by.email) if e}
        | set(_approver_emails(exclude_ids=(grant.user_id,)))
    )
    if not recipients:
        return 0
    send_mail(
        subject=f"{role} role for {grant.user}: {verdict}",
        message=(
            f"The request for {grant.user} ({grant.user.username}) to receive the {role} role was {verdict}"
            f"{f' by {grant.decided_by}' if grant.decided_by else ''} on {grant.decided_at:%d %b %Y %H:%M %Z}."
            + (f"\nNote: {grant.decision_note}" if grant.decision_note else "")
            + "\n\nIf you did not expect this, tell your security team."
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )
    return len(recipients)


@shared_task(name="accounts.tasks.notify_access_ended", **MAIL_TASK)
def notify_access_ended(user_id: int) -> bool:
    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.email:
        return False
    send_mail(
        subject="Your GenAI Governance account has been deactivated",
        message=(
            f"Hello {user},\n\nYour GenAI Governance account has been deactivated: you can no longer sign in, and "
            "your API tokens no longer work.\n\nIf you did not expect this, tell your security team."
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
    return True


@shared_task(name="accounts.tasks.send_password_link", **MAIL_TASK)
def send_password_link(user_id: int, purpose: str) -> bool:
    """A one-time link to set a password: an invitation to a new account, or a reset an administrator sent."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    link = f"{settings.SITE_URL}{path}"
    if purpose == "invitation":
        subject = "Your GenAI Governance account"
        intro = f"An account has been created for you in GenAI Governance. Your username is {user.username}."
    elif purpose == "approver":
        subject = "Choose your own GenAI Governance password"
        intro = (
            f"You now hold an approver role in GenAI Governance. The password of {user.username} had been chosen by "
            "someone else, so it no longer works: choose your own to sign in."
        )
    else:
        subject = "Set a new GenAI Governance password"
        intro = f"An administrator sent you a link to set a new password for {user.username}."
    send_mail(
        subject=subject,
        message=(
            f"Hello {user},\n\n{intro}\n\nChoose your password here (the link works once): {link}\n\n"
            "If you did not expect this, tell your security team."
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
    return True


@shared_task(name="accounts.tasks.prune_sign_in_failures")
def prune_sign_in_failures() -> int:
    from accounts.services import sign_in_failures_prune

    return sign_in_failures_prune()
