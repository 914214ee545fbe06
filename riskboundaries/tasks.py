"""Background work after a boundary takes effect: the re-review pass over the approved use cases, and the e-mail
about what it moved."""

from celery import shared_task


@shared_task(name="riskboundaries.tasks.flag_breaching_use_cases", acks_late=True, reject_on_worker_lost=True)
def flag_breaching_use_cases(run_id: int) -> dict:
    """One slice of the pass (it queues the next one itself). Safe to redeliver: the pass resumes at its cursor."""
    from riskboundaries.services import boundary_re_review_run

    run = boundary_re_review_run(run_id=run_id)
    return {"run": run.pk, "state": run.state, "checked": run.checked, "flagged": run.flagged}


@shared_task(
    name="riskboundaries.tasks.notify_re_reviews_flagged",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def notify_re_reviews_flagged(run_id: int) -> int:
    """Both executives, once per pass: how many approved use cases the new boundary sent to re-review."""
    from riskboundaries.models import ReReviewRun
    from riskboundaries.notifications import notify_re_reviews_flagged as notify

    run = ReReviewRun.objects.select_related("boundary").filter(pk=run_id).first()
    return notify(run=run) if run is not None else 0
