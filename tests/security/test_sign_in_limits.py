"""No unlimited password guessing, and no cheap lock-out of the executives.

Browser sign-in, re-authentication, the API token endpoint and the API signing step-up share one failure count per
account: a short lock-out per account and address, a higher threshold per account across addresses. The address is
the one the configured number of trusted proxies reports; the reset e-mail unlocks at once. Attacks come from the
outside here: real HTTP requests, spoofed headers, many addresses.
"""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import SignInFailure
from audit.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"
REAUTH = "/accounts/reauthenticate/"
RESET = "/accounts/password/reset/"

A, B = "198.51.100.10", "198.51.100.20"
PROXY = "10.0.0.2"
CHANNELS = ["browser", "api"]
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def attempt(channel: str, username: str, password: str, *, ip: str = A, forwarded: str | None = None):
    """One sign-in attempt from a fresh client; returns ("ok" | "wrong" | "refused", response)."""
    extra = {"REMOTE_ADDR": ip}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    if channel == "browser":
        client = Client()
        response = client.post(LOGIN, {"login": username, "password": password}, **extra)
        if response.status_code == 302 and "_auth_user_id" in client.session:
            return "ok", response
        assert response.status_code == 200, response.status_code
        if b"Too many failed sign-ins" in response.content:
            return "refused", response
        assert b"not correct" in response.content
        return "wrong", response
    response = APIClient().post(TOKEN, {"username": username, "password": password}, format="json", **extra)
    outcome = {200: "ok", 400: "wrong", 429: "refused"}[response.status_code]
    return outcome, response


def fail(channel: str, username: str, times: int, **kwargs) -> None:
    for _ in range(times):
        assert attempt(channel, username, "not-the-password", **kwargs)[0] == "wrong"


# ---------------------------------------------------------------------------------------------------- one count


@pytest.mark.parametrize("failed_in", CHANNELS)
@pytest.mark.parametrize("signs_in_with", CHANNELS)
def test_five_failures_lock_that_account_from_that_address_in_the_browser_and_the_api_alike(
    cio, password, failed_in, signs_in_with
):
    fail(failed_in, cio.username, 5, ip=A)

    outcome, _ = attempt(signs_in_with, cio.username, password, ip=A)

    assert outcome == "refused"
    assert attempt(signs_in_with, cio.username, password, ip=B)[0] == "ok"


def test_four_failures_do_not_lock_anyone_out(cio, password):
    fail("browser", cio.username, 2, ip=A)
    fail("api", cio.username, 2, ip=A)
    assert attempt("api", cio.username, password, ip=A)[0] == "ok"


def test_five_guesses_from_one_address_do_not_lock_the_cio_out_from_another_address(cio, password):
    fail("api", cio.username, 6 - 1, ip=A)
    for channel in CHANNELS:
        assert attempt(channel, cio.username, password, ip=B)[0] == "ok"
    # … and the attacker's address is still refused, whatever the password.
    assert attempt("api", cio.username, password, ip=A)[0] == "refused"


def test_the_username_typed_in_another_case_counts_against_the_same_account(cio, password):
    for typed in ("CIO_USER", "Cio_User", "cio_USER", " cio_user", "CIO_user"):
        assert attempt("api", typed, "guess", ip=A)[0] == "wrong"
    assert attempt("browser", cio.username, password, ip=A)[0] == "refused"


def test_guesses_at_an_account_that_does_not_exist_are_refused_the_same_way(db):
    fail("api", "nobody-here", 5, ip=A)
    assert attempt("api", "nobody-here", "x", ip=A)[0] == "refused"
    assert attempt("browser", "nobody-here", "x", ip=A)[0] == "refused"


