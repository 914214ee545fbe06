"""The signed-in home page: one section for each role the user holds."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.roles import Role, roles_of
from accounts.selectors import role_headcount, teams_with_headcount
from audit.policies import can_view_audit
from audit.selectors import audit_events_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    held = roles_of(request.user)
    context = {
        "is_requester": Role.REQUESTER in held,
        "is_approver": bool(held & {Role.CIO, Role.CISO}),
        "approver_roles": sorted(Role(r).label for r in held & {Role.CIO, Role.CISO}),
        "is_board_secretary": Role.BOARD_SECRETARY in held,
        "is_admin": request.user.is_staff,
        "has_no_role": not held and not request.user.is_staff,
        "teams": list(request.user.teams.order_by("name").values_list("name", flat=True)),
    }
    if can_view_audit(request.user):
        context["recent_events"] = list(audit_events_for(request.user)[:8])
    if request.user.is_staff:
        context["headcount"] = role_headcount()
        context["team_list"] = list(teams_with_headcount())
    return render(request, "accounts/home.html", context)
