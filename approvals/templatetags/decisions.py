"""The decision words in templates (approvals.rules is their one home)."""

from django import template

from approvals.rules import Decision
from intake.vocabulary import label_of

register = template.Library()


@register.filter
def decision_label(value: str) -> str:
    return label_of(Decision, value)
