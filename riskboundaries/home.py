"""The home page's prompt for the CIO and the CISO: a boundary version awaiting their signature.

Registered with accounts.home from RiskBoundariesConfig.ready; three queries when shown, none for other roles.
"""

from django.http import HttpRequest
from django.template.loader import render_to_string

from riskboundaries import selectors


def signature_prompt_section(request: HttpRequest) -> str | None:
    boundaries = selectors.boundaries_awaiting_signature_of(request.user)
    if not boundaries:
        return None
    rows = [{"boundary": b, "signed": selectors.valid_signatures(b)} for b in boundaries]
    return render_to_string("riskboundaries/_home_signature.html", {"rows": rows}, request=request)
