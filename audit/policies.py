"""Who may read the audit trail: the CIO and the CISO (and their delegates, who hold the same roles)."""

from typing import Any

from accounts.roles import Role, roles_of
from config.errors import NotAllowed


def can_view_audit(user: Any) -> bool:
    return bool(roles_of(user) & {Role.CIO, Role.CISO})


def ensure_can_view_audit(user: Any) -> None:
    if not can_view_audit(user):
        raise NotAllowed("Only the CIO and the CISO may read the audit trail.")
