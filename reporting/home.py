"""The home page's board-pack section: for the board secretary, the latest pack, the next scheduled one, the running
quarter's; for the CIO and the CISO, the versions awaiting their signature.

Registered with accounts.home from ReportingConfig.ready; a fixed number of queries when shown, none for other roles.
"""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from accounts.roles import Role, roles_of
from config.quarters import Quarter
from reporting import issuance, policies, selectors
from reporting.models import BoardPack
from reporting.workflow import IN_PROGRESS, SIGNABLE

AWAITING_SHOWN = 5


def board_packs_section(request: HttpRequest) -> str | None:
    parts = [_awaiting_signature(request), _secretary(request)]
    shown = [part for part in parts if part]
    # Each part is a template's output, already escaped: joined, it stays safe.
    return mark_safe("".join(shown)) if shown else None  # noqa: S308


def _awaiting_signature(request: HttpRequest) -> str | None:
    """The versions this CIO or CISO could sign now: what stands between the quarter and an issued pack."""
    if not policies.signing_roles_of(request.user):
        return None
    candidates = list(
        selectors.board_packs_for(request.user).filter(
            status=BoardPack.Status.READY, issuance__in=sorted(SIGNABLE)
        )[:AWAITING_SHOWN]
    )
    rows = issuance.awaiting_signature(request.user, candidates) if candidates else []
    if not rows:
        return None
    return render_to_string("reporting/_home_awaiting.html", {"rows": rows}, request=request)


def _secretary(request: HttpRequest) -> str | None:
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
