"""Sign-in, sign-out, failed sign-in and password changes are only announced as signals; each receiver records what
follows (an audit event; a password change or reset ends the person's API tokens, a reset clears the sign-in count)."""

from typing import Any

from allauth.account.signals import password_changed, password_reset, password_set
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts import events
from accounts.services import api_tokens_revoke_all, password_set_by_other, sign_in_failures_forget
from audit.services import audit_record
from config.clientip import client_ip


def _client(request: Any) -> dict[str, str]:
    if request is None:
        return {}
    return {
        "ip": client_ip(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
    }


@receiver(user_logged_in, dispatch_uid="audit_login")
def _audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action=events.LOGIN, obj=user, payload=_client(request))


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _audit_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action=events.LOGOUT, obj=user, payload=_client(request))


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _audit_login_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    username = str(credentials.get("username") or credentials.get("login") or "")[:150]
    audit_record(actor=None, action=events.LOGIN_FAILED, payload={"username": username, **_client(request)})


@receiver(password_changed, dispatch_uid="tokens_end_on_password_change")
@receiver(password_set, dispatch_uid="tokens_end_on_password_set")
def _password_changed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action=events.PASSWORD_CHANGED, obj=user, payload=_client(request))
    api_tokens_revoke_all(actor=user, user=user, reason="password changed")
    password_set_by_other(user=user, value=False)


@receiver(password_reset, dispatch_uid="tokens_end_on_password_reset")
def _password_reset(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action=events.PASSWORD_RESET, obj=user, payload=_client(request))
    api_tokens_revoke_all(actor=user, user=user, reason="password reset")
    sign_in_failures_forget(username=user.get_username())
    password_set_by_other(user=user, value=False)
