"""The home page's attestation section: the owner's use cases still to attest this quarter; for the CIO and the CISO,
how many went unattested last quarter and how many are still owed this one. One query either way."""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from config.quarters import Quarter
from oversight import policies, selectors


def attestations_section(request: HttpRequest) -> str | None:
    user = request.user
    quarter = Quarter.containing(timezone.localdate())
    if policies.is_executive(user):
        last = quarter.previous()
        figures = selectors.attestations_owed_and_missed(quarter)
        if not figures["owed_now"] and not figures["missed_last"]:
            return None
        context = {"executive": True, "quarter": quarter, "last": last, **figures}
    else:
        owed = selectors.my_attestations_owed(user, quarter)
        if not owed:
            return None
        context = {"executive": False, "quarter": quarter, "owed": owed}
    return render_to_string("oversight/_home_attestations.html", context, request=request)
