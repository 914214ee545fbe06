"""API tokens are credentials: stored hashed, expiring, one per client name, listed and revocable on the profile page,
and ended by every route that changes the password or ends the account."""

import hashlib
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.roles import Role
from accounts.services import api_token_issue
from audit.models import AuditEvent
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

TOKEN = "/api/v1/auth/token/"
ME = "/api/v1/me/"
PROFILE = "/profile/"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NEW_PASSWORD = "a-brand-new-pass-phrase"


def obtain(username: str, password: str, name: str | None = None, **extra) -> str:
    body = {"username": username, "password": password, **({"name": name} if name is not None else {})}
    response = APIClient().post(TOKEN, body, format="json", **extra)
    assert response.status_code == 200, response.content
    return response.json()["token"]


def me(key: str, **extra) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get(ME, **extra).status_code


# ---------------------------------------------------------------------------------------------------- stored hashed


def test_the_database_holds_only_the_keys_sha256_never_the_key(requester, password):
    key = obtain(requester.username, password, name="laptop CLI")

    (row,) = ApiToken.objects.values()
    assert row["digest"] == hashlib.sha256(key.encode()).hexdigest()
    assert not any(key in str(value) for value in row.values())
    assert key.startswith(row["prefix"]) and len(row["prefix"]) <= 12 < len(key)
    # Nor does the audit trail keep it.
    assert all(key not in str(event.payload) for event in AuditEvent.objects.all())
    assert me(key) == 200


def test_a_key_that_only_matches_a_stored_digest_is_refused(requester, password):
    key = obtain(requester.username, password)
    digest = ApiToken.objects.get().digest
    assert me(digest) == 401
    assert me(key[:-1]) == 401


# ---------------------------------------------------------------------------------------------------- expiry


def test_a_token_expires_after_the_configured_number_of_days(settings, requester, password):
    settings.API_TOKEN_TTL_DAYS = 3
    with time_machine.travel(T0, tick=False) as clock:
        response = APIClient().post(
            TOKEN, {"username": requester.username, "password": password}, format="json"
        )
        key = response.json()["token"]
        assert datetime.fromisoformat(response.json()["expires_at"].replace("Z", "+00:00")) == T0 + timedelta(
            days=3
        )

        clock.move_to(T0 + timedelta(days=3, seconds=-1))
        assert me(key) == 200
        clock.move_to(T0 + timedelta(days=3))
        expired = APIClient()
        expired.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        answer = expired.get(ME)

    assert answer.status_code == 401 and "expired" in answer.json()["detail"]


def test_the_default_lifetime_is_thirty_days(requester, password):
    with time_machine.travel(T0, tick=False) as clock:
        key = obtain(requester.username, password)
        clock.move_to(T0 + timedelta(days=30, seconds=-1))
        assert me(key) == 200
        clock.move_to(T0 + timedelta(days=30, seconds=1))
        assert me(key) == 401


# ---------------------------------------------------------------------------------------------------- one per client


def test_asking_again_with_the_same_client_name_revokes_the_old_key(requester, password):
    old = obtain(requester.username, password, name="reporting script")
    new = obtain(requester.username, password, name="reporting script")

    assert me(old) == 401 and me(new) == 200
    revoked = ApiToken.objects.get(revoked_at__isnull=False)
    assert revoked.revoked_reason == "replaced by a new token for the same client"


def test_another_client_name_keeps_both_keys(requester, password):
    laptop = obtain(requester.username, password, name="laptop CLI")
    script = obtain(requester.username, password, name="reporting script")
    assert (me(laptop), me(script)) == (200, 200)
    assert sorted(ApiToken.objects.usable(datetime.now(UTC)).values_list("name", flat=True)) == [
        "laptop CLI",
        "reporting script",
    ]


def test_one_persons_client_name_does_not_touch_anothers_token(requester, teammate, password):
    mine = obtain(requester.username, password, name="cli")
    theirs = obtain(teammate.username, password, name="cli")
    assert (me(mine), me(theirs)) == (200, 200)


# ---------------------------------------------------------------------------------------------------- the profile page


def test_the_profile_page_lists_the_persons_own_tokens_only(client, requester, teammate):
    api_token_issue(actor=requester, user=requester, name="laptop CLI")
    api_token_issue(actor=requester, user=requester, name="reporting script")
    api_token_issue(actor=teammate, user=teammate, name="teammate's script")
    client.force_login(requester)

    page = client.get(PROFILE).content.decode()

    assert "laptop CLI" in page and "reporting script" in page
    assert "teammate" not in page.split("API tokens", 1)[1]


