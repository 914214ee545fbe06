"""The outbox sweep, run every minute by beat."""

from celery import shared_task


@shared_task(name="outbox.tasks.outbox_sweep", ignore_result=True)
def outbox_sweep_task() -> int:
    from outbox.services import outbox_sweep

    return outbox_sweep()
