"""The incident report form: it only checks the input's shape; the service decides (and names any field it refuses)."""

from django import forms

from oversight import clocks

LOCAL_DATETIME = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


def _when(**attrs: str) -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local", **attrs}, format="%Y-%m-%dT%H:%M")


class IncidentForm(forms.Form):
    title = forms.CharField(max_length=200, label="In a line, what went wrong")
    occurred_at = forms.DateTimeField(input_formats=LOCAL_DATETIME, widget=_when(), label="When it happened")
    aware_at = forms.DateTimeField(
        input_formats=LOCAL_DATETIME,
        widget=_when(),
        required=False,
        label="When we became aware of it",
        help_text="The Regulation's clocks run from here. Leave empty for now.",
    )
    what_happened = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), max_length=8000, label="What happened"
    )
    who_was_affected = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=4000, label="Who was affected"
    )
    harm = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=4000, label="The harm done")
    serious = forms.BooleanField(
        required=False,
        label="It is a serious incident",
        help_text="Art. 3(49): a death or serious harm to health, a serious and irreversible disruption of critical "
        "infrastructure, an infringement of Union law protecting fundamental rights, or serious harm to property or "
        "the environment.",
    )
    serious_kind = forms.ChoiceField(
        choices=[("", "—"), *clocks.SERIOUS_KINDS],
        required=False,
        label="What made it serious",
        help_text="Needed when it is a serious incident: it decides the Regulation's reporting periods.",
    )
    actions_taken = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=8000,
        required=False,
        label="What was done about it",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("serious") and not cleaned.get("serious_kind"):
            self.add_error("serious_kind", "Say what made it a serious incident (Art. 3(49)).")
        return cleaned
