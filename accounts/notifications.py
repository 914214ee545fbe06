"""Who is told about changes to accounts and roles, and with what: the recipients and the context of each e-mail.

The words are in templates/emails/accounts/; the tasks load by id and call these after the change has committed.
"""

from django.conf import settings
from django.urls import reverse

from accounts.models import RoleGrantRequest, User
from accounts.roles import APPROVER_ROLES, Role
from config.mail import send_templated_mail

TEMPLATES = "emails/accounts"


def _labels(roles: list[str]) -> list[str]:
    return [Role(r).label for r in roles]


def _approver_emails(*, exclude_ids: tuple[int, ...] = ()) -> list[str]:
    """The sitting CIO and CISO holders' addresses, leaving out the accounts named (not their addresses: two
    accounts may share one)."""
    holders = User.objects.filter(
        groups__name__in=sorted(APPROVER_ROLES), is_active=True, is_staff=False, is_superuser=False
    ).exclude(email="")
    return sorted(set(holders.exclude(pk__in=exclude_ids).values_list("email", flat=True)))


def notify_role_change(*, user: User, granted: list[str], revoked: list[str]) -> bool:
    if not user.email:
        return False
    context = {"user": user, "added": _labels(granted), "removed": _labels(revoked)}
    return send_templated_mail(f"{TEMPLATES}/role_change", context, [user.email]) == 1


def notify_role_request(*, grant: RoleGrantRequest) -> int:
    """The sitting CIO and CISO (not the grantee, not the one who asked) are asked to confirm; the grantee is told
    it was asked. Nothing once the request is no longer pending."""
    if grant.state != RoleGrantRequest.State.PENDING:
        return 0
    context = {
        "grant": grant,
        "role": Role(grant.role).label,
        "link": f"{settings.SITE_URL}{reverse('people:role-requests')}",
    }
    approvers = _approver_emails(exclude_ids=(grant.user_id, grant.requested_by_id))
    sent = send_templated_mail(f"{TEMPLATES}/role_request", context, approvers)
    if grant.user.email:
        sent += send_templated_mail(f"{TEMPLATES}/role_request_proposed", context, [grant.user.email])
    return sent


def notify_role_request_decided(*, grant: RoleGrantRequest) -> int:
    """The grantee, the one who asked and the sitting approvers other than the grantee learn how it ended."""
    if grant.state == RoleGrantRequest.State.PENDING:
        return 0
    recipients = sorted(
        {e for e in (grant.user.email, grant.requested_by.email) if e}
        | set(_approver_emails(exclude_ids=(grant.user_id,)))
    )
    context = {"grant": grant, "role": Role(grant.role).label}
    return send_templated_mail(f"{TEMPLATES}/role_request_decided", context, recipients)


def notify_access_ended(*, user: User) -> bool:
    if not user.email:
        return False
    return send_templated_mail(f"{TEMPLATES}/access_ended", {"user": user}, [user.email]) == 1


def send_password_link(*, user: User, purpose: str) -> bool:
    """A one-time link to set a password, to an active account's own address. `purpose` picks the words:
    "invitation" (a new account), "approver" (a password chosen by someone else was replaced), else a reset."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    if not user.is_active or not user.email:
        return False
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    context = {"user": user, "purpose": purpose, "link": f"{settings.SITE_URL}{path}"}
    return send_templated_mail(f"{TEMPLATES}/password_link", context, [user.email]) == 1
