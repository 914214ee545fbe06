"""A web process whose broker is unreachable: writes answer at once and their work waits in the outbox; once a worker
and beat run on a reachable broker, every piece of it happens exactly once (real gunicorn, worker and beat processes on
the production settings, PostgreSQL, Redis)."""

import json
import re
import sys
import time
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.roles import Role
from config.quarters import Quarter
from outbox.models import OutboxMessage
from reporting.models import BoardPack
from tests.factories import TeamFactory, UserFactory
from tests.services.processes import (
    Browserless,
    Process,
    celery_beat,
    celery_worker,
    free_port,
    wait_for_http,
    wait_for_worker,
)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

PASSWORD = "broker-down-password-1"
NOTHING_LISTENS = "redis://127.0.0.1:1/0"  # connection refused at once


def _gunicorn(env: dict[str, str], log_dir: Path, name: str) -> tuple[Process, int]:
    port = free_port()
    web = Process(
        name,
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"],
        {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"},
        log_dir,
    )
    wait_for_http(f"http://127.0.0.1:{port}/healthz", web)
    return web, port


def _api(client: Browserless, method: str, path: str, token: str | None = None, body: dict | None = None):
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    started = time.monotonic()
    response, content = client.request(
        method, path, body=json.dumps(body) if body is not None else None, headers=headers
    )
    return (
        response.status,
        (json.loads(content) if content.strip().startswith(("{", "[")) else content),
        (time.monotonic() - started),
    )


def _token(client: Browserless, username: str) -> str:
    status, body, _ = _api(
        client, "POST", "/api/v1/auth/token/", body={"username": username, "password": PASSWORD}
    )
    assert status == 200, body
    return body["token"]


def _decide(client: Browserless, token: str, ref: str) -> tuple[int, dict, float]:
    status, detail, _ = _api(client, "GET", f"/api/v1/use-cases/{ref}/", token)
    assert status == 200, detail
    status, revisions, _ = _api(client, "GET", f"/api/v1/use-cases/{ref}/revisions/", token)
    assert status == 200, revisions
    return _api(
        client,
        "POST",
        f"/api/v1/use-cases/{ref}/decisions/",
        token,
        {
            "decision": "approve",
            "review_round": detail["review_round"],
            "content_hash": max(revisions, key=lambda r: r["number"])["content_hash"],
        },
    )


def _mails(folder: Path) -> list[str]:
    return [path.read_text(errors="replace") for path in sorted(folder.glob("*.log"))]


def _subjects(folder: Path) -> list[str]:
    return sorted(
        m.group(1).strip() for text in _mails(folder) for m in re.finditer(r"^Subject: (.*)$", text, re.M)
    )


def _settle(predicate, *, timeout: float, what: str, logs=()) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    raise AssertionError(
        f"{what} did not happen within {timeout}s\n" + "\n".join(p.log()[-3000:] for p in logs)
    )


def test_writes_answer_at_once_while_the_broker_is_down_and_their_work_happens_once_it_is_back(
    production_env, tmp_path, settings, make_use_case, requester
):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    ]  # what production verifies
    requester.set_password(PASSWORD)
    requester.save()
    cio = UserFactory(username="claire", roles=[Role.CIO], password=PASSWORD)
    ciso = UserFactory(username="samuel", roles=[Role.CISO], password=PASSWORD)
    secretary = UserFactory(username="beatrice", roles=[Role.BOARD_SECRETARY], password=PASSWORD)
    TeamFactory(name="Customer Service")
    use_case = make_use_case()

    dead = production_env(CELERY_BROKER_URL=NOTHING_LISTENS)
    web, port = _gunicorn(dead, tmp_path, "web-broker-down")
    worker = beat = live_web = None
    try:
        client = Browserless(port)
        requester_token, cio_token = _token(client, requester.username), _token(client, cio.username)
        secretary_token = _token(client, secretary.username)

        status, body, took = _api(
            client, "POST", f"/api/v1/use-cases/{use_case.reference}/submit/", requester_token
        )
        assert status == 200 and took < 2, (status, body, took)
        status, body, took = _decide(client, cio_token, use_case.reference)
        assert status == 201 and took < 2, (status, body, took)
        quarter = str(Quarter.containing(timezone.localdate()))
        status, body, took = _api(
            client, "POST", "/api/v1/board-packs/", secretary_token, {"quarter": quarter}
        )
        assert status == 202 and took < 2, (status, body, took)
        pack_id = body["id"]

        status, health, _ = _api(client, "GET", "/healthz")
        assert status == 503 and health["checks"]["broker"]["ok"] is False
        assert health["checks"]["outbox"]["waiting"] >= 3
        waiting = list(
            OutboxMessage.objects.filter(done_at__isnull=True).values_list("task", "sent_at", "last_error")
        )
        assert {task for task, _, _ in waiting} >= {
            "intake.tasks.notify_reviewers_of_submission",
            "approvals.tasks.notify_decision",
            "reporting.tasks.render_board_pack",
        }
        assert all(sent_at is None and error for _, sent_at, error in waiting)
        assert BoardPack.objects.get(pk=pack_id).status == BoardPack.Status.QUEUED
        assert _mails(production_env.mail) == []
        assert web.stop() == 0, web.log()

        # The broker is back: a worker and beat on a reachable one drain the outbox, once.
        live = production_env()
        worker = celery_worker(env=live, queue="celery,board_packs", log_dir=tmp_path, node="drain")
        beat = celery_beat(env=live, log_dir=tmp_path)
        wait_for_worker(worker)
        _settle(
            lambda: (
                not OutboxMessage.objects.filter(done_at__isnull=True).exists()
                and BoardPack.objects.filter(pk=pack_id, status=BoardPack.Status.READY).exists()
            ),
            timeout=180,
            what="the outbox draining",
            logs=(worker, beat),
        )
        # A web process on the reachable broker publishes at once.
        live_web, live_port = _gunicorn(live, tmp_path, "web-broker-up")
        client = Browserless(live_port)
        ciso_token = _token(client, ciso.username)
        status, body, took = _decide(client, ciso_token, use_case.reference)
        assert status == 201 and took < 2, (status, body, took)
        latest = OutboxMessage.objects.order_by("-pk").first()
        assert latest.task == "approvals.tasks.notify_decision" and latest.sent_at is not None
        _settle(
            lambda: not OutboxMessage.objects.filter(done_at__isnull=True).exists(),
            timeout=60,
            what="the second decision's e-mail",
            logs=(worker,),
        )
        time.sleep(5)  # more sweeps pass: nothing is sent twice
    finally:
        for process in (web, live_web, beat):
            if process is not None and process.alive():
                process.stop()
        if worker is not None:
            assert worker.stop() == 0, worker.log()

    subjects = _subjects(production_env.mail)
    submitted = [s for s in subjects if "submitted for your decision" in s]
    decided = [s for s in subjects if "by the CIO" in s or "by the CISO" in s]
    assert len(submitted) == 1, subjects
    assert sorted(decided) == sorted(
        [
            f"{use_case.reference} {use_case.title}: approve by the CIO",
            f"{use_case.reference} {use_case.title}: approve by the CISO",
        ]
    ), subjects
    assert OutboxMessage.objects.filter(done_at__isnull=True).count() == 0
    pack = BoardPack.objects.get(pk=pack_id)
    assert pack.status == BoardPack.Status.READY and pack.render_attempt == 1
