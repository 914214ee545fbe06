"""Forms of the People pages and the profile page: they only turn what was typed into values; the services decide."""

from allauth.account.forms import ChangePasswordForm
from allauth.core import context
from django import forms

from accounts.models import Team
from accounts.roles import APPROVER_ROLES, Role

ORDINARY_ROLES = [(r.value, r.label) for r in Role if r.value not in APPROVER_ROLES]
APPROVER_CHOICES = [("", "None"), *[(r.value, r.label) for r in Role if r.value in APPROVER_ROLES]]


class TeamsField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs) -> None:
        super().__init__(
            queryset=Team.objects.order_by("name"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            **kwargs,
        )


class OrdinaryRolesField(forms.MultipleChoiceField):
    """The roles an administrator gives directly: every role but the approver ones, which are asked for and confirmed."""

    def __init__(self, **kwargs) -> None:
        super().__init__(
            choices=ORDINARY_ROLES,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label="Roles",
            **kwargs,
        )


class GrantNoteField(forms.CharField):
    """Why an approver role is asked for, for the CIO or CISO who confirms it."""

    def __init__(self, **kwargs) -> None:
        super().__init__(
            max_length=500,
            required=False,
            label="Why (for the CIO or CISO who confirms)",
            widget=forms.Textarea(attrs={"rows": 2}),
            **kwargs,
        )


class PersonCreateForm(forms.Form):
    username = forms.CharField(max_length=150, help_text="Letters, digits and @ . + - _ only.")
    display_name = forms.CharField(max_length=150, required=False, label="Name")
    email = forms.EmailField(max_length=254, label="E-mail address", help_text="The invitation goes here.")
    job_title = forms.CharField(max_length=150, required=False)
    teams = TeamsField()
    roles = OrdinaryRolesField()
    approver_role = forms.ChoiceField(
        choices=APPROVER_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        label="Approver role",
        help_text="A grant of the CIO or CISO role takes effect only when a sitting CIO or CISO confirms it.",
    )
    note = GrantNoteField()


class PersonProfileForm(forms.Form):
    display_name = forms.CharField(max_length=150, required=False, label="Name")
    email = forms.EmailField(max_length=254, required=False, label="E-mail address")
    job_title = forms.CharField(max_length=150, required=False)


class PersonAccessForm(forms.Form):
    teams = TeamsField()
    roles = OrdinaryRolesField()


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(choices=APPROVER_CHOICES[1:], widget=forms.RadioSelect, label="Approver role")
    note = GrantNoteField()


class TeamForm(forms.Form):
    name = forms.CharField(max_length=120, label="Team name")


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        max_length=100, label="Client name", help_text="What will use it, e.g. “reporting script”."
    )


class NoteForm(forms.Form):
    note = forms.CharField(max_length=500, required=False, label="Note")


class CountedChangePasswordForm(ChangePasswordForm):
    """allauth's change-password form, its check of the current password counted like a sign-in (one count per
    account, accounts/signin.py): a stolen session gets no free guesses at the password here."""

    def clean_oldpassword(self) -> str:
        from accounts.services import sign_in_attempt_start, sign_in_success_record
        from config.clientip import client_ip

        username, ip = self.user.get_username(), client_ip(context.request)
        attempt, refusal = sign_in_attempt_start(username=username, ip=ip, channel="password_change")
        if refusal is not None:
            raise forms.ValidationError(refusal.message, code="too_many_login_attempts")
        value = super().clean_oldpassword()  # a wrong password raises here and stays counted as a failure
        sign_in_success_record(username=username, ip=ip, attempt=attempt)
        return value
