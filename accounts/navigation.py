"""The navigation: each entry names the roles that may use it. Apps add their pages here as they gain them."""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from accounts.roles import Role, roles_of


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None = None  # None: every signed-in user
    staff_only: bool = False


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("Home", "home"),
    NavItem("My requests", "intake:list", roles=frozenset({Role.REQUESTER})),
    NavItem("Review queue", "approvals:queue", roles=frozenset({Role.CIO, Role.CISO})),
    NavItem("Dashboard", "reporting:dashboard", roles=frozenset({Role.CIO, Role.CISO})),
    NavItem("Use cases", "intake:list", roles=frozenset({Role.CIO, Role.CISO})),
    NavItem("Risk boundary", "riskboundaries:active"),
    NavItem("Board packs", "reporting:list", roles=frozenset({Role.BOARD_SECRETARY, Role.CIO, Role.CISO})),
    NavItem("AI inventory", "oversight:inventory", roles=frozenset({Role.CIO, Role.CISO})),
    NavItem("Audit trail", "audit:event-list", roles=frozenset({Role.CIO, Role.CISO})),
    NavItem("People", "people:list", staff_only=True),
)


def visible_nav_items(user: Any) -> list[dict[str, str]]:
    if not getattr(user, "is_authenticated", False):
        return []
    held = roles_of(user)
    items = []
    for item in NAV_ITEMS:
        if item.staff_only and not user.is_staff:
            continue
        if item.roles is not None and not (held & item.roles):
            continue
        if any(shown["url_name"] == item.url_name for shown in items):
            continue  # one entry per page, under the first label that applies
        items.append({"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name})
    return items
