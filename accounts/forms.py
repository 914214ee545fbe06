"""Forms of the People pages and the profile page: they only turn what was typed into values; the services decide."""

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


class PersonCreateForm(forms.Form):
    username = forms.CharField(max_length=150, help_text="Letters, digits and @ . + - _ only.")
    display_name = forms.CharField(max_length=150, required=False, label="Name")
    email = forms.EmailField(max_length=254, label="E-mail address", help_text="The invitation goes here.")
    job_title = forms.CharField(max_length=150, required=False)
    teams = TeamsField()
    roles = forms.MultipleChoiceField(
        choices=ORDINARY_ROLES, required=False, widget=forms.CheckboxSelectMultiple, label="Roles"
    )
    approver_role = forms.ChoiceField(
        choices=APPROVER_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        label="Approver role",
        help_text="A grant of the CIO or CISO role takes effect only when a sitting CIO or CISO confirms it.",
    )
    note = forms.CharField(
        max_length=500,
        required=False,
        label="Why (for the CIO or CISO who confirms)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PersonProfileForm(forms.Form):
    display_name = forms.CharField(max_length=150, required=False, label="Name")
    email = forms.EmailField(max_length=254, required=False, label="E-mail address")
    job_title = forms.CharField(max_length=150, required=False)


class PersonAccessForm(forms.Form):
    teams = TeamsField()
    roles = forms.MultipleChoiceField(
        choices=ORDINARY_ROLES, required=False, widget=forms.CheckboxSelectMultiple, label="Roles"
    )


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(choices=APPROVER_CHOICES[1:], widget=forms.RadioSelect, label="Approver role")
    note = forms.CharField(
        max_length=500,
        required=False,
        label="Why (for the CIO or CISO who confirms)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TeamForm(forms.Form):
    name = forms.CharField(max_length=120, label="Team name")


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        max_length=100, label="Client name", help_text="What will use it, e.g. “reporting script”."
    )


class NoteForm(forms.Form):
    note = forms.CharField(max_length=500, required=False, label="Note")
