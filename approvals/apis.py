"""API v1 for the joint decision: a use case's decisions (read, decide) and the shared review queue."""

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals import selectors, services
from approvals.rules import MAX_CONDITIONS, ConditionInput, Decision, Slot
from config.errors import DomainError
from intake.selectors import use_case_for


class DecisionOutputSerializer(serializers.Serializer):
    slot = serializers.CharField()
    decider = serializers.CharField(source="decider.username")
    decision = serializers.CharField()
    rationale = serializers.CharField()
    revision = serializers.IntegerField(source="revision_number")
    content_hash = serializers.CharField()
    exception_expires_on = serializers.DateField(allow_null=True)
    decided_at = serializers.DateTimeField()
    review = serializers.CharField(source="cycle.kind")
    review_round = serializers.IntegerField(source="cycle.review_round")


class ConditionInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=500)
    owner = serializers.CharField(max_length=150, required=False, allow_blank=True)
    due_on = serializers.DateField(required=False, allow_null=True)


class DecisionInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.values)
    rationale = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    # A ListField (not many=True) so the schema shows the cap as maxItems.
    conditions = serializers.ListField(
        child=ConditionInputSerializer(), required=False, default=list, max_length=MAX_CONDITIONS
    )
    exception_expires_on = serializers.DateField(required=False, allow_null=True, default=None)
    slot = serializers.ChoiceField(choices=Slot.values, required=False, allow_null=True, default=None)
    # What the decider saw: the use case's review round and the current revision's content hash. A decision
    # sent for an earlier round or revision is 409.
    review_round = serializers.IntegerField(
        min_value=1, help_text="The use case's review_round you read (use case, review queue or decisions)."
    )
    content_hash = serializers.CharField(
        min_length=64, max_length=64, help_text="The content hash of the revision you reviewed."
    )


def _plain_errors(errors: Any, prefix: str = "") -> dict[str, list[str]]:
    """Serializer errors with nested ones named by their path, as the decision rules name them:
    {"conditions.0.text": ["This field is required."]}."""
    if isinstance(errors, dict):
        plain: dict[str, list[str]] = {}
        for key, detail in errors.items():
            plain.update(_plain_errors(detail, f"{prefix}.{key}" if prefix else str(key)))
        return plain
    return {prefix: [str(message) for message in errors]}


class UseCaseDecisionsApi(APIView):
    @extend_schema(responses=DecisionOutputSerializer(many=True))
    def get(self, request: Request, ref: str) -> Response:
        use_case = use_case_for(request.user, ref)
        return Response(DecisionOutputSerializer(selectors.decisions_for(use_case), many=True).data)

    @extend_schema(
        request=DecisionInputSerializer,
        responses={201: DecisionOutputSerializer},
        description="Decide in your slot on the round and revision you read. A missing or malformed field is "
        "400 naming it; a `review_round` or `content_hash` that is no longer current is 409 naming it (read the "
        "use case again); segregation of duties is 403.",
    )
    def post(self, request: Request, ref: str) -> Response:
        use_case = use_case_for(request.user, ref)
        data = request.data if isinstance(request.data, dict) else {}
        unknown = sorted(set(data) - set(DecisionInputSerializer().fields))
        if unknown:
            raise DomainError("Unknown fields.", errors={k: ["Unknown field."] for k in unknown})
        serializer = DecisionInputSerializer(data=data)
        if not serializer.is_valid():
            raise DomainError("Invalid input.", errors=_plain_errors(serializer.errors))
        values = serializer.validated_data
        recorded = services.decision_record(
            actor=request.user,
            use_case=use_case,
            decision=values["decision"],
            rationale=values["rationale"],
            conditions=[
                ConditionInput(c["text"], c.get("owner", ""), c.get("due_on")) for c in values["conditions"]
            ],
            exception_expires_on=values["exception_expires_on"],
            slot=values["slot"],
            review_round=values["review_round"],
            seen_hash=values["content_hash"],
        )
        return Response(DecisionOutputSerializer(recorded).data, status=status.HTTP_201_CREATED)


class QueueItemSerializer(serializers.Serializer):
    ref = serializers.CharField(source="use_case.reference")
    title = serializers.CharField(source="use_case.title")
    team = serializers.CharField(source="use_case.team.name")
    status = serializers.CharField(source="use_case.status")
    tier = serializers.CharField(source="use_case.tier")
    band = serializers.CharField(source="use_case.band")
    score = serializers.IntegerField(source="use_case.score", allow_null=True)
    boundary_verdict = serializers.CharField(source="use_case.boundary_verdict")
    revision = serializers.IntegerField(source="use_case.revision_count")
    review_round = serializers.IntegerField(source="use_case.review_round")
    content_hash = serializers.CharField(source="use_case.content_hash", allow_null=True)
    submitted_at = serializers.DateTimeField(source="use_case.submitted_at", allow_null=True)
    age_working_days = serializers.IntegerField()
    overdue = serializers.BooleanField()
    waiting_on_me = serializers.BooleanField()
    slots = serializers.DictField(child=serializers.DictField(allow_null=True), allow_empty=True)


_DATETIME = serializers.DateTimeField()


def queue_item(item: dict[str, Any]) -> dict[str, Any]:
    """QueueItemSerializer's representation of a selectors.queue_items item, without a serializer per row: the
    queue is the API's hottest list, and DRF's field-by-field serialising was a fifth of its Python time."""
    submitted_at = item["submitted_at"]
    return {
        "ref": item["reference"],
        "title": item["title"],
        "team": item["team__name"],
        "status": item["status"],
        "tier": item["tier"],
        "band": item["band"],
        "score": item["score"],
        "boundary_verdict": item["boundary_verdict"],
        "revision": item["revision_count"],
        "review_round": item["review_round"],
        "content_hash": item["content_hash"],
        "submitted_at": _DATETIME.to_representation(submitted_at) if submitted_at is not None else None,
        "age_working_days": item["age_working_days"],
        "overdue": item["overdue"],
        "waiting_on_me": item["waiting_on_me"],
        "slots": item["slots"],
    }


class ReviewQueueApi(ListAPIView):
    """The shared queue, filtered by `waiting_on` (me, cio, ciso), `overdue`, `re_review` or `all_open`."""

    serializer_class = QueueItemSerializer  # the schema of each item (queue_item writes it)

    def _filters(self) -> dict[str, Any]:
        params = self.request.query_params
        waiting_on = params.get("waiting_on")
        if waiting_on not in (None, "", "me", *Slot.values):
            raise DomainError("Unknown filter.", errors={"waiting_on": ["Use me, cio or ciso."]})
        return {
            "waiting_on": waiting_on or None,
            "overdue": params.get("overdue") == "true",
            "re_review": params.get("re_review") == "true",
            "all_open": params.get("all_open") == "true",
        }

    def get_queryset(self):
        return selectors.review_queue_for(self.request.user, **self._filters())

    @extend_schema(
        parameters=[
            OpenApiParameter("waiting_on", str, enum=["me", "cio", "ciso"]),
            OpenApiParameter("overdue", bool),
            OpenApiParameter("re_review", bool),
            OpenApiParameter("all_open", bool),
        ]
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        now = timezone.now()
        page = self.paginate_queryset(selectors.review_queue_source(request.user, now=now, **self._filters()))
        items = selectors.queue_items(request.user, page, now=now)
        return self.get_paginated_response([queue_item(item) for item in items])
