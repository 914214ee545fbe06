"""Notifications of the joint decision and the daily re-review sweep, run by the worker (and beat)."""

from celery import shared_task

from approvals import notifications
from approvals.models import SlotDecision


@shared_task(
    name="approvals.tasks.notify_decision", autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def notify_decision(decision_id: int, outcome: str) -> bool:
    """Tell the requester about a decision and, when it completes the joint decision, the outcome."""
    decision = SlotDecision.objects.select_related("use_case__submitter").filter(pk=decision_id).first()
    if decision is None:
        return False
    return notifications.notify_decision(decision=decision, outcome=outcome)


@shared_task(name="approvals.tasks.re_review_sweep", acks_late=True, reject_on_worker_lost=True)
def re_review_sweep_task() -> list[str]:
    """Daily (celery beat): idempotent, so a redelivery moves nothing twice."""
    from approvals.services import re_review_sweep

    return re_review_sweep()
