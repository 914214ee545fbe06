"""Where each of the dashboard's numbers leads: the requests list filtered to the use cases the number counts.

Each address names the same set the board pack's figure counts (reporting.pack): the statuses it reads, and the
tier, band, verdict, exception, likelihood and impact filters of intake.listfilters. A figure with no list behind it
(decisions this quarter, teams, providers, overdue conditions) gets no link.
"""

from typing import Any

from django.urls import reverse

from intake.listfilters import ExceptionFilter, filters_query
from intake.vocabulary import BREACHING_VERDICTS, Band, Tier
from intake.workflow import OPEN_STATES, PORTFOLIO_STATES, Status

# Everything submitted at least once: the pack's total leaves out drafts only.
SUBMITTED_STATES = frozenset(Status) - {Status.DRAFT}
# The statuses the pack's "live" breakdowns (tier, band, heat map, breaches) count.
LIVE = sorted(str(s) for s in PORTFOLIO_STATES)


def requests_url(**filters: Any) -> str:
    query = filters_query(**filters)
    return reverse("intake:list") + (f"?{query}" if query else "")


def _statuses(states) -> list[str]:
    return sorted(str(s) for s in states)


def summary_links() -> dict[str, str]:
    """The headline figures' lists, by the figure's key in the pack's summary."""
    return {
        "total": requests_url(status=_statuses(SUBMITTED_STATES)),
        "approved": requests_url(status=Status.APPROVED.value),
        "open": requests_url(status=_statuses(OPEN_STATES)),
        "rejected": requests_url(status=Status.REJECTED.value),
        # Closed by the system on submission: rejected, and prohibited by the EU AI Act.
        "prohibited_blocked": requests_url(status=Status.REJECTED.value, tier=Tier.PROHIBITED.value),
        "exceptions_active": requests_url(status=Status.APPROVED.value, exception=ExceptionFilter.STANDING),
        "overdue_re_reviews": requests_url(status=Status.RE_REVIEW_DUE.value),
    }


def rag_reason_link(kind: str) -> str | None:
    """The list behind one reason for the overall status (reporting.pack.RAG_REASON_KINDS)."""
    return {
        "overdue_re_reviews": requests_url(status=Status.RE_REVIEW_DUE.value),
        "exception_expired": requests_url(status=Status.APPROVED.value, exception=ExceptionFilter.EXPIRED),
        "breaches": requests_url(status=LIVE, verdict=sorted(str(v) for v in BREACHING_VERDICTS)),
        "exceptions_expiring": requests_url(status=Status.APPROVED.value, exception=ExceptionFilter.STANDING),
    }.get(kind)


_BY_LABEL = {
    "by_status": ("status", {str(label): value for value, label in Status.choices}),
    "by_tier": ("tier", {str(label): value for value, label in Tier.choices}),
    "by_band": ("band", {str(label): value for value, label in Band.choices}),
}


def portfolio_link(key: str, row: dict) -> str | None:
    """The list behind one bar of a portfolio chart (rows carry the label the pack shows, read back to its value)."""
    if key not in _BY_LABEL:
        return None
    name, values = _BY_LABEL[key]
    value = values.get(str(row.get("label")))
    if value is None or not int(row.get("count") or 0):
        return None
    if key == "by_status":
        return requests_url(status=value)
    return requests_url(status=LIVE, **{name: value})


def heatmap_link(likelihood: int, impact: int) -> str:
    return requests_url(status=LIVE, likelihood=likelihood, impact=impact)
