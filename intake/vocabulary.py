"""The intake's words, each defined once with its label: the EU AI Act tier and role, the risk band, the boundary verdict.

Pure: no database. Values are what is stored (in a revision's JSON and on the use case) and served by the API; labels
are what people read. Pages, the board pack, the risk boundaries and the approvals all read these from here.
"""

from django.db import models


class Tier(models.TextChoices):
    """The EU AI Act risk tier of a use case (Art. 5, Art. 6 and Annex III, Art. 50; Art. 2 for "outside")."""

    PROHIBITED = "prohibited", "Prohibited"
    HIGH = "high", "High risk"
    LIMITED = "limited", "Limited risk"
    MINIMAL = "minimal", "Minimal risk"
    NOT_APPLICABLE = "not_applicable", "Outside the EU AI Act"

    @property
    def summary(self) -> str:
        return _TIER_SUMMARIES[self]

    @property
    def use_cases(self) -> str:
        """How a rule that applies to every use case of this tier names them ("high-risk use cases")."""
        return _TIER_USE_CASES[self]

    @property
    def rank(self) -> int:
        """Where the tier stands when a boundary's highest allowed tier is compared: outside the Act counts as minimal."""
        return TIER_ORDER.index(Tier.MINIMAL if self is Tier.NOT_APPLICABLE else self)


_TIER_SUMMARIES = {
    Tier.PROHIBITED: "It involves a practice the EU AI Act bans. It cannot be approved and is closed when submitted.",
    Tier.HIGH: (
        "Its output feeds decisions in an area the EU AI Act lists as high-risk: strict duties apply before use."
    ),
    Tier.LIMITED: "People must be told they are dealing with AI, or that content is AI-made.",
    Tier.MINIMAL: "No specific EU AI Act duties beyond AI literacy; company policy still applies.",
    Tier.NOT_APPLICABLE: "No EU connection, so the EU AI Act does not apply; company policy still does.",
}
_TIER_USE_CASES = {
    Tier.PROHIBITED: "prohibited use cases",
    Tier.HIGH: "high-risk use cases",
    Tier.LIMITED: "limited-risk use cases",
    Tier.MINIMAL: "minimal-risk use cases",
    Tier.NOT_APPLICABLE: "use cases outside the EU AI Act",
}
# From least to most restricted: the order a boundary's highest allowed tier is compared in.
TIER_ORDER = (Tier.MINIMAL, Tier.LIMITED, Tier.HIGH, Tier.PROHIBITED)
# How lists of tiers read: the most severe first, out of scope last.
TIERS_BY_SEVERITY = (*reversed(TIER_ORDER), Tier.NOT_APPLICABLE)
# When several tier rules fire, the first tier in this order wins.
TIER_PRECEDENCE = (Tier.NOT_APPLICABLE, Tier.PROHIBITED, Tier.HIGH, Tier.LIMITED, Tier.MINIMAL)
# The tiers a boundary may allow (nothing allows a prohibited practice).
APPROVABLE_TIERS = (Tier.MINIMAL, Tier.LIMITED, Tier.HIGH)
# The tiers a boundary may attach required controls to.
TIERS_WITH_CONTROLS = (Tier.NOT_APPLICABLE, Tier.MINIMAL, Tier.LIMITED, Tier.HIGH)


class EuRole(models.TextChoices):
    """Our role under the EU AI Act for this use case (Art. 3(3) and 3(4); Art. 25 when a deployer becomes provider)."""

    DEPLOYER = "deployer", "Deployer"
    PROVIDER = "provider", "Provider"

    @property
    def summary(self) -> str:
        return _ROLE_SUMMARIES[self]


_ROLE_SUMMARIES = {
    EuRole.DEPLOYER: "We use an AI system supplied by someone else.",
    EuRole.PROVIDER: "We put it on the market or into service under our name, with the provider's duties.",
}


class Band(models.TextChoices):
    """The inherent-risk band of likelihood × impact (each 1–5)."""

    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


# Inclusive upper bound of each band over likelihood × impact (17–19 cannot occur as such a product).
BAND_UPPER_BOUNDS = ((4, Band.LOW), (9, Band.MEDIUM), (16, Band.HIGH), (25, Band.CRITICAL))
# Most severe first: how lists, charts and the board pack order bands.
BANDS_BY_SEVERITY = (Band.CRITICAL, Band.HIGH, Band.MEDIUM, Band.LOW)


def band_for(score: int) -> Band:
    for upper, band in BAND_UPPER_BOUNDS:
        if score <= upper:
            return band
    return BAND_UPPER_BOUNDS[-1][1]


class ImpactDimension(models.TextChoices):
    PEOPLE_RIGHTS = "people_rights", "People and their rights"
    REGULATORY = "regulatory", "Regulatory"
    DATA = "data", "Data"
    FINANCIAL = "financial", "Financial"
    OPERATIONAL = "operational", "Operational"
    REPUTATIONAL = "reputational", "Reputational"


class Verdict(models.TextChoices):
    """Where a use case stands against a risk boundary (DESIGN section 5)."""

    WITHIN = "within", "Within the risk boundary"
    WITHIN_WITH_CONDITIONS = "within_with_conditions", "Within the risk boundary, with required controls"
    EXCEEDS = "exceeds", "Exceeds the risk boundary"
    PROHIBITED = "prohibited", "Prohibited"

    @property
    def badge(self) -> str:
        """The words on the verdict's badge."""
        return _VERDICT_BADGES[self]

    @property
    def short_label(self) -> str:
        """The badge in a table column."""
        return _VERDICT_SHORT[self]

    @property
    def meaning(self) -> str:
        """What the verdict means for the decision."""
        return _VERDICT_MEANINGS[self]

    @property
    def breaches(self) -> bool:
        """Outside the boundary: no plain approval, and a live use case goes back to re-review."""
        return self in BREACHING_VERDICTS


_VERDICT_BADGES = {
    Verdict.WITHIN: "Within the risk boundary",
    Verdict.WITHIN_WITH_CONDITIONS: "Within, with conditions",
    Verdict.EXCEEDS: "Exceeds the risk boundary",
    Verdict.PROHIBITED: "Never allowed",
}
_VERDICT_SHORT = {
    Verdict.WITHIN: "Within",
    Verdict.WITHIN_WITH_CONDITIONS: "With conditions",
    Verdict.EXCEEDS: "Exceeds",
    Verdict.PROHIBITED: "Never allowed",
}
_VERDICT_MEANINGS = {
    Verdict.WITHIN: "The CIO and the CISO can approve it as it stands.",
    Verdict.WITHIN_WITH_CONDITIONS: "It can be approved with the controls below attached as conditions.",
    Verdict.EXCEEDS: (
        "It can only be approved with an exception from both the CIO and the CISO, for a limited time."
    ),
    Verdict.PROHIBITED: "No boundary and no exception can allow it.",
}
BREACHING_VERDICTS = frozenset({Verdict.EXCEEDS, Verdict.PROHIBITED})


def label_of(choices: type[models.TextChoices], value: str, *, empty: str = "—") -> str:
    """The label of a stored value; an unknown one (a value from an older ruleset) reads as words, never as a code."""
    if not value:
        return empty
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value).replace("_", " ").capitalize()
