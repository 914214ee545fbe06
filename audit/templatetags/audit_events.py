"""Template filters that show an audit event in the words its app registered (audit/events.py), never as its code."""

from typing import Any

from django import template

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
