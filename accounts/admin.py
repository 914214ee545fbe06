"""The Django admin for people, kept for emergencies. People are managed in the product's People pages.

It cannot hand out approval power: no approver roles (those are granted by a request a sitting CIO or CISO confirms),
no superuser status, no group or permission editing, and no setting of an approver's password or e-mail address
(either would let an administrator take the account over), nor of the sign-in records django-allauth keeps (e-mail
addresses, single sign-on identities, authenticators: read-only below). Every change goes through the audited
services.
"""

from allauth.account.decorators import secure_admin_login
from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from accounts import policies
from accounts.models import Team, User
from accounts.roles import ALL_ROLES, APPROVER_ROLES, Role
from accounts.services import (
    ACCESS_FIELDS,
    RESERVED_MESSAGE,
    RESERVED_USERNAMES,
    user_access_changed,
    user_set_roles,
    user_set_teams,
)
from config.admin import ReadOnlyAdmin

ORDINARY_ROLE_CHOICES = [(r.value, r.label) for r in Role if r.value not in APPROVER_ROLES]


class RoleFieldsMixin(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        choices=ORDINARY_ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="CIO and CISO are granted in People, by a request a sitting CIO or CISO confirms.",
    )
    team_list = forms.ModelMultipleChoiceField(
        queryset=Team.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, label="Teams"
    )

    def __init__(self, *args, **kwargs) -> None:
        self.actor = kwargs.pop("actor", None)
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            held = set(self.instance.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True))
            self.fields["roles"].initial = sorted(held - APPROVER_ROLES)
            self.fields["team_list"].initial = list(self.instance.teams.all())

    def clean_email(self):
        email = self.cleaned_data.get("email", "")
        if self.instance.pk and email != self.instance.email:
            reason = policies.reason_cannot_change_credentials(self.actor, self.instance)
            if reason:
                raise forms.ValidationError(reason)
        return email


class AdminUserChangeForm(RoleFieldsMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


class AdminUserCreationForm(RoleFieldsMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username",)

    def clean_username(self):
        username = super().clean_username()
        if username.strip().casefold() in RESERVED_USERNAMES:
            raise forms.ValidationError(RESERVED_MESSAGE)
        return username


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AdminUserChangeForm
    add_form = AdminUserCreationForm
    list_display = ["username", "display_name", "email", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "teams"]
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
    readonly_fields = ["last_login", "date_joined", "is_superuser"]

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        actor = request.user

        class WithActor(form_class):
            def __init__(self, *args, **kw) -> None:
                super().__init__(*args, actor=actor, **kw)

        return WithActor

    def user_change_password(self, request, id, form_url=""):
        person = self.get_object(request, id)
        if person is None:
            return super().user_change_password(request, id, form_url)
        reason = policies.reason_cannot_change_credentials(request.user, person)
        if reason:
            raise PermissionDenied(reason)
        before = User.objects.filter(pk=person.pk).values("password", *ACCESS_FIELDS).get()
        response = super().user_change_password(request, id, form_url)
        person.refresh_from_db()
        if person.password != before["password"]:
            user_access_changed(actor=request.user, user=person, before=before, password_changed=True)
        return response

    def save_model(self, request, obj, form, change) -> None:
        previous = (
            User.objects.filter(pk=obj.pk).values("password", *ACCESS_FIELDS).first() if change else None
        )
        super().save_model(request, obj, form, change)
        before = previous or dict.fromkeys(ACCESS_FIELDS, False)
        # A new account's password was chosen here, by the administrator (when it has a usable one).
        password_changed = (previous["password"] != obj.password) if previous else obj.has_usable_password()
        user_access_changed(actor=request.user, user=obj, before=before, password_changed=password_changed)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        person = form.instance
        # Approver roles are neither granted nor revoked here: the ones held are kept as they are.
        held_approver = set(person.groups.filter(name__in=APPROVER_ROLES).values_list("name", flat=True))
        wanted = [*form.cleaned_data.get("roles", []), *sorted(held_approver)]
        user_set_roles(actor=request.user, user=person, roles=wanted)
        user_set_teams(actor=request.user, user=person, teams=form.cleaned_data.get("team_list", []))


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ["name"]


# Django's admin has a login form of its own that checks passwords past every sign-in limit (accounts/signin.py),
# the audit of refusals and the second factor: it sends people to the product's sign-in page instead.
admin.site.login = secure_admin_login(admin.site.login)

# The role groups are the product's own (renaming "cio" or giving a group permissions would change who may act):
# they are not editable here.
admin.site.unregister(Group)


# django-allauth registers its own models in this admin, and each is a way into someone's account: an e-mail address
# is where the password-reset link goes (adding one to the CIO's account hands over the account), a social account
# signs in as its user through single sign-on, a social application decides which identity provider is believed,
# an authenticator is the second factor. None is changed here: people manage their own e-mail addresses and
# authenticators, single sign-on is configured from the environment. The provider tokens are not shown at all.
def _read_only(model) -> None:
    if not admin.site.is_registered(model):
        return
    original = type(admin.site.get_model_admin(model))
    admin.site.unregister(model)
    # No actions either: allauth's "mark as verified" would still run for whoever may view.
    attributes = {"__module__": __name__, "actions": None}
    admin.site.register(model, type(f"ReadOnly{original.__name__}", (ReadOnlyAdmin, original), attributes))


for _model in (EmailAddress, EmailConfirmation, SocialAccount, SocialApp, Authenticator):
    _read_only(_model)
if admin.site.is_registered(SocialToken):
    admin.site.unregister(SocialToken)
