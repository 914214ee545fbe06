"""Who may draft, edit and sign risk boundaries: the CIO and the CISO. Everyone signed in may read the active one."""

from collections.abc import Sequence
from typing import Any

from accounts.roles import CO_SIGNING_ROLES, Role, co_signing_roles_of, roles_of
from config.errors import InvalidTransition, NotAllowed, Refusal
from riskboundaries.workflow import EDITABLE_STATES

SIGNING_ROLES = CO_SIGNING_ROLES
signing_roles_of = co_signing_roles_of


def can_manage(user: Any) -> bool:
    return bool(roles_of(user) & set(SIGNING_ROLES))


def ensure_can_manage(user: Any) -> None:
    if not can_manage(user):
        raise NotAllowed("Only the CIO and the CISO draft, edit and sign risk boundaries.")


def signing_refusal(
    user: Any, boundary: Any, *, valid: Sequence[Any], active_version: int | None, role: str | None = None
) -> Refusal | None:
    """Why this person cannot sign this boundary now (as ``role``, or in any role they hold), or None when they can.

    The one answer the sign page shows and the signing service enforces. ``valid`` are the boundary's signatures
    that are not voided; ``active_version`` is the version in force, if any.
    """
    if boundary.state not in EDITABLE_STATES:
        return Refusal(
            f"v{boundary.version} is {boundary.get_state_display().lower()}; it can no longer be signed.",
            InvalidTransition,
        )
    if active_version is not None and active_version > boundary.version:
        return Refusal(
            f"v{active_version} is already in force; this older draft cannot replace it. Draft a new version.",
            InvalidTransition,
        )
    own = next((s for s in valid if s.signer_id == getattr(user, "pk", None)), None)
    if own is not None:
        return Refusal(
            f"You signed v{boundary.version} as {Role(own.role).label}. One person cannot sign a boundary twice, even holding both roles.",
            NotAllowed,
        )
    signed = {s.role for s in valid}
    if role is not None and role in signed:
        return Refusal(
            f"v{boundary.version} already has a valid {Role(role).label} signature.", InvalidTransition
        )
    if role is None and not [r for r in signing_roles_of(user) if r not in signed]:
        return Refusal("The role you hold has already signed this version.", InvalidTransition)
    return None


def ensure_can_sign_as(user: Any, role: str) -> None:
    if role not in SIGNING_ROLES:
        raise NotAllowed("A boundary is signed as CIO or as CISO.", errors={"role": ["Choose cio or ciso."]})
    if role not in roles_of(user):
        raise NotAllowed(f"You do not hold the {role.upper()} role, so you cannot sign as {role.upper()}.")
