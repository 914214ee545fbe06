"""The decision target: how many working days the CIO and CISO have, and the Monday-to-Friday arithmetic behind it.

It lives below approvals so that the queue (age, overdue) and the requester's use-case page (due by) read one rule.
"""

from datetime import date, datetime, timedelta

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


def overdue_cutoff(now: datetime, target: int = TARGET_WORKING_DAYS) -> datetime:
    """The moment before which a submission has waited longer than `target` working days."""
    return _step_working_days(now, target, -1)


def decision_due(waiting_since: datetime, target: int = TARGET_WORKING_DAYS) -> datetime:
    """The moment a submission waiting since `waiting_since` becomes overdue: `target` working days later."""
    return _step_working_days(waiting_since, target, +1)
