"""The intake in the browser: my requests, the form with its live assessment preview, submit, withdraw, the use case.

Views stay thin: reads come from selectors, writes go through the services, and who may act is asked of policies.
A refused write re-renders the page with what the person typed, every error next to its field.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import APPROVER_ROLES, Role, roles_of
from audit.events import event_type
from config.dates import human_date
from config.errors import DomainError, http_status
from config.pages import page_before
from intake import deadlines, hooks, policies, selectors, services
from intake.answers import (
    QUESTIONS,
    QUESTIONS_BY_NAME,
    SECTIONS,
    applicable_answers,
    applies,
    missing_for_verdict,
)
from intake.assessment import RULESET_VERSION, assess, duties
from intake.forms import UseCaseForm
from intake.listfilters import parse_filters
from intake.models import UseCase
from intake.presenters import DESCRIPTIVE_LABELS, answer_text, band_label, describe_ruleset_change
from intake.presenters import explain_assessment as _explain
from intake.presenters import tier_label as _tier
from intake.vocabulary import Verdict
from intake.workflow import WAITING_FOR_DECISION, Status

PAGE_SIZE = 25
PREVIEW_CONTROLS = 5

INTAKE_ROLES = frozenset({Role.REQUESTER, *APPROVER_ROLES})


def _missing(use_case_answers: dict[str, Any], title: str) -> list[dict[str, str]]:
    items = []
    for name, errors in policies.submission_gaps(title, use_case_answers).items():
        label = DESCRIPTIVE_LABELS.get(name) or getattr(QUESTIONS_BY_NAME.get(name), "label", name)
        items.append({"name": name, "label": label, "message": errors[0]})
    return items


def _answers_by_section(answers: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "title": title,
            "answers": [
                {"name": q.name, "label": q.label, "text": answer_text(q, answers.get(q.name))}
                for q in QUESTIONS
                if q.section == key and applies(q, answers)  # not "not answered" when it was never asked
            ],
        }
        for key, title, _ in SECTIONS
    ]


def _next_step(use_case: UseCase) -> str:
    """What happens next while the request waits for the joint decision, and by when (the queue's target)."""
    since = use_case.awaiting_decision_since
    if use_case.status not in WAITING_FOR_DECISION or since is None:
        return ""
    due = deadlines.decision_due(since)
    by = f"by {human_date(due)}" if timezone.now() < due else f"was due {human_date(due)}"
    return f"the CIO and the CISO decide, target {deadlines.TARGET_WORKING_DAYS} working days ({by})"


def _timeline_entry(event: Any) -> dict[str, Any]:
    """One audit event in plain words, as its app registered them (intake/events.py for the use case's own)."""
    kind, payload = event_type(event.action), event.payload
    text, detail = kind.text(payload), kind.detail(payload)
    # A sentence that already tells the detail (a decision, say) is not followed by it again.
    return {"event": event, "text": text, "detail": "" if detail in text else detail, "minor": kind.minor}


def _form_page(
    request: HttpRequest, form: UseCaseForm, *, use_case: UseCase | None, status: int = 200, problem: str = ""
) -> HttpResponse:
    if form.is_bound:
        form.mark_invalid_fields()
        preview_answers = form.answers_for_preview()
        title = form.cleaned_data.get("title", "") if hasattr(form, "cleaned_data") else ""
    else:
        preview_answers = use_case.answers if use_case else {}
        title = use_case.title if use_case else ""
    offered = hooks.suggestions()
    for name in offered:
        if name in form.fields:
            form.fields[name].widget.attrs["list"] = f"{name}-suggestions"
    return render(
        request,
        "intake/use_case_form.html",
        {
            "form": form,
            "use_case": use_case,
            "errors": form.error_summary() if form.is_bound else [],
            "problem": problem,
            "preview": _preview_context(preview_answers, title),
            "suggestions": [(f"{name}-suggestions", values) for name, values in offered.items()],
        },
        status=status,
    )


def _preview_context(answers: dict[str, Any], title: str) -> dict[str, Any]:
    answers = applicable_answers(answers)
    raw = assess(answers).to_dict()
    assessment = _explain(raw)
    controls = assessment.get("controls") or []
    boundary = hooks.check_against_active_boundary(answers, raw)
    verdict_missing = [QUESTIONS_BY_NAME[name].label for name in missing_for_verdict(answers)]
    return {
        "assessment": assessment,
        "boundary": boundary,
        "controls": controls[:PREVIEW_CONTROLS],
        "more_controls": max(len(controls) - PREVIEW_CONTROLS, 0),
        "missing": len(_missing(answers, title)),
        "verdict_missing": verdict_missing,
        # A limit already crossed stays crossed whatever is answered next: say so now rather than "not enough
        # answers"; only "within the boundary" waits for the answers that could still change it.
        "breach_known": bool(verdict_missing and boundary and Verdict(boundary.check.verdict).breaches),
    }


def _save_draft(
    request: HttpRequest, form: UseCaseForm, use_case: UseCase | None, write, said: str
) -> HttpResponse:
    """Save the draft through ``write()``: refused, the form again with the reason; saved, ``said`` and on.

    ``said`` is formatted with the saved use case's ``reference``."""
    try:
        saved = write()
    except DomainError as exc:
        form.add_domain_errors(exc.errors)
        return _form_page(request, form, use_case=use_case, status=http_status(exc), problem=str(exc))
    messages.success(request, said.format(reference=saved.reference))
    if request.POST.get("next") == "review":
        return redirect("intake:submit", ref=saved.reference)
    return redirect("intake:edit", ref=saved.reference)


def _refuse_closed(request: HttpRequest, use_case: UseCase, doing: str) -> HttpResponse:
    """The submitter asks for something the state no longer allows: say so on the use-case page."""
    if not policies.is_submitter(request.user, use_case):
        raise PermissionDenied
    messages.info(
        request,
        f"{use_case.reference} is {use_case.get_status_display().lower()}, so you cannot {doing} it now.",
    )
    return redirect("intake:detail", ref=use_case.reference)


@login_required
@require_GET
def use_case_list(request: HttpRequest) -> HttpResponse:
    held = roles_of(request.user)
    if not held & INTAKE_ROLES:
        raise PermissionDenied
    sees_all = bool(held & APPROVER_ROLES)
    filters = parse_filters(request.GET)
    use_cases = selectors.use_cases_filtered(
        selectors.use_cases_visible_to(request.user) if sees_all else selectors.my_requests(request.user),
        filters,
        now=timezone.now(),
    ).order_by("-id")
    page = page_before(use_cases, request.GET.get("before", ""), size=PAGE_SIZE)
    rows = [{"use_case": uc, "tier": _tier(uc.tier), "band": band_label(uc.band)} for uc in page.items]
    return render(
        request,
        "intake/use_case_list.html",
        {
            "rows": rows,
            "sees_all": sees_all,
            "can_create": Role.REQUESTER in held,
            "older_before": page.older_before,
            "is_first_page": page.is_first,
            "filters": filters,
            "filter_query": filters.query(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def use_case_new(request: HttpRequest) -> HttpResponse:
    if not policies.can_create(request.user):
        raise PermissionDenied
    teams = list(request.user.teams.order_by("name"))
    if not teams:
        messages.warning(request, "You are not in a team yet. Ask an administrator to add you to one.")
        return redirect("intake:list")
    if request.method == "GET":
        return _form_page(request, UseCaseForm(teams=teams), use_case=None)

    form = UseCaseForm(request.POST, teams=teams)
    if not form.is_valid():
        return _form_page(request, form, use_case=None, status=400)
    changes = form.changes()
    team = form.cleaned_data.get("team") or teams[0]
    return _save_draft(
        request,
        form,
        None,
        lambda: services.use_case_create(
            actor=request.user,
            team=team,
            title=changes.pop("title"),
            summary=changes.pop("summary"),
            business_owner=changes.pop("business_owner"),
            business_value=changes.pop("business_value"),
            go_live_target=changes.pop("go_live_target"),
            answers={name: value for name, value in changes.items() if value is not None},
        ),
        "Draft {reference} saved. You can come back to it at any time.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def use_case_edit(request: HttpRequest, ref: str) -> HttpResponse:
    use_case = selectors.use_case_for(request.user, ref)
    if request.method == "GET":
        if not policies.can_edit(request.user, use_case):
            return _refuse_closed(request, use_case, "edit")
        return _form_page(request, UseCaseForm(initial=UseCaseForm.initial_for(use_case)), use_case=use_case)

    form = UseCaseForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, use_case=use_case, status=400)
    return _save_draft(
        request,
        form,
        use_case,
        lambda: services.use_case_update(actor=request.user, use_case=use_case, changes=form.changes()),
        "Draft {reference} saved.",
    )


@login_required
@require_POST
def use_case_preview(request: HttpRequest) -> HttpResponse:
    """The assessment of what is on the form right now. Reads nothing and writes nothing: it is pure computation."""
    form = UseCaseForm(request.POST)
    form.is_valid()
    title = (request.POST.get("title") or "").strip()
    # Rendered without the request context: the fragment needs no navigation, so not even the roles are read.
    return HttpResponse(
        render_to_string(
            "intake/_preview.html", {"preview": _preview_context(form.answers_for_preview(), title)}
        )
    )


@login_required
@require_http_methods(["GET", "POST"])
def use_case_submit(request: HttpRequest, ref: str) -> HttpResponse:
    use_case = selectors.use_case_for(request.user, ref)
    if policies.can_submit(request.user, use_case):
        duplicates = selectors.possible_duplicates(use_case, user=request.user)
    elif request.method == "GET" or not policies.is_submitter(request.user, use_case):
        return _refuse_closed(request, use_case, "submit")  # 403 for anyone but the submitter
    else:
        duplicates = []  # the submitter re-posting a closed request: the service answers 409
    status = 200
    confirm_error = ""
    if request.method == "POST":
        if duplicates and not request.POST.get("not_duplicate"):
            confirm_error = "Confirm that this is not one of the requests above, or withdraw it instead."
            status = 400
        else:
            try:
                use_case = services.use_case_submit(actor=request.user, use_case=use_case)
            except DomainError as exc:
                messages.error(request, str(exc))
                status = http_status(exc)
            else:
                if use_case.status == Status.REJECTED:
                    messages.error(
                        request, f"{use_case.reference} was not sent for a decision. {use_case.status_reason}"
                    )
                else:
                    messages.success(
                        request,
                        f"{use_case.reference} is submitted as revision {use_case.revision_count}. "
                        f"Next: {_next_step(use_case)}.",
                    )
                return redirect("intake:detail", ref=use_case.reference)
    assessment, _source = selectors.use_case_assessment(use_case)
    return render(
        request,
        "intake/use_case_submit.html",
        {
            "use_case": use_case,
            "boundary": selectors.use_case_boundary_check(use_case, assessment),
            "missing": _missing(use_case.answers, use_case.title),
            "assessment": _explain(assessment),
            "duplicates": duplicates,
            "confirm_error": confirm_error,
            "edit_url": reverse("intake:edit", kwargs={"ref": use_case.reference}),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def use_case_withdraw(request: HttpRequest, ref: str) -> HttpResponse:
    use_case = selectors.use_case_for(request.user, ref)
    if request.method == "GET":
        if not policies.can_withdraw(request.user, use_case):
            return _refuse_closed(request, use_case, "withdraw")
        return render(request, "intake/use_case_withdraw.html", {"use_case": use_case})
    reason = request.POST.get("reason", "")
    try:
        use_case = services.use_case_withdraw(actor=request.user, use_case=use_case, reason=reason)
    except DomainError as exc:
        messages.error(request, str(exc))
        return render(
            request,
            "intake/use_case_withdraw.html",
            {"use_case": use_case, "reason": reason},
            status=http_status(exc),
        )
    messages.success(request, f"{use_case.reference} is withdrawn. It stays on record.")
    return redirect("intake:detail", ref=use_case.reference)


@login_required
@require_GET
def use_case_detail(request: HttpRequest, ref: str) -> HttpResponse:
    return _detail(request, selectors.use_case_for(request.user, ref))


def _detail(
    request: HttpRequest, use_case: Any, *, obligation_error: dict | None = None, status: int = 200
) -> HttpResponse:
    assessment, source = selectors.use_case_assessment(use_case)
    revisions = list(selectors.use_case_revisions(use_case))
    timeline = [_timeline_entry(event) for event in selectors.use_case_timeline(use_case)]
    is_submitter = policies.is_submitter(request.user, use_case)
    if source == "preview":
        source_label = "Preview of your draft" if is_submitter else "Preview of the current draft"
    else:
        source_label = f"Frozen at {source}"
    return render(
        request,
        "intake/use_case_detail.html",
        {
            "use_case": use_case,
            "list_label": "Use cases" if roles_of(request.user) & APPROVER_ROLES else "My requests",
            "assessment": _explain(assessment),
            "boundary": selectors.use_case_boundary_check(use_case, assessment),
            "panels": hooks.detail_panels(request, use_case),
            "notices": hooks.notices(request, use_case),
            "next_step": _next_step(use_case),
            "change_requests": hooks.change_requests(use_case),
            "is_preview": source == "preview",
            "source_label": source_label,
            "revisions": revisions,
            # Access grants are bookkeeping: the timeline tells what happened, the grants wait behind a toggle.
            "timeline": [entry for entry in timeline if not entry["minor"]],
            "access_changes": [entry for entry in timeline if entry["minor"]],
            "answer_sections": _answers_by_section(use_case.answers),
            "can_edit": policies.can_edit(request.user, use_case),
            "can_submit": policies.can_submit(request.user, use_case),
            "can_withdraw": policies.can_withdraw(request.user, use_case),
            "missing": _missing(use_case.answers, use_case.title)
            if policies.can_submit(request.user, use_case)
            else [],
            "obligations": selectors.obligation_checklist(use_case, assessment),
            "obligation_states": duties.STATES,
            "can_update_obligations": policies.can_update_obligations(request.user, use_case),
            "obligation_error": obligation_error,
            **_ruleset_pending(use_case),
        },
        status=status,
    )


def _ruleset_pending(use_case: Any) -> dict[str, Any]:
    """A newer ruleset waiting for the executives: the page says so, and what it would change here."""
    upgrade = selectors.pending_ruleset_upgrade()
    if upgrade is None or use_case.revision_count == 0:
        return {"ruleset_pending": None}
    change = selectors.ruleset_change_for(use_case, upgrade)
    return {
        "ruleset_pending": upgrade,
        "ruleset_change": describe_ruleset_change(change.change) if change else None,
    }


@login_required
@require_POST
def obligation_state(request: HttpRequest, ref: str, obligation: str) -> HttpResponse:
    """Set where one EU AI Act obligation stands; on a refusal the page comes back with what was typed."""
    use_case = selectors.use_case_for(request.user, ref)
    state, reason = request.POST.get("state", ""), request.POST.get("reason", "")
    try:
        services.obligation_set_state(
            actor=request.user, use_case=use_case, obligation=obligation, state=state, reason=reason
        )
    except DomainError as exc:
        error = {
            "id": obligation,
            "message": str(exc),
            "errors": exc.errors,
            "state": state,
            "reason": reason,
        }
        return _detail(request, use_case, obligation_error=error, status=http_status(exc))
    messages.success(request, f"Obligation marked {duties.STATE_LABELS[state].lower()}.")
    return redirect(f"{reverse('intake:detail', args=[use_case.reference])}#obligation-{obligation}")


def _ensure_executive(user: Any) -> None:
    if not policies.can_see_ruleset_upgrades(user):
        raise PermissionDenied("Only the CIO and the CISO see ruleset upgrades.")


@login_required
@require_GET
def ruleset(request: HttpRequest) -> HttpResponse:
    """The newer ruleset and what it changes in the portfolio, like a boundary's what-if; each executive's
    acknowledgement. For the CIO and the CISO."""
    _ensure_executive(request.user)
    upgrade = selectors.pending_ruleset_upgrade() or selectors.latest_ruleset_upgrade()
    context: dict[str, Any] = {"upgrade": upgrade, "ruleset_version": RULESET_VERSION}
    if upgrade is not None:
        acknowledged = {ack.role: ack for ack in upgrade.acknowledgements.select_related("person")}
        by_whom = {role: ack.person_id for role, ack in acknowledged.items()}
        context |= {
            "changes": [
                {"change": change, **describe_ruleset_change(change.change)}
                for change in selectors.ruleset_changes(upgrade)
            ],
            "shown_limit": selectors.RULESET_CHANGES_SHOWN,
            "acknowledgements": [
                {"role": Role(role).label, "ack": acknowledged.get(role)} for role in (Role.CIO, Role.CISO)
            ],
            "can_acknowledge": [
                {"value": role, "label": Role(role).label}
                for role in (Role.CIO, Role.CISO)
                if policies.ruleset_acknowledgement_refusal(request.user, upgrade.state, role, by_whom)
                is None
            ],
        }
    return render(request, "intake/ruleset.html", context)


@login_required
@require_POST
def ruleset_acknowledge(request: HttpRequest) -> HttpResponse:
    _ensure_executive(request.user)
    upgrade = selectors.pending_ruleset_upgrade()
    if upgrade is None:
        messages.error(request, "No newer ruleset is waiting for acknowledgement.")
        return redirect("intake:ruleset")
    try:
        upgrade = services.ruleset_acknowledge(
            actor=request.user, upgrade=upgrade, role=request.POST.get("role", "")
        )
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("intake:ruleset")
    if upgrade.state == upgrade.State.APPLYING:
        messages.success(
            request,
            f"Ruleset {upgrade.version} is acknowledged by both: the approved use cases whose risk rose are being "
            "sent to re-review.",
        )
    else:
        messages.success(
            request, f"Acknowledged. Ruleset {upgrade.version} now waits for the other executive."
        )
    return redirect("intake:ruleset")
