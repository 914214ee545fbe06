"""Dates in the words of messages and errors, in the one format pages use (settings' DATE_FORMAT: 27 Nov 2026)."""

from datetime import date, datetime

from django.utils import formats, timezone


def human_date(value: date | datetime) -> str:
    """The day `value` falls on, as people read it; an aware moment is taken in the local time zone first."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATE_FORMAT")
