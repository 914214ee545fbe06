"""Board-pack rendering on its own queue, and the quarterly pack that beat asks for."""

from celery import shared_task
from django.utils import timezone


@shared_task(
    name="reporting.tasks.render_board_pack",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=240,
    time_limit=300,
)
def render_board_pack(pack_id: int) -> str:
    """Idempotent: the service renders a queued pack once (or takes over a silent render), so a redelivered message
    does nothing."""
    from reporting.services import board_pack_render

    return board_pack_render(pack_id=pack_id).status


@shared_task(
    name="reporting.tasks.export_register",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=600,
    time_limit=660,
)
def export_register(export_id: int) -> str:
    """A register too large for a request, streamed into a file. Idempotent: an export is produced once."""
    from reporting.services import register_export_run

    return register_export_run(export_id=export_id).status


@shared_task(name="reporting.tasks.refresh_dashboard", ignore_result=True)
def refresh_dashboard() -> str:
    """Every DASHBOARD_REFRESH_SECONDS (beat): the dashboard's snapshot of the portfolio's figures."""
    from reporting.services import dashboard_refresh

    return str(dashboard_refresh()["cutoff"])


@shared_task(name="reporting.tasks.board_pack_sweep", ignore_result=True)
def board_pack_sweep_task() -> list[int]:
    """Every minute (beat): renders whose worker died are taken over, packs queued too long are sent again."""
    from reporting.services import board_pack_sweep

    return board_pack_sweep()


@shared_task(name="reporting.tasks.quarterly_board_pack")
def quarterly_board_pack() -> int:
    """First day of each quarter (beat): the previous quarter's pack."""
    from config.quarters import Quarter
    from reporting.services import board_pack_request

    quarter = Quarter.containing(timezone.localdate()).previous()
    return board_pack_request(actor=None, quarter=str(quarter)).pk


@shared_task(
    name="reporting.tasks.notify_pack_ready", autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def notify_pack_ready(pack_id: int) -> int:
    from reporting.models import BoardPack
    from reporting.notifications import notify_pack_ready as notify

    pack = BoardPack.objects.filter(pk=pack_id).first()
    if pack is None:
        return 0
    return notify(pack=pack)


@shared_task(
    name="reporting.tasks.notify_issuance", autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def notify_issuance(kind: str, actor_id: int | None = None, **ids: int | str) -> int:
    """The statement written, a version signed, the pack issued, or its issued copy given up: e-mailed from the
    worker, retried while the mail server is away (the outbox publishes it once the change commits)."""
    from django.contrib.auth import get_user_model

    from reporting.notifications import notify_issuance as notify

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id is not None else None
    return notify(kind, actor=actor, **ids)
