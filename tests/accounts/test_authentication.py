"""Signing in and out through the real pages: audited, rate limited, and no self-registration."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

LOGIN = "/accounts/login/"


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_login_page_renders_the_form(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert b'name="login"' in response.content and b'name="password"' in response.content


def test_signing_in_lands_on_the_home_page_and_is_audited(client, requester, password):
    response = client.post(LOGIN, {"login": requester.username, "password": password})
    assert response.status_code == 302 and response.url == reverse("home")
    event = AuditEvent.objects.filter(action="auth.login").latest("sequence")
    assert event.actor_username == requester.username and event.payload["ip"] == "127.0.0.1"


def test_signing_out_is_audited(client, requester, password):
    client.post(LOGIN, {"login": requester.username, "password": password})
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="auth.logout", actor__username=requester.username).exists()
    assert client.get("/").status_code == 302


def test_a_failed_sign_in_shows_an_error_and_is_audited(client, requester):
    response = client.post(LOGIN, {"login": requester.username, "password": "wrong"})
    assert response.status_code == 200
    assert b"not correct" in response.content
    event = AuditEvent.objects.filter(action="auth.login_failed").latest("sequence")
    assert event.payload["username"] == requester.username and event.actor is None


def test_repeated_failed_sign_ins_are_rate_limited_even_with_the_right_password(client, requester, password):
    for _ in range(5):
        response = client.post(LOGIN, {"login": requester.username, "password": "wrong"})
        assert b"Too many failed sign-ins" not in response.content
    blocked = client.post(LOGIN, {"login": requester.username, "password": password})
    assert b"Too many failed sign-ins for this account from your address" in blocked.content
    assert "_auth_user_id" not in client.session


def test_self_registration_is_closed(client):
    response = client.get("/accounts/signup/")
    assert b"Sign Up Closed" in response.content or response.status_code in (403, 404)


def test_inactive_accounts_cannot_sign_in(client, requester, password):
    requester.is_active = False
    requester.save()
    client.post(LOGIN, {"login": requester.username, "password": password})
    assert "_auth_user_id" not in client.session
