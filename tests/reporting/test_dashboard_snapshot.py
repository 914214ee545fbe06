"""The dashboard reads a snapshot of the portfolio's figures that beat refreshes: a page does not gather them again
while the snapshot is recent, says as of when they are, and gathers them itself only when there is none (or beat
has stopped)."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reporting.selectors import DASHBOARD_CACHE_KEY as CACHE_KEY
from reporting.services import dashboard_refresh
from reporting.tasks import refresh_dashboard

pytestmark = pytest.mark.django_db

DASHBOARD = "/board-packs/dashboard/"


def _statements(client) -> int:
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(DASHBOARD).status_code == 200
    return len(captured.captured_queries)


def test_a_recent_snapshot_is_read_not_gathered_again(client, people):
    client.force_login(people["cio"])
    gathering = _statements(client)  # no snapshot yet: this page gathers the figures and stores them
    reading = _statements(client)
    assert reading < gathering - 10, (reading, gathering)


def test_beat_refreshes_the_snapshot_and_the_page_says_as_of_when(client, people, settings):
    client.force_login(people["ciso"])
    taken = timezone.now() - timedelta(seconds=settings.DASHBOARD_REFRESH_SECONDS)
    with time_machine.travel(taken, tick=False):
        refresh_dashboard()  # the task beat runs
    page = client.get(DASHBOARD).content.decode()
    assert f"as of {timezone.localtime(taken):%-d %b %Y, %H:%M}" in page


def test_a_snapshot_older_than_two_refreshes_is_gathered_again(client, people, settings):
    client.force_login(people["cio"])
    with time_machine.travel(timezone.now() - timedelta(seconds=settings.DASHBOARD_REFRESH_SECONDS * 2 + 60)):
        dashboard_refresh()
    before = timezone.now()
    assert client.get(DASHBOARD).status_code == 200
    assert cache.get(CACHE_KEY)["cutoff"] >= before  # beat stopped: the page gathered the figures itself


def test_the_snapshot_holds_the_dashboards_figures_not_the_packs_lists(client, people):
    """The pack's lists grow with the portfolio; the snapshot is read back whole on every view, so it holds only
    what the dashboard shows, and the page reads all it shows from it."""
    snapshot = dashboard_refresh()

    assert set(snapshot) == {"quarter", "cutoff", "summary", "portfolio", "heatmap", "decisions"}
    assert not any(isinstance(value, list) for value in snapshot["decisions"].values())
    assert cache.get(CACHE_KEY) == snapshot
    client.force_login(people["cio"])
    assert client.get(DASHBOARD).status_code == 200
