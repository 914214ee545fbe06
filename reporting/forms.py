"""Forms of the board-packs pages: they validate input only; the services decide."""

from typing import Any

from django import forms

from reporting.models import PackSignature
from reporting.services import STATEMENT_MAX_LENGTH


class StatementForm(forms.Form):
    text = forms.CharField(
        label="Joint statement",
        max_length=STATEMENT_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 10}),
        help_text=f"What the CIO and the CISO tell the board about this quarter, at most {STATEMENT_MAX_LENGTH:,} "
        "characters. Saving it voids the drafts prepared before, and a new draft is prepared for both to sign.",
        error_messages={
            "required": "Write the statement for the board.",
            "max_length": f"At most {STATEMENT_MAX_LENGTH:,} characters.",
        },
    )


class PackSignForm(forms.Form):
    """The explicit confirmation before a signature, the role when the signer holds both, and the hash they saw."""

    seen_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)
    confirm = forms.BooleanField(
        label="I have read this version, with the statement, and sign its content",
        error_messages={"required": "Tick the box to confirm you have read this version."},
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: Any, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.roles = roles
        if len(roles) > 1:
            labels = dict(PackSignature.Role.choices)
            self.fields["role"] = forms.ChoiceField(
                label="Sign as",
                choices=[(role, labels[role]) for role in roles],
                error_messages={"required": "Choose the role you sign in."},
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )

    def chosen_role(self) -> str:
        return self.cleaned_data.get("role") or self.roles[0]
