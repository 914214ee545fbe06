"""/healthz reports the database and the broker, and answers 503 when either is down."""

import pytest
from django.db import connection
from kombu import Connection

from config.celery import app

pytestmark = pytest.mark.django_db


def test_healthy_with_in_process_tasks(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"ok": True, "vendor": connection.vendor}
    assert body["checks"]["broker"]["mode"] == "in-process"


def test_unreachable_broker_makes_it_unhealthy(client, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    nothing_listens = "redis://127.0.0.1:1/0"
    monkeypatch.setattr(app, "connection_for_write", lambda: Connection(nothing_listens))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False


def test_unreachable_database_makes_it_unhealthy(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise connection.OperationalError if hasattr(connection, "OperationalError") else OSError("down")

    from config import health

    monkeypatch.setattr(health.connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["ok"] is False


def test_healthz_is_never_cached(client):
    assert "no-cache" in client.get("/healthz")["Cache-Control"]
