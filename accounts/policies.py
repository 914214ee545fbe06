"""Who may manage people, and who may confirm a grant of an approver role (dual control).

Administrators manage accounts, teams and the ordinary roles; they never hold approval power and cannot hand it out
alone: a grant of the CIO or CISO role is a request that a sitting CIO or CISO, other than the person who would
receive it and the person who asked, confirms. Each `reason_*` answers None when allowed, or the reason it is not.
"""

from typing import Any

from django.utils import timezone

from accounts.roles import APPROVER_ROLES, is_administrator, roles_of
from config.errors import NotAllowed


def can_manage_people(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and is_administrator(user))


def ensure_can_manage_people(user: Any) -> None:
    if not can_manage_people(user):
        raise NotAllowed("Only administrators manage people, teams and roles.")


def reason_cannot_confirm_grant(user: Any, grant: Any) -> str | None:
    """Why ``user`` may not confirm (or decline) ``grant``, or None when they may."""
    if not roles_of(user) & APPROVER_ROLES:
        return "Only a sitting CIO or CISO confirms a grant of an approver role."
    if grant.user_id == getattr(user, "pk", None):
        return "Nobody confirms a role for themselves: another CIO or CISO must confirm it."
    if grant.requested_by_id == getattr(user, "pk", None):
        return "You asked for this grant, so someone else must confirm it."
    return None


def can_confirm_grant(user: Any, grant: Any) -> bool:
    return reason_cannot_confirm_grant(user, grant) is None


def ensure_can_confirm_grant(user: Any, grant: Any) -> None:
    reason = reason_cannot_confirm_grant(user, grant)
    if reason:
        raise NotAllowed(reason)


def can_see_role_requests(user: Any) -> bool:
    """Administrators follow the grants they asked for; sitting CIOs and CISOs confirm them."""
    return can_manage_people(user) or bool(roles_of(user) & APPROVER_ROLES)


def can_read_audit_trail(user: Any) -> bool:
    """The CIO and the CISO read the audit trail; administrators without those roles do not (audit asks this)."""
    return bool(roles_of(user) & APPROVER_ROLES)


def reason_cannot_change_credentials(actor: Any, user: Any) -> str | None:
    """An administrator may not set the password or e-mail address of an approver-role holder: either would let them
    take the account over (a reset link goes to the e-mail address) and decide in its name. Nor of someone awaiting
    the confirmation of such a role: the executive who confirms it would hand the role to an account the
    administrator had just taken over."""
    if getattr(actor, "pk", None) == getattr(user, "pk", None):
        return None
    if user.groups.filter(name__in=sorted(APPROVER_ROLES)).exists():
        return "A CIO's or CISO's password and e-mail address are changed by that person only."
    if user.role_requests.filter(state="pending", expires_at__gt=timezone.now()).exists():
        return (
            "This person awaits the confirmation of an approver role: until it is decided, their password and "
            "e-mail address are changed by them only."
        )
    return None
