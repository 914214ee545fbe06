"""The decision form: it only turns what was typed into values; the service decides whether they are acceptable."""

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from django import forms

from approvals.rules import MAX_CONDITIONS, ConditionInput, Decision, Slot
from intake.contracts import RequiredControl

CONDITION_ROWS = 3
# The decisions that carry conditions; with any other, conditions are refused by the rules.
WITH_CONDITIONS = frozenset({Decision.APPROVE_WITH_CONDITIONS, Decision.APPROVE_WITH_EXCEPTION})
# The service names a condition's problem as conditions.<index>.<part>; these are the form's fields for each part.
CONDITION_PARTS = {"text": "text", "owner": "owner", "due_on": "due"}


def required_control_text(control: RequiredControl) -> str:
    """A required control as a condition reads (the words the service gives the condition it attaches itself)."""
    return f"{control.control_id} {control.name}".strip()


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

    def __init__(
        self,
        *args,
        slot_choices: list[str] | None = None,
        options: Iterable[tuple[str, bool, str]] = (),
        required_controls: Iterable[RequiredControl] = (),
        latest_exception: date | None = None,
        today: date | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.options = {decision: (allowed, reason) for decision, allowed, reason in options}
        self.today = today or date.today()
        self.latest_exception = latest_exception
        # The boundary's required controls start as the first condition rows: the decider names an owner and a due
        # date, or edits or clears them. One empty row more for a condition of the decider's own.
        self.prefilled = [required_control_text(c) for c in required_controls][:MAX_CONDITIONS]
        self.rows = min(max(CONDITION_ROWS, len(self.prefilled) + 1), MAX_CONDITIONS)
        self.group_errors: dict[str, list[str]] = {}
        self.sent_rows: list[int] = []
        if slot_choices and len(slot_choices) > 1:
            self.fields["slot"] = forms.ChoiceField(
                choices=[(s, Slot(s).label) for s in slot_choices],
                widget=forms.RadioSelect,
                label="Decide as",
            )
        for i in range(1, self.rows + 1):
            self.fields[f"condition_{i}_text"] = forms.CharField(
                required=False,
                max_length=500,
                label=f"Condition {i}",
                initial=self.prefilled[i - 1] if i <= len(self.prefilled) else "",
            )
            self.fields[f"condition_{i}_owner"] = forms.CharField(
                required=False, max_length=150, label=f"Owner of condition {i}"
            )
            self.fields[f"condition_{i}_due"] = forms.DateField(
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
                label=f"Due date of condition {i}",
            )

    @property
    def exception_min(self) -> date:
        """An exception must end after today."""
        return self.today + timedelta(days=1)

    def decision_choices(self) -> list[dict]:
        """Each decision's radio with whether the rules allow it here and, if not, why."""
        choices = []
        for choice in self["decision"]:
            allowed, reason = self.options.get(choice.data["value"], (True, ""))
            choices.append({"radio": choice, "allowed": allowed, "reason": reason})
        return choices

    def condition_rows(self) -> list[tuple]:
        return [
            (self[f"condition_{i}_text"], self[f"condition_{i}_owner"], self[f"condition_{i}_due"])
            for i in range(1, self.rows + 1)
        ]

    def conditions(self) -> list[ConditionInput]:
        carries_conditions = self.cleaned_data.get("decision") in WITH_CONDITIONS
        rows = []
        self.sent_rows = []  # the form row of each condition sent: the service names them by position in the list
        for i in range(1, self.rows + 1):
            text = self.cleaned_data.get(f"condition_{i}_text", "").strip()
            owner = self.cleaned_data.get(f"condition_{i}_owner", "")
            due = self.cleaned_data.get(f"condition_{i}_due")
            untouched = (
                i <= len(self.prefilled) and text == self.prefilled[i - 1] and not owner.strip() and not due
            )
            # A required control the page filled in and nobody touched is not the decider's condition when the
            # decision carries none: the service attaches the boundary's controls to any approval by itself.
            if text and (carries_conditions or not untouched):
                rows.append(ConditionInput(text, owner, due))
                self.sent_rows.append(i)
        return rows

    def add_refusal(self, errors: Mapping[str, list[str]]) -> None:
        """The service's reasons, each next to the field it names (conditions.0.owner is condition 1's owner)."""
        for field, problems in errors.items():
            name = field
            parts = field.split(".")
            if len(parts) == 3 and parts[0] == "conditions" and parts[1].isdigit():
                index = int(parts[1])
                row = self.sent_rows[index] if index < len(self.sent_rows) else index + 1
                name = f"condition_{row}_{CONDITION_PARTS.get(parts[2], parts[2])}"
            for problem in problems:
                if name == "conditions":
                    self.group_errors.setdefault("conditions", []).append(problem)
                else:
                    self.add_error(name if name in self.fields else None, problem)

    def error_summary(self) -> list[dict[str, str]]:
        """Every problem, in the order of the card, each linked to its field."""
        items = [{"message": str(m)} for m in self.non_field_errors()]
        if self.errors.get("review_round") or self.errors.get("content_hash"):
            items.append(
                {
                    "message": "This page did not say which review round and revision you were shown: check the "
                    "use case below and record your decision again."
                }
            )
        order = ["slot", "decision", "rationale"]
        for text, owner, due in self.condition_rows():
            order += [text.name, owner.name, due.name]
        order.append("exception_expires_on")
        groups = {
            "slot": "slot-group",
            "decision": "decision-group",
        }  # radios are reached through their fieldset
        for name in order:
            if name not in self.fields:
                continue
            anchor = groups.get(name) or self[name].id_for_label
            for message in self.errors.get(name, []):
                items.append({"anchor": anchor, "label": self.fields[name].label, "message": message})
            if name == "rationale":
                items += [
                    {"anchor": "conditions", "label": "Conditions", "message": m}
                    for m in self.group_errors.get("conditions", [])
                ]
        return items
