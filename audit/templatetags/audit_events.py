"""Template filters that show an audit event in the words its app registered (audit/events.py), never as its code."""

from datetime import datetime, timedelta
from typing import Any

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

from audit.events import event_type

register = template.Library()


@register.filter
def event_label(code: str) -> str:
    """{{ event.action|event_label }}: "Submitted for decision" for "intake.use_case_submit"."""
    return event_type(code).label


@register.filter
def event_detail(event: Any) -> str:
    """{{ event|event_detail }}: one line of plain language from the event's payload ("" when there is none)."""
    return event_type(event.action).detail(event.payload)


@register.filter
def ago(moment: datetime) -> str:
    """{{ event.occurred_at|ago }}: "just now" within the minute, else "3 hours ago" (the largest unit)."""
    if timezone.now() - moment < timedelta(minutes=1):
        return "just now"
    return f"{timesince(moment, depth=1)} ago"
