"""django-allauth adapters: accounts are provisioned by administrators (or single sign-on), never self-registered;
sign-in attempts go through the product's sign-in limits (accounts.signin), shared with the API token endpoint."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from accounts.services import sign_in_attempt_start, sign_in_success_record
from config.clientip import client_ip


def _login(credentials: dict[str, Any]) -> str:
    return str(credentials.get("username") or credentials.get("email") or "")


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: Any) -> bool:
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        """The same trusted-proxy reading as the API throttles and the audit trail (config.clientip)."""
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine the client's address.")
        return ip

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        # allauth's own limit counts failures per address across accounts (password spraying); the per-account
        # count, shared with the API, is ours. The attempt is counted before its password is checked (and
        # withdrawn if it proves right), so parallel guesses cannot all pass the check.
        super().pre_authenticate(request, **credentials)
        self._sign_in_attempt, refusal = sign_in_attempt_start(
            username=_login(credentials), ip=client_ip(request), channel="browser"
        )
        if refusal is not None:
            self._rollback_login_failed_rl_usage()
            raise forms.ValidationError(refusal.message, code="too_many_login_attempts")

    def authenticate(self, request: HttpRequest, **credentials: Any):
        self._sign_in_attempt = None
        user = super().authenticate(request, **credentials)
        if user is not None:
            sign_in_success_record(
                username=_login(credentials), ip=client_ip(request), attempt=self._sign_in_attempt
            )
        # Otherwise the attempt recorded in pre_authenticate stays: a failure.
        return user


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: Any, sociallogin: Any) -> bool:
        # Single sign-on may only attach to an account an administrator has already created.
        return False
