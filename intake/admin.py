"""Read-only administration of use cases: look, search and filter; every change goes through the services."""

from django.contrib import admin

from config.admin import ReadOnlyAdmin
from intake import services
from intake.models import KeyDate, UseCase, UseCaseRevision


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


@admin.register(KeyDate)
class KeyDateAdmin(admin.ModelAdmin):
    """The EU AI Act's key dates: an administrator may move one (a postponement, a change of the law); the change
    goes through the service, which audits it. Dates are neither added nor removed here: the duties name them."""

    list_display = ["key", "applies_on", "what", "updated_at"]
    fields = ["key", "applies_on", "what"]
    readonly_fields = ["key"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        services.key_date_update(
            actor=request.user,
            key_date=obj,
            applies_on=form.cleaned_data["applies_on"],
            what=form.cleaned_data["what"],
        )
