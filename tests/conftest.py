"""Shared fixtures: people in each role, API clients, and the demo organisation."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.roles import Role
from tests.factories import PASSWORD, TeamFactory, UserFactory


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def team(db):
    return TeamFactory(name="Customer Service")


@pytest.fixture
def requester(db, team):
    return UserFactory(username="req", roles=[Role.REQUESTER], teams=[team])


@pytest.fixture
def cio(db):
    return UserFactory(username="cio_user", roles=[Role.CIO])


@pytest.fixture
def ciso(db):
    return UserFactory(username="ciso_user", roles=[Role.CISO])


@pytest.fixture
def secretary(db):
    return UserFactory(username="secretary_user", roles=[Role.BOARD_SECRETARY])


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin_user", is_staff=True, is_superuser=True)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def api_as(api_client):
    def _as(user):
        api_client.force_authenticate(user=user)
        return api_client

    return _as


@pytest.fixture
def fresh_rate_limits():
    """Rate limits and throttles live in the cache: start and end each test with none used."""
    cache.clear()
    yield
    cache.clear()
