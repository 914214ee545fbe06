"""The decision words in templates (approvals.rules is their one home), and the queue's capped counts."""

from django import template

from approvals.rules import Decision
from approvals.selectors import COUNT_CAP
from intake.vocabulary import label_of

register = template.Library()


@register.filter
def decision_label(value: str) -> str:
    return label_of(Decision, value)


@register.filter
def tally(count: int) -> str:
    """A capped count as people read it: "12", or "999+" past the cap."""
    return f"{COUNT_CAP}+" if count > COUNT_CAP else str(count)
