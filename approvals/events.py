"""The audit events of the joint decision (decisions, review rounds, approvals, conditions), with their words."""

from datetime import date

from django.db.models import TextChoices

from approvals.rules import Decision, Outcome, Slot
from audit.events import Payload, register
from config.dates import human_date


def _label(choices: type[TextChoices], value: object) -> str:
    return choices(value).label if value in choices.values else str(value or "")


def _decision(payload: Payload) -> str:
    decided = f"{_label(Slot, payload.get('slot'))}: {_label(Decision, payload.get('decision'))}"
    return f"{decided}, revision {payload['revision']}" if payload.get("revision") is not None else decided


def _decided(payload: Payload) -> str:
    return f"Decided as the {_decision(payload)}"


def _approved(payload: Payload) -> str:
    due = payload.get("re_review_on")
    return (
        f"Revision {payload.get('revision', '')}; re-review on {human_date(date.fromisoformat(due))}"
        if due
        else ""
    )


def _condition(payload: Payload) -> str:
    return str(payload.get("text", ""))


def _swept(payload: Payload) -> str:
    moved = payload.get("moved") or []
    return f"{len(moved)} moved to re-review" + (f": {', '.join(moved)}" if moved else "")


DECISION_RECORDED = register(
    "approvals.decision_recorded", "Decision recorded", sentence=_decided, detail=_decision
)
REVIEW_ROUND_ENDED = register(
    "approvals.cycle_ended", "Review round ended", detail=lambda p: _label(Outcome, p.get("outcome"))
)
APPROVAL_RECORDED = register("approvals.approved", "Approval recorded", detail=_approved)
CONDITION_MET = register("approvals.condition_met", "Condition met", detail=_condition)
RE_REVIEW_SWEEP = register("approvals.re_review_sweep", "Re-review dates checked", detail=_swept)
