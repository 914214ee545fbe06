"""The review queue with the two query changes the benchmark recommends, to measure them before adopting them.

It returns the same rows as approvals.selectors.review_queue_for (bench/queue.py checks the first pages match):

1. For approvers (anyone with a slot, who see every submitted request through the cio/ciso group grants),
   visibility as ONE Exists() over `user grants UNION ALL group grants` instead of `Exists(user) | Exists(group)`.
   PostgreSQL cannot turn an OR of EXISTS into semi-joins, so it plans them as *hashed* subplans: every request
   builds a hash of all the user's group grants (about 94,000 rows for the CIO at 100,000 use cases) before the
   first row comes back. A single EXISTS over a UNION ALL is probed per row through the content_object_id indexes,
   and the backward primary-key scan stops after one page. Everyone else keeps the OR form: for someone who sees
   few requests the hash is small, and probing row by row would walk the whole queue (measured: 35 ms with the OR,
   300 ms with the UNION ALL for a user with no grants at 100,000).
2. "Waiting on me" as NOT EXISTS (an open-cycle decision in my slot) instead of filtering the `[:1]` slot
   annotation with IS NULL, and the state filter once, not twice. The planner cannot estimate `(subquery) IS NULL`
   and multiplies the repeated `status IN (...)`, so it expected ~80 rows where 37,000 qualify and chose nested
   loops over every queue row and every user (15 million join-filter rows, 4-10 s at 100,000 use cases).
"""

from typing import Any

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from approvals.apis import ReviewQueueApi
from approvals.models import SlotDecision
from approvals.policies import slots_of
from approvals.rules import Slot
from approvals.selectors import QUEUE_STATES, overdue_cutoff
from config.errors import DomainError
from intake.models import UseCase, UseCaseGroupObjectPermission, UseCaseUserObjectPermission
from intake.workflow import Status

VIEW = "view_usecase"


def visible_to(user: Any) -> Q:
    direct = UseCaseUserObjectPermission.objects.filter(
        content_object=OuterRef("pk"), user=user, permission__codename=VIEW
    ).values("content_object")
    via_group = UseCaseGroupObjectPermission.objects.filter(
        content_object=OuterRef("pk"), group__user=user, permission__codename=VIEW
    ).values("content_object")
    if slots_of(user):  # sees nearly everything submitted: probe row by row, stop after a page
        return Q(Exists(direct.union(via_group, all=True)))
    return Q(Exists(direct)) | Q(Exists(via_group))  # sees little: a small hash of grants is cheaper


def _open_decisions(slot: str) -> QuerySet[SlotDecision]:
    return SlotDecision.objects.filter(
        use_case=OuterRef("pk"), cycle__closed_at__isnull=True, slot=slot
    ).order_by()


def _slot(slot: str, field: str) -> Subquery:
    return Subquery(_open_decisions(slot).values(field)[:1], output_field=CharField())


def review_queue(
    user: Any,
    *,
    waiting_on: str | None = None,
    overdue: bool = False,
    re_review: bool = False,
    all_open: bool = False,
) -> QuerySet[UseCase]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return UseCase.objects.none()
    narrowed = waiting_on is not None
    states = (*QUEUE_STATES, Status.CHANGES_REQUESTED) if all_open and not narrowed else QUEUE_STATES
    queryset = (
        UseCase.objects.filter(visible_to(user), status__in=states)
        .select_related("team", "submitter")
        .annotate(
            cio_decision=_slot(Slot.CIO, "decision"),
            cio_decider=_slot(Slot.CIO, "decider__username"),
            ciso_decision=_slot(Slot.CISO, "decision"),
            ciso_decider=_slot(Slot.CISO, "decider__username"),
        )
        .order_by("-id")
    )
    if waiting_on == "me":
        open_slot = Q(pk__in=[])
        for slot in slots_of(user):
            open_slot |= ~Exists(_open_decisions(slot))
        decided = SlotDecision.objects.filter(
            use_case=OuterRef("pk"), decider=user, cycle__closed_at__isnull=True
        )
        queryset = queryset.filter(open_slot).exclude(submitter=user).exclude(Exists(decided))
    elif waiting_on in Slot.values:
        queryset = queryset.exclude(Exists(_open_decisions(waiting_on)))
    if overdue:
        queryset = queryset.filter(submitted_at__lt=overdue_cutoff(timezone.now()))
    if re_review:
        queryset = queryset.filter(status=Status.RE_REVIEW_DUE)
    return queryset


class ProposedQueueApi(ReviewQueueApi):
    def get_queryset(self):
        params = self.request.query_params
        waiting_on = params.get("waiting_on")
        if waiting_on not in (None, "", "me", *Slot.values):
            raise DomainError("Unknown filter.", errors={"waiting_on": ["Use me, cio or ciso."]})
        return review_queue(
            self.request.user,
            waiting_on=waiting_on or None,
            overdue=params.get("overdue") == "true",
            re_review=params.get("re_review") == "true",
            all_open=params.get("all_open") == "true",
        )
