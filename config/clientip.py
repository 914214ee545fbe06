"""The client's address, as the configured number of trusted proxies in front of the application report it.

`X-Forwarded-For` is written by the client first and by each proxy after it, so only the entries added by proxies we
run can be believed: with N trusted proxies the client is the N-th address from the right. With none (the default,
and every local run) the header is ignored and the peer address (REMOTE_ADDR) is the client. Sign-in limits, API
throttles and the audit trail all read the address from here, so a rotating header cannot buy an attacker a fresh
address, and a header with fewer entries than expected never stops a request.
"""

import ipaddress
from typing import Any

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle


def trusted_proxy_count() -> int:
    return max(int(settings.TRUSTED_PROXY_COUNT or 0), 0)


def _valid(address: str) -> str:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return ""


def client_ip(request: Any) -> str:
    """The client's IP address as text ("" when there is no request or no usable address)."""
    meta = getattr(request, "META", None)
    if meta is None:  # a DRF Request wraps the HttpRequest
        meta = getattr(getattr(request, "_request", None), "META", {})
    remote = _valid(meta.get("REMOTE_ADDR", "") or "")
    count = trusted_proxy_count()
    if count == 0:
        return remote
    hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        return remote  # not through all our proxies (a misconfiguration or a direct call): the peer is the client
    return _valid(hops[-count]) or remote


class ClientAddressMixin:
    """DRF throttles identify anonymous clients by the same trusted address."""

    def get_ident(self, request: Any) -> str:
        return client_ip(request) or "unknown"


class ScopedClientThrottle(ClientAddressMixin, ScopedRateThrottle):
    pass


class AnonClientThrottle(ClientAddressMixin, AnonRateThrottle):
    pass


class UserClientThrottle(ClientAddressMixin, UserRateThrottle):
    pass
