"""A decision's notification travels through Redis to a worker process, which sends the email after commit."""

import time
import uuid

import pytest

from approvals.services import decision_record
from riskboundaries import services as boundary_services
from tests.riskboundaries.conftest import PERMISSIVE
from tests.services.processes import celery_worker, clean_env, wait_for_worker
from tests.support import database_url_for_subprocess, need_broker, need_postgresql

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mail_worker(tmp_path, through_the_broker):
    need_postgresql()
    broker = need_broker()
    queue = f"mail-{uuid.uuid4().hex[:10]}"
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    env = clean_env(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=database_url_for_subprocess(),
        CELERY_BROKER_URL=broker,
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(outbox),
    )
    process = celery_worker(env=env, queue=queue, log_dir=tmp_path)
    wait_for_worker(process)
    previous = through_the_broker.conf.task_default_queue
    through_the_broker.conf.task_default_queue = queue
    yield outbox, process
    through_the_broker.conf.task_default_queue = previous
    assert process.stop() == 0, process.log()


def test_the_requester_is_emailed_by_the_worker_when_the_cio_decides(
    mail_worker, make_use_case, cio, ciso, requester
):
    outbox, process = mail_worker
    boundary = boundary_services.boundary_create(actor=cio, limits=PERMISSIVE)
    boundary_services.boundary_sign(actor=cio, boundary=boundary, role="cio", seen_hash=boundary.content_hash)
    boundary_services.boundary_sign(
        actor=ciso, boundary=boundary, role="ciso", seen_hash=boundary.content_hash
    )
    use_case = make_use_case(submit=True)
    decision_record(
        actor=cio, use_case=use_case, decision="reject", rationale="Customer data would leave the EU."
    )

    deadline = time.monotonic() + 60
    messages: list[str] = []
    while time.monotonic() < deadline:
        messages = [path.read_text() for path in outbox.iterdir()]
        if any(requester.email in m and "reject" in m for m in messages):
            break
        time.sleep(0.3)
    to_requester = [m for m in messages if f"To: {requester.email}" in m]
    assert to_requester, process.log()
    assert use_case.reference in to_requester[0] and "Customer data would leave the EU." in to_requester[0]