def test_twenty_failures_spread_over_twenty_addresses_lock_the_account_everywhere(cio, password):
    for i in range(19):
        fail(CHANNELS[i % 2], cio.username, 1, ip=f"203.0.113.{i + 1}")
    # Nineteen: a fresh address still gets its guess (the twentieth failure) …
    assert attempt("api", cio.username, "guess", ip="192.0.2.77")[0] == "wrong"

    # … and after twenty, the right password is refused from every address, in both doors.
    browser, page = attempt("browser", cio.username, password, ip="192.0.2.200")
    api, response = attempt("api", cio.username, password, ip="192.0.2.201")

    assert (browser, api) == ("refused", "refused")
    assert b"Too many failed sign-ins for this account. Try again in" in page.content
    assert "from your address" not in response.json()["detail"]


# ---------------------------------------------------------------------------------------------------- spoofed headers


@pytest.mark.parametrize("channel", CHANNELS)
def test_without_trusted_proxies_a_rotating_forwarded_header_gives_no_fresh_guesses(
    settings, cio, password, channel
):
    settings.TRUSTED_PROXY_COUNT = 0
    for i in range(5):
        outcome, _ = attempt(channel, cio.username, "guess", ip=A, forwarded=f"192.0.2.{i + 1}")
        assert outcome == "wrong"
    assert attempt(channel, cio.username, password, ip=A, forwarded="192.0.2.99")[0] == "refused"
    assert SignInFailure.objects.filter(ip=A).count() == 5


@pytest.mark.parametrize("channel", CHANNELS)
def test_behind_one_proxy_spoofed_entries_left_of_the_client_give_no_fresh_guesses(
    settings, cio, password, channel
):
    settings.TRUSTED_PROXY_COUNT = 1
    client = "203.0.113.50"
    for i in range(5):
        # The client sends its own X-Forwarded-For; our proxy appends the real address and connects from PROXY.
        outcome, _ = attempt(channel, cio.username, "guess", ip=PROXY, forwarded=f"192.0.2.{i + 1}, {client}")
        assert outcome == "wrong"

    assert (
        attempt(channel, cio.username, password, ip=PROXY, forwarded=f"192.0.2.99, {client}")[0] == "refused"
    )
    # Another client behind the same proxy is not locked out: the proxy's address is not the key.
    assert attempt(channel, cio.username, password, ip=PROXY, forwarded="203.0.113.51")[0] == "ok"
    assert set(SignInFailure.objects.values_list("ip", flat=True)) == {client}


@pytest.mark.parametrize("forwarded", [None, "", "203.0.113.7"])
def test_a_header_with_fewer_entries_than_proxies_never_errors(settings, requester, password, forwarded):
    settings.TRUSTED_PROXY_COUNT = 2
    for channel in CHANNELS:
        assert attempt(channel, requester.username, "guess", ip=PROXY, forwarded=forwarded)[0] == "wrong"
        assert attempt(channel, requester.username, password, ip=B, forwarded=forwarded)[0] == "ok"
    assert set(
        AuditEvent.objects.filter(action="auth.login_failed").values_list("payload__ip", flat=True)
    ) == {PROXY}


# ---------------------------------------------------------------------------------------------------- waiting it out


def test_a_refusal_in_the_api_is_429_with_retry_after_and_the_lock_lifts_when_the_window_passes(
    cio, password
):
    with time_machine.travel(T0, tick=False) as clock:
        for _ in range(5):  # at T0, T0 + 1 minute, … T0 + 4 minutes
            fail("api", cio.username, 1, ip=A)
            clock.shift(timedelta(minutes=1))
        clock.shift(timedelta(minutes=1))  # now T0 + 6 minutes; the oldest of the five leaves at T0 + 15

        outcome, refused = attempt("api", cio.username, password, ip=A)

        assert outcome == "refused" and refused.status_code == 429
        assert refused["Retry-After"] == str(9 * 60)
        assert "Try again in 9 minutes" in refused.json()["detail"]

        clock.shift(timedelta(minutes=9, seconds=-1))
        assert attempt("api", cio.username, password, ip=A)[0] == "refused"
        clock.shift(timedelta(seconds=1))
        assert attempt("api", cio.username, password, ip=A)[0] == "ok"


