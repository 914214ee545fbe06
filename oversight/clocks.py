"""The Regulation's clocks on a serious incident: which reporting duties apply to our role, and by when. Pure.

A serious incident (Art. 3(49)) of a high-risk AI system starts them from the moment we became aware of it:

- as the **deployer** (Art. 26(5)): inform the provider immediately, and then the market surveillance authority. The
  Regulation gives no number of days; the company's target (``immediate_hours``, 24 by default) is the deadline shown.
- as the **provider** (Art. 73): report to the market surveillance authority of the Member State where it happened, at
  the latest 15 days after becoming aware (73(2)); 10 days on a person's death (73(4)); 2 days for a widespread
  infringement or a serious and irreversible disruption of critical infrastructure (73(3)). The shortest that applies.

A period in days is counted as Regulation (EEC, Euratom) No 1182/71 counts it (Art. 3(1), 3(2)(b)): the day of
becoming aware does not count, and the period ends at the end of its last day, in the company's time zone. It is not
moved past a weekend or a public holiday (3(4) would allow it; the earlier date is the safe one to show).
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

# What made an incident serious (Art. 3(49)); the "widespread infringement" of Art. 3(61) has its own 2-day clock.
DEATH = "death"
HEALTH = "health"
CRITICAL_INFRASTRUCTURE = "critical_infrastructure"
FUNDAMENTAL_RIGHTS = "fundamental_rights"
WIDESPREAD_INFRINGEMENT = "widespread_infringement"
PROPERTY_OR_ENVIRONMENT = "property_or_environment"

SERIOUS_KINDS: tuple[tuple[str, str], ...] = (
    (DEATH, "A person died (Art. 3(49)(a))"),
    (HEALTH, "Serious harm to a person's health (Art. 3(49)(a))"),
    (
        CRITICAL_INFRASTRUCTURE,
        "Serious and irreversible disruption of critical infrastructure (Art. 3(49)(b))",
    ),
    (FUNDAMENTAL_RIGHTS, "An infringement of Union law protecting fundamental rights (Art. 3(49)(c))"),
    (WIDESPREAD_INFRINGEMENT, "A widespread infringement, in several Member States (Art. 3(61))"),
    (PROPERTY_OR_ENVIRONMENT, "Serious harm to property or the environment (Art. 3(49)(d))"),
)
SERIOUS_KIND_LABELS = dict(SERIOUS_KINDS)

# The duties a clock can run for.
DEPLOYER_TO_PROVIDER = "deployer_to_provider"
DEPLOYER_TO_AUTHORITY = "deployer_to_authority"
PROVIDER_TO_AUTHORITY = "provider_to_authority"

DUTIES: tuple[tuple[str, str], ...] = (
    (DEPLOYER_TO_PROVIDER, "Inform the provider"),
    (DEPLOYER_TO_AUTHORITY, "Inform the market surveillance authority"),
    (PROVIDER_TO_AUTHORITY, "Report to the market surveillance authority"),
)
DUTY_LABELS = dict(DUTIES)

PROVIDER_DAYS = 15  # Art. 73(2)
PROVIDER_DAYS_ON_DEATH = 10  # Art. 73(4)
PROVIDER_DAYS_URGENT = 2  # Art. 73(3)
URGENT_KINDS = frozenset({CRITICAL_INFRASTRUCTURE, WIDESPREAD_INFRINGEMENT})

DEPLOYER, PROVIDER = "deployer", "provider"
HIGH_RISK = "high"


@dataclass(frozen=True)
class Clock:
    duty: str
    article: str
    due_at: datetime  # aware, UTC
    period: str  # how the Regulation words it, for the page


def end_of_day_after(aware_at: datetime, days: int, zone: ZoneInfo) -> datetime:
    """The end of the ``days``-th day after the day ``aware_at`` falls on, in ``zone`` (Regulation 1182/71): an event
    at 23:50 on 30 January, 2 days -> the end of 1 February, local time, whatever the offset from UTC is then."""
    if aware_at.tzinfo is None:
        raise ValueError("aware_at must be timezone-aware")
    last_day = aware_at.astimezone(zone).date() + timedelta(days=days)
    next_midnight = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=zone)
    # The last instant of the last day: one microsecond before the next day begins (DST-safe: built from midnight).
    return (next_midnight - timedelta(microseconds=1)).astimezone(ZoneInfo("UTC"))


def provider_days(kind: str) -> int:
    """Art. 73: the shortest period that applies to what made the incident serious."""
    if kind in URGENT_KINDS:
        return PROVIDER_DAYS_URGENT
    if kind == DEATH:
        return PROVIDER_DAYS_ON_DEATH
    return PROVIDER_DAYS


def clocks_for(
    *,
    serious: bool,
    kind: str,
    tier: str,
    role: str,
    aware_at: datetime,
    zone: ZoneInfo,
    immediate_hours: int,
) -> list[Clock]:
    """The reporting deadlines a serious incident starts for us, by our role; none when it is not serious or the
    system is not high-risk (Art. 26(5) and 73 are duties for high-risk systems)."""
    if not serious or tier != HIGH_RISK:
        return []
    if role == PROVIDER:
        days = provider_days(kind)
        return [
            Clock(
                PROVIDER_TO_AUTHORITY,
                {2: "Art. 73(3)", 10: "Art. 73(4)"}.get(days, "Art. 73(2)"),
                end_of_day_after(aware_at, days, zone),
                f"at the latest {days} days after becoming aware",
            )
        ]
    immediately = (aware_at + timedelta(hours=immediate_hours)).astimezone(ZoneInfo("UTC"))
    period = f"immediately (company target: {immediate_hours} hours)"
    return [
        Clock(DEPLOYER_TO_PROVIDER, "Art. 26(5)", immediately, period),
        Clock(DEPLOYER_TO_AUTHORITY, "Art. 26(5)", immediately, period),
    ]
