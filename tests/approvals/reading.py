"""What a decider has read before deciding: the use case's review round and its current revision's hash."""

from intake.models import UseCase


def seen(use_case: UseCase) -> dict:
    """The two fields every decision names, as a client reads them now (API body or review-form fields)."""
    fresh = UseCase.objects.get(pk=use_case.pk)
    revision = fresh.revisions.order_by("-number").first()
    return {"review_round": fresh.review_round, "content_hash": revision.content_hash}
