"""Reads about people: profiles, the People pages, role requests, API tokens and the sign-in failure counts."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import ApiToken, RoleGrantRequest, SignInFailure, Team, User
from accounts.roles import ALL_ROLES, APPROVER_ROLES, Role, roles_of
from accounts.signin import Limits, Refusal, normalise_username, refusal


def user_profile(user: User) -> dict[str, Any]:
    return {
        "username": user.get_username(),
        "display_name": str(user),
        "roles": sorted(roles_of(user)),
        "teams": list(user.teams.order_by("name").values_list("name", flat=True)),
        "is_staff": user.is_staff,
    }


def role_headcount() -> dict[str, int]:
    """Active users per role, in one query."""
    aggregates = {role: Count("pk", filter=Q(groups__name=role), distinct=True) for role in sorted(ALL_ROLES)}
    row = User.objects.filter(is_active=True).aggregate(total=Count("pk", distinct=True), **aggregates)
    return {"total": row.pop("total"), **{Role(k).label: v for k, v in row.items()}}


def teams_with_headcount():
    return Team.objects.annotate(headcount=Count("members", filter=Q(members__is_active=True))).order_by(
        "name"
    )


def sign_in_limits() -> Limits:
    return Limits.from_settings(settings.SIGN_IN_LIMITS)


def sign_in_refusal(
    username: str, ip: str, *, now: datetime | None = None, excluding: int | None = None
) -> Refusal | None:
    """Whether a sign-in attempt for ``username`` from ``ip`` is refused now (two small indexed queries).

    ``excluding``: the attempt being decided, already recorded (accounts.services.sign_in_attempt_begin), which does
    not count against itself."""
    now = now or timezone.now()
    limits = sign_in_limits()
    name = normalise_username(username)
    failures = SignInFailure.objects.filter(username=name).order_by("-failed_at")
    if excluding is not None:
        failures = failures.exclude(pk=excluding)
    from_address = list(
        failures.filter(ip=ip, address_cleared=False, failed_at__gt=now - limits.address_window).values_list(
            "failed_at", flat=True
        )[: max(limits.address_failures, 0)]
    )
    from_anywhere = list(
        failures.filter(failed_at__gt=now - limits.account_window).values_list("failed_at", flat=True)[
            : max(limits.account_failures, 0)
        ]
    )
    return refusal(from_address=from_address, from_anywhere=from_anywhere, limits=limits, now=now)


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """The person's tokens, live ones first, newest first (the profile page)."""
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")


def people_list(*, active: bool | None = None, query: str = "") -> QuerySet[User]:
    """People for the People pages, with their groups and teams in two more queries."""
    people = User.objects.order_by("username").prefetch_related(
        Prefetch("groups", to_attr="prefetched_groups"), Prefetch("teams", to_attr="prefetched_teams")
    )
    if active is not None:
        people = people.filter(is_active=active)
    if query:
        people = people.filter(
            Q(username__icontains=query) | Q(display_name__icontains=query) | Q(email__icontains=query)
        )
    return people


def held_roles(user: User) -> list[str]:
    """The role groups a person belongs to, from prefetched groups when there are any (administrators included:
    the People pages show what is recorded, roles_of says what counts)."""
    groups = getattr(user, "prefetched_groups", None)
    names = (
        [g.name for g in groups] if groups is not None else list(user.groups.values_list("name", flat=True))
    )
    return sorted(name for name in names if name in ALL_ROLES)


def role_requests_pending() -> QuerySet[RoleGrantRequest]:
    return (
        RoleGrantRequest.objects.filter(state=RoleGrantRequest.State.PENDING, expires_at__gt=timezone.now())
        .select_related("user", "requested_by")
        .order_by("requested_at")
    )


def role_requests_awaiting(user: Any) -> QuerySet[RoleGrantRequest]:
    """Pending grants this person may confirm: they hold CIO or CISO and are neither the grantee nor the requester."""
    if not roles_of(user) & APPROVER_ROLES:
        return RoleGrantRequest.objects.none()
    return role_requests_pending().exclude(user=user).exclude(requested_by=user)


def role_requests_recent(limit: int = 20) -> list[RoleGrantRequest]:
    return list(
        RoleGrantRequest.objects.exclude(state=RoleGrantRequest.State.PENDING)
        .select_related("user", "requested_by", "decided_by")
        .order_by("-decided_at")[:limit]
    )


def role_request_for(pk: int) -> RoleGrantRequest | None:
    return RoleGrantRequest.objects.select_related("user", "requested_by").filter(pk=pk).first()


def approver_emails(*, exclude: Any = None) -> list[str]:
    """The sitting CIO and CISO holders' addresses (active, never administrators)."""
    holders = User.objects.filter(groups__name__in=sorted(APPROVER_ROLES), is_active=True, is_staff=False)
    holders = holders.filter(is_superuser=False).exclude(email="")
    if exclude is not None:
        holders = holders.exclude(pk=getattr(exclude, "pk", exclude))
    return sorted(set(holders.values_list("email", flat=True)))


def sitting_approvers_exist() -> bool:
    return User.objects.filter(
        groups__name__in=sorted(APPROVER_ROLES), is_active=True, is_staff=False, is_superuser=False
    ).exists()
