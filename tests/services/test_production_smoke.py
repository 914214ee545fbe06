"""The production topology as real processes: gunicorn and a Celery worker on PostgreSQL and Redis."""

import http.client
import json
import re
import subprocess
import sys
import uuid

import pytest
from django.conf import settings

from accounts.demo import seed_people
from audit.tasks import verify_audit_chain
from tests.services.processes import (
    Browserless,
    Process,
    celery_worker,
    clean_env,
    free_port,
    wait_for_http,
    wait_for_worker,
)
from tests.support import base_dir, database_url_for_subprocess, need_broker, need_postgresql

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

PASSWORD = "smoke-test-password-1"
SECRET = "smoke-Only-4Yq!Rw8#Tz3@Lp6&Km9*Vb2^Hx5(Nc7)Jd0-gFe-Su1_Wo"


@pytest.fixture
def topology(tmp_path):
    need_postgresql()
    broker = need_broker()
    queue = f"smoke-{uuid.uuid4().hex[:10]}"
    port = free_port()
    env = clean_env(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url_for_subprocess(),
        CELERY_BROKER_URL=broker,
        REDIS_URL=broker,
        STATIC_ROOT=str(tmp_path / "static"),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        # Production refuses backends that deliver nothing; mail goes to files here.
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
        WEB_CONCURRENCY="2",
        # The worker verifies events this test process writes: the same chain key; checkpoints of its own.
        AUDIT_CHAIN_KEY=settings.AUDIT_CHAIN_KEY,
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "collectstatic",
            "--noinput",
            "-v0",
            "--ignore",
            "redoc",
            "--ignore",
            "rest_framework",
        ],
        cwd=base_dir(),
        env=env,
        check=True,
    )
    web = Process(
        "gunicorn", [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"], env, tmp_path
    )
    worker = celery_worker(env=env, queue=queue, log_dir=tmp_path)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/healthz", web)
        wait_for_worker(worker)
    except AssertionError:
        web.stop()
        worker.stop()
        raise
    yield {"port": port, "queue": queue, "web": web, "worker": worker}
    if web.alive() or worker.alive():
        web.stop()
        worker.stop()


def test_production_topology_serves_logs_in_runs_tasks_and_stops_cleanly(
    topology, through_the_broker, settings
):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    ]  # what production verifies
    seed_people(password=PASSWORD)
    client = Browserless(topology["port"])

    response, body = client.request("GET", "/healthz")
    health = json.loads(body)
    assert response.status == 200, body
    assert health["checks"]["database"] == {"ok": True, "vendor": "postgresql"}
    assert health["checks"]["broker"] == {"ok": True, "mode": "broker"}

    # Plain HTTP without the proxy's header is redirected to HTTPS.
    conn = http.client.HTTPConnection("127.0.0.1", topology["port"], timeout=10)
    conn.request("GET", "/accounts/login/")
    assert conn.getresponse().status == 301
    conn.close()

    response, page = client.request("GET", "/accounts/login/")
    assert response.status == 200
    assert "Strict-Transport-Security" in dict(response.getheaders())
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    origin = f"https://127.0.0.1:{topology['port']}"
    response, _ = client.request(
        "POST",
        "/accounts/login/",
        body=f"csrfmiddlewaretoken={token}&login=cio&password={PASSWORD}",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "Referer": f"{origin}/accounts/login/",
        },
    )
    assert response.status == 302 and response.getheader("Location") == "/"
    response, home = client.request("GET", "/")
    assert response.status == 200 and "Welcome, Claire Ito" in home
    stylesheet = re.search(r'href="(/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]+\.css)"', home)
    assert stylesheet, "hashed static file names come from the manifest"
    response, _ = client.request("GET", stylesheet.group(1))
    assert response.status == 200

    result = verify_audit_chain.apply_async(queue=topology["queue"], ignore_result=False)
    assert result.get(timeout=60)["ok"] is True

    assert topology["web"].stop() == 0, topology["web"].log()
    assert topology["worker"].stop() == 0, topology["worker"].log()