def test_revoking_a_token_on_the_profile_page_ends_it_and_keeps_the_others(client, requester):
    laptop, laptop_key = api_token_issue(actor=requester, user=requester, name="laptop CLI")
    _script, script_key = api_token_issue(actor=requester, user=requester, name="reporting script")
    client.force_login(requester)

    response = client.post(f"/profile/tokens/{laptop.pk}/revoke/", follow=True)

    assert response.status_code == 200 and "is revoked" in response.content.decode()
    assert (me(laptop_key), me(script_key)) == (401, 200)
    assert AuditEvent.objects.filter(
        action="auth.token_revoked", payload__token=laptop.pk, actor=requester
    ).exists()


def test_another_persons_token_id_is_404_on_the_profile_page(client, requester, teammate):
    theirs, key = api_token_issue(actor=teammate, user=teammate, name="cli")
    client.force_login(requester)

    assert client.post(f"/profile/tokens/{theirs.pk}/revoke/").status_code == 404
    assert me(key) == 200


def _signed_in(client, user, password) -> None:
    """Signed in, with the password confirmed again a moment ago (creating a token asks for it)."""
    response = client.post("/accounts/login/", {"login": user.username, "password": password})
    assert response.status_code == 302
    assert client.post("/accounts/reauthenticate/", {"password": password}).status_code == 302


def test_a_token_created_on_the_profile_page_is_shown_once_and_kept_nowhere_else(client, requester, password):
    _signed_in(client, requester, password)

    response = client.post("/profile/tokens/", {"name": "laptop CLI"})

    key = re.search(r"ggv_[\w-]+", response.content.decode()).group(0)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert me(key) == 200
    # Not in the session, a message, a cookie, or the next page.
    assert key not in str(dict(client.session.items()))
    assert all(key not in morsel.value for morsel in client.cookies.values())
    assert all(key not in morsel.value for morsel in response.cookies.values())
    assert key not in client.get(PROFILE).content.decode()
    assert ApiToken.objects.get().name == "laptop CLI"


def test_creating_a_token_on_the_profile_page_without_a_name_names_the_field(client, requester, password):
    _signed_in(client, requester, password)
    response = client.post("/profile/tokens/", {"name": ""})
    assert response.status_code == 400 and not ApiToken.objects.exists()


def test_a_session_without_a_recent_sign_in_must_confirm_the_password_before_minting_a_token(
    client, requester, password
):
    client.force_login(requester)  # a session taken over, say: no fresh authentication in it
    response = client.post("/profile/tokens/", {"name": "stolen"})
    assert response.status_code == 302 and "/accounts/reauthenticate/" in response.url
    assert not ApiToken.objects.exists()
    client.post(response.url, {"password": password})  # the password again
    created = client.post("/profile/tokens/", {"name": "laptop"})
    assert created.status_code == 200 and ApiToken.objects.filter(name="laptop").exists()


def test_the_profile_page_needs_a_signed_in_person(client):
    response = client.get(PROFILE)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert client.post("/profile/tokens/", {"name": "x"}).status_code == 302
    assert not ApiToken.objects.exists()


# ---------------------------------------------------------------------------------------------------- password changes


def test_changing_the_password_on_allauths_page_ends_every_token(client, requester, password):
    _token, key = api_token_issue(actor=requester, user=requester, name="cli")
    client.force_login(requester)

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": password, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert me(key) == 401
    assert ApiToken.objects.get().revoked_reason == "password changed"


def test_a_password_reset_by_email_ends_every_token(requester):
    _token, key = api_token_issue(actor=requester, user=requester, name="cli")
    browser = Client()
    assert browser.post("/accounts/password/reset/", {"email": requester.email}).status_code == 302
    link = urlsplit(
        re.search(r"https?://\S+/accounts/password/reset/key/\S+", mail.outbox[-1].body).group(0)
    ).path
    landing = browser.get(link, follow=True)

    done = browser.post(landing.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert done.status_code == 302
    assert me(key) == 401
    assert ApiToken.objects.get().revoked_reason == "password reset"


def test_the_django_admins_password_form_ends_every_token(client, admin_user, requester):
    _token, key = api_token_issue(actor=requester, user=requester, name="cli")
    client.force_login(admin_user)

    response = client.post(
        f"/admin/accounts/user/{requester.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert response.status_code == 302, response.content[:2000]
    assert me(key) == 401
    assert ApiToken.objects.get().revoked_at is not None


def test_manage_py_changepassword_which_bypasses_the_app_still_ends_every_token(monkeypatch, requester):
    _token, key = api_token_issue(actor=requester, user=requester, name="cli")
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW_PASSWORD)

    call_command("changepassword", requester.username, stdout=None)

    requester.refresh_from_db()
    assert requester.check_password(NEW_PASSWORD)
    # Nothing revoked it (the command knows nothing of tokens): the token's password stamp no longer matches.
    assert ApiToken.objects.get().revoked_at is None
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    refused = client.get(ME)
    assert refused.status_code == 401 and "password changed" in refused.json()["detail"]
    # Refused once, ended for the record: the profile page no longer shows it as live.
    token = ApiToken.objects.get()
    assert token.revoked_at is not None and token.revoked_reason == "password changed"
    assert AuditEvent.objects.filter(action="auth.token_revoked", payload__token=token.pk).exists()


def test_a_new_token_after_the_password_change_works(monkeypatch, requester):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW_PASSWORD)
    call_command("changepassword", requester.username, stdout=None)
    assert me(obtain(requester.username, NEW_PASSWORD)) == 200


