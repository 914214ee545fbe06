"""The serious-incident clocks: which duty for which role, and deadlines counted in days across month ends, years and
daylight-saving changes (Regulation 1182/71), in the company's time zone. Pure: no database."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from oversight import clocks

BRUSSELS = ZoneInfo("Europe/Brussels")
NEW_YORK = ZoneInfo("America/New_York")


def at(zone: ZoneInfo, *args: int) -> datetime:
    return datetime(*args, tzinfo=zone)


def provider(kind: str, aware_at: datetime, zone: ZoneInfo = BRUSSELS) -> clocks.Clock:
    (clock,) = clocks.clocks_for(
        serious=True,
        kind=kind,
        tier="high",
        role="provider",
        aware_at=aware_at,
        zone=zone,
        immediate_hours=24,
    )
    return clock


@pytest.mark.parametrize(
    ("kind", "days", "article"),
    [
        (clocks.HEALTH, 15, "Art. 73(2)"),
        (clocks.FUNDAMENTAL_RIGHTS, 15, "Art. 73(2)"),
        (clocks.PROPERTY_OR_ENVIRONMENT, 15, "Art. 73(2)"),
        (clocks.DEATH, 10, "Art. 73(4)"),
        (clocks.CRITICAL_INFRASTRUCTURE, 2, "Art. 73(3)"),
        (clocks.WIDESPREAD_INFRINGEMENT, 2, "Art. 73(3)"),
    ],
)
def test_as_provider_the_authority_is_told_within_the_days_article_73_gives_the_kind(kind, days, article):
    clock = provider(kind, at(BRUSSELS, 2026, 6, 10, 9, 0))
    assert clock.duty == clocks.PROVIDER_TO_AUTHORITY and clock.article == article
    # The day of becoming aware does not count; the period ends at the end of its last day, local time.
    last_day = datetime(2026, 6, 10) + timedelta(days=days)
    assert clock.due_at.astimezone(BRUSSELS).date() == last_day.date()
    assert clock.due_at.astimezone(BRUSSELS).time().isoformat() == "23:59:59.999999"


def test_a_period_crosses_the_end_of_a_month_and_of_a_year():
    assert provider(clocks.CRITICAL_INFRASTRUCTURE, at(BRUSSELS, 2026, 1, 30, 23, 50)).due_at == at(
        BRUSSELS, 2026, 2, 1, 23, 59, 59, 999999
    )
    assert provider(clocks.HEALTH, at(BRUSSELS, 2026, 12, 20, 8, 0)).due_at == at(
        BRUSSELS, 2027, 1, 4, 23, 59, 59, 999999
    )
    # February of a leap year has its 29th.
    assert (
        provider(clocks.CRITICAL_INFRASTRUCTURE, at(BRUSSELS, 2028, 2, 27, 12, 0))
        .due_at.astimezone(BRUSSELS)
        .date()
        .isoformat()
        == "2028-02-29"
    )


def test_the_day_of_becoming_aware_is_the_companys_local_day_not_utcs():
    # 23:30 UTC on 31 March is already 1 April in Brussels (UTC+2 in summer): the count starts from 1 April there.
    aware = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
    assert provider(clocks.CRITICAL_INFRASTRUCTURE, aware).due_at.astimezone(BRUSSELS).date().isoformat() == (
        "2026-04-03"
    )
    # In New York it is still 31 March (19:30): the count starts from 31 March.
    assert (
        provider(clocks.CRITICAL_INFRASTRUCTURE, aware, NEW_YORK)
        .due_at.astimezone(NEW_YORK)
        .date()
        .isoformat()
        == "2026-04-02"
    )


def test_a_period_across_a_daylight_saving_change_still_ends_at_local_midnight():
    # Summer time ends in Brussels on 25 October 2026: the last day's end is 23:59:59 at UTC+1, not UTC+2.
    due = provider(clocks.HEALTH, at(BRUSSELS, 2026, 10, 20, 10, 0)).due_at
    assert due == datetime(2026, 11, 4, 22, 59, 59, 999999, tzinfo=UTC)
    # And when it begins (29 March 2026): UTC+2 at the end.
    due = provider(clocks.CRITICAL_INFRASTRUCTURE, at(BRUSSELS, 2026, 3, 28, 10, 0)).due_at
    assert due == datetime(2026, 3, 30, 21, 59, 59, 999999, tzinfo=UTC)


def test_as_deployer_the_provider_and_then_the_authority_are_told_immediately_by_the_company_target():
    aware = at(BRUSSELS, 2026, 10, 24, 12, 0)  # a day before summer time ends: hours, not calendar days
    found = clocks.clocks_for(
        serious=True,
        kind=clocks.DEATH,
        tier="high",
        role="deployer",
        aware_at=aware,
        zone=BRUSSELS,
        immediate_hours=24,
    )
    assert [c.duty for c in found] == [clocks.DEPLOYER_TO_PROVIDER, clocks.DEPLOYER_TO_AUTHORITY]
    assert {c.article for c in found} == {"Art. 26(5)"}
    assert {c.due_at for c in found} == {aware + timedelta(hours=24)}
    assert found[0].due_at.tzinfo is not None and found[0].due_at.utcoffset() == timedelta(0)
    later = clocks.clocks_for(
        serious=True,
        kind=clocks.HEALTH,
        tier="high",
        role="deployer",
        aware_at=aware,
        zone=BRUSSELS,
        immediate_hours=4,
    )
    assert {c.due_at for c in later} == {aware + timedelta(hours=4)}


@pytest.mark.parametrize(
    ("serious", "tier"),
    [(False, "high"), (True, "limited"), (True, "minimal"), (True, "out_of_scope"), (True, "")],
)
def test_no_clock_runs_for_an_incident_that_is_not_serious_or_a_system_that_is_not_high_risk(serious, tier):
    assert (
        clocks.clocks_for(
            serious=serious,
            kind=clocks.HEALTH,
            tier=tier,
            role="provider",
            aware_at=at(BRUSSELS, 2026, 6, 1, 9, 0),
            zone=BRUSSELS,
            immediate_hours=24,
        )
        == []
    )


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError):
        clocks.end_of_day_after(datetime(2026, 6, 1, 9, 0), 2, BRUSSELS)


def test_every_kind_and_duty_has_words():
    assert set(clocks.SERIOUS_KIND_LABELS) == {
        clocks.DEATH,
        clocks.HEALTH,
        clocks.CRITICAL_INFRASTRUCTURE,
        clocks.FUNDAMENTAL_RIGHTS,
        clocks.WIDESPREAD_INFRINGEMENT,
        clocks.PROPERTY_OR_ENVIRONMENT,
    }
    assert set(clocks.DUTY_LABELS) == {
        clocks.DEPLOYER_TO_PROVIDER,
        clocks.DEPLOYER_TO_AUTHORITY,
        clocks.PROVIDER_TO_AUTHORITY,
    }
