"""Read-only administration of use cases: look, search and filter; every change goes through the services."""

from django.contrib import admin

from config.admin import ReadOnlyAdmin
from intake.models import UseCase, UseCaseRevision


class RevisionInline(admin.TabularInline):
    model = UseCaseRevision
    fields = ["number", "content_hash", "ruleset_version", "submitted_by", "submitted_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(UseCase)
class UseCaseAdmin(ReadOnlyAdmin):
    list_display = ["reference", "title", "team", "status", "tier", "band", "updated_at"]
    list_filter = ["status", "tier", "band", "team"]
    search_fields = ["reference", "title"]
    list_select_related = ["team"]
    show_full_result_count = False
    inlines = [RevisionInline]

    def has_view_permission(self, request, obj=None) -> bool:
        # Administering the product is not a licence to read the teams' requests: they are seen in the product,
        # where guardian grants decide who sees what.
        return False

    def has_module_permission(self, request) -> bool:
        return False
