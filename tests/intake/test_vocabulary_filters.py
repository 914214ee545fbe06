"""Templates read the words through filters: a stored value in, its label out; nothing for nothing."""

from django.template import Context, Template


def _render(source: str, **context) -> str:
    return Template("{% load vocabulary decisions %}" + source).render(Context(context))


def test_a_verdict_reads_as_its_label_badge_table_label_and_meaning():
    v = "within_with_conditions"
    assert _render("{{ v|verdict_label }}", v=v) == "Within the risk boundary, with required controls"
    assert _render("{{ v|verdict_badge }}", v=v) == "Within, with conditions"
    assert _render("{{ v|verdict_short }}", v=v) == "With conditions"
    assert _render("{{ v|verdict_meaning }}", v="prohibited") == "No boundary and no exception can allow it."
    assert _render("[{{ v|verdict_badge }}]", v="") == "[]"


def test_tiers_bands_statuses_and_decisions_read_as_labels():
    assert _render("{{ t|tier_label }}", t="not_applicable") == "Outside the EU AI Act"
    assert _render("{{ b|band_label }}", b="critical") == "Critical"
    assert _render("{{ s|status_label }}", s="re_review_due") == "Re-review due"
    assert _render("{{ d|decision_label }}", d="approve_with_exception") == "Approve with an exception"
    assert _render("[{{ t|tier_label }}]", t="") == "[]"
