"""The decision target: how many working days the CIO and CISO have, and the Monday-to-Friday arithmetic behind it.

It lives below approvals so that the queue (age, overdue) and the requester's use-case page (due by) read one rule.
"""

from datetime import date, datetime, timedelta

from django.utils import timezone

TARGET_WORKING_DAYS = 5


def _is_working_day(day: date) -> bool:
    return day.weekday() < 5


def working_days_between(start: date, end: date) -> int:
    """Monday-to-Friday days after `start` up to and including `end`."""
    if end <= start:
        return 0
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if _is_working_day(start + timedelta(days=weeks * 7 + offset)):
            count += 1
    return count


def _step_working_days(moment: datetime, count: int, direction: int) -> datetime:
    day, counted = moment, 0
    while counted < count:
        day += timedelta(days=direction)
        if _is_working_day(day):
            counted += 1
    return day


def _on_working_time(moment: datetime, direction: int) -> datetime:
    """A weekend moment as the working time it stands for, in local time: forwards, the Monday that follows (00:00);
    backwards, the end of the Friday before (Saturday 00:00). A weekday moment is itself."""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    if _is_working_day(local):
        return moment
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if direction > 0:
        return midnight + timedelta(days=7 - local.weekday())
    return midnight - timedelta(days=local.weekday() - 5)


def overdue_cutoff(now: datetime, target: int = TARGET_WORKING_DAYS) -> datetime:
    """The moment before which a submission has waited longer than `target` working days (weekends do not count)."""
    return _step_working_days(_on_working_time(now, -1), target, -1)


def decision_due(waiting_since: datetime, target: int = TARGET_WORKING_DAYS) -> datetime:
    """The moment a submission waiting since `waiting_since` becomes overdue: `target` working days later. A weekend
    submission counts from the Monday that follows, so it falls due at the end of a Friday (23:59:59)."""
    start = _on_working_time(waiting_since, +1)
    due = _step_working_days(start, target, +1)
    if start == waiting_since:
        return due
    return due - timedelta(days=2, seconds=1)
