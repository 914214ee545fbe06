"""The home page's sections: a hook the apps above accounts fill from their AppConfig.ready, and accounts' own.

accounts may not import intake, approvals, riskboundaries or reporting (dependencies point one way only), yet each
person's home is an inbox of their work in those apps. So each app registers a function that renders its own section
from its own template for this request, or returns None when there is nothing of it for this person; the home view
only places what it is given. A section costs a fixed number of queries whatever the size of the data.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from accounts import selectors
from accounts.roles import APPROVER_ROLES, Role, roles_of
from audit.events import minor_codes
from audit.policies import can_view_audit
from audit.selectors import audit_events_for, audit_object_links

# (request) -> the section's HTML, already rendered and escaped, or None when it has nothing for this person.
HomeSection = Callable[[HttpRequest], str | None]

MAIN, ASIDE = "main", "aside"
GRANTS_SHOWN = 5


@dataclass(frozen=True)
class _Registered:
    render: HomeSection
    order: int
    place: str


_sections: list[_Registered] = []


def register_home_section(section: HomeSection, *, order: int, place: str = MAIN) -> None:
    """Offer a section to the home page: ``order`` places it among the others (lower first), ``place`` in the wide
    column (MAIN: the person's own work) or beside it (ASIDE: prompts and what is coming up)."""
    if place not in (MAIN, ASIDE):
        raise ValueError(f"A home section goes in {MAIN!r} or {ASIDE!r}, not {place!r}.")
    if any(registered.render is section for registered in _sections):
        return
    _sections.append(_Registered(section, order, place))
    _sections.sort(key=lambda registered: registered.order)


def home_sections(request: HttpRequest) -> dict[str, list[str]]:
    """The sections this person has something in, rendered, by place."""
    placed: dict[str, list[str]] = {MAIN: [], ASIDE: []}
    for registered in _sections:
        html = registered.render(request)
        if html:
            placed[registered.place].append(html)
    return placed


def grants_awaiting_section(request: HttpRequest) -> str | None:
    """Approver roles a sitting CIO or CISO may confirm: the four-eyes step of granting one."""
    if not roles_of(request.user) & APPROVER_ROLES:
        return None
    grants = list(selectors.role_requests_awaiting(request.user)[: GRANTS_SHOWN + 1])
    if not grants:
        return None
    context: dict[str, Any] = {
        "grants": [{"grant": grant, "role": Role(grant.role).label} for grant in grants[:GRANTS_SHOWN]],
        "more": len(grants) > GRANTS_SHOWN,
    }
    return render_to_string("accounts/_home_grants.html", context, request=request)


RECENT_EVENTS = 6


def recent_activity_section(request: HttpRequest) -> str | None:
    """The latest recorded events, in words, for those who read the audit trail."""
    if not can_view_audit(request.user):
        return None
    # What happened, not the housekeeping around it (sign-ins, access granted with each submission).
    events = list(audit_events_for(request.user).exclude(action__in=minor_codes())[:RECENT_EVENTS])
    links = audit_object_links(request.user, events)
    rows = [(event, links.get((event.object_type, event.object_id))) for event in events]
    return render_to_string("accounts/_home_activity.html", {"rows": rows}, request=request)
