"""The home page's sections from the joint decision: the CIO's and CISO's inbox, what expires soon, the requester's.

Registered with accounts.home from ApprovalsConfig.ready. Each section costs a fixed number of queries.
"""

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.roles import Role, roles_of
from approvals import policies, selectors
from intake.deadlines import TARGET_WORKING_DAYS
from intake.presenters import band_label, tier_label
from intake.selectors import my_recent_requests, my_requests, my_requests_by_state
from intake.workflow import Status

RECENT_PER_STATE = 3
# The order the requester's states are listed in: what is moving first, then what is live, then what is closed.
STATE_ORDER = (
    Status.DRAFT,
    Status.SUBMITTED,
    Status.RE_REVIEW_DUE,
    Status.APPROVED,
    Status.REJECTED,
    Status.WITHDRAWN,
    Status.RETIRED,
)


def decisions_section(request: HttpRequest) -> str | None:
    """What waits on this person's decision: how many, and the most urgent few (overdue, then critical, first)."""
    if not policies.slots_of(request.user):
        return None
    now = timezone.now()
    count, rows = selectors.waiting_on_me_summary(request.user, now=now)
    items = [
        {"row": row, "band": band_label(row.use_case.band), "tier": tier_label(row.use_case.tier)}
        for row in rows
    ]
    context: dict[str, Any] = {
        "count": count,
        "items": items,
        "overdue": sum(1 for row in rows if row.overdue),
        "target": TARGET_WORKING_DAYS,
        "slots": [Role(slot).label for slot in policies.slots_of(request.user)],
    }
    return render_to_string("approvals/_home_decisions.html", context, request=request)


def expiring_section(request: HttpRequest) -> str | None:
    """Conditions falling due and exceptions running out within the horizon, for the CIO and the CISO."""
    if not policies.slots_of(request.user):
        return None
    today = timezone.localdate()
    count, items = selectors.expiring_soon(request.user, today=today)
    context = {"count": count, "items": items, "days": selectors.EXPIRING_WITHIN_DAYS, "today": today}
    return render_to_string("approvals/_home_expiring.html", context, request=request)


def requester_section(request: HttpRequest) -> str | None:
    """The requester's own work: what needs them (changes asked for, conditions to meet), then the rest by state.

    Here rather than in intake: the conditions are this app's, and intake may not import it."""
    user = request.user
    if Role.REQUESTER not in roles_of(user):
        return None
    mine = my_requests(user)
    changes = list(
        mine.filter(submitter=user, status=Status.CHANGES_REQUESTED).order_by("-updated_at")[
            : selectors.HOME_ITEMS + 1
        ]
    )
    conditions_count, conditions = selectors.conditions_due_for_submitter(user)
    by_state = my_requests_by_state(user, at_most=selectors.COUNT_CAP)
    # The few most recently touched of the rest, grouped under their state below (one query, bounded).
    recent = my_recent_requests(
        user, exclude_states=(Status.CHANGES_REQUESTED,), limit=RECENT_PER_STATE * len(STATE_ORDER)
    )
    groups = []
    for state in STATE_ORDER:
        if by_state.get(state):
            shown = [use_case for use_case in recent if use_case.status == state][:RECENT_PER_STATE]
            groups.append(
                {"state": state, "label": Status(state).label, "count": by_state[state], "shown": shown}
            )
    today = timezone.localdate()
    context: dict[str, Any] = {
        "changes": changes[: selectors.HOME_ITEMS],
        "more_changes": len(changes) > selectors.HOME_ITEMS,
        "conditions": conditions,
        "conditions_count": conditions_count,
        "today": today,
        "groups": groups,
        "total": sum(by_state.values()),
        "total_capped": any(count > selectors.COUNT_CAP for count in by_state.values()),
        "needs_me": len(changes) + conditions_count,
    }
    return render_to_string("approvals/_home_requester.html", context, request=request)
