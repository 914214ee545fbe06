"""Files in an S3-compatible object store (moto's server on 127.0.0.1): a board pack rendered by a real worker and
downloaded through a real gunicorn web process, with nothing shared between them but PostgreSQL, Redis and the store;
and the storage API's round trip on the same backend as production configures it."""

import http.client
import json
import subprocess
import sys
import uuid

import pytest
from django.utils import timezone

from accounts.roles import Role
from config.quarters import Quarter
from reporting.models import BoardPack
from tests.factories import UserFactory
from tests.services.processes import (
    Browserless,
    Process,
    celery_beat,
    celery_worker,
    clean_env,
    free_port,
    wait_for_http,
    wait_for_worker,
    wait_until,
)
from tests.support import base_dir, database_url_for_subprocess

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

PASSWORD = "object-store-password-1"
KEY, SECRET_KEY = "test-access-key", "test-secret-key"


@pytest.fixture
def object_store(tmp_path):
    """moto in server mode: it speaks the S3 protocol over HTTP, on this machine only; one fresh bucket."""
    boto3 = pytest.importorskip("boto3")
    port = free_port()
    server = Process(
        "moto",
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        clean_env(),
        tmp_path,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/moto-api/", server, timeout=60)
        endpoint = f"http://127.0.0.1:{port}"
        bucket = f"governance-{uuid.uuid4().hex[:8]}"
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id=KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name="us-east-1",
        )
        client.create_bucket(Bucket=bucket)
        yield {
            "client": client,
            "bucket": bucket,
            "env": {
                "OBJECT_STORAGE_BUCKET": bucket,
                "OBJECT_STORAGE_ENDPOINT_URL": endpoint,
                "OBJECT_STORAGE_ACCESS_KEY": KEY,
                "OBJECT_STORAGE_SECRET_KEY": SECRET_KEY,
            },
        }
    finally:
        server.stop()


def _keys(store) -> list[str]:
    listed = store["client"].list_objects_v2(Bucket=store["bucket"])
    return sorted(item["Key"] for item in listed.get("Contents", []))


def test_a_pack_rendered_by_the_worker_is_downloaded_through_web_from_the_object_store(
    object_store, production_env, tmp_path, settings
):
    from tests.faults.test_broker_down import _gunicorn

    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    ]  # what production verifies
    UserFactory(username="beatrice", roles=[Role.BOARD_SECRETARY], password=PASSWORD)
    # Web and worker each get their own, empty MEDIA_ROOT: a file found only on one host's disk would not download.
    env = production_env(**object_store["env"])
    web_media, worker_media = tmp_path / "web-media", tmp_path / "worker-media"
    web_media.mkdir()
    worker_media.mkdir()
    web, port = _gunicorn({**env, "MEDIA_ROOT": str(web_media)}, tmp_path, "web")
    worker = celery_worker(
        env={**env, "MEDIA_ROOT": str(worker_media)},
        queue="celery,board_packs",
        log_dir=tmp_path,
        name="worker",
        node="w1",
    )
    beat = celery_beat(env={**env, "MEDIA_ROOT": str(worker_media)}, log_dir=tmp_path)
    try:
        wait_for_worker(worker)
        client = Browserless(port)
        response, body = client.request(
            "POST",
            "/api/v1/auth/token/",
            body=json.dumps({"username": "beatrice", "password": PASSWORD}),
            headers={"Content-Type": "application/json"},
        )
        assert response.status == 200, body
        token = json.loads(body)["token"]
        quarter = str(Quarter.containing(timezone.localdate()))
        response, body = client.request(
            "POST",
            "/api/v1/board-packs/",
            body=json.dumps({"quarter": quarter}),
            headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
        )
        assert response.status == 202, body
        pack_id = json.loads(body)["id"]
        wait_until(
            lambda: BoardPack.objects.filter(pk=pack_id, status=BoardPack.Status.READY).exists(),
            timeout=240,
            what="the worker rendering the board pack",
            logs=(worker, web, beat),
        )
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request(
            "GET",
            f"/api/v1/board-packs/{pack_id}/download/",
            headers={
                "Authorization": f"Token {token}",
                "X-Forwarded-Proto": "https",
                "Host": f"127.0.0.1:{port}",
            },
        )
        download = conn.getresponse()
        pdf = download.read()
        conn.close()
    finally:
        beat.stop()
        assert worker.stop() == 0, worker.log()
        assert web.stop() == 0, web.log()
    assert download.status == 200 and pdf.startswith(b"%PDF-")
    assert download.getheader("Content-Disposition", "").startswith("attachment")
    pack = BoardPack.objects.get(pk=pack_id)
    assert download.getheader("X-Content-SHA256") == pack.sha256
    # The PDF is in the bucket, encrypted at rest, and on neither host's disk.
    assert pack.file.name in _keys(object_store)
    head = object_store["client"].head_object(Bucket=object_store["bucket"], Key=pack.file.name)
    assert head["ServerSideEncryption"] == "AES256"
    assert not any(web_media.rglob("*.pdf")) and not any(worker_media.rglob("*.pdf"))
    # The pack's render also checkpointed the audit chain's head: in the store too.
    assert any(key.startswith("audit-checkpoints/") for key in _keys(object_store)), _keys(object_store)


