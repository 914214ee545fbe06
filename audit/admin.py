"""Read-only views of the audit chain and its verifications for administrators: nothing can be added, changed or
deleted here."""

from django.contrib import admin

from audit.models import AuditEvent, AuditVerification
from audit.policies import can_view_audit
from config.admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = [
        "sequence",
        "occurred_at",
        "actor_username",
        "action",
        "object_type",
        "object_id",
        "key_id",
    ]
    list_filter = ["action"]
    search_fields = ["actor_username", "object_id", "action"]
    ordering = ["-sequence"]
    show_full_result_count = False

    def has_view_permission(self, request, obj=None) -> bool:
        return can_view_audit(request.user)  # the CIO and the CISO, as everywhere else

    def has_module_permission(self, request) -> bool:
        return can_view_audit(request.user)


@admin.register(AuditVerification)
class AuditVerificationAdmin(ReadOnlyAdmin):
    list_display = ["pk", "kind", "status", "requested_at", "finished_at", "ok", "checked", "broken_at"]
    list_filter = ["kind", "status", "ok"]
    ordering = ["-requested_at"]
    show_full_result_count = False

    def has_view_permission(self, request, obj=None) -> bool:
        return can_view_audit(request.user)

    def has_module_permission(self, request) -> bool:
        return can_view_audit(request.user)
