"""API: the audit trail and its verification, for the CIO and the CISO only."""

from django.conf import settings
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.checkpoints import checkpoint_latest
from audit.events import label_of
from audit.filters import parse_audit_filter
from audit.models import AuditEvent, AuditVerification
from audit.policies import ensure_can_view_audit
from audit.selectors import (
    audit_chain_check,
    audit_events_for,
    audit_filter_resolve,
    audit_verification_state,
)
from audit.services import audit_verification_request
from config.api import CursorPagination
from config.errors import DomainError


class AuditCursorPagination(CursorPagination):
    ordering = "-sequence"


FILTER_PARAMETERS = [
    OpenApiParameter("actor", str, description="Only the events of the person with this username."),
    OpenApiParameter(
        "action",
        str,
        description="Only events of this kind: a registered code such as intake.use_case_submit.",
    ),
    OpenApiParameter(
        "kind", str, description="The same as ``action`` (``action`` wins when both are given)."
    ),
    OpenApiParameter(
        "since", OpenApiTypes.DATE, description="Only events on or after this day (YYYY-MM-DD, local time)."
    ),
    OpenApiParameter(
        "until", OpenApiTypes.DATE, description="Only events on or before this day (YYYY-MM-DD, local time)."
    ),
    OpenApiParameter(
        "object",
        str,
        description="Only the events about one object, named like GAI-2026-0001, boundary v3, pack 12, "
        "person alice, or as stored (object_type:object_id, e.g. intake.usecase:12).",
    ),
]


@extend_schema_view(
    get=extend_schema(
        parameters=FILTER_PARAMETERS,
        description="The audit trail, newest first. The filters combine; a filter that cannot be used answers "
        "400 with the parameter named in ``errors``.",
    )
)
class AuditEventListApi(ListAPIView):
    pagination_class = AuditCursorPagination

    class AuditEventOutputSerializer(serializers.ModelSerializer):
        actor = serializers.CharField(source="actor_username")
        label = serializers.SerializerMethodField(help_text="The action in words; ``action`` stays the code.")

        class Meta:
            model = AuditEvent
            fields = ["sequence", "occurred_at", "actor", "action", "label", "object_type", "object_id"]
            fields += ["payload", "prev_hash", "hash", "key_id"]

        def get_label(self, event: AuditEvent) -> str:
            return label_of(event.action)

    serializer_class = AuditEventOutputSerializer

    def get_queryset(self):
        ensure_can_view_audit(self.request.user)
        wanted, errors = parse_audit_filter(self.request.query_params)
        if not errors:
            wanted, errors = audit_filter_resolve(wanted)
        if errors:
            raise DomainError("Some filters cannot be used.", errors=errors)
        return audit_events_for(self.request.user, wanted)


class AuditCheckpointOutputSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Where the checkpoint is stored (never overwritten).")
    sequence = serializers.IntegerField(help_text="The event the checkpoint recorded.")


class AuditVerifyApi(APIView):
    """The chain's verification, answered within a bounded time.

    When at most AUDIT_VERIFY_INLINE_LIMIT events were added since the last verified point, they are verified now
    (``source`` "live"). Otherwise the latest result recorded by the worker is answered (``source`` "recorded", or
    "none" when there is none yet) and a verification of the new events is queued (``run_queued``).
    """

    class AuditVerifyOutputSerializer(serializers.Serializer):
        ok = serializers.BooleanField(
            allow_null=True, help_text="Whether the chain verified; null when no result is known yet."
        )
        checked = serializers.IntegerField(help_text="Events verified to reach this result.")
        broken_at = serializers.IntegerField(
            allow_null=True, help_text="The sequence of the first broken link (or the first missing event)."
        )
        reason = serializers.CharField(
            allow_blank=True, help_text="Why the chain is broken; empty when intact."
        )
        kind = serializers.ChoiceField(
            choices=AuditVerification.Kind.choices,
            allow_null=True,
            help_text="incremental: the events after the last verified point; full: the whole chain.",
        )
        source = serializers.ChoiceField(
            choices=[("live", "live"), ("recorded", "recorded"), ("none", "none")],
            help_text="live: verified in this request; recorded: the worker's latest run; none: no result yet.",
        )
        verified_at = serializers.DateTimeField(allow_null=True, help_text="When this result was reached.")
        verified_through = serializers.IntegerField(
            allow_null=True, help_text="The highest sequence this result covers."
        )
        head_sequence = serializers.IntegerField(help_text="The chain's newest event now.")
        unverified = serializers.IntegerField(
            help_text="Events after the last verified point, not yet verified."
        )
        checkpoint = AuditCheckpointOutputSerializer(
            allow_null=True,
            help_text="The checkpoint outside the database the chain was compared with; null when there is none.",
        )
        run_queued = serializers.BooleanField(help_text="A verification is queued or running in the worker.")

    @extend_schema(responses=AuditVerifyOutputSerializer)
    def get(self, request: Request) -> Response:
        ensure_can_view_audit(request.user)
        state = audit_verification_state()
        if state.unverified <= settings.AUDIT_VERIFY_INLINE_LIMIT:
            checkpoint = checkpoint_latest()
            report = audit_chain_check(start=state.anchor, checkpoint=checkpoint, count_verified=False)
            body = {
                **report.as_dict(),
                "kind": AuditVerification.Kind.INCREMENTAL
                if state.anchor.sequence
                else AuditVerification.Kind.FULL,
                "source": "live",
                "verified_at": timezone.now(),
                "verified_through": report.head.sequence,
                "checkpoint": {"name": checkpoint["name"], "sequence": checkpoint["sequence"]}
                if checkpoint
                else None,
                "run_queued": state.in_progress is not None,
            }
        else:
            queued = audit_verification_request(actor=request.user, kind=AuditVerification.Kind.INCREMENTAL)
            latest = state.latest
            body = {
                "ok": latest.ok if latest else None,
                "checked": latest.checked if latest else 0,
                "broken_at": latest.broken_at if latest else None,
                "reason": latest.reason if latest else "",
                "kind": latest.kind if latest else None,
                "source": "recorded" if latest else "none",
                "verified_at": latest.finished_at if latest else None,
                "verified_through": latest.to_sequence if latest else None,
                "checkpoint": (
                    {"name": latest.checkpoint_name, "sequence": latest.checkpoint_sequence}
                    if latest and latest.checkpoint_name
                    else None
                ),
                "run_queued": queued.status
                in (AuditVerification.Status.QUEUED, AuditVerification.Status.RUNNING),
            }
        body |= {"head_sequence": state.head_sequence, "unverified": state.unverified}
        return Response(self.AuditVerifyOutputSerializer(body).data)