def test_the_browser_says_how_long_to_wait_and_how_to_get_in_at_once(cio, password):
    with time_machine.travel(T0, tick=False):
        fail("browser", cio.username, 5, ip=A)
        outcome, page = attempt("browser", cio.username, password, ip=A)
    assert outcome == "refused"
    assert b"Try again in 15 minutes, or reset your password by e-mail." in page.content


def test_an_account_locked_everywhere_waits_an_hour_from_its_twentieth_newest_failure(cio, password):
    with time_machine.travel(T0, tick=False) as clock:
        for i in range(20):
            fail("api", cio.username, 1, ip=f"203.0.113.{i + 1}")
            clock.shift(timedelta(minutes=1))
        # Now T0 + 20 minutes; the oldest of the twenty is T0, so the account frees at T0 + 60 minutes.
        outcome, refused = attempt("api", cio.username, password, ip=B)
        assert outcome == "refused" and refused["Retry-After"] == str(40 * 60)

        clock.shift(timedelta(minutes=40))
        assert attempt("api", cio.username, password, ip=B)[0] == "ok"


# ---------------------------------------------------------------------------------------------------- the reset e-mail


def reset_password_by_email(email: str, new_password: str, *, ip: str = A) -> None:
    """The public "forgot your password" journey: ask for the mail, follow its link, choose a password."""
    client = Client(REMOTE_ADDR=ip)
    mail.outbox.clear()
    assert client.post(RESET, {"email": email}).status_code == 302
    (message,) = mail.outbox
    link = urlsplit(re.search(r"https?://\S+/accounts/password/reset/key/\S+", message.body).group(0)).path
    landing = client.get(link, follow=True)
    form_url = landing.redirect_chain[-1][0] if landing.redirect_chain else link
    done = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert done.status_code == 302, done.content[:2000]


def test_the_reset_email_link_unlocks_a_locked_account_at_once(cio):
    fail("browser", cio.username, 5, ip=A)
    for i in range(15):
        fail("api", cio.username, 1, ip=f"203.0.113.{i + 1}")
    assert attempt("api", cio.username, "correct-horse-battery-staple", ip=B)[0] == "refused"

    reset_password_by_email(cio.email, "a-brand-new-pass-phrase", ip=A)

    # From the address that was locked, and from anywhere, at once.
    assert attempt("browser", cio.username, "a-brand-new-pass-phrase", ip=A)[0] == "ok"
    assert attempt("api", cio.username, "a-brand-new-pass-phrase", ip=B)[0] == "ok"


# ---------------------------------------------------------------------------------------------------- the audit trail


def test_failures_and_refusals_are_audited_with_the_trusted_address(settings, cio, password):
    settings.TRUSTED_PROXY_COUNT = 1
    client = "203.0.113.77"
    for i, channel in enumerate(["browser", "api", "browser", "api", "api"]):
        attempt(channel, cio.username, "guess", ip=PROXY, forwarded=f"6.6.6.{i}, {client}")
    for channel in CHANNELS:
        assert (
            attempt(channel, cio.username, password, ip=PROXY, forwarded=f"6.6.6.9, {client}")[0] == "refused"
        )

    failed = AuditEvent.objects.filter(action="auth.login_failed").order_by("sequence")
    refused = AuditEvent.objects.filter(action="auth.sign_in_refused").order_by("sequence")

    assert [(e.payload["username"], e.payload["ip"]) for e in failed] == [(cio.username, client)] * 5
    assert [
        (e.payload["username"], e.payload["ip"], e.payload["scope"], e.payload["channel"]) for e in refused
    ] == [(cio.username, client, "address", "browser"), (cio.username, client, "address", "api")]
    assert all(0 < e.payload["retry_after"] <= 15 * 60 for e in refused)
    assert all(e.actor is None for e in [*failed, *refused])


# ---------------------------------------------------------------------------------------------------- re-authentication


def signed_in(user, password: str, ip: str = A) -> Client:
    client = Client(REMOTE_ADDR=ip)
    assert client.post(LOGIN, {"login": user.username, "password": password}).status_code == 302
    return client


