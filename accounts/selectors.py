"""Reads about people: a user's profile for the API and the figures an administrator's home page shows."""

from typing import Any

from django.db.models import Count, Q

from accounts.models import Team, User
from accounts.roles import ALL_ROLES, Role, roles_of


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
