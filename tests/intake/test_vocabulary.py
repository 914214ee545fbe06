"""The intake's words: each value has its label, and the rules built on them (tier order, bands) hold."""

import pytest

from intake.assessment.catalogue import IMPACT_DIMENSIONS, ROLES, TIERS
from intake.vocabulary import (
    APPROVABLE_TIERS,
    BAND_UPPER_BOUNDS,
    BANDS_BY_SEVERITY,
    BREACHING_VERDICTS,
    TIER_ORDER,
    TIER_PRECEDENCE,
    TIERS_WITH_CONTROLS,
    Band,
    EuRole,
    ImpactDimension,
    Tier,
    Verdict,
    band_for,
    label_of,
)


def test_every_tier_has_a_label_a_summary_and_a_way_to_name_its_use_cases():
    for tier in Tier:
        assert tier.label and tier.summary and "use cases" in tier.use_cases
    assert Tier.HIGH.label == "High risk"
    assert Tier.NOT_APPLICABLE.use_cases == "use cases outside the EU AI Act"


def test_outside_the_act_ranks_as_minimal_and_prohibited_ranks_highest():
    assert Tier.NOT_APPLICABLE.rank == Tier.MINIMAL.rank == 0
    assert [t.rank for t in TIER_ORDER] == [0, 1, 2, 3]
    assert max(Tier, key=lambda t: t.rank) is Tier.PROHIBITED


def test_tier_sets_are_subsets_of_the_tiers_and_never_allow_a_prohibited_practice():
    assert Tier.PROHIBITED not in APPROVABLE_TIERS and Tier.PROHIBITED not in TIERS_WITH_CONTROLS
    assert set(TIER_PRECEDENCE) == set(Tier)
    assert TIER_PRECEDENCE[0] is Tier.NOT_APPLICABLE  # no EU nexus wins over everything


def test_the_engine_reports_in_the_vocabulary():
    assert tuple(Tier.values) == TIERS
    assert tuple(EuRole.values) == ROLES
    assert tuple(ImpactDimension.values) == IMPACT_DIMENSIONS


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (1, Band.LOW),
        (4, Band.LOW),
        (5, Band.MEDIUM),
        (9, Band.MEDIUM),
        (10, Band.HIGH),
        (16, Band.HIGH),
        (17, Band.CRITICAL),
        (20, Band.CRITICAL),
        (25, Band.CRITICAL),
        (26, Band.CRITICAL),
    ],
)
def test_bands_cut_the_score_at_inclusive_upper_bounds(score, band):
    assert band_for(score) is band


def test_bands_are_ordered_by_severity_and_labelled():
    assert [b for _, b in BAND_UPPER_BOUNDS] == list(reversed(BANDS_BY_SEVERITY))
    assert [b.label for b in BANDS_BY_SEVERITY] == ["Critical", "High", "Medium", "Low"]


def test_every_verdict_has_its_label_badge_short_label_and_meaning():
    assert Verdict.WITHIN_WITH_CONDITIONS.label == "Within the risk boundary, with required controls"
    assert Verdict.WITHIN_WITH_CONDITIONS.badge == "Within, with conditions"
    assert Verdict.WITHIN_WITH_CONDITIONS.short_label == "With conditions"
    assert Verdict.PROHIBITED.badge == Verdict.PROHIBITED.short_label == "Never allowed"
    assert Verdict.EXCEEDS.meaning.startswith("It can only be approved with an exception")
    for verdict in Verdict:
        assert verdict.label and verdict.badge and verdict.short_label and verdict.meaning


def test_only_exceeding_and_prohibited_verdicts_breach():
    assert {Verdict.EXCEEDS, Verdict.PROHIBITED} == BREACHING_VERDICTS
    assert [v.breaches for v in Verdict] == [False, False, True, True]


def test_a_stored_value_reads_as_its_label_and_an_unknown_one_as_words_never_a_code():
    assert label_of(Tier, "high") == "High risk"
    assert label_of(Tier, "") == "—"
    assert label_of(Tier, "", empty="Not assessed") == "Not assessed"
    assert label_of(Verdict, "some_older_value") == "Some older value"


def test_a_boundary_allows_up_to_high_risk_and_attaches_controls_to_every_tier_but_prohibited():
    assert APPROVABLE_TIERS == (Tier.MINIMAL, Tier.LIMITED, Tier.HIGH)
    assert TIERS_WITH_CONTROLS == (Tier.NOT_APPLICABLE, Tier.MINIMAL, Tier.LIMITED, Tier.HIGH)


def test_each_role_says_what_it_means_for_us():
    assert EuRole.DEPLOYER.summary == "We use an AI system supplied by someone else."
    assert EuRole.PROVIDER.summary.startswith("We put it on the market or into service under our name")
