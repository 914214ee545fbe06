"""Template context every page needs: the navigation the user may use and the roles they hold."""

from typing import Any

from django.http import HttpRequest

from accounts.navigation import visible_nav_items
from accounts.roles import Role, roles_of


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    held = roles_of(user)
    current = getattr(getattr(request, "resolver_match", None), "view_name", "")
    items = visible_nav_items(user)
    for item in items:
        item["current"] = item["url_name"] == current
    return {
        "nav_items": items,
        "user_roles": sorted(Role(r).label for r in held),
    }
