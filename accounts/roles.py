"""The role groups and the one place that answers "which roles does this user hold"."""

from typing import Any

from django.db import models


class Role(models.TextChoices):
    REQUESTER = "requester", "Requester"
    CIO = "cio", "CIO"
    CISO = "ciso", "CISO"
    BOARD_SECRETARY = "board_secretary", "Board secretary"


ALL_ROLES: frozenset[str] = frozenset(Role.values)
APPROVER_ROLES: frozenset[str] = frozenset({Role.CIO, Role.CISO})
# Who co-signs what the CIO and the CISO issue jointly (risk boundaries, board packs), in the order they are listed.
CO_SIGNING_ROLES: tuple[str, ...] = (Role.CIO, Role.CISO)

_CACHE_ATTR = "_role_names_cache"


def roles_of(user: Any) -> frozenset[str]:
    """The role groups the user belongs to (cached on the user object, so one query per request at most).

    Administrators (staff or superusers) never hold the CIO or CISO role through this function, whatever their
    groups say: administering the product gives no approval or signing power.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True))
        if is_administrator(user):
            cached = cached - APPROVER_ROLES
        setattr(user, _CACHE_ATTR, cached)
    return cached


def is_administrator(user: Any) -> bool:
    return bool(getattr(user, "is_staff", False) or getattr(user, "is_superuser", False))


def has_role(user: Any, role: str) -> bool:
    return role in roles_of(user)


def forget_roles(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def co_signing_roles_of(user: Any) -> list[str]:
    """The co-signing roles this user holds, CIO first."""
    held = roles_of(user)
    return [role for role in CO_SIGNING_ROLES if role in held]
