"""Who may request, see and export board packs, see the dashboard, write the quarter's statement and sign a pack."""

from collections.abc import Sequence
from typing import Any

from accounts.roles import APPROVER_ROLES, CO_SIGNING_ROLES, Role, co_signing_roles_of, roles_of
from config.errors import InvalidTransition, NotAllowed, Refusal

PACK_ROLES = frozenset({Role.BOARD_SECRETARY, Role.CIO, Role.CISO})


def can_request_packs(user: Any) -> bool:
    return bool(roles_of(user) & PACK_ROLES)


def can_view_dashboard(user: Any) -> bool:
    return bool(roles_of(user) & APPROVER_ROLES)


# The joint statement and the signatures that issue a pack are the CIO's and the CISO's.
SIGNING_ROLES = CO_SIGNING_ROLES
signing_roles_of = co_signing_roles_of


def can_write_statement(user: Any) -> bool:
    return bool(roles_of(user) & set(SIGNING_ROLES))


def ensure_can_write_statement(user: Any) -> None:
    if not can_write_statement(user):
        raise NotAllowed("Only the CIO and the CISO write the quarter's statement.")


def roles_left_to_sign(user: Any, signatures: Sequence[Any]) -> list[str]:
    """The roles this person holds that have not signed yet among ``signatures`` (a version's standing ones)."""
    signed = {s.role for s in signatures}
    return [role for role in signing_roles_of(user) if role not in signed]


def signing_refusal(
    user: Any,
    pack: Any,
    *,
    valid: Sequence[Any],
    statement_revision: int,
    issued_version: int | None = None,
    role: str | None = None,
) -> Refusal | None:
    """Why this person cannot sign this version now (as ``role``, or in any role they hold), or None when they can.

    The one answer the board-packs page shows and the signing service enforces. ``valid`` are the version's
    signatures that are not void; ``statement_revision`` is the quarter's statement as it stands now (0: none).
    """
    from reporting.workflow import SIGNABLE, IssuanceState, PackStatus

    if not signing_roles_of(user):
        return Refusal("Only the CIO and the CISO sign board packs.", NotAllowed)
    if pack.status != PackStatus.READY:
        return Refusal(
            "This version has not been rendered; it can be signed once it is ready.", InvalidTransition
        )
    if pack.issuance == IssuanceState.VOID:
        return Refusal(pack.void_reason or "This version is void; sign the latest draft.", InvalidTransition)
    if pack.issuance not in SIGNABLE:
        return Refusal("This version is signed by both already.", InvalidTransition)
    if issued_version is not None and issued_version != pack.version:
        return Refusal(
            f"Version {issued_version} of this quarter is signed by both; a quarter has one issued pack.",
            InvalidTransition,
        )
    if statement_revision == 0:
        return Refusal(
            "The CIO and the CISO have not written the statement for this quarter yet.", InvalidTransition
        )
    if pack.statement_revision != statement_revision:
        return Refusal(
            "The statement changed after this version was prepared; sign the new draft.", InvalidTransition
        )
    own = next((s for s in valid if s.signer_id == getattr(user, "pk", None)), None)
    if own is not None:
        return Refusal(
            f"You signed this version as {Role(own.role).label}. One person cannot sign it twice, even holding both roles.",
            NotAllowed,
        )
    signed = {s.role for s in valid}
    if role is not None and role in signed:
        return Refusal(f"This version already has a {Role(role).label} signature.", InvalidTransition)
    if not [r for r in signing_roles_of(user) if r not in signed]:
        return Refusal("The role you hold has already signed this version.", InvalidTransition)
    return None


def ensure_can_sign_as(user: Any, role: str) -> None:
    if role not in SIGNING_ROLES:
        raise NotAllowed(
            "A board pack is signed as CIO or as CISO.", errors={"role": ["Choose cio or ciso."]}
        )
    if role not in roles_of(user):
        raise NotAllowed(f"You do not hold the {role.upper()} role, so you cannot sign as {role.upper()}.")


def statement_refusal(user: Any, *, quarter_issued: bool) -> str | None:
    """Why this person cannot write the quarter's statement now, or None when they can."""
    if not can_write_statement(user):
        return "Only the CIO and the CISO write the quarter's statement."
    if quarter_issued:
        return "This quarter's pack is issued; its statement can no longer change."
    return None
