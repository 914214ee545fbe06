"""The intake's words in templates: a stored value in, its label out (intake.vocabulary is their one home)."""

from django import template

from intake.vocabulary import Band, Tier, Verdict, label_of
from intake.workflow import Status

register = template.Library()


def _verdict_words(attribute: str):
    def words(value: str) -> str:
        try:
            return getattr(Verdict(value), attribute)
        except ValueError:
            return ""

    return words


# {{ check.verdict|verdict_badge }}: the verdict's label, badge, table label or meaning ("" for none).
for _name, _attribute in (
    ("verdict_label", "label"),
    ("verdict_badge", "badge"),
    ("verdict_short", "short_label"),
    ("verdict_meaning", "meaning"),
):
    register.filter(_name, _verdict_words(_attribute))


@register.filter
def tier_label(value: str) -> str:
    return label_of(Tier, value, empty="")


@register.filter
def band_label(value: str) -> str:
    return label_of(Band, value, empty="")


@register.filter
def status_label(value: str) -> str:
    return label_of(Status, value, empty="")
