"""The home page's section for the board secretary: the latest pack, the next scheduled one, the running quarter's.

Registered with accounts.home from ReportingConfig.ready; two queries when shown, none for other roles.
"""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.roles import Role, roles_of
from reporting import selectors
from reporting.models import BoardPack
from reporting.quarters import Quarter
from reporting.workflow import IN_PROGRESS


def board_packs_section(request: HttpRequest) -> str | None:
    if Role.BOARD_SECRETARY not in roles_of(request.user):
        return None
    now = timezone.now()
    running = str(Quarter.containing(timezone.localdate()))
    latest = selectors.latest_pack(request.user)
    scheduled = selectors.next_scheduled_pack(now)
    context = {
        "latest": latest,
        "latest_ready": latest is not None and latest.status == BoardPack.Status.READY,
        "latest_in_progress": latest is not None and latest.status in IN_PROGRESS,
        "scheduled_at": scheduled[0] if scheduled else None,
        "scheduled_quarter": str(scheduled[1]) if scheduled else "",
        "running": running,
        "running_made": bool(selectors.quarters_with_a_pack(request.user, [running])),
    }
    return render_to_string("reporting/_home_packs.html", context, request=request)
