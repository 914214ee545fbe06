"""Shared fixtures: people in each role, API clients, and the demo organisation."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.roles import Role
from intake import services as intake_services
from tests.answer_sets import CHATBOT
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
def as_user(client):
    """A test client signed in as the given person."""

    def _as(user):
        client.force_login(user)
        return client

    return _as


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def api_as(api_client):
    def _as(user):
        api_client.force_authenticate(user=user)
        return api_client

    return _as


@pytest.fixture(autouse=True)
def _audit_checkpoints_apart(settings, tmp_path_factory):
    """Each test keeps audit checkpoints in a folder of its own, never in the developer's media folder: verification
    compares the chain with the latest checkpoint it finds there."""
    location = str(tmp_path_factory.mktemp("audit-checkpoints"))
    backend = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": location}}
    settings.STORAGES = {**settings.STORAGES, "audit_checkpoints": backend}
    settings.AUDIT_CHECKPOINT_STORAGE = "audit_checkpoints"


@pytest.fixture(autouse=True)
def _no_dashboard_snapshot():
    """The dashboard's snapshot lives in the cache, which outlives a test: each test starts without one."""
    from reporting.selectors import DASHBOARD_CACHE_KEY

    cache.delete(DASHBOARD_CACHE_KEY)


@pytest.fixture
def fresh_rate_limits():
    """Rate limits and throttles live in the cache: start and end each test with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def other_team_requester(db):
    return UserFactory(username="other_req", roles=[Role.REQUESTER], teams=[TeamFactory(name="People & HR")])


@pytest.fixture
def teammate(db, team):
    return UserFactory(username="teammate", roles=[Role.REQUESTER], teams=[team])


@pytest.fixture
def make_use_case(requester, team):
    def _make(*, actor=None, title="Customer service assistant", answers=None, submit=False, **fields):
        use_case = intake_services.use_case_create(
            actor=actor or requester,
            team=team if actor is None else actor.teams.first(),
            title=title,
            summary=fields.pop("summary", "Answers customer questions from our help articles."),
            answers=CHATBOT if answers is None else answers,
            **fields,
        )
        if submit:
            use_case = intake_services.use_case_submit(actor=actor or requester, use_case=use_case)
        return use_case

    return _make
