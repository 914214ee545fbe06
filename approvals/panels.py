"""What the use-case page shows of the joint decision: its panel, and what the deciders asked to change (both registered
into intake's page through intake.hooks)."""

from typing import Any

from django.template.loader import render_to_string

from approvals import policies, selectors
from approvals.models import ReviewCycle, SlotDecision
from approvals.rules import Decision, Outcome, Slot
from intake.workflow import WAITING_FOR_DECISION, Status


def decisions_panel(request: Any, use_case: Any) -> str:
    decisions = list(selectors.decisions_for(use_case))
    if not decisions and use_case.revision_count == 0:
        return ""
    open_cycle = {d.slot: d for d in decisions if d.cycle.closed_at is None}
    return render_to_string(
        "approvals/_decisions_panel.html",
        {
            "use_case": use_case,
            "decisions": decisions,
            "slots": [(slot, label, open_cycle.get(slot)) for slot, label in Slot.choices],
            "waiting": use_case.status in WAITING_FOR_DECISION,
            "approval": selectors.standing_approval(use_case),
            "conditions": list(selectors.conditions_for(use_case)),
            "can_mark_met": policies.can_mark_condition_met(request.user, use_case),
            "can_decide": policies.can_decide(request.user, use_case),
        },
        request=request,
    )


def change_requests(use_case: Any) -> list[tuple[str, str]]:
    """(slot label, rationale) of each decision asking for changes in the round that handed the request back."""
    if use_case.status != Status.CHANGES_REQUESTED:
        return []
    last_round = (
        ReviewCycle.objects.filter(use_case=use_case, outcome=Outcome.CHANGES_REQUESTED)
        .order_by("-closed_at")
        .values("pk")[:1]
    )
    asked = SlotDecision.objects.filter(cycle__in=last_round, decision=Decision.REQUEST_CHANGES).order_by(
        "slot"
    )
    return [(Slot(slot).label, rationale) for slot, rationale in asked.values_list("slot", "rationale")]
