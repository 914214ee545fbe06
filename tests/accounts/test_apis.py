"""API: token with username and password, /me, and the error shape."""

import pytest

from accounts.roles import Role
from audit.models import AuditEvent
from tests.factories import TeamFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

TOKEN = "/api/v1/auth/token/"
ME = "/api/v1/me/"


def test_a_token_is_issued_for_valid_credentials_and_audited(api_client, requester, password):
    response = api_client.post(TOKEN, {"username": requester.username, "password": password}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert token.startswith("ggv_") and len(token) >= 40
    assert AuditEvent.objects.filter(action="auth.token_issued", actor=requester).exists()


def test_the_token_authenticates_api_calls(api_client, requester, password):
    token = api_client.post(TOKEN, {"username": requester.username, "password": password}).json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    body = api_client.get(ME).json()
    assert body["username"] == requester.username
    assert body["roles"] == ["requester"]
    assert body["teams"] == ["Customer Service"]


def test_wrong_credentials_get_400_with_errors_and_are_audited(api_client, requester):
    response = api_client.post(TOKEN, {"username": requester.username, "password": "nope"})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Invalid input." and "non_field_errors" in body["errors"]
    assert AuditEvent.objects.filter(
        action="auth.login_failed", payload__username=requester.username
    ).exists()


def test_a_missing_field_is_named(api_client):
    response = api_client.post(TOKEN, {"username": "x"})
    assert response.status_code == 400
    assert "password" in response.json()["errors"]


def test_token_requests_are_throttled_per_address(api_client):
    # Different accounts, so the per-account limits never apply: this is the address's own throttle (10/min).
    statuses = [
        api_client.post(TOKEN, {"username": f"nobody{i}", "password": "x"}).status_code for i in range(11)
    ]
    assert statuses[:10] == [400] * 10 and statuses[10] == 429
    assert "detail" in api_client.post(TOKEN, {}).json()


def test_me_requires_authentication(api_client):
    response = api_client.get(ME)
    assert response.status_code in (401, 403)
    assert set(response.json()) == {"detail", "errors"}


def test_me_lists_every_role_and_team(api_as):
    user = UserFactory(
        roles=[Role.CIO, Role.CISO], teams=[TeamFactory(name="B team"), TeamFactory(name="A team")]
    )
    body = api_as(user).get(ME).json()
    assert body["roles"] == ["cio", "ciso"]
    assert body["teams"] == ["A team", "B team"]
    assert body["is_staff"] is False


def test_the_openapi_schema_describes_the_api(api_as, requester):
    response = api_as(requester).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {
        "/api/v1/auth/token/",
        "/api/v1/me/",
        "/api/v1/audit-events/",
        "/api/v1/audit-events/verify/",
    } <= set(paths)
