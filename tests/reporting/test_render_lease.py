"""A board-pack render that went silent (its worker died) is taken over; a live one is left alone; only the latest
take finishes the pack; the sweep finds silent renders and stale queues; a person may ask for a few packs an hour."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent
from config.errors import RateLimited
from reporting import services
from reporting.models import BoardPack
from tests.factories import UserFactory
from tests.reporting.conftest import CURRENT

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BOARD_PACK_STALE_SECONDS = 60


def _pack(**fields) -> BoardPack:
    now = timezone.now()
    defaults = {
        "quarter": CURRENT,
        "version": BoardPack.objects.count() + 1,
        "requested_at": now,
        "cutoff": now,
    }
    return BoardPack.objects.create(**{**defaults, **fields})


def _rendering(silent_for: timedelta, *, attempt: int = 1) -> BoardPack:
    then = timezone.now() - silent_for
    return _pack(
        status=BoardPack.Status.RENDERING, started_at=then, heartbeat_at=then, render_attempt=attempt
    )


def test_a_render_silent_for_longer_than_the_lease_is_taken_over_and_finished():
    pack = _rendering(timedelta(seconds=61))
    done = services.board_pack_render(pack_id=pack.pk)
    assert done.status == BoardPack.Status.READY and done.render_attempt == 2
    assert done.file.name.endswith(".pdf")
    event = AuditEvent.objects.get(action="reporting.board_pack_render_taken_over", object_id=str(pack.pk))
    assert event.payload["attempt"] == 2


def test_a_live_render_is_left_alone():
    pack = _rendering(timedelta(seconds=5))
    left = services.board_pack_render(pack_id=pack.pk)
    assert left.status == BoardPack.Status.RENDERING and left.render_attempt == 1 and not left.file
    assert not AuditEvent.objects.filter(action="reporting.board_pack_render_taken_over").exists()


def test_a_render_that_was_taken_over_cannot_finish_the_pack(monkeypatch):
    pack = _pack()
    from reporting import rendering

    real = rendering.render_pack

    def slow_and_overtaken(context, **kwargs):
        result = real(context, **kwargs)
        # While this worker rendered (thought dead), another took the pack over.
        BoardPack.objects.filter(pk=pack.pk).update(render_attempt=2)
        return result

    monkeypatch.setattr(rendering, "render_pack", slow_and_overtaken)
    left = services.board_pack_render(pack_id=pack.pk)
    assert left.status == BoardPack.Status.RENDERING and not left.file
    assert not AuditEvent.objects.filter(action="reporting.board_pack_ready").exists()


def test_a_failure_of_an_overtaken_render_does_not_fail_the_pack():
    pack = _rendering(timedelta(seconds=1), attempt=2)
    services.board_pack_fail(pack_id=pack.pk, error="boom", attempt=1)
    pack.refresh_from_db()
    assert pack.status == BoardPack.Status.RENDERING
    services.board_pack_fail(pack_id=pack.pk, error="boom", attempt=2)
    pack.refresh_from_db()
    assert pack.status == BoardPack.Status.FAILED and pack.error == "boom"


def test_a_ready_pack_is_never_rendered_again():
    pack = _pack(status=BoardPack.Status.READY, started_at=timezone.now() - timedelta(days=1))
    assert services.board_pack_render(pack_id=pack.pk).render_attempt == 0


@pytest.mark.django_db(transaction=True)  # the heartbeat writes from its own thread and connection
def test_the_heartbeat_keeps_a_long_render_alive(settings, monkeypatch):
    settings.BOARD_PACK_HEARTBEAT_SECONDS = 0.05
    pack = _pack()
    from reporting import rendering

    real = rendering.render_pack
    seen = []

    def slow(context, **kwargs):
        import time

        time.sleep(0.4)
        seen.append(BoardPack.objects.get(pk=pack.pk).heartbeat_at)
        return real(context, **kwargs)

    monkeypatch.setattr(rendering, "render_pack", slow)
    started = timezone.now()
    services.board_pack_render(pack_id=pack.pk)
    assert seen and seen[0] > started + timedelta(seconds=0.04)


def test_the_sweep_sends_silent_renders_and_long_queued_packs_again(settings, monkeypatch):
    settings.BOARD_PACK_QUEUED_SECONDS = 300
    from reporting import tasks

    sent = []
    monkeypatch.setattr(tasks.render_board_pack, "apply_async", lambda args, **kw: sent.append(args[0]))
    silent = _rendering(timedelta(minutes=2))
    alive = _rendering(timedelta(seconds=10))
    stuck = _pack(requested_at=timezone.now() - timedelta(minutes=6))
    fresh = _pack()
    ready = _pack(status=BoardPack.Status.READY, requested_at=timezone.now() - timedelta(days=1))
    assert services.board_pack_sweep() == sorted([silent.pk, stuck.pk]) == sorted(sent)
    assert {alive.pk, fresh.pk, ready.pk}.isdisjoint(sent)


def test_a_person_may_ask_for_a_few_packs_an_hour(settings, django_capture_on_commit_callbacks):
    settings.BOARD_PACK_REQUESTS_PER_HOUR = 2
    secretary = UserFactory(roles=[Role.BOARD_SECRETARY])
    other = UserFactory(roles=[Role.BOARD_SECRETARY])
    services.board_pack_request(actor=secretary, quarter=CURRENT)
    services.board_pack_request(actor=secretary, quarter=CURRENT)
    with pytest.raises(RateLimited) as refused:
        services.board_pack_request(actor=secretary, quarter=CURRENT)
    assert 3500 < refused.value.retry_after <= 3600
    assert BoardPack.objects.filter(requested_by=secretary).count() == 2
    services.board_pack_request(actor=other, quarter=CURRENT)  # the limit is per person
    BoardPack.objects.filter(requested_by=secretary).update(
        requested_at=timezone.now() - timedelta(minutes=61)
    )
    services.board_pack_request(actor=secretary, quarter=CURRENT)  # an hour later


def test_the_api_answers_429_with_retry_after_past_the_hourly_limit(settings, api_as):
    settings.BOARD_PACK_REQUESTS_PER_HOUR = 1
    client = api_as(UserFactory(roles=[Role.BOARD_SECRETARY]))
    assert client.post("/api/v1/board-packs/", {"quarter": CURRENT}, format="json").status_code == 202
    refused = client.post("/api/v1/board-packs/", {"quarter": CURRENT}, format="json")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert set(refused.json()) == {"detail", "errors"}


def test_every_ready_pack_copies_the_audit_trail_head_outside_the_database():
    from audit.checkpoints import checkpoint_latest
    from audit.selectors import audit_chain_head

    pack = _pack()
    services.board_pack_render(pack_id=pack.pk)
    latest = checkpoint_latest()
    assert latest["reason"] == f"board pack {CURRENT} v{pack.version}"
    assert latest["sequence"] == audit_chain_head()["sequence"]


def test_a_pack_whose_renders_keep_dying_is_failed_saying_so_instead_of_taken_over_forever(settings):
    settings.BOARD_PACK_MAX_ATTEMPTS = 3
    pack = _rendering(timedelta(minutes=2), attempt=3)
    failed = services.board_pack_render(pack_id=pack.pk)
    assert failed.status == BoardPack.Status.FAILED and "interrupted 3 times" in failed.error
    assert failed.render_attempt == 3 and not failed.file
    assert AuditEvent.objects.filter(action="reporting.board_pack_failed", object_id=str(pack.pk)).exists()
    assert not AuditEvent.objects.filter(action="reporting.board_pack_render_taken_over").exists()
    assert services.board_pack_render(pack_id=pack.pk).status == BoardPack.Status.FAILED  # and stays so


def test_a_failed_pack_keeps_the_reason_it_failed_first():
    pack = _rendering(timedelta(seconds=1))
    services.board_pack_fail(pack_id=pack.pk, error="font missing", attempt=1)
    services.board_pack_fail(pack_id=pack.pk, error="later noise", attempt=1)
    pack.refresh_from_db()
    assert pack.status == BoardPack.Status.FAILED and pack.error == "font missing"
    assert (
        AuditEvent.objects.filter(action="reporting.board_pack_failed", object_id=str(pack.pk)).count() == 1
    )
