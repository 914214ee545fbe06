"""The intake form: turns what the browser sends into the values the intake services take.

Whether an answer is acceptable is decided by intake.answers (through the services), the same rule book the API
uses; this form only converts text to booleans, numbers and lists, and maps the services' errors onto its fields.
"""

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from accounts.models import Team
from config.errors import DomainError
from intake.answers import BOOL, LEVEL, MANY, ONE, QUESTIONS, SECTIONS, TEXT, Question, clean_answers
from intake.models import UseCase
from intake.services import DESCRIPTIVE_FIELDS

YES_NO = (("yes", "Yes"), ("no", "No"))
# A long list reads better as a drop-down than as twenty radio buttons.
SELECT_QUESTIONS = frozenset({"decision_domain"})
LONG_TEXT = 500


class AnswerChoiceField(forms.ChoiceField):
    """One choice, passed on as given: intake.answers refuses unknown values and names the field."""

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)

    def clean(self, value: Any) -> Any:
        return super().clean(value) or None


class AutonomyField(AnswerChoiceField):
    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        return int(value) if isinstance(value, str) and value.isdigit() else value


class AnswerMultipleChoiceField(forms.MultipleChoiceField):
    """Many choices as a list (none ticked is an empty list); values are checked by intake.answers."""

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)


class YesNoField(forms.TypedChoiceField):
    """Yes / No radios as True / False; left unanswered (None) in a draft."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            choices=YES_NO,
            coerce=lambda value: value == "yes",
            empty_value=None,
            error_messages={"invalid_choice": "Choose Yes or No."},
            **kwargs,
        )


def _answer_field(question: Question) -> forms.Field:
    common = {"label": question.label, "help_text": question.help, "required": False}
    if question.kind == BOOL:
        field = YesNoField(widget=forms.RadioSelect(attrs={"class": "form-check-input"}), **common)
        field.inline = True  # Yes and No side by side
        return field
    if question.kind == MANY:
        return AnswerMultipleChoiceField(
            choices=question.choices,
            widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
            **common,
        )
    if question.kind in (ONE, LEVEL):
        field_class = AutonomyField if question.name == "autonomy" else AnswerChoiceField
        if question.name in SELECT_QUESTIONS:
            return field_class(
                choices=(("", "Choose an answer"), *question.choices),
                widget=forms.Select(attrs={"class": "form-select"}),
                **common,
            )
        return field_class(
            choices=question.choices, widget=forms.RadioSelect(attrs={"class": "form-check-input"}), **common
        )
    if question.kind == TEXT:
        widget: forms.Widget
        if question.max_length >= LONG_TEXT:
            widget = forms.Textarea(
                attrs={"class": "form-control", "rows": 3, "maxlength": question.max_length}
            )
        else:
            widget = forms.TextInput(attrs={"class": "form-control", "maxlength": question.max_length})
        return forms.CharField(widget=widget, strip=True, empty_value=None, **common)
    raise AssertionError(f"unknown question kind {question.kind}")


def _initial_answer(question: Question, value: Any) -> Any:
    """A stored answer as the form shows it (booleans as yes/no, autonomy as text)."""
    if value is None:
        return None
    if question.kind == BOOL:
        return "yes" if value else "no"
    if question.name == "autonomy":
        return str(value)
    return value


class UseCaseForm(forms.Form):
    """The description of a use case and every intake answer, as one form in plain-language sections."""

    title = forms.CharField(
        label="Title",
        help_text="A short name people will recognise, e.g. “Customer service reply assistant”.",
        error_messages={"required": "Give the request a title. A working title is fine."},
        widget=forms.TextInput(attrs={"class": "form-control", "maxlength": 200}),
    )
    summary = forms.CharField(
        label="What it does",
        help_text="In a few sentences: what the AI does, for whom, and how it fits into the work.",
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 4, "maxlength": 4000}),
    )
    business_owner = forms.CharField(
        label="Business owner",
        help_text="The person accountable for this use in the business.",
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "maxlength": 150, "autocomplete": "name"}),
    )
    business_value = forms.CharField(
        label="Business value",
        help_text="What it improves and how you will know: time saved, quality, revenue, customer experience.",
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3, "maxlength": 4000}),
    )
    go_live_target = forms.DateField(
        label="Target go-live date",
        help_text="When you would like to start using it. Leave blank if you do not know yet.",
        required=False,
        widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a date for the target go-live, e.g. 30/09/2026."},
    )
    team = forms.ModelChoiceField(
        label="Team",
        help_text="The team this request is for. Everyone in the team can follow it.",
        queryset=Team.objects.none(),
        empty_label="Choose a team",
        error_messages={"required": "Choose the team this request is for."},
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, teams: list | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in QUESTIONS:
            self.fields[question.name] = _answer_field(question)
            if question.shown_when:
                # Read by static/js/shown-when.js, which hides the question while it does not apply.
                self.fields[question.name].shown_when = json.dumps(
                    {name: list(values) for name, values in question.shown_when}
                )
        # The picker offers today or later; a draft that already holds a past date keeps it (the service allows that).
        held = self.initial.get("go_live_target")
        today = timezone.localdate()
        if not (isinstance(held, date) and held < today):
            self.fields["go_live_target"].widget.attrs["min"] = today.isoformat()
        if teams is not None and len(teams) > 1:
            self.fields["team"].queryset = Team.objects.filter(pk__in=[team.pk for team in teams])
        else:
            # One team (or editing, where the team is fixed): nothing to choose.
            del self.fields["team"]

    @classmethod
    def initial_for(cls, use_case: UseCase) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(use_case, name) for name in DESCRIPTIVE_FIELDS}
        for question in QUESTIONS:
            initial[question.name] = _initial_answer(question, use_case.answers.get(question.name))
        return initial

    # Grouping for the template: the description first, then the answer sections in their order.
    def describe_fields(self) -> list[forms.BoundField]:
        names = ["title", "summary", "business_owner", "business_value", "go_live_target"]
        if "team" in self.fields:
            names.append("team")
        return [self[name] for name in names]

    def sections(self) -> list[dict[str, Any]]:
        return [
            {
                "key": key,
                "title": title,
                "intro": intro,
                "fields": [self[q.name] for q in QUESTIONS if q.section == key],
            }
            for key, title, intro in SECTIONS
        ]

    def changes(self) -> dict[str, Any]:
        """What the services take: the descriptive fields and every answer (None clears an answer)."""
        data = self.cleaned_data
        changes = {name: data.get(name) for name in DESCRIPTIVE_FIELDS}
        for question in QUESTIONS:
            changes[question.name] = data.get(question.name)
        return changes

    def answers_for_preview(self) -> dict[str, Any]:
        """The answers that are acceptable as typed, each checked on its own; anything invalid is left out."""
        data = getattr(self, "cleaned_data", {})
        usable: dict[str, Any] = {}
        for question in QUESTIONS:
            value = data.get(question.name)
            if value is None or question.name in self.errors:
                continue
            try:
                usable.update(clean_answers({question.name: value}))
            except DomainError:
                continue  # an answer the rules refuse simply does not count in a preview
        return usable

    def add_domain_errors(self, errors: Mapping[str, list[str]]) -> None:
        """Put each error the services raised next to its field; anything else goes to the top of the form."""
        for name, messages in errors.items():
            target = name if name in self.fields else None
            for message in messages:
                self.add_error(target, message if target else f"{name}: {message}")

    def mark_invalid_fields(self) -> None:
        """Bootstrap's invalid style on every field that carries an error (aria-invalid comes from Django)."""
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def error_summary(self) -> list[dict[str, str]]:
        """Every error, in the order of the form, each with the anchor of its question."""
        order = list(self.fields)
        items = [{"anchor": "", "label": "", "message": str(m)} for m in self.non_field_errors()]
        for name in sorted((n for n in self.errors if n in self.fields), key=order.index):
            for message in self.errors[name]:
                items.append(
                    {"anchor": f"q-{name}", "label": str(self.fields[name].label), "message": message}
                )
        return items
