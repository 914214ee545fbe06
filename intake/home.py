"""The home page's prompt for the CIO and the CISO: a newer ruleset whose changes await their acknowledgement.

Registered with accounts.home from IntakeConfig.ready; one query for them, none for other roles.
"""

from django.http import HttpRequest
from django.template.loader import render_to_string

from intake import policies, selectors


def ruleset_prompt_section(request: HttpRequest) -> str | None:
    if not policies.can_see_ruleset_upgrades(request.user):
        return None
    upgrade = selectors.pending_ruleset_upgrade()
    if upgrade is None:
        return None
    return render_to_string("intake/_home_ruleset.html", {"upgrade": upgrade}, request=request)
