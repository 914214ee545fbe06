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
_GROUPS_ATTR = "_group_ids_cache"


def roles_of(user: Any) -> frozenset[str]:
    """The role groups the user belongs to (cached on the user object, so one query per request at most).

    Administrators (staff or superusers) never hold the CIO or CISO role through this function, whatever their
    groups say: administering the product gives no approval or signing power.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = _load_groups(user)
    return cached


def group_ids_of(user: Any) -> tuple[int, ...]:
    """The ids of every group the user is in (teams' groups and role groups), read with the roles: the same query."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    if getattr(user, _GROUPS_ATTR, None) is None:
        _load_groups(user)
    return getattr(user, _GROUPS_ATTR)


def _load_groups(user: Any) -> frozenset[str]:
    groups = list(user.groups.values_list("pk", "name"))
    roles = frozenset(name for _pk, name in groups if name in ALL_ROLES)
    if is_administrator(user):
        roles = roles - APPROVER_ROLES
    setattr(user, _CACHE_ATTR, roles)
    setattr(user, _GROUPS_ATTR, tuple(sorted(pk for pk, _name in groups)))
    return roles


def is_administrator(user: Any) -> bool:
    return bool(getattr(user, "is_staff", False) or getattr(user, "is_superuser", False))


def has_role(user: Any, role: str) -> bool:
    return role in roles_of(user)


def forget_roles(user: Any) -> None:
    for attribute in (_CACHE_ATTR, _GROUPS_ATTR):
        if hasattr(user, attribute):
            delattr(user, attribute)


def co_signing_roles_of(user: Any) -> list[str]:
    """The co-signing roles this user holds, CIO first."""
    held = roles_of(user)
    return [role for role in CO_SIGNING_ROLES if role in held]
