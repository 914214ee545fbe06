"""The sign-in limits as pure rules (accounts/signin.py) and the trusted client address (config/clientip.py).

No database: the rules take failure times and answer; the address is read from a request built by RequestFactory.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from rest_framework.request import Request

from accounts.adapters import AccountAdapter
from accounts.signin import Limits, Refusal, minutes_text, normalise_username, refusal
from config.clientip import AnonClientThrottle, ScopedClientThrottle, UserClientThrottle, client_ip

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LIMITS = Limits()  # 5 per address in 15 minutes, 20 per account in an hour


def ago(*, minutes: float = 0, seconds: float = 0) -> datetime:
    return NOW - timedelta(minutes=minutes, seconds=seconds)


def newest_first(times: list[datetime]) -> list[datetime]:
    return sorted(times, reverse=True)


# ---------------------------------------------------------------------------------------------------- the rules


def test_the_default_limits_are_five_per_address_in_fifteen_minutes_and_twenty_per_account_in_an_hour():
    expected = Limits(
        address_failures=5,
        address_window=timedelta(minutes=15),
        account_failures=20,
        account_window=timedelta(hours=1),
    )
    assert expected == LIMITS


def test_limits_are_read_from_the_settings_mapping():
    limits = Limits.from_settings(
        {
            "address_failures": "3",
            "address_window_seconds": 60,
            "account_failures": 7,
            "account_window_seconds": "600",
        }
    )
    assert limits == Limits(3, timedelta(minutes=1), 7, timedelta(minutes=10))


def test_fewer_failures_than_the_limit_are_no_refusal():
    four = [ago(minutes=m) for m in (1, 2, 3, 4)]
    assert refusal(from_address=four, from_anywhere=four, limits=LIMITS, now=NOW) is None


def test_the_fifth_failure_from_an_address_refuses_that_address_until_the_oldest_of_the_five_leaves_the_window():
    five = newest_first([ago(minutes=m) for m in (1, 2, 3, 4, 10)])
    found = refusal(from_address=five, from_anywhere=five, limits=LIMITS, now=NOW)
    # The oldest of the five was 10 minutes ago: five more minutes in a 15-minute window.
    assert found == Refusal(scope="address", retry_after=5 * 60)


def test_failures_from_other_addresses_do_not_refuse_this_address_below_the_account_threshold():
    elsewhere = [ago(minutes=1)] * 19
    assert refusal(from_address=[], from_anywhere=elsewhere, limits=LIMITS, now=NOW) is None


def test_the_twentieth_failure_across_addresses_refuses_the_account_everywhere():
    twenty = newest_first([ago(minutes=m) for m in range(1, 21)])  # 1 … 20 minutes ago
    found = refusal(from_address=[], from_anywhere=twenty, limits=LIMITS, now=NOW)
    assert found == Refusal(scope="account", retry_after=40 * 60)


def test_when_both_limits_apply_the_longer_wait_wins():
    address = newest_first([ago(minutes=m) for m in (1, 2, 3, 4, 5)])  # frees in 10 minutes
    anywhere = newest_first([*address, *(ago(minutes=m) for m in range(6, 21))])  # frees in 40 minutes
    found = refusal(from_address=address, from_anywhere=anywhere, limits=LIMITS, now=NOW)
    assert found is not None and found.scope == "account" and found.retry_after == 40 * 60


def test_the_wait_is_never_zero_and_rounds_up_to_a_whole_second():
    five = newest_first([ago(minutes=15, seconds=-0.2), *(ago(minutes=1),) * 4])
    found = refusal(from_address=five, from_anywhere=five, limits=LIMITS, now=NOW)
    assert found is not None and found.retry_after == 1


def test_a_failure_that_leaves_the_window_this_very_moment_still_asks_for_a_second():
    five = newest_first([ago(minutes=15), *(ago(minutes=1),) * 4])
    found = refusal(from_address=five, from_anywhere=five, limits=LIMITS, now=NOW)
    assert found is not None and found.retry_after == 1


def test_a_limit_of_one_refuses_after_one_failure():
    one = Limits(address_failures=1, account_failures=100)
    found = refusal(from_address=[ago(minutes=1)], from_anywhere=[ago(minutes=1)], limits=one, now=NOW)
    assert found is not None and found.scope == "address"


def test_a_wait_of_no_time_at_all_is_still_told_as_a_minute():
    assert minutes_text(0) == "1 minute"


def test_a_limit_of_zero_switches_that_limit_off():
    off = Limits(address_failures=0, account_failures=0)
    many = [ago(minutes=1)] * 50
    assert refusal(from_address=many, from_anywhere=many, limits=off, now=NOW) is None


def test_the_address_refusal_message_says_how_long_and_offers_the_reset_email():
    message = Refusal(scope="address", retry_after=61).message
    assert (
        "from your address" in message
        and "2 minutes" in message
        and "reset your password by e-mail" in message
    )


def test_the_account_refusal_message_says_the_reset_email_signs_in_at_once():
    message = Refusal(scope="account", retry_after=30).message
    assert "1 minute" in message and "from your address" not in message and "sign in at once" in message


@pytest.mark.parametrize(
    ("seconds", "text"), [(1, "1 minute"), (60, "1 minute"), (61, "2 minutes"), (900, "15 minutes")]
)
def test_waits_are_told_in_whole_minutes_rounded_up(seconds, text):
    assert minutes_text(seconds) == text


@pytest.mark.parametrize(
    ("typed", "counted"),
    [
        ("CIO_User", "cio_user"),
        ("  cio_user ", "cio_user"),
        ("Straße", "strasse"),
        (None, ""),
        ("x" * 200, "x" * 150),
    ],
)
def test_failures_count_per_account_whatever_the_case_or_spacing_typed(typed, counted):
    assert normalise_username(typed) == counted


# ---------------------------------------------------------------------------------------------------- the address

rf = RequestFactory()
PROXY = "10.0.0.2"
CLIENT = "203.0.113.9"


def request_from(remote: str = PROXY, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.get("/", **extra)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from(CLIENT, forwarded="198.51.100.1")) == CLIENT


def test_behind_one_proxy_the_client_is_the_rightmost_entry_and_spoofed_entries_are_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from(forwarded=CLIENT)) == CLIENT
    assert client_ip(request_from(forwarded=f"1.1.1.1, 2.2.2.2,{CLIENT}")) == CLIENT


def test_behind_two_proxies_the_client_is_the_second_entry_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_from(forwarded=f"6.6.6.6, {CLIENT}, 10.0.0.1")) == CLIENT


@pytest.mark.parametrize("forwarded", [None, "", " , ", CLIENT])
def test_a_header_with_fewer_entries_than_proxies_falls_back_to_the_peer_without_error(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_from(forwarded=forwarded)) == PROXY


def test_a_garbled_entry_where_the_client_should_be_falls_back_to_the_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from(forwarded="1.2.3.4, not-an-address")) == PROXY


def test_addresses_are_normalised_so_one_client_has_one_spelling(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from(forwarded="2001:DB8:0:0::1")) == "2001:db8::1"
    assert client_ip(request_from(forwarded=" 203.0.113.9 ")) == CLIENT


def test_an_unusable_peer_address_gives_no_address(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from("")) == ""
    assert client_ip(request_from("unix:/run/gunicorn.sock")) == ""
    assert client_ip(None) == ""


def test_a_negative_proxy_count_is_treated_as_none(settings):
    settings.TRUSTED_PROXY_COUNT = -3
    assert client_ip(request_from(CLIENT, forwarded="198.51.100.1")) == CLIENT


def test_a_rest_framework_request_is_read_through_to_the_django_request(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(Request(request_from(forwarded=CLIENT))) == CLIENT


@pytest.mark.parametrize("throttle", [AnonClientThrottle, ScopedClientThrottle, UserClientThrottle])
def test_api_throttles_identify_clients_by_the_trusted_address(settings, throttle):
    settings.TRUSTED_PROXY_COUNT = 1
    spoofed = [request_from(forwarded=f"{i}.{i}.{i}.{i}, {CLIENT}") for i in range(1, 4)]
    instance = type("Throttle", (throttle,), {"rate": "10/min"})()
    assert {instance.get_ident(Request(r)) for r in spoofed} == {CLIENT}


def test_browser_sign_in_reads_the_same_trusted_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert AccountAdapter().get_client_ip(request_from(forwarded=f"6.6.6.6, {CLIENT}")) == CLIENT
    settings.TRUSTED_PROXY_COUNT = 0
    with pytest.raises(PermissionDenied):
        AccountAdapter().get_client_ip(request_from(""))