# ---------------------------------------------------------------------------------------------------- the account ends


def test_deactivation_on_the_people_page_revokes_every_token(client, admin_user, requester):
    _a, first = api_token_issue(actor=requester, user=requester, name="cli")
    _b, second = api_token_issue(actor=requester, user=requester, name="script")
    client.force_login(admin_user)

    response = client.post(f"/people/{requester.username}/deactivate/", {"reason": "left the company"})

    assert response.status_code == 302
    assert (me(first), me(second)) == (401, 401)
    assert set(ApiToken.objects.values_list("revoked_reason", flat=True)) == {"account deactivated"}


def test_a_token_of_an_account_deactivated_by_any_route_stops_working(requester):
    _token, key = api_token_issue(actor=requester, user=requester, name="cli")
    requester.is_active = False
    requester.save(update_fields=["is_active"])
    assert me(key) == 401


# ---------------------------------------------------------------------------------------------------- DELETE, last use


def test_delete_revokes_the_token_used_and_only_that_one(requester, password):
    cli = obtain(requester.username, password, name="cli")
    script = obtain(requester.username, password, name="script")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {cli}")

    assert client.delete(TOKEN).status_code == 204

    assert (me(cli), me(script)) == (401, 200)
    assert client.delete(TOKEN).status_code == 401
    revoked = ApiToken.objects.get(name="cli")
    assert revoked.revoked_reason == "revoked by its client"


def test_delete_without_a_token_revokes_nothing(client, requester, password):
    key = obtain(requester.username, password)
    client.force_login(requester)  # a browser session is not a token
    assert client.delete(TOKEN).status_code == 401
    assert APIClient().delete(TOKEN).status_code == 401
    assert me(key) == 200


def test_last_use_is_recorded_with_the_trusted_address(settings, requester, password):
    settings.TRUSTED_PROXY_COUNT = 1
    with time_machine.travel(T0, tick=False) as clock:
        key = obtain(requester.username, password)
        assert ApiToken.objects.get().last_used_at is None

        clock.shift(timedelta(hours=1))
        assert me(key, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9") == 200

        token = ApiToken.objects.get()
        assert token.last_used_at == T0 + timedelta(hours=1)
        assert token.last_used_ip == "203.0.113.9"

        # Not a write per request: within a few minutes the record stands; later it moves on.
        clock.shift(timedelta(minutes=2))
        assert me(key, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.4") == 200
        assert ApiToken.objects.get().last_used_at == T0 + timedelta(hours=1)
        clock.shift(timedelta(minutes=10))
        assert me(key, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.4") == 200
        token = ApiToken.objects.get()
        assert token.last_used_at == T0 + timedelta(hours=1, minutes=12)
        assert token.last_used_ip == "198.51.100.4"


def test_an_administrator_sees_how_many_live_tokens_a_person_has_but_never_a_key(client, admin_user):
    person = UserFactory(username="dana", roles=[Role.REQUESTER])
    _token, key = api_token_issue(actor=person, user=person, name="script")
    api_token_issue(actor=person, user=person, name="cli")
    client.force_login(admin_user)
    page = client.get("/people/dana/").content.decode()
    assert "2 live API tokens" in page
    assert key not in page and key[:12] not in page


def test_a_refused_token_is_401_with_www_authenticate_not_403(requester, password):
    """A client must be able to tell a dead credential (get a new one) from a refusal (you may not)."""
    for key in ("ggv_not-a-real-key", "x" * 300, "ggv_a b"):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        response = client.get(ME)
        assert response.status_code == 401, key
        assert response["WWW-Authenticate"] == "Token"
        assert set(response.json()) == {"detail", "errors"}
