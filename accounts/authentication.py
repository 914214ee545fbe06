"""API authentication with `Authorization: Token <key>`: the key is looked up by its SHA-256 digest, and only a live
token works (not revoked, not expired, issued under the account's current password, on an active account)."""

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.crypto import constant_time_compare
from rest_framework import exceptions, status
from rest_framework.authentication import TokenAuthentication

from accounts.models import ApiToken
from accounts.services import api_token_revoke_stale, api_token_touch, password_stamp, token_digest
from config.clientip import client_ip

TOUCH_EVERY = timedelta(minutes=5)  # how stale "last used" may get: not one write per request


class TokenRefused(exceptions.APIException):
    """A token was sent and is not (or no longer) valid: 401 with `WWW-Authenticate: Token`.

    Not an AuthenticationFailed: DRF turns that into 403 whenever the view's first authentication class is not
    this one (SessionAuthentication comes first in the default list), and a client must be able to tell "this
    credential is dead, get a new one" from "you may not do this"."""

    status_code = status.HTTP_401_UNAUTHORIZED
    default_detail = "Invalid token."
    default_code = "authentication_failed"
    auth_header = "Token"


class ApiTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate(self, request: Any):
        self._request = request
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed as exc:  # a malformed header, from TokenAuthentication itself
            raise TokenRefused(exc.detail) from None

    def authenticate_credentials(self, key: str):
        if len(key) > 200 or "\x00" in key:
            raise TokenRefused("Invalid token.")
        now = timezone.now()
        token = ApiToken.objects.select_related("user").filter(digest=token_digest(key)).first()
        if token is None or token.revoked_at is not None:
            raise TokenRefused("Invalid token.")
        if token.expires_at <= now:
            raise TokenRefused("This token has expired; ask for a new one.")
        user = token.user
        if not user.is_active:
            raise TokenRefused("User inactive or deleted.")
        if not constant_time_compare(token.password_stamp, password_stamp(user)):
            # Changed by a route that did not end the tokens itself (the command line, say): ended now, for the record
            # and the profile page.
            api_token_revoke_stale(token=token)
            raise TokenRefused("The password changed after this token was issued.")
        if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
            api_token_touch(token=token, ip=client_ip(getattr(self, "_request", None)), now=now)
        return user, token
