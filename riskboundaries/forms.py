"""The risk-boundary editor and the signing confirmation: they turn what the browser sends into what the services take.

Whether a limit is acceptable (ranges, dates, known values) is decided by riskboundaries.limits through the services,
the same rule book the API uses; these forms check the shape of the input and put the services' errors next to the
field they name.
"""

from collections.abc import Mapping
from typing import Any

from django import forms

from intake.answers import AUTONOMY_LEVELS, QUESTIONS_BY_NAME
from intake.assessment.catalogue import CONTROLS
from intake.vocabulary import Tier
from riskboundaries.limits import EU_TIERS_APPROVABLE, TIERS_WITH_CONTROLS
from riskboundaries.models import BoundarySignature

PROVIDER_ROWS_EXTRA = 3
# Errors the limits raise for a whole group of inputs, shown beside that group rather than a single field.
GROUP_ERRORS = ("allowed_providers", "required_controls")


def _choices(question: str, *, without: tuple[str, ...] = ()) -> tuple[tuple[str, str], ...]:
    return tuple(
        (value, label) for value, label in QUESTIONS_BY_NAME[question].choices if value not in without
    )


def control_field_name(tier: str) -> str:
    return f"required_controls_{tier}"


def _select(**attrs: Any) -> forms.Select:
    return forms.Select(attrs={"class": "form-select", **attrs})


def _checkboxes() -> forms.CheckboxSelectMultiple:
    return forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})


def _number(low: int, high: int) -> forms.NumberInput:
    return forms.NumberInput(attrs={"class": "form-control limit-number", "min": low, "max": high, "step": 1})


class ProviderRowForm(forms.Form):
    """One allowed provider: its name, the regions it may run in and the commitments it must have made."""

    name = forms.CharField(
        label="Provider",
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"class": "form-control", "maxlength": 120}),
    )
    regions = forms.MultipleChoiceField(
        label="Allowed regions",
        required=False,
        choices=_choices("hosting_region"),
        widget=_checkboxes(),
        help_text="None ticked: any region.",
    )
    required_terms = forms.MultipleChoiceField(
        label="Required commitments",
        required=False,
        choices=_choices("provider_terms"),
        widget=_checkboxes(),
        help_text="None ticked: nothing specific.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (data.get("regions") or data.get("required_terms")) and not data.get("name"):
            self.add_error("name", "Give this provider a name, or untick its regions and commitments.")
        return data

    def rule(self) -> dict[str, Any] | None:
        data = getattr(self, "cleaned_data", {})
        if not data.get("name"):
            return None
        return {
            "name": data["name"],
            "regions": data.get("regions") or [],
            "required_terms": data.get("required_terms") or [],
        }


class BaseProviderFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        seen: set[str] = set()
        for form in self.forms:
            name = (getattr(form, "cleaned_data", {}) or {}).get("name") or ""
            key = name.strip().casefold()
            if not key:
                continue
            if key in seen:
                form.add_error("name", f"“{name}” is already listed; list each provider once.")
            seen.add(key)


ProviderFormSet = forms.formset_factory(
    ProviderRowForm, formset=BaseProviderFormSet, extra=PROVIDER_ROWS_EXTRA, max_num=50, validate_max=True
)


EDITOR_SECTIONS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("note", "About this version", "", ("change_note",)),
    (
        "data",
        "Data",
        "The most sensitive information a use case may see, by who uses it.",
        ("max_data_classification_internal", "max_data_classification_external"),
    ),
    (
        "sourcing",
        "Sourcing and providers",
        "How the AI may be obtained and from whom.",
        ("allowed_sourcing",),
    ),
    (
        "autonomy",
        "Autonomy and tools",
        "How much a system may do on its own, and what its tools may never do.",
        ("max_autonomy", "forbidden_tool_permissions"),
    ),
    (
        "decisions",
        "Decisions and risk",
        "Where AI may never help decide, and the most regulatory and inherent risk approved without an exception.",
        ("forbidden_domains", "max_eu_tier", "max_inherent_score"),
    ),
    (
        "controls",
        "Required controls",
        "Controls every approved use case in the tier must have, on top of those its own assessment lists. "
        "Open a tier to choose its controls.",
        tuple(control_field_name(tier) for tier in reversed(TIERS_WITH_CONTROLS)),
    ),
    (
        "exceptions",
        "Exceptions and review",
        "How long an exception beyond these limits may run, and when this boundary is reviewed.",
        ("exception_max_days", "review_by"),
    ),
)


