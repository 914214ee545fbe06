"""Helpers for tests that need real services: skip locally when a service is missing, fail in CI (REQUIRE_SERVICES=1)."""

import os
import shutil

import pytest
from django.conf import settings
from django.db import connection

STRICT = os.environ.get("REQUIRE_SERVICES", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def need(condition: bool, reason: str) -> None:
    """Skip (locally) or fail (in CI) when a real service the test depends on is not there."""
    if condition:
        return
    if STRICT:
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


def need_postgresql() -> None:
    need(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL)")


def broker_url() -> str:
    return os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or ""


def need_broker() -> str:
    url = broker_url()
    need(bool(url), "needs a Redis broker (set CELERY_BROKER_URL)")
    return url


def need_chromium() -> str:
    need(os.path.exists(CHROMIUM) or bool(shutil.which("chromium")), f"needs Chromium at {CHROMIUM}")
    return CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")


def database_url_for_subprocess() -> str:
    """The URL of the database the tests are using right now (the test database), for worker/server processes."""
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def base_dir() -> str:
    return str(settings.BASE_DIR)
