"""Bands and tiers read by severity wherever the portfolio is broken down; other breakdowns largest first."""

from intake.vocabulary import BANDS_BY_SEVERITY, TIERS_BY_SEVERITY, Tier
from reporting.selectors import breakdown


def test_bands_follow_severity_not_size():
    rows = breakdown(["low"] * 5 + ["critical"] + ["medium"] * 3, ["high"], order=BANDS_BY_SEVERITY)
    assert [row["label"] for row in rows] == ["critical", "high", "medium", "low"]
    assert [row["count"] for row in rows] == [1, 0, 3, 5]


def test_values_outside_the_order_come_last():
    rows = breakdown(["", "low", "critical"], [], order=BANDS_BY_SEVERITY)
    assert [row["label"] for row in rows] == ["critical", "low", "—"]


def test_tiers_most_severe_first_and_out_of_scope_last():
    assert TIERS_BY_SEVERITY == (Tier.PROHIBITED, Tier.HIGH, Tier.LIMITED, Tier.MINIMAL, Tier.NOT_APPLICABLE)


def test_without_an_order_the_largest_first():
    rows = breakdown(["b", "a", "a"], ["c"])
    assert [row["label"] for row in rows] == ["a", "b", "c"]
