"""API: the audit trail and its verification, for the CIO and the CISO only."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import AuditEvent
from audit.policies import ensure_can_view_audit
from audit.selectors import audit_chain_verify, audit_events_for
from config.api import CursorPagination


class AuditCursorPagination(CursorPagination):
    ordering = "-sequence"


class AuditEventListApi(ListAPIView):
    pagination_class = AuditCursorPagination

    class AuditEventOutputSerializer(serializers.ModelSerializer):
        actor = serializers.CharField(source="actor_username")

        class Meta:
            model = AuditEvent
            fields = ["sequence", "occurred_at", "actor", "action", "object_type", "object_id", "payload"]
            fields += ["prev_hash", "hash"]

    serializer_class = AuditEventOutputSerializer

    def get_queryset(self):
        ensure_can_view_audit(self.request.user)
        queryset = audit_events_for(self.request.user)
        action = self.request.query_params.get("action")
        if action:
            queryset = queryset.filter(action=action)
        return queryset


class AuditVerifyApi(APIView):
    class AuditVerifyOutputSerializer(serializers.Serializer):
        ok = serializers.BooleanField()
        checked = serializers.IntegerField()
        broken_at = serializers.IntegerField(allow_null=True)
        reason = serializers.CharField(allow_blank=True)

    @extend_schema(responses=AuditVerifyOutputSerializer)
    def get(self, request: Request) -> Response:
        ensure_can_view_audit(request.user)
        return Response(self.AuditVerifyOutputSerializer(audit_chain_verify().as_dict()).data)
