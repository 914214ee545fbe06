"""HTML for the joint decision: the shared review queue, the focused review page, and conditions marked met.

Views stay thin: reads from selectors, writes through services, who may act from policies. A refused decision
re-renders the form with what was typed and the reason next to the field.
"""

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from approvals import policies, selectors, services
from approvals.forms import DecisionForm
from approvals.rules import Slot, decision_options
from config.errors import DomainError, InvalidTransition, http_status
from config.refusals import refusal_line
from intake.deadlines import TARGET_WORKING_DAYS
from intake.presenters import band_label, explain_assessment, tier_label
from intake.selectors import use_case_for

PAGE_SIZE = 25
# The fields that say what the reviewer saw: when the service finds them stale, the page is shown afresh.
STALE = frozenset({"review_round", "content_hash"})
FILTERS = {
    "me": ("Waiting on me", {"waiting_on": "me"}),
    "other": ("Waiting on the other role", {}),
    "open": ("All open", {"all_open": True}),
    "overdue": ("Overdue", {"overdue": True}),
    "re_review": ("Re-review due", {"re_review": True}),
}


def _ensure_decider(request: HttpRequest) -> list[str]:
    slots = policies.slots_of(request.user)
    if not slots:
        raise PermissionDenied
    return slots


def _filter_options(key: str, slots: list[str]) -> dict:
    """review_queue_for's options for a tab; "the other role" is the slot this person does not hold."""
    if key == "other":
        others = [s for s in ("cio", "ciso") if s not in slots]
        return {"waiting_on": others[0]} if others else {"all_open": True}
    return dict(FILTERS[key][1])


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    slots = _ensure_decider(request)
    chosen = request.GET.get("filter", "me")
    if chosen not in FILTERS:
        chosen = "me"
    options = {key: _filter_options(key, slots) for key in FILTERS}
    use_cases = selectors.review_queue_for(request.user, **options[chosen])
    # Most urgent first: overdue, then by band (critical first), then the longest waiting.
    page = selectors.most_urgent_page(use_cases, cursor=request.GET.get("after"), size=PAGE_SIZE)
    rows = [
        {"row": row, "tier": tier_label(row.use_case.tier), "band": band_label(row.use_case.band)}
        for row in selectors.queue_rows(request.user, page.items)
    ]
    context = {
        "rows": rows,
        # One bounded COUNT per tab, so each says how many it holds before it is opened.
        "filters": [
            (key, label, count)
            for (key, (label, _)), count in zip(
                FILTERS.items(), selectors.queue_counts(request.user, options).values(), strict=True
            )
        ],
        "chosen": chosen,
        "next_cursor": page.next_cursor,
        "is_first_page": not request.GET.get("after"),
        "target": TARGET_WORKING_DAYS,
    }
    template = "approvals/_queue_table.html" if request.htmx else "approvals/queue.html"
    return render(request, template, context)


def _slots(decisions: list) -> list[dict[str, Any]]:
    """Both slots of the open round: who decided what, with their conditions and exception expiry, or nothing yet."""
    current = {d.slot: d for d in decisions if d.cycle.closed_at is None}
    slots = []
    for slot, label in Slot.choices:
        decision = current.get(slot)
        conditions = [
            {**c, "due_on": date.fromisoformat(c["due_on"]) if c.get("due_on") else None}
            for c in (decision.proposed_conditions if decision else [])
        ]
        slots.append({"label": label, "decision": decision, "conditions": conditions})
    return slots


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, ref: str) -> HttpResponse:
    use_case = use_case_for(request.user, ref)
    slots = _ensure_decider(request)
    today = timezone.localdate()
    decisions = list(selectors.decisions_for(use_case))
    terms = selectors.decision_terms(use_case, decisions, today=today)
    form = DecisionForm(
        request.POST or None,
        slot_choices=slots,
        options=decision_options(terms.verdict, terms.in_re_review),
        required_controls=terms.required_controls,
        latest_exception=terms.latest_exception,
        today=today,
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_record(
                actor=request.user,
                use_case=use_case,
                decision=form.cleaned_data["decision"],
                rationale=form.cleaned_data["rationale"],
                conditions=form.conditions(),
                exception_expires_on=form.cleaned_data["exception_expires_on"],
                slot=form.cleaned_data.get("slot"),
                review_round=form.cleaned_data["review_round"],
                seen_hash=form.cleaned_data["content_hash"],
            )
        except DomainError as exc:
            if isinstance(exc, InvalidTransition):
                # The use case moved on while the page was open: show it as it is now, keep what was typed.
                use_case = use_case_for(request.user, ref)
                decisions = list(selectors.decisions_for(use_case))
                terms = selectors.decision_terms(use_case, decisions, today=today)
                options = decision_options(terms.verdict, terms.in_re_review)
                form.options = {d: (allowed, reason) for d, allowed, reason in options}
                form.latest_exception = terms.latest_exception
            if STALE & set(exc.errors):
                form.add_error(None, f"{exc} What you typed is kept below.")
            else:
                form.add_refusal(exc.errors)
                if not exc.errors:
                    form.add_error(None, str(exc))
            status = http_status(exc)
        else:
            messages.success(request, f"Your decision on {use_case.reference} is recorded.")
            return redirect("approvals:queue")
    elif request.method == "POST":
        status = 400
    revision = terms.revision
    previous, changes = selectors.revision_changes(use_case)
    return render(
        request,
        "approvals/review.html",
        {
            "use_case": use_case,
            "revision": revision,
            "assessment": explain_assessment(revision.assessment),
            "boundary": terms.boundary,
            "form": form,
            "errors": form.error_summary() if form.is_bound and (form.errors or form.group_errors) else [],
            "previous_revision": previous,
            "changes": changes,
            "slots": _slots(decisions),
            "earlier": [d for d in decisions if d.cycle.closed_at is not None],
        },
        status=status,
    )


@login_required
@require_POST
def condition_met(request: HttpRequest, pk: int) -> HttpResponse:
    condition = selectors.condition_for(request.user, pk)
    try:
        services.condition_mark_met(
            actor=request.user, condition=condition, note=request.POST.get("note", "")
        )
    except DomainError as exc:
        messages.error(request, refusal_line(exc))
    else:
        messages.success(request, "Condition marked as met. The CIO and the CISO can see when and by whom.")
    return redirect("intake:detail", ref=condition.use_case.reference)
