"""Who may draft, edit and sign risk boundaries: the CIO and the CISO. Everyone signed in may read the active one."""

from typing import Any

from accounts.roles import Role, roles_of
from config.errors import NotAllowed

SIGNING_ROLES = (Role.CIO, Role.CISO)


def can_manage(user: Any) -> bool:
    return bool(roles_of(user) & set(SIGNING_ROLES))


def ensure_can_manage(user: Any) -> None:
    if not can_manage(user):
        raise NotAllowed("Only the CIO and the CISO draft, edit and sign risk boundaries.")


def signing_roles_of(user: Any) -> list[str]:
    held = roles_of(user)
    return [role for role in SIGNING_ROLES if role in held]


def ensure_can_sign_as(user: Any, role: str) -> None:
    if role not in SIGNING_ROLES:
        raise NotAllowed("A boundary is signed as CIO or as CISO.", errors={"role": ["Choose cio or ciso."]})
    if role not in roles_of(user):
        raise NotAllowed(f"You do not hold the {role.upper()} role, so you cannot sign as {role.upper()}.")
