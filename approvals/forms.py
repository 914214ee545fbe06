"""The decision form: it only turns what was typed into values; the service decides whether they are acceptable."""

from django import forms

from approvals.rules import ConditionInput, Decision, Slot

CONDITION_ROWS = 3


class DecisionForm(forms.Form):
    # What the reviewer was shown: the page renders both from the use case as it is now. The service refuses a
    # decision whose round or revision is no longer current.
    review_round = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    content_hash = forms.CharField(min_length=64, max_length=64, widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=Decision.choices, widget=forms.RadioSelect, label="Your decision")
    rationale = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        label="Rationale",
        help_text="Required for everything but a plain approve. The requester sees it.",
    )
    exception_expires_on = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        label="Exception expires on",
        help_text="Only for an approval with an exception; no later than the risk boundary allows.",
    )

    def __init__(self, *args, slot_choices: list[str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if slot_choices and len(slot_choices) > 1:
            self.fields["slot"] = forms.ChoiceField(
                choices=[(s, Slot(s).label) for s in slot_choices],
                widget=forms.RadioSelect,
                label="Decide as",
            )
        for i in range(1, CONDITION_ROWS + 1):
            self.fields[f"condition_{i}_text"] = forms.CharField(
                required=False, max_length=500, label=f"Condition {i}"
            )
            self.fields[f"condition_{i}_owner"] = forms.CharField(
                required=False, max_length=150, label="Owner"
            )
            self.fields[f"condition_{i}_due"] = forms.DateField(
                required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Due"
            )

    def condition_rows(self) -> list[tuple]:
        return [
            (self[f"condition_{i}_text"], self[f"condition_{i}_owner"], self[f"condition_{i}_due"])
            for i in range(1, CONDITION_ROWS + 1)
        ]

    def conditions(self) -> list[ConditionInput]:
        rows = []
        for i in range(1, CONDITION_ROWS + 1):
            text = self.cleaned_data.get(f"condition_{i}_text", "").strip()
            if text:
                rows.append(
                    ConditionInput(
                        text,
                        self.cleaned_data.get(f"condition_{i}_owner", ""),
                        self.cleaned_data.get(f"condition_{i}_due"),
                    )
                )
        return rows
