"""A task makes the round trip through Redis to a separate worker process that reads the same database."""

import uuid

import pytest
from kombu.exceptions import EncodeError

from accounts.tasks import notify_role_change
from audit.services import audit_record
from audit.tasks import verify_audit_chain
from tests.services.processes import celery_worker, clean_env, wait_for_worker
from tests.support import database_url_for_subprocess, need_broker, need_postgresql

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(tmp_path):
    need_postgresql()
    broker = need_broker()
    queue = f"test-{uuid.uuid4().hex[:10]}"
    env = clean_env(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=database_url_for_subprocess(),
        CELERY_BROKER_URL=broker,
        MEDIA_ROOT=str(tmp_path / "media"),  # audit checkpoints of its own, not the developer's
    )
    process = celery_worker(env=env, queue=queue, log_dir=tmp_path)
    wait_for_worker(process)
    yield queue, process
    assert process.stop() == 0, process.log()


def test_a_task_round_trips_through_redis_to_a_worker_process(worker, through_the_broker):
    queue, process = worker
    for i in range(3):
        audit_record(actor=None, action="test.worker", payload={"i": i})
    result = verify_audit_chain.apply_async(queue=queue, ignore_result=False)
    outcome = result.get(timeout=60)
    assert outcome["ok"] is True
    assert outcome["checked"] >= 3  # the worker read the rows this test committed
    assert f"verify_audit_chain[{result.id}] received" in process.log()  # handled by that process


def test_task_arguments_must_be_json(through_the_broker):
    need_broker()
    with pytest.raises(EncodeError):
        notify_role_change.apply_async(args=[object(), [], []], queue="never-consumed")
