"""The board secretary's home: the latest pack, the next scheduled one, and the running quarter's pack a click away;
the board-packs page's picker defaults to the most recent quarter without a pack."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from config.quarters import Quarter
from reporting.models import BoardPack
from reporting.selectors import next_scheduled_pack
from reporting.services import board_pack_request

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def section(client, person) -> str:
    client.force_login(person)
    html = client.get("/").content.decode()
    start = html.index('aria-labelledby="home-packs-heading"')
    return html[start : html.index("</section>", start)]


def test_without_a_pack_the_home_offers_the_running_quarters_and_says_when_the_next_comes(client, secretary):
    running = str(Quarter.containing(timezone.localdate()))
    html = section(client, secretary)
    assert "No pack has been prepared yet." in html
    assert f'action="{reverse("reporting:list")}"' in html and f'value="{running}"' in html
    assert f"Prepare the {running} pack" in html
    at, quarter = next_scheduled_pack(timezone.now())
    assert f"The {quarter} pack, prepared automatically on" in html and at.strftime("%-d %b %Y") in html


def test_the_button_prepares_the_running_quarters_pack_and_the_home_offers_its_download(
    client, secretary, django_capture_on_commit_callbacks
):
    running = str(Quarter.containing(timezone.localdate()))
    client.force_login(secretary)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:list"), {"quarter": running})
    assert response.status_code == 302
    pack = BoardPack.objects.get(quarter=running)
    assert pack.status == BoardPack.Status.READY, pack.error
    html = section(client, secretary)
    assert f"<strong>{running}</strong>, version 1" in html and "Ready" in html
    assert reverse("reporting:download", args=[pack.pk]) in html


def test_with_no_schedule_packs_are_prepared_on_request(client, secretary, settings):
    settings.CELERY_BEAT_SCHEDULE = {
        name: entry
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if entry["task"] != "reporting.tasks.quarterly_board_pack"
    }
    assert "Prepared on request." in section(client, secretary)


def test_the_next_scheduled_pack_is_the_first_day_of_the_next_quarter_for_the_one_ending():
    with time_machine.travel(datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("UTC")), tick=False):
        at, quarter = next_scheduled_pack(timezone.now())
    assert (at.date().isoformat(), str(quarter)) == ("2027-01-01", "2026-Q4")


def test_only_the_secretary_gets_the_pack_section(client, cio, requester):
    for person in (cio, requester):
        client.force_login(person)
        assert 'id="home-packs-heading"' not in client.get("/").content.decode()


def test_the_quarter_picker_defaults_to_the_most_recent_quarter_without_a_pack(client, secretary):
    running = Quarter.containing(timezone.localdate())
    client.force_login(secretary)

    def selected() -> str:
        html = client.get(reverse("reporting:list")).content.decode()
        return html.split(" selected>")[0].rsplit('value="', 1)[1].split('"')[0]

    assert selected() == str(running)
    board_pack_request(actor=secretary, quarter=str(running))
    assert selected() == str(running.previous())
    board_pack_request(actor=secretary, quarter=str(running.previous()))
    assert selected() == str(running.previous().previous())


def test_the_secretary_home_query_count_does_not_grow(client, secretary, django_assert_max_num_queries):
    client.force_login(secretary)
    with django_assert_max_num_queries(8) as few:
        client.get("/")
    running = Quarter.containing(timezone.localdate())
    for quarter in (running, running.previous(), running.previous().previous()):
        board_pack_request(actor=secretary, quarter=str(quarter))
    with django_assert_max_num_queries(8) as many:
        client.get("/")
    assert len(few.captured_queries) == len(many.captured_queries)
