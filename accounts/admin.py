"""Administration of users and teams. Role and team membership change only through the audited services."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm

from accounts.models import Team, User
from accounts.roles import ALL_ROLES, APPROVER_ROLES, Role
from accounts.services import ACCESS_FIELDS, user_access_changed, user_set_roles, user_set_teams


class RoleFieldsMixin(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Administrators hold no approval power by being administrators: grant CIO or CISO explicitly.",
    )
    team_list = forms.ModelMultipleChoiceField(
        queryset=Team.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, label="Teams"
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roles"].initial = list(
                self.instance.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True)
            )
            self.fields["team_list"].initial = list(self.instance.teams.all())

    def clean(self):
        cleaned = super().clean()
        administrator = cleaned.get("is_staff") or cleaned.get("is_superuser")
        if administrator and set(cleaned.get("roles") or []) & APPROVER_ROLES:
            self.add_error(
                "roles", "An administrator cannot also be CIO or CISO: administrators hold no approval power."
            )
        return cleaned


class AdminUserChangeForm(RoleFieldsMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


class AdminUserCreationForm(RoleFieldsMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AdminUserChangeForm
    add_form = AdminUserCreationForm
    list_display = ["username", "display_name", "email", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "groups", "teams"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Profile", {"fields": ("display_name", "job_title", "first_name", "last_name", "email")}),
        ("Roles and teams", {"fields": ("roles", "team_list")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        ("Roles and teams", {"fields": ("roles", "team_list")}),
    )
    readonly_fields = ["last_login", "date_joined"]

    def save_model(self, request, obj, form, change) -> None:
        previous = (
            User.objects.filter(pk=obj.pk).values("password", *ACCESS_FIELDS).first() if change else None
        )
        super().save_model(request, obj, form, change)
        before = previous or dict.fromkeys(ACCESS_FIELDS, False)
        password_changed = previous is not None and previous["password"] != obj.password
        user_access_changed(actor=request.user, user=obj, before=before, password_changed=password_changed)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        user_set_roles(actor=request.user, user=form.instance, roles=form.cleaned_data.get("roles", []))
        user_set_teams(actor=request.user, user=form.instance, teams=form.cleaned_data.get("team_list", []))


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ["name"]
