"""Each settings module configured from the environment, evaluated in a fresh interpreter."""

import json
import os
import subprocess
import sys

import pytest

from tests.support import base_dir

PRODUCTION_ENV = {
    "SECRET_KEY": "k3y-For-Tests-only-7Qz!Vb9#Lm2@Xw5&Rt8*Np4^Hs6(Jd1)Gf0-yCe",
    "ALLOWED_HOSTS": "governance.example.com",
    "DATABASE_URL": "postgres://app:secret@db.example.com:5432/governance",
    "CELERY_BROKER_URL": "redis://redis.example.com:6379/0",
    "REDIS_URL": "redis://redis.example.com:6379/1",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "AUDIT_CHAIN_KEY": "audit-Chain-Key-for-tests-only-4Rt8Np2Xw6Lm0Qz3",
}


def _clean_env(**extra: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "VIRTUAL_ENV"}}
    return {**keep, **extra}


def _settings(module: str, env: dict[str, str], names: list[str]) -> dict:
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}, default=str))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=base_dir(),
        env={**env, "DJANGO_SETTINGS_MODULE": module},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_embedded_default_is_sqlite_with_in_process_tasks():
    values = _settings(
        "config.settings.local", _clean_env(), ["DATABASES", "CELERY_TASK_ALWAYS_EAGER", "DEBUG"]
    )
    assert values["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert values["CELERY_TASK_ALWAYS_EAGER"] is True


def test_services_are_taken_from_the_environment():
    values = _settings(
        "config.settings.local",
        _clean_env(
            DATABASE_URL="postgres://u:p@h:5433/n", CELERY_BROKER_URL="redis://r:6379/2", DEBUG="false"
        ),
        ["DATABASES", "CELERY_TASK_ALWAYS_EAGER", "CELERY_BROKER_URL", "DEBUG"],
    )
    db = values["DATABASES"]["default"]
    assert (db["ENGINE"], db["HOST"], db["PORT"], db["NAME"]) == (
        "django.db.backends.postgresql",
        "h",
        5433,
        "n",
    )
    assert values["CELERY_TASK_ALWAYS_EAGER"] is False
    assert values["CELERY_BROKER_URL"] == "redis://r:6379/2"
    assert values["DEBUG"] is False


def test_production_refuses_to_start_without_a_secret_key():
    env = _clean_env(**{k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"})
    with pytest.raises(subprocess.CalledProcessError) as excinfo:
        _settings("config.settings.production", env, ["DEBUG"])
    assert "SECRET_KEY" in excinfo.value.stderr


def test_production_refuses_to_start_without_redis():
    # Rate limits and used one-time codes must be shared by every process: a per-process cache would not hold them.
    env = _clean_env(**{k: v for k, v in PRODUCTION_ENV.items() if k != "REDIS_URL"})
    with pytest.raises(subprocess.CalledProcessError) as excinfo:
        _settings("config.settings.production", env, ["DEBUG"])
    assert "REDIS_URL" in excinfo.value.stderr


@pytest.mark.parametrize("backend", ["console", "locmem", "dummy"])
def test_production_refuses_to_start_with_an_email_backend_that_delivers_nothing(backend):
    # Password-reset links must reach people, not a log, process memory or nowhere.
    env = _clean_env(
        **{**PRODUCTION_ENV, "EMAIL_BACKEND": f"django.core.mail.backends.{backend}.EmailBackend"}
    )
    with pytest.raises(subprocess.CalledProcessError) as excinfo:
        _settings("config.settings.production", env, ["EMAIL_BACKEND"])
    assert "ImproperlyConfigured" in excinfo.value.stderr and "EMAIL_BACKEND" in excinfo.value.stderr


def test_production_refuses_to_start_when_no_email_backend_is_set():
    # The embedded default (the console, for local work) is not a production default.
    env = _clean_env(**{k: v for k, v in PRODUCTION_ENV.items() if k != "EMAIL_BACKEND"})
    with pytest.raises(subprocess.CalledProcessError) as excinfo:
        _settings("config.settings.production", env, ["EMAIL_BACKEND"])
    assert "EMAIL_BACKEND" in excinfo.value.stderr


@pytest.mark.parametrize(
    "mail",
    [
        {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend"},
        {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": "/var/mail/pickup",
        },
    ],
)
def test_production_starts_with_an_email_backend_that_delivers(mail):
    values = _settings(
        "config.settings.production", _clean_env(**{**PRODUCTION_ENV, **mail}), ["EMAIL_BACKEND"]
    )
    assert values["EMAIL_BACKEND"] == mail["EMAIL_BACKEND"]


def test_production_file_based_mail_needs_its_directory():
    env = _clean_env(
        **{**PRODUCTION_ENV, "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend"}
    )
    with pytest.raises(subprocess.CalledProcessError) as excinfo:
        _settings("config.settings.production", env, ["EMAIL_BACKEND"])
    assert "EMAIL_FILE_PATH" in excinfo.value.stderr


def test_the_embedded_default_keeps_mail_local():
    values = _settings("config.settings.base", _clean_env(), ["EMAIL_BACKEND"])
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_production_caches_in_redis():
    values = _settings("config.settings.production", _clean_env(**PRODUCTION_ENV), ["CACHES"])
    assert values["CACHES"]["default"]["BACKEND"].endswith("RedisCache")


def test_production_passes_the_deployment_checklist_without_warnings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=base_dir(),
        env=_clean_env(**PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="config.settings.production"),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_openapi_schema_generates_without_warnings_and_validates():
    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--fail-on-warn", "--validate", "--file", os.devnull],
        cwd=base_dir(),
        env=_clean_env(DJANGO_SETTINGS_MODULE="config.settings.test"),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_per_username_sign_in_limit_shared_by_every_address_is_refused():
    # "5/5m/key" would let anyone lock the CIO out with five guesses; per-account limits are SIGN_IN_FAILURES_*.
    env = _clean_env(**{**PRODUCTION_ENV, "LOGIN_FAILED_RATE_LIMIT": "10/m/ip,5/5m/key"})
    with pytest.raises(subprocess.CalledProcessError) as excinfo:
        _settings("config.settings.production", env, ["DEBUG"])
    assert "LOGIN_FAILED_RATE_LIMIT" in excinfo.value.stderr


def test_the_trusted_proxy_count_reaches_drf_and_allauth():
    env = _clean_env(**{**PRODUCTION_ENV, "TRUSTED_PROXY_COUNT": "2"})
    values = _settings(
        "config.settings.production",
        env,
        ["TRUSTED_PROXY_COUNT", "ALLAUTH_TRUSTED_PROXY_COUNT", "REST_FRAMEWORK"],
    )
    assert values["TRUSTED_PROXY_COUNT"] == values["ALLAUTH_TRUSTED_PROXY_COUNT"] == 2
    assert values["REST_FRAMEWORK"]["NUM_PROXIES"] == 2
