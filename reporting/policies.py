"""Who may request, see and export board packs, and see the dashboard."""

from typing import Any

from accounts.roles import APPROVER_ROLES, Role, roles_of

PACK_ROLES = frozenset({Role.BOARD_SECRETARY, Role.CIO, Role.CISO})


def can_request_packs(user: Any) -> bool:
    return bool(roles_of(user) & PACK_ROLES)


def can_view_dashboard(user: Any) -> bool:
    return bool(roles_of(user) & APPROVER_ROLES)
