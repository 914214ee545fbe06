"""The decision rules as pure functions: what a decision must carry, and what two slots add up to. No database."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models

from config.dates import human_date
from config.text import CONTROL_MESSAGE, has_control_characters, too_long_message
from intake.vocabulary import Band, Verdict


class Slot(models.TextChoices):
    CIO = "cio", "CIO"
    CISO = "ciso", "CISO"


class Decision(models.TextChoices):
    APPROVE = "approve", "Approve"
    APPROVE_WITH_CONDITIONS = "approve_with_conditions", "Approve with conditions"
    APPROVE_WITH_EXCEPTION = "approve_with_exception", "Approve with an exception"
    REQUEST_CHANGES = "request_changes", "Request changes"
    REJECT = "reject", "Reject"


# What a decider did, in a sentence: "the CIO (Ana Ruiz) approved with conditions".
DECIDED = {
    Decision.APPROVE: "approved",
    Decision.APPROVE_WITH_CONDITIONS: "approved with conditions",
    Decision.APPROVE_WITH_EXCEPTION: "approved with an exception",
    Decision.REQUEST_CHANGES: "asked for changes",
    Decision.REJECT: "rejected",
}


def decisions_in_words(decisions: list[tuple[str, str, str]]) -> str:
    """Each (slot, decider's name, decision) as a clause: "The CIO (Ana Ruiz) approved; the CISO (Li Wei) rejected."."""
    clauses = [
        f"the {slot.upper()} ({name}) {DECIDED.get(decision, decision)}" for slot, name, decision in decisions
    ]
    text = "; ".join(clauses)
    return f"{text[:1].upper()}{text[1:]}." if text else ""


APPROVING = frozenset({Decision.APPROVE, Decision.APPROVE_WITH_CONDITIONS, Decision.APPROVE_WITH_EXCEPTION})

# The most conditions one decision may attach (each becomes a tracked condition with an owner).
MAX_CONDITIONS = 20
# What the decision's typed text may hold (the model's and the forms' limits, checked here for every caller).
MAX_RATIONALE = 4000
MAX_CONDITION_TEXT = 500
MAX_CONDITION_OWNER = 150
MAX_NOTE = 500

# How long an approval stands before both decide again, by inherent-risk band (months).
RE_REVIEW_MONTHS = {Band.CRITICAL: 6, Band.HIGH: 6, Band.MEDIUM: 12, Band.LOW: 24}


class Outcome(models.TextChoices):
    WAITING = "waiting", "Waiting for the other decision"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    WITHDRAWN = "withdrawn", "Withdrawn between the two decisions"


@dataclass(frozen=True)
class ConditionInput:
    text: str
    owner: str = ""
    due_on: date | None = None


def decision_errors(
    *,
    decision: str,
    rationale: str,
    conditions: list[ConditionInput],
    exception_expires_on: date | None,
    verdict: str,
    today: date,
    exception_max_days: int | None,
    in_re_review: bool = False,
) -> dict[str, list[str]]:
    """Everything wrong with a decision before it is recorded, by field. Empty when it may be recorded."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if decision not in Decision.values:
        add("decision", f"“{decision}” is not one of: {', '.join(Decision.values)}.")
        return errors
    if in_re_review and decision == Decision.REQUEST_CHANGES:
        add(
            "decision",
            "In a re-review the approval is confirmed or the use case rejected; changes cannot be asked.",
        )
    if has_control_characters(rationale):
        add("rationale", CONTROL_MESSAGE)
    if len(rationale) > MAX_RATIONALE:
        add("rationale", too_long_message(MAX_RATIONALE))
    if decision != Decision.APPROVE and not rationale.strip():
        add(
            "rationale",
            "Explain the decision: a written rationale is required for everything but a plain approve.",
        )
    if verdict == Verdict.PROHIBITED and decision in APPROVING:
        add("decision", "It involves a prohibited practice: it can never be approved.")
    if verdict == Verdict.EXCEEDS and decision in APPROVING and decision != Decision.APPROVE_WITH_EXCEPTION:
        add("decision", "It exceeds the risk boundary: it can only be approved with an exception.")
    if decision == Decision.APPROVE_WITH_CONDITIONS and not conditions:
        add("conditions", "List at least one condition.")
    if conditions and decision not in (Decision.APPROVE_WITH_CONDITIONS, Decision.APPROVE_WITH_EXCEPTION):
        add("conditions", "Conditions go with an approval with conditions (or with an exception).")
    if len(conditions) > MAX_CONDITIONS:
        add("conditions", f"At most {MAX_CONDITIONS} conditions per decision ({len(conditions)} given).")
    # A problem with one condition names it by position, as the API's nested fields do: conditions.0.text.
    for i, condition in enumerate(conditions):
        if not condition.text.strip():
            add(f"conditions.{i}.text", f"Condition {i + 1} needs a description.")
        if has_control_characters(condition.text):
            add(f"conditions.{i}.text", f"Condition {i + 1}: {CONTROL_MESSAGE}")
        if has_control_characters(condition.owner):
            add(f"conditions.{i}.owner", f"Owner of condition {i + 1}: {CONTROL_MESSAGE}")
        if len(condition.text) > MAX_CONDITION_TEXT:
            add(f"conditions.{i}.text", f"Condition {i + 1}: {too_long_message(MAX_CONDITION_TEXT)}")
        if len(condition.owner) > MAX_CONDITION_OWNER:
            add(
                f"conditions.{i}.owner",
                f"Owner of condition {i + 1}: {too_long_message(MAX_CONDITION_OWNER)}",
            )
        if condition.due_on is not None and condition.due_on < today:
            add(f"conditions.{i}.due_on", f"Condition {i + 1} is due in the past.")
    if decision == Decision.APPROVE_WITH_EXCEPTION:
        if verdict != Verdict.EXCEEDS:
            add("decision", "An exception is only for a use case that exceeds the risk boundary.")
        if exception_expires_on is None:
            add("exception_expires_on", "An exception needs an expiry date.")
        elif exception_expires_on <= today:
            add("exception_expires_on", "The expiry must be in the future.")
        elif exception_max_days is not None and exception_expires_on > today + timedelta(
            days=exception_max_days
        ):
            add(
                "exception_expires_on",
                f"The risk boundary allows exceptions of at most {exception_max_days} days "
                f"(until {human_date(today + timedelta(days=exception_max_days))}).",
            )
    elif exception_expires_on is not None:
        add("exception_expires_on", "Only an approval with an exception has an expiry date.")
    return errors


def decision_options(verdict: str | None, in_re_review: bool = False) -> list[tuple[str, bool, str]]:
    """Every decision, whether the rules allow it against this verdict, and if not, why: (decision, allowed, reason).

    Asked of decision_errors itself, so the form offers exactly what the service accepts and gives the same reason.
    Only the decision's own errors count here; what the rest of the form must carry is checked when it is sent.
    """
    options = []
    for decision in Decision:
        refused = decision_errors(
            decision=decision,
            rationale="",
            conditions=[],
            exception_expires_on=None,
            verdict=verdict or "",
            today=date.min,  # the decision's own rules do not depend on the day
            exception_max_days=None,
            in_re_review=in_re_review,
        ).get("decision", [])
        options.append((decision.value, not refused, refused[0] if refused else ""))
    return options


def latest_exception_on(today: date, exception_max_days: int | None) -> date | None:
    """The last day an exception granted today may run to (decision_errors refuses any later); None: no limit."""
    return today + timedelta(days=exception_max_days) if exception_max_days is not None else None


def outcome(slots: Mapping[str, str | None]) -> str:
    """What the two slots of one revision add up to. A rejection wins over a request for changes."""
    decided = [d for d in (slots.get(Slot.CIO), slots.get(Slot.CISO)) if d]
    if Decision.REJECT in decided:
        return Outcome.REJECTED
    if Decision.REQUEST_CHANGES in decided:
        return Outcome.CHANGES_REQUESTED
    if len(decided) == 2 and all(d in APPROVING for d in decided):
        return Outcome.APPROVED
    return Outcome.WAITING


def add_months(day: date, months: int) -> date:
    """Calendar months later, clamped to the month's last day (31 Aug + 6 months = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate_day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def re_review_on(band: str, approved_on: date, exception_expires_on: date | None = None) -> date:
    """When both decide again: by band, or sooner when an exception expires first."""
    due = add_months(approved_on, RE_REVIEW_MONTHS.get(band, 6))
    return min(due, exception_expires_on) if exception_expires_on else due
