"""The CIO's and CISO's dashboard reads a snapshot of the portfolio's figures, not the portfolio itself.

Gathering the figures reads every use case of the quarter (reporting.pack.pack_context): about a second at 100,000
use cases, too long for a page people open often. Beat refreshes the snapshot every DASHBOARD_REFRESH_SECONDS into
the cache (Redis in production, shared by every web process); a page finds it there and says how old it is. Only
when there is none, or it is older than two refresh intervals (beat stopped), does a page gather the figures itself
and store them for the next one.
"""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from reporting.pack import pack_context
from reporting.quarters import Quarter

CACHE_KEY = "reporting:dashboard:snapshot:v1"


def dashboard_refresh(*, now: datetime | None = None) -> dict[str, Any]:
    """Gather the running quarter's figures as of ``now`` and store them as the snapshot; returns them."""
    now = now or timezone.now()
    context = pack_context(Quarter.containing(timezone.localtime(now).date()), now)
    # Kept a little longer than two intervals, so a page can tell a late refresh from none at all.
    cache.set(CACHE_KEY, context, timeout=settings.DASHBOARD_REFRESH_SECONDS * 3)
    return context


def dashboard_snapshot(*, now: datetime | None = None) -> dict[str, Any]:
    """The latest snapshot when it is recent enough (its ``cutoff`` says as of when), else a fresh one."""
    now = now or timezone.now()
    snapshot = cache.get(CACHE_KEY)
    max_age = timedelta(seconds=settings.DASHBOARD_REFRESH_SECONDS * 2)
    current_quarter = Quarter.containing(timezone.localtime(now).date())
    if (
        snapshot is None
        or snapshot["cutoff"] < now - max_age
        or str(snapshot.get("quarter")) != str(current_quarter)
    ):
        snapshot = dashboard_refresh(now=now)
    return snapshot
