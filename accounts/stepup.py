"""Step-up for API calls that weigh as much as a signature: the password again, and the second factor when it is on.

The browser gets this from allauth's re-authentication flow; an API client holds only a token, so the confirmation
travels with the call itself. Attempts are rate-limited per user as strictly as failed sign-ins
(ACCOUNT_RATE_LIMITS["boundary_sign_step_up"]), so a stolen token cannot be used to guess the password.
"""

from collections.abc import Mapping
from typing import Any

from allauth.core import ratelimit
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.http import HttpRequest
from rest_framework.exceptions import Throttled

from accounts import events
from accounts.services import sign_in_attempt_start, sign_in_attempt_withdraw
from audit.services import audit_record
from config.clientip import client_ip
from config.errors import DomainError, NotAllowed


def signing_requires_step_up(request: HttpRequest | None = None) -> bool:
    """Whether a boundary signature must be confirmed (in the browser or the API). Read at call time, so a deployment
    (or a test) can switch it; takes the request so allauth's ``reauthentication_required(enabled=...)`` can ask."""
    return bool(settings.BOUNDARY_SIGNING_REQUIRES_REAUTH)


def confirm_step_up(request: HttpRequest, user: Any, data: Mapping[str, Any]) -> None:
    """Return when ``data`` carries the user's password (and a current authenticator code when they use one).

    Raises DomainError naming the missing or wrong field (400), NotAllowed when the account has nothing to confirm
    with (403), Throttled after too many attempts (429).
    """
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    has_password = user.has_usable_password()
    if not has_password and totp is None:
        raise NotAllowed(
            "This account has no password or authenticator app to confirm a signature with; sign in the browser."
        )
    errors: dict[str, list[str]] = {}
    if has_password and not data.get("password"):
        errors["password"] = ["Enter your password to confirm the signature."]
    if totp is not None and not data.get("code"):
        errors["code"] = ["Enter the code from your authenticator app to confirm the signature."]
    if errors:
        raise DomainError("Confirm who you are to sign.", errors=errors)
    if not ratelimit.consume(request, action="boundary_sign_step_up", user=user):
        _audit_failure(request, user, "rate_limited")
        raise Throttled(detail="Too many attempts to confirm who you are; wait a few minutes and try again.")
    ip = client_ip(request)
    attempt = None
    if has_password:
        # A password guessed here counts against the account like a failed sign-in (one count, accounts/signin.py);
        # it is counted before the check, so parallel calls cannot all pass the limit.
        attempt, refusal = sign_in_attempt_start(username=user.get_username(), ip=ip, channel="step_up")
        if refusal is not None:
            raise Throttled(wait=refusal.retry_after, detail=refusal.message)
    # One answer whichever factor is wrong, so neither can be guessed on its own; a code is only tried (and used up)
    # once the password is right.
    password_right = not has_password or user.check_password(str(data["password"]))
    if password_right and attempt is not None:
        sign_in_attempt_withdraw(attempt)  # otherwise it stays: a failure
    confirmed = password_right
    if confirmed and totp is not None:
        confirmed = TOTP(totp).validate_code(str(data["code"]).strip())
    if not confirmed:
        _audit_failure(request, user, "not_confirmed")
        if has_password and totp is not None:
            wrong = ["The password or code is not correct."]
            errors = {"password": wrong, "code": wrong}
        elif has_password:
            errors = {"password": ["That password is not correct."]}
        else:
            errors = {"code": ["That code is not correct or has been used already."]}
        raise DomainError("Confirm who you are to sign.", errors=errors)


def _audit_failure(request: HttpRequest, user: Any, reason: str) -> None:
    # Recorded in its own transaction (the refusal that follows does not undo it), like a failed sign-in.
    audit_record(
        actor=user,
        action=events.STEP_UP_FAILED,
        obj=user,
        payload={"purpose": "boundary_sign", "reason": reason, "ip": client_ip(request)},
    )
