"""The home page's oversight section: reporting duties falling due (the CIO and the CISO see all of them, an owner those
of their own use cases) and, for the executives, serious incidents whose use case still runs, each with its kill
switch. Registered with accounts.home from OversightConfig.ready; a fixed number of queries."""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from oversight import policies, selectors


def incidents_section(request: HttpRequest) -> str | None:
    user = request.user
    deadlines = selectors.open_deadlines_for(user)
    running = selectors.serious_unsuspended_for_executives(user)
    if not deadlines and not running:
        return None
    return render_to_string(
        "oversight/_home_incidents.html",
        {
            "deadlines": deadlines,
            "running": running,
            "now": timezone.now(),
            "executive": policies.is_executive(user),
        },
        request=request,
    )