def test_failed_reauthentication_counts_against_the_account(cio, password):
    client = signed_in(cio, password)
    for _ in range(5):
        response = client.post(REAUTH, {"password": "guess"})
        assert response.status_code == 200 and b"Too many failed sign-ins" not in response.content

    assert attempt("api", cio.username, password, ip=A)[0] == "refused"
    refused = client.post(REAUTH, {"password": password})
    assert refused.status_code == 200 and b"Too many failed sign-ins" in refused.content
    assert attempt("api", cio.username, password, ip=B)[0] == "ok"


def test_reauthentication_is_refused_once_the_api_has_failed_from_the_same_address(cio, password):
    client = signed_in(cio, password)
    fail("api", cio.username, 5, ip=A)
    refused = client.post(REAUTH, {"password": password})
    assert refused.status_code == 200 and b"Too many failed sign-ins" in refused.content


def test_guesses_at_the_current_password_on_the_change_password_page_count_against_the_account(cio, password):
    client = signed_in(cio, password)  # a session someone else is holding, say
    for _ in range(5):
        response = client.post(
            "/accounts/password/change/",
            {"oldpassword": "guess", "password1": "a-brand-new-pass-1", "password2": "a-brand-new-pass-1"},
        )
        assert response.status_code == 200 and b"Too many failed sign-ins" not in response.content
    assert attempt("api", cio.username, password, ip=A)[0] == "refused"
    cache.clear()  # past allauth's own limit on this page (5 a minute), to see the page answer with ours
    refused = client.post(
        "/accounts/password/change/",
        {"oldpassword": password, "password1": "a-brand-new-pass-1", "password2": "a-brand-new-pass-1"},
    )
    assert refused.status_code == 200 and b"Too many failed sign-ins" in refused.content
    cio.refresh_from_db()
    assert cio.check_password(password)


# ---------------------------------------------------------------------------------------------------- API step-up


@pytest.fixture
def signing_step_up(settings, cio):
    from riskboundaries import services as boundary_services
    from tests.riskboundaries.conftest import PERMISSIVE

    settings.BOUNDARY_SIGNING_REQUIRES_REAUTH = True
    boundary = boundary_services.boundary_create(actor=cio, limits=PERMISSIVE, change_note="First appetite")
    api = APIClient(REMOTE_ADDR=A)
    api.force_authenticate(cio)

    def sign(password_typed: str):
        return api.post(
            f"/api/v1/risk-boundaries/{boundary.version}/sign/",
            {"role": "cio", "content_hash": boundary.content_hash, "password": password_typed},
            format="json",
        )

    return sign


def test_wrong_passwords_in_the_signing_step_up_lock_the_token_endpoint(cio, password, signing_step_up):
    for _ in range(5):
        assert signing_step_up("guess").status_code == 400
    assert attempt("api", cio.username, password, ip=A)[0] == "refused"
    assert attempt("browser", cio.username, password, ip=A)[0] == "refused"


def test_sign_in_failures_lock_the_signing_step_up(cio, password, signing_step_up):
    fail("browser", cio.username, 5, ip=A)
    refused = signing_step_up(password)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert AuditEvent.objects.filter(action="auth.sign_in_refused", payload__channel="step_up").exists()


# ---------------------------------------------------------------------------------------------------- what counts


def test_a_right_password_clears_its_addresss_short_count_but_not_the_accounts(cio, password):
    for _ in range(2):
        fail("api", cio.username, 4, ip=A)
        # A colleague's typos, then the right password: the address starts afresh …
        assert attempt("api", cio.username, password, ip=A)[0] == "ok"
    # … but all eight failures still count for the account: twelve more from elsewhere make twenty.
    for i in range(12):
        fail("api", cio.username, 1, ip=f"203.0.113.{i + 1}")
    assert attempt("api", cio.username, password, ip=B)[0] == "refused"


