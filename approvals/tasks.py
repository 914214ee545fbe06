"""Notifications of the joint decision and the daily re-review sweep, run by the worker (and beat)."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail


@shared_task(
    name="approvals.tasks.notify_decision", autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def notify_decision(decision_id: int, outcome: str) -> bool:
    """Tell the requester about a decision and, when it completes the joint decision, the outcome."""
    from approvals.models import SlotDecision

    decision = SlotDecision.objects.select_related("use_case__submitter").filter(pk=decision_id).first()
    if decision is None or not decision.use_case.submitter.email:
        return False
    use_case = decision.use_case
    title = " ".join(use_case.title.split())
    lines = [
        f"Hello {use_case.submitter},",
        "",
        f"The {decision.slot.upper()} decided on {use_case.reference} (revision {decision.revision_number}): "
        f"{decision.get_decision_display().lower()}.",
    ]
    if decision.rationale:
        lines += ["", f"Why: {decision.rationale}"]
    final = {
        "approved": "It is approved.",
        "rejected": "It is rejected.",
        "changes_requested": "Changes are requested: edit it and resubmit.",
    }
    lines += ["", final.get(outcome, "The other decision is still to come.")]
    lines += ["", f"See it: {settings.SITE_URL}/requests/{use_case.reference}/"]
    send_mail(
        subject=f"{use_case.reference} {title}: {decision.get_decision_display().lower()} by the {decision.slot.upper()}",
        message="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[use_case.submitter.email],
    )
    return True


@shared_task(name="approvals.tasks.re_review_sweep", acks_late=True, reject_on_worker_lost=True)
def re_review_sweep_task() -> list[str]:
    """Daily (celery beat): idempotent, so a redelivery moves nothing twice."""
    from approvals.services import re_review_sweep

    return re_review_sweep()
