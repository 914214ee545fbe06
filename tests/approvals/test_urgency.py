"""The review queue's order: overdue first, then by band (critical first), then the longest waiting.

The pure part (segments, positions, cursors) without the database; the selector that reads it from the index on the
database, page after page, in two queries whatever the size.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from approvals import selectors
from approvals.urgency import SEGMENTS, Group, Position, Segment, after, band_rank
from intake.deadlines import overdue_cutoff
from intake.models import UseCase

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)  # a Friday
CUTOFF = overdue_cutoff(NOW)


# --- pure -------------------------------------------------------------------------------------------------------


def test_bands_rank_by_severity_and_unbanded_last():
    assert [band_rank(b) for b in ("critical", "high", "medium", "low", "")] == [0, 1, 2, 3, 4]
    assert band_rank("unknown") == 4


def test_the_segments_run_overdue_then_waiting_then_undated_each_by_severity():
    assert [s.rank for s in SEGMENTS] == sorted(s.rank for s in SEGMENTS)
    assert SEGMENTS[0] == Segment(Group.OVERDUE, "critical")
    assert SEGMENTS[5] == Segment(Group.WAITING, "critical")
    assert SEGMENTS[-1] == Segment(Group.UNDATED, None)


def test_positions_sort_overdue_first_then_band_then_age_then_id():
    old, new = CUTOFF - timedelta(days=3), CUTOFF + timedelta(hours=1)
    positions = [
        Position.of(band="low", since=new, id=1, cutoff=CUTOFF),
        Position.of(band="critical", since=new, id=2, cutoff=CUTOFF),
        Position.of(band="low", since=old, id=3, cutoff=CUTOFF),
        Position.of(band="critical", since=old + timedelta(hours=1), id=4, cutoff=CUTOFF),
        Position.of(band="critical", since=old, id=5, cutoff=CUTOFF),
        Position.of(band="high", since=None, id=6, cutoff=CUTOFF),
        Position.of(band="critical", since=old, id=7, cutoff=CUTOFF),
    ]
    assert [p.id for p in sorted(positions, key=Position.key)] == [5, 7, 4, 3, 2, 1, 6]


def test_a_cursor_survives_the_round_trip():
    for since in (CUTOFF - timedelta(microseconds=1), CUTOFF, None):
        position = Position.of(band="high", since=since, id=42, cutoff=CUTOFF)
        assert Position.decode(position.encode(), CUTOFF) == position


@pytest.mark.parametrize(
    "raw",
    ["", None, "abc", "1.2", "1.2.3.4", "9.100.3", "1.x.3", "1.100.0", "-1.100.3", "1.1e9.3", "1.9" * 30],
)
def test_a_cursor_that_is_not_ours_reads_as_the_first_page(raw):
    assert Position.decode(raw, CUTOFF) is None


def test_what_comes_after_a_cursor():
    cursor = Position.of(band="high", since=CUTOFF - timedelta(days=1), id=9, cutoff=CUTOFF)
    assert after(Segment(Group.OVERDUE, "critical"), cursor) == "none"
    assert after(Segment(Group.OVERDUE, "high"), cursor) == "part"
    assert after(Segment(Group.OVERDUE, "medium"), cursor) == "all"
    assert after(Segment(Group.WAITING, "critical"), cursor) == "all"
    assert after(Segment(Group.OVERDUE, "critical"), None) == "all"


# --- on the database --------------------------------------------------------------------------------------------


@pytest.fixture
def queue(make_use_case, boundary):
    """Eleven waiting use cases with chosen bands and ages (ids in creation order)."""
    now = timezone.now()
    cutoff = overdue_cutoff(now)
    layout = [
        ("low", cutoff + timedelta(hours=5)),
        ("critical", cutoff + timedelta(hours=1)),
        ("low", cutoff - timedelta(days=2)),
        ("critical", cutoff - timedelta(days=1)),
        ("critical", cutoff - timedelta(days=4)),
        ("high", None),
        ("medium", cutoff - timedelta(days=1)),
        ("high", cutoff + timedelta(hours=2)),
        ("", cutoff - timedelta(days=9)),
        ("critical", cutoff - timedelta(days=4)),
        ("low", None),
    ]
    made = []
    for number, (band, since) in enumerate(layout):
        use_case = make_use_case(title=f"Waiting {number}", submit=True)
        UseCase.objects.filter(pk=use_case.pk).update(band=band, awaiting_decision_since=since)
        made.append(use_case.pk)
    # Expected: overdue by band (critical: 4 days twice by id, then 1 day), medium, low, unbanded; then waiting
    # critical, high, low; then the undated by id.
    order = [4, 9, 3, 6, 2, 8, 1, 7, 0, 5, 10]
    return [made[i] for i in order]


@pytest.mark.django_db
def test_the_queue_reads_most_urgent_first_page_after_page(queue, cio, django_assert_num_queries):
    waiting = selectors.review_queue_for(cio, all_open=True)
    seen, cursor = [], None
    for _ in range(6):
        with django_assert_num_queries(2):
            page = selectors.most_urgent_page(waiting, cursor=cursor, size=3)
        seen += [uc.pk for uc in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == queue


@pytest.mark.django_db
def test_the_rows_keep_their_slots(queue, cio):
    page = selectors.most_urgent_page(selectors.review_queue_for(cio, all_open=True), size=2)
    assert [selectors.slot_of(uc, "cio") for uc in page.items] == [None, None]
    assert page.items[0].content_hash


@pytest.mark.django_db
def test_a_foreign_cursor_shows_the_first_page(queue, cio):
    waiting = selectors.review_queue_for(cio, all_open=True)
    page = selectors.most_urgent_page(waiting, cursor="1.abc.3", size=2)
    assert [uc.pk for uc in page.items] == queue[:2]


@pytest.mark.django_db
def test_the_overdue_tab_holds_only_the_overdue_in_the_same_order(queue, cio):
    waiting = selectors.review_queue_for(cio, overdue=True)
    page = selectors.most_urgent_page(waiting, size=20)
    assert [uc.pk for uc in page.items] == queue[:6] and page.next_cursor is None


@pytest.mark.django_db
def test_the_queue_page_lists_the_most_urgent_first_and_links_the_next_page(queue, client, cio):
    client.force_login(cio)
    html = client.get("/decisions/?filter=open").content.decode()
    references = list(UseCase.objects.filter(pk__in=queue).values_list("pk", "reference"))
    by_pk = dict(references)
    positions = [html.index(f">{by_pk[pk]}<") for pk in queue]
    assert positions == sorted(positions)
    assert "Next page" not in html


# --- capped counts ------------------------------------------------------------------------------------------------


def test_a_count_past_the_cap_reads_as_the_cap_and_a_plus():
    from approvals.templatetags.decisions import tally

    assert tally(0) == "0" and tally(selectors.COUNT_CAP) == str(selectors.COUNT_CAP)
    assert tally(selectors.COUNT_CAP + 1) == f"{selectors.COUNT_CAP}+"


@pytest.mark.django_db
def test_counts_stop_one_past_the_cap(queue, cio, monkeypatch, client):
    monkeypatch.setattr(selectors, "COUNT_CAP", 4)
    waiting = selectors.review_queue_for(cio, all_open=True)
    assert selectors.capped_count(waiting) == 5
    assert selectors.queue_counts(cio, {"open": {"all_open": True}, "overdue": {"overdue": True}}) == {
        "open": 5,
        "overdue": 5,
    }
    monkeypatch.setattr(selectors, "COUNT_CAP", 50)
    assert selectors.capped_count(waiting) == 11
