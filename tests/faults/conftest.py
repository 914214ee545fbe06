"""Fixtures for the fault tests: real web, worker and beat processes on the production settings, on a Redis database
of their own, so nothing else consumes their messages."""

import secrets
from pathlib import Path

import pytest
from django.conf import settings

from tests.services.processes import clean_env, flush_redis
from tests.support import broker_url, database_url_for_subprocess, need_broker, need_postgresql

SECRET = "faults-Only-9Yq!Rw8#Tz3@Lp6&Km9*Vb2^Hx5(Nc7)Jd0-gFe-Su1_Wo"


def redis_db(url: str, number: int) -> str:
    """The same Redis server, another database number."""
    base = url.rsplit("/", 1)[0] if url.count("/") > 2 else url
    return f"{base}/{number}"


@pytest.fixture
def production_env(tmp_path: Path):
    """Environment for web, worker and beat processes on the production settings, with short sweep intervals."""
    need_postgresql()
    need_broker()
    broker = redis_db(broker_url(), 5)
    cache = redis_db(broker_url(), 4)
    flush_redis(broker)
    flush_redis(cache)
    (tmp_path / "mail").mkdir()
    (tmp_path / "media").mkdir()

    def make(**extra: str) -> dict[str, str]:
        values = dict(
            DJANGO_SETTINGS_MODULE="config.settings.production",
            SECRET_KEY=SECRET,
            AUDIT_CHAIN_KEY=getattr(settings, "AUDIT_CHAIN_KEY", "") or secrets.token_hex(32),
            ALLOWED_HOSTS="127.0.0.1",
            DATABASE_URL=database_url_for_subprocess(),
            CELERY_BROKER_URL=broker,
            REDIS_URL=cache,
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(tmp_path / "mail"),
            MEDIA_ROOT=str(tmp_path / "media"),
            OUTBOX_SETTLE_SECONDS="1",
            OUTBOX_SWEEP_SECONDS="2",
            BOARD_PACK_SWEEP_SECONDS="2",
            BOARD_PACK_HEARTBEAT_SECONDS="1",
            BOARD_PACK_STALE_SECONDS="5",
        )
        return clean_env(**{**values, **extra})

    make.broker = broker
    make.mail = tmp_path / "mail"
    make.media = tmp_path / "media"
    return make
