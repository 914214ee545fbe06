"""The decision target's arithmetic: weekends do not count, whichever side of the clock they fall on."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from intake import deadlines

ZONE = timezone.get_default_timezone()
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=ZONE)
SATURDAY = datetime(2026, 11, 28, 10, 0, tzinfo=ZONE)


def overdue(since: datetime, now: datetime) -> bool:
    return since < deadlines.overdue_cutoff(now)


def test_a_monday_submission_is_not_overdue_on_the_saturday():
    # Four working days and a morning have passed; it is due the next Monday at 09:00.
    assert not overdue(MONDAY, SATURDAY)
    assert deadlines.decision_due(MONDAY) == MONDAY + timedelta(days=7)


def test_the_previous_weeks_friday_is_overdue_on_the_saturday():
    assert overdue(MONDAY - timedelta(days=3), SATURDAY)


def test_a_weekend_submission_counts_from_the_monday_that_follows():
    due = deadlines.decision_due(SATURDAY)
    assert due == datetime(2026, 12, 4, 23, 59, 59, tzinfo=ZONE)  # the end of the fifth working day, a Friday
    assert not overdue(SATURDAY, due - timedelta(minutes=1))
    assert overdue(SATURDAY, due + timedelta(minutes=1))


def test_overdue_exactly_when_the_due_moment_has_passed_for_every_hour_of_two_weeks():
    start = datetime(2026, 11, 20, 0, 0, tzinfo=ZONE)  # a Friday
    moments = [
        start + timedelta(hours=7 * step) for step in range(48)
    ]  # every 7 h: each weekday and hour band
    for since in moments:
        due = deadlines.decision_due(since)
        for now in [*moments, due, due + timedelta(seconds=1)]:
            assert overdue(since, now) == (now > due), (since, now, due)


def test_working_days_between_counts_monday_to_friday_days_after_the_start():
    friday = date(2026, 11, 27)
    assert deadlines.working_days_between(friday, friday) == 0
    assert deadlines.working_days_between(friday, friday - timedelta(days=3)) == 0
    assert deadlines.working_days_between(friday, friday + timedelta(days=1)) == 0  # Saturday
    assert deadlines.working_days_between(friday, friday + timedelta(days=3)) == 1  # Monday
    assert deadlines.working_days_between(friday, friday + timedelta(days=7)) == 5
    assert deadlines.working_days_between(friday, friday + timedelta(days=21)) == 15


def test_working_days_between_agrees_with_counting_day_by_day():
    start = date(2026, 11, 16)  # a Monday
    for first in range(7):
        for span in range(-2, 30):
            a, b = start + timedelta(days=first), start + timedelta(days=first + span)
            by_hand = sum(1 for n in range(1, span + 1) if (a + timedelta(days=n)).weekday() < 5)
            assert deadlines.working_days_between(a, b) == by_hand, (a, b)
