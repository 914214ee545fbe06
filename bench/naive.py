"""The naive review queue the benchmark compares against (mounted by bench/urls.py).

guardian's get_objects_for_user over the queue states, Django's Paginator (COUNT(*) and an OFFSET page) ordered by
-id, the open cycle's decisions prefetched, and the same rows and serializer as the real queue API.
"""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from guardian.shortcuts import get_objects_for_user
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals.apis import QueueItemSerializer
from approvals.models import SlotDecision
from approvals.rules import Slot
from approvals.selectors import QUEUE_STATES, queue_rows
from intake.models import UseCase

PAGE_SIZE = 50  # the queue API's page size


class NaiveQueueApi(APIView):
    def get(self, request: Request) -> Response:
        open_decisions = SlotDecision.objects.filter(cycle__closed_at__isnull=True).select_related("decider")
        queryset = get_objects_for_user(
            request.user,
            "intake.view_usecase",
            klass=UseCase.objects.filter(status__in=QUEUE_STATES)
            .select_related("team", "submitter")
            .prefetch_related(Prefetch("decisions", queryset=open_decisions, to_attr="open_decisions")),
        ).order_by("-id")
        paginator = Paginator(queryset, PAGE_SIZE)
        page = paginator.page(request.query_params.get("page", 1))
        use_cases = list(page.object_list)
        for use_case in use_cases:
            by_slot = {d.slot: d for d in use_case.open_decisions}
            for slot in Slot.values:
                decision = by_slot.get(slot)
                setattr(
                    use_case,
                    f"{slot}_slot",
                    {
                        "decision": decision.decision,
                        "decider": decision.decider.username,
                        "decider_name": decision.decider.display_name,
                    }
                    if decision
                    else None,
                )
        rows = queue_rows(request.user, use_cases)
        return Response(
            {
                "count": paginator.count,
                "next": page.next_page_number() if page.has_next() else None,
                "results": QueueItemSerializer(rows, many=True).data,
            }
        )