# The form fields that carry one limit each, under the limit's own name.
LIMIT_FIELDS = (
    "max_data_classification_internal",
    "max_data_classification_external",
    "allowed_sourcing",
    "max_autonomy",
    "forbidden_tool_permissions",
    "forbidden_domains",
    "max_eu_tier",
    "max_inherent_score",
    "exception_max_days",
    "review_by",
)


class BoundaryForm(forms.Form):
    """Every limit of a risk boundary, grouped for the editor, with the allowed providers as repeatable rows."""

    change_note = forms.CharField(
        label="What changes and why",
        help_text="One or two sentences for the people who sign it and for the record, e.g. “Lower autonomy "
        "after the agent pilot review”.",
        max_length=300,
        error_messages={"required": "Say what this version changes and why."},
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2, "maxlength": 300}),
    )
    max_data_classification_internal = forms.ChoiceField(
        label="Most sensitive information for tools used by employees",
        help_text="Up to and including this classification is allowed when only employees use it.",
        choices=_choices("data_classification"),
        widget=_select(),
    )
    max_data_classification_external = forms.ChoiceField(
        label="Most sensitive information for tools used by customers or the public",
        help_text="Up to and including this classification is allowed when customers or the public use it.",
        choices=_choices("data_classification"),
        widget=_select(),
    )
    allowed_sourcing = forms.MultipleChoiceField(
        label="Allowed ways to get the AI",
        help_text="None ticked: any way is allowed.",
        required=False,
        choices=_choices("sourcing"),
        widget=_checkboxes(),
    )
    max_autonomy = forms.ChoiceField(
        label="Highest autonomy",
        help_text="The most a system may do on its own without an exception.",
        choices=AUTONOMY_LEVELS,
        widget=_select(),
    )
    forbidden_tool_permissions = forms.MultipleChoiceField(
        label="Tools may never",
        help_text="Ticked: no use case may have tools that can do this.",
        required=False,
        choices=_choices("tool_permissions"),
        widget=_checkboxes(),
    )
    forbidden_domains = forms.MultipleChoiceField(
        label="AI may never help decide",
        help_text="Ticked: no use case may feed decisions in this area.",
        required=False,
        choices=_choices("decision_domain", without=("none",)),
        widget=_checkboxes(),
    )
    max_eu_tier = forms.ChoiceField(
        label="Highest EU AI Act tier approved without an exception",
        help_text="Prohibited practices are never allowed, whatever is chosen here.",
        choices=tuple((tier, Tier(tier).label) for tier in EU_TIERS_APPROVABLE),
        widget=_select(),
    )
    max_inherent_score = forms.CharField(
        label="Highest inherent risk score",
        help_text="Likelihood × impact, from 1 to 25, before controls.",
        error_messages={"required": "Enter the highest score, a whole number from 1 to 25."},
        widget=_number(1, 25),
    )
    exception_max_days = forms.CharField(
        label="Longest exception, in days",
        help_text="An exception beyond these limits runs for at most this many days (1 to 730).",
        error_messages={"required": "Enter the longest an exception may run, in days."},
        widget=_number(1, 730),
    )
    review_by = forms.CharField(
        label="Review by",
        help_text="When the CIO and the CISO will look at this boundary again.",
        required=False,
        widget=forms.DateInput(attrs={"class": "form-control limit-date", "type": "date"}),
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        content: Mapping[str, Any] | None = None,
        initial_note: str = "",
    ) -> None:
        initial = {**self.initial_for(content), "change_note": initial_note} if content is not None else None
        super().__init__(data, initial=initial)
        self.initial_content = content
        for tier in TIERS_WITH_CONTROLS:
            self.fields[control_field_name(tier)] = forms.MultipleChoiceField(
                label=f"{Tier(tier).label}: {Tier(tier).use_cases}",
                required=False,
                choices=tuple((cid, f"{cid} {name}") for cid, name in CONTROLS.items()),
                widget=_checkboxes(),
            )
        providers = list((content or {}).get("allowed_providers") or [])
        self.providers = ProviderFormSet(data, initial=providers or None, prefix="providers")
        self.group_errors: dict[str, list[str]] = {}

    @staticmethod
    def initial_for(content: Mapping[str, Any]) -> dict[str, Any]:
        initial = {name: value for name, value in content.items() if name not in GROUP_ERRORS}
        initial["max_autonomy"] = str(content.get("max_autonomy", ""))
        initial["review_by"] = content.get("review_by") or ""
        for tier, ids in (content.get("required_controls") or {}).items():
            initial[control_field_name(tier)] = list(ids)
        return initial

    def is_valid(self) -> bool:
        fields_valid = super().is_valid()
        rows_valid = self.providers.is_valid()
        return fields_valid and rows_valid

    def sections(self) -> list[dict[str, Any]]:
        """The editor's parts, in order; "providers" marks where the provider rows go."""
        return [
            {
                "key": key,
                "title": title,
                "intro": intro,
                "fields": [self[name] for name in names],
                "providers": key == "sourcing",
                "controls": key == "controls",
            }
            for key, title, intro, names in EDITOR_SECTIONS
        ]

    def limits(self) -> dict[str, Any]:
        """The limits as plain data for the services (which validate them). On a form with errors: only the limits
        that were read, so the services can still name every other problem at once."""
        data = getattr(self, "cleaned_data", {})
        limits: dict[str, Any] = {
            name: value.strip() if isinstance(value, str) else value
            for name, value in data.items()
            if name in LIMIT_FIELDS and name not in self.errors
        }
        if limits.get("review_by") == "":
            limits["review_by"] = None
        limits["allowed_providers"] = [rule for form in self.providers.forms if (rule := form.rule())]
        controls = {tier: data.get(control_field_name(tier)) for tier in TIERS_WITH_CONTROLS}
        limits["required_controls"] = {tier: chosen for tier, chosen in controls.items() if chosen}
        return limits

    def add_domain_errors(self, errors: Mapping[str, list[str]]) -> None:
        """Each error the services raised beside its field or group; anything else at the top of the form."""
        for name, messages in errors.items():
            if name in self.errors:
                continue  # already explained by the form's own check
            if name in GROUP_ERRORS:
                self.group_errors.setdefault(name, []).extend(messages)
                continue
            target = name if name in self.fields else None
            for message in messages:
                self.add_error(target, message if target else f"{name}: {message}")

    def mark_invalid_fields(self) -> None:
        """Bootstrap's invalid style on every input that carries an error (aria-invalid comes from Django)."""
        for form in (self, *self.providers.forms):
            for name in form.errors:
                if name not in form.fields:
                    continue
                field, bound = form.fields[name], form[name]
                field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} is-invalid".strip()
                if not bound.use_fieldset:  # a group is described by its fieldset instead
                    described = [f"{bound.auto_id}_helptext"] if field.help_text else []
                    field.widget.attrs["aria-describedby"] = " ".join([*described, f"{bound.auto_id}_error"])

    def error_summary(self) -> list[dict[str, str]]:
        """Every error, in the order of the editor, each with the anchor of its question."""
        items = [{"anchor": "", "label": "", "message": str(m)} for m in self.non_field_errors()]
        items += [{"anchor": "", "label": "", "message": str(m)} for m in self.providers.non_form_errors()]
        for _key, _title, _intro, names in EDITOR_SECTIONS:
            for name in names:
                for message in self.errors.get(name, []):
                    items.append(
                        {"anchor": f"q-{name}", "label": str(self.fields[name].label), "message": message}
                    )
            if "allowed_sourcing" in names:
                for index, form in enumerate(self.providers.forms, start=1):
                    for messages in form.errors.values():
                        items += [
                            {"anchor": f"q-{form.prefix}", "label": f"Provider {index}", "message": m}
                            for m in messages
                        ]
                items += [
                    {"anchor": "q-allowed_providers", "label": "Allowed providers", "message": m}
                    for m in self.group_errors.get("allowed_providers", [])
                ]
            if "required_controls_high" in names:
                items += [
                    {"anchor": "q-required_controls", "label": "Required controls", "message": m}
                    for m in self.group_errors.get("required_controls", [])
                ]
        return items


class SignForm(forms.Form):
    """The explicit confirmation before a signature, the role when the signer holds both, and the hash they saw."""

    seen_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)
    confirm = forms.BooleanField(
        error_messages={"required": "Tick the box to confirm you have reviewed these limits."},
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: Any, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.roles = roles
        labels = dict(BoundarySignature.Role.choices)
        if len(roles) > 1:
            self.fields["role"] = forms.ChoiceField(
                label="Sign as",
                choices=[(role, labels[role]) for role in roles],
                error_messages={"required": "Choose the role you sign in."},
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )
            self.fields[
                "confirm"
            ].label = "I have reviewed these limits and sign them in the role chosen above"
        else:
            self.fields[
                "confirm"
            ].label = f"I have reviewed these limits and sign them as {labels[roles[0]] if roles else ''}"

    def chosen_role(self) -> str:
        return self.cleaned_data.get("role") or self.roles[0]

    def mark_invalid_fields(self) -> None:
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}_error"
