"""What the use-case page shows of live oversight: its suspension, its incidents and their deadlines, and the actions
the person may take (registered into intake's page through intake.hooks)."""

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from config.quarters import Quarter
from intake.workflow import LIVE_STATES
from oversight import policies, selectors
from oversight.models import Evidence


def incidents_panel(request: Any, use_case: Any) -> str:
    incidents = selectors.incidents_of(use_case)
    suspension = selectors.suspension_in_force(use_case)
    live = use_case.status in LIVE_STATES
    if not incidents and suspension is None and not live:
        return ""
    return render_to_string(
        "oversight/_incidents_panel.html",
        {
            "use_case": use_case,
            "incidents": incidents,
            "suspension": suspension,
            "now": timezone.now(),
            "evidence_count": Evidence.objects.filter(use_case=use_case).count(),
            "can_report": policies.incident_report_refusal(request.user, use_case) is None,
            "can_suspend": policies.suspend_refusal(request.user, use_case, suspended=suspension is not None)
            is None,
            "can_lift": policies.lift_refusal(request.user, suspended=suspension is not None) is None,
            "attest_for": _attest_for(request.user, use_case),
        },
        request=request,
    )


def suspension_notice(request: Any, use_case: Any) -> str:
    """At the top of the page, for everyone who can see it: that it is suspended, since when, by whom and why."""
    suspension = selectors.suspension_in_force(use_case)
    if suspension is None:
        return ""
    return render_to_string("oversight/_suspension_notice.html", {"suspension": suspension}, request=request)


def _attest_for(user: Any, use_case: Any) -> str:
    """The quarter the owner still has to attest the use case for, or "" (not the owner, not live, or done)."""
    if policies.attestation_refusal(user, use_case) is not None:
        return ""
    quarter = str(Quarter.containing(timezone.localdate()))
    return "" if use_case.attestations.filter(quarter=quarter).exists() else quarter