def _multipart(fields: dict[str, str], file_field: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
        f"Content-Type: application/octet-stream\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_evidence_uploaded_through_one_web_process_is_downloaded_through_another_from_the_object_store(
    object_store, production_env, tmp_path, settings, make_use_case, requester
):
    from intake.assessment import duties
    from intake.selectors import use_case_assessment
    from oversight.models import Evidence
    from tests.answer_sets import CV_SCREENING
    from tests.faults.test_broker_down import _gunicorn
    from tests.riskboundaries.conftest import approve

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    requester.set_password(PASSWORD)
    requester.save()
    use_case = approve(make_use_case(title="CV screener", answers=CV_SCREENING, submit=True))
    obligation = duties.items_of(use_case_assessment(use_case)[0])[0]["id"]
    env = production_env(**object_store["env"])
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    one, port_one = _gunicorn({**env, "MEDIA_ROOT": str(tmp_path / "one")}, tmp_path, "web-one")
    two, port_two = _gunicorn({**env, "MEDIA_ROOT": str(tmp_path / "two")}, tmp_path, "web-two")
    pdf = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
    try:
        client = Browserless(port_one)
        _, body = client.request(
            "POST",
            "/api/v1/auth/token/",
            body=json.dumps({"username": requester.username, "password": PASSWORD}),
            headers={"Content-Type": "application/json"},
        )
        token = json.loads(body)["token"]
        payload, content_type = _multipart({"obligation": obligation}, "file", "fria.pdf", pdf)
        conn = http.client.HTTPConnection("127.0.0.1", port_one, timeout=30)
        conn.request(
            "POST",
            f"/api/v1/use-cases/{use_case.reference}/evidence/",
            body=payload,
            headers={
                "Authorization": f"Token {token}",
                "Content-Type": content_type,
                "X-Forwarded-Proto": "https",
                "Host": f"127.0.0.1:{port_one}",
            },
        )
        created = conn.getresponse()
        created_body = created.read()
        conn.close()
        assert created.status == 201, created_body
        conn = http.client.HTTPConnection("127.0.0.1", port_two, timeout=30)
        conn.request(
            "GET",
            json.loads(created_body)["download"],
            headers={
                "Authorization": f"Token {token}",
                "X-Forwarded-Proto": "https",
                "Host": f"127.0.0.1:{port_two}",
            },
        )
        download = conn.getresponse()
        content = download.read()
        conn.close()
    finally:
        assert one.stop() == 0, one.log()
        assert two.stop() == 0, two.log()
    assert download.status == 200 and content == pdf
    assert download.getheader("X-Content-Type-Options") == "nosniff"
    assert download.getheader("Content-Disposition") == 'attachment; filename="fria.pdf"'
    item = Evidence.objects.get()
    assert item.file.name in _keys(object_store)
    assert not any((tmp_path / "one").rglob("*.pdf")) and not any((tmp_path / "two").rglob("*.pdf"))


def test_the_storage_api_round_trips_through_the_object_store_as_production_configures_it(
    object_store, tmp_path
):
    """The settings' S3 configuration itself, read by a fresh process (settings are read once, at start)."""
    script = (
        "import django; django.setup();"
        "from django.core.files.base import ContentFile;"
        "from django.core.files.storage import storages; s = storages['default'];"
        "name = s.save('probe/hello.txt', ContentFile(b'hello'));"
        "again = s.save('probe/hello.txt', ContentFile(b'other'));"
        "print(type(s).__name__, name, again, s.open(name).read().decode(), s.exists(name))"
    )
    env = clean_env(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=database_url_for_subprocess(),
        MEDIA_ROOT=str(tmp_path / "media"),
        **object_store["env"],
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=base_dir(), env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-3000:]
    backend, name, again, content, exists = out.stdout.split()
    assert (backend, name, content, exists) == ("S3Storage", "probe/hello.txt", "hello", "True")
    assert again != name  # never overwritten: a second file of the same name gets its own
    assert set(_keys(object_store)) == {name, again}
    assert not (tmp_path / "media").exists()