def test_a_refused_attempt_is_not_counted_as_one_more_failure(cio, password):
    with time_machine.travel(T0, tick=False) as clock:
        fail("api", cio.username, 5, ip=A)
        for _ in range(10):
            assert attempt("api", cio.username, "guess", ip=A)[0] == "refused"
            assert attempt("browser", cio.username, "guess", ip=A)[0] == "refused"
        assert SignInFailure.objects.count() == 5
        # Hammering does not push the lock further out: it lifts when the fifth failure leaves the window.
        clock.shift(timedelta(minutes=15))
        assert attempt("api", cio.username, password, ip=A)[0] == "ok"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("channel", "checks_passwords_in"), [("api", "accounts.apis"), ("browser", "allauth.account.adapter")]
)
def test_parallel_guesses_from_one_address_get_no_more_password_checks_than_the_limit(
    monkeypatch, cio, channel, checks_passwords_in
):
    """Guesses sent all at once must not all pass the limit check before any of them is counted."""
    import importlib
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    from tests.support import need_postgresql

    need_postgresql()
    module = importlib.import_module(checks_passwords_in)
    real_authenticate = module.authenticate
    checked = []

    def slow_authenticate(*args, **kwargs):
        checked.append(kwargs.get("username"))
        time.sleep(0.4)  # a password hash takes time: every parallel request is inside this window at once
        return real_authenticate(*args, **kwargs)

    monkeypatch.setattr(module, "authenticate", slow_authenticate)
    parallel = 9  # under the API's own per-address throttle (10/min) and allauth's (10/min)
    start = threading.Barrier(parallel)

    def guess(_):
        start.wait(timeout=10)
        try:
            return attempt(channel, cio.username, "guess", ip=A)[0]
        finally:
            connection.close()

    with ThreadPoolExecutor(parallel) as pool:
        outcomes = list(pool.map(guess, range(parallel)))

    assert len(checked) <= 5, outcomes
    assert outcomes.count("wrong") == len(checked) and outcomes.count("refused") == parallel - len(checked)
    assert SignInFailure.objects.filter(username=cio.username).count() == len(checked)


# ---------------------------------------------------------------------------------------------------- no side door


def test_the_django_admins_own_login_form_is_no_way_around_the_limits(admin_user, password):
    """Django's admin has its own login form, which checks passwords without any of the limits above."""
    fail("browser", admin_user.username, 5, ip=A)
    client = Client(REMOTE_ADDR=A)

    for typed in ["guess"] * 10 + [password]:
        response = client.post(
            "/admin/login/?next=/admin/", {"username": admin_user.username, "password": typed}
        )
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")

    assert "_auth_user_id" not in client.session
    assert not AuditEvent.objects.filter(action="auth.login").exists()
    assert attempt("browser", admin_user.username, password, ip=A)[0] == "refused"
    # Signed in the product's way (from another address), the administrator reaches the admin.
    assert attempt("browser", admin_user.username, password, ip=B)[0] == "ok"
    staff = Client(REMOTE_ADDR=B)
    staff.post(LOGIN, {"login": admin_user.username, "password": password})
    assert staff.get("/admin/").status_code == 200


# ---------------------------------------------------------------------------------------------------- second factor


def test_a_token_for_an_account_with_an_authenticator_needs_a_current_code_too(cio, password):
    from allauth.mfa.totp.internal.auth import (
        TOTP,
        format_hotp_value,
        generate_totp_secret,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    with time_machine.travel(T0 + timedelta(seconds=5), tick=False):
        secret = generate_totp_secret()
        TOTP.activate(cio, secret)
        code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
        wrong = "000000" if code != "000000" else "111111"

        def ask(**extra):
            body = {"username": cio.username, "password": password, **extra}
            return APIClient().post(TOKEN, body, format="json", REMOTE_ADDR=A)

        without, with_wrong = ask(), ask(code=wrong)
        # The same answer as a wrong password: no oracle for the password alone, and each counts as a failure.
        for refused in (without, with_wrong):
            assert (
                refused.status_code == 400
                and "authenticator code" in refused.json()["errors"]["non_field_errors"][0]
            )
        assert SignInFailure.objects.filter(username=cio.username.casefold()).count() == 2
        granted = ask(code=code)
        assert granted.status_code == 200 and granted.json()["token"].startswith("ggv_")
        assert ask(code=code).status_code == 400  # a code works once
