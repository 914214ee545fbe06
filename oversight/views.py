"""Pages of live oversight: report an incident, see one and its deadlines, record a duty as done, suspend a use case
(its kill switch) and lift the suspension. Thin: the services decide, the policies say who may."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.errors import DomainError, http_status
from config.refusals import add_refusal_to_form, refusal_line
from intake.selectors import use_case_for
from oversight import policies, selectors, services
from oversight.downloads import evidence_file_response
from oversight.forms import IncidentForm
from oversight.models import IncidentDeadline


@login_required
@require_http_methods(["GET", "POST"])
def incident_new(request: HttpRequest, ref: str) -> HttpResponse:
    use_case = use_case_for(request.user, ref)
    refusal = policies.incident_report_refusal(request.user, use_case)
    status = 200
    form = IncidentForm(
        request.POST or None, initial={"occurred_at": timezone.localtime().replace(second=0, microsecond=0)}
    )
    if request.method == "POST" and refusal is None and form.is_valid():
        data = form.cleaned_data
        try:
            incident = services.incident_report(
                actor=request.user,
                use_case=use_case,
                title=data["title"],
                what_happened=data["what_happened"],
                who_was_affected=data["who_was_affected"],
                harm=data["harm"],
                occurred_at=data["occurred_at"],
                aware_at=data["aware_at"],
                serious=data["serious"],
                serious_kind=data["serious_kind"],
                actions_taken=data["actions_taken"],
            )
        except DomainError as exc:
            add_refusal_to_form(form, exc)
            status = http_status(exc)
        else:
            messages.success(
                request,
                f"Incident {incident.reference} reported. The CIO, the CISO and the owner have been told.",
            )
            return redirect("oversight:incident", pk=incident.pk)
    elif request.method == "POST":
        status = 400 if refusal is None else http_status(refusal.error(refusal.reason))
    return render(
        request,
        "oversight/incident_form.html",
        {"use_case": use_case, "form": form, "refusal": refusal},
        status=status,
    )


@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = selectors.incident_for(request.user, pk)
    use_case = incident.use_case
    suspension = selectors.suspension_in_force(use_case)
    return render(
        request,
        "oversight/incident_detail.html",
        {
            "incident": incident,
            "use_case": use_case,
            "deadlines": list(incident.deadlines.all()),
            "now": timezone.now(),
            "suspension": suspension,
            "can_record": policies.can_record_deadline_met(request.user, use_case),
            "can_suspend": policies.suspend_refusal(request.user, use_case, suspended=suspension is not None)
            is None,
        },
    )


@login_required
@require_POST
def deadline_met(request: HttpRequest, pk: int) -> HttpResponse:
    deadline = get_object_or_404(IncidentDeadline.objects.select_related("incident"), pk=pk)
    incident = selectors.incident_for(
        request.user, deadline.incident_id
    )  # 404 unless its use case is visible
    try:
        services.incident_deadline_met(
            actor=request.user, deadline=deadline, note=request.POST.get("note", "")
        )
    except DomainError as exc:
        messages.error(request, refusal_line(exc))
    else:
        messages.success(request, "Recorded as done.")
    return redirect("oversight:incident", pk=incident.pk)


def _back(request: HttpRequest, ref: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target == "home":
        return redirect("home")
    return redirect("intake:detail", ref=ref)


@login_required
@require_POST
def suspend(request: HttpRequest, ref: str) -> HttpResponse:
    use_case = use_case_for(request.user, ref)
    incident = None
    if request.POST.get("incident", "").isdigit():
        incident = selectors.incident_for(request.user, int(request.POST["incident"]))
    try:
        services.use_case_suspend(
            actor=request.user, use_case=use_case, reason=request.POST.get("reason", ""), incident=incident
        )
    except DomainError as exc:
        messages.error(request, refusal_line(exc))
    else:
        messages.success(
            request, f"{use_case.reference} is suspended. Its owner and the other executive are told."
        )
    return _back(request, ref)


@login_required
@require_POST
def lift(request: HttpRequest, ref: str) -> HttpResponse:
    use_case = use_case_for(request.user, ref)
    try:
        services.suspension_lift(actor=request.user, use_case=use_case, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, refusal_line(exc))
    else:
        messages.success(request, f"The suspension of {use_case.reference} is lifted.")
    return _back(request, ref)


@login_required
@require_http_methods(["GET", "POST"])
def evidence(request: HttpRequest, ref: str) -> HttpResponse:
    """A use case's evidence: what is kept for each condition and obligation, and a form to add more."""
    from approvals.selectors import conditions_for
    from intake.selectors import obligation_checklist

    use_case = use_case_for(request.user, ref)
    status, errors, problem, kept = 200, {}, "", {"note": "", "target": ""}
    if request.method == "POST":
        target = request.POST.get("target", "")
        kept = {"note": request.POST.get("note", ""), "target": target}
        kind, _, value = target.partition(":")
        try:
            services.evidence_add(
                actor=request.user,
                use_case=use_case,
                condition_id=int(value) if kind == "condition" and value.isdigit() else None,
                obligation=value if kind == "obligation" else "",
                note=kept["note"],
                upload=request.FILES.get("file"),
            )
        except DomainError as exc:
            status, errors, problem = http_status(exc), exc.errors, str(exc)
        else:
            messages.success(request, "Evidence added. The CIO and the CISO can see it.")
            return redirect("oversight:evidence", ref=use_case.reference)
    items = selectors.evidence_of(use_case)
    conditions = list(conditions_for(use_case))
    for condition in conditions:
        condition.target_value = f"condition:{condition.pk}"
    obligations = [item for group in obligation_checklist(use_case) for item in group["items"]]
    for obligation in obligations:
        obligation["target_value"] = f"obligation:{obligation['id']}"
    by_condition: dict[int, list] = {}
    by_obligation: dict[str, list] = {}
    for item in items:
        if item.condition_id:
            by_condition.setdefault(item.condition_id, []).append(item)
        else:
            by_obligation.setdefault(item.obligation, []).append(item)
    from oversight.filetypes import ACCEPTED_WORDS

    return render(
        request,
        "oversight/evidence.html",
        {
            "use_case": use_case,
            "conditions": [(c, by_condition.get(c.pk, [])) for c in conditions],
            "obligations": [(o, by_obligation.get(o["id"], [])) for o in obligations],
            "can_add": policies.can_add_evidence(request.user, use_case),
            "errors": errors,
            "problem": problem,
            "kept": kept,
            "accepted": ACCEPTED_WORDS,
            "max_mib": settings.EVIDENCE_MAX_BYTES // 1048576,
        },
        status=status,
    )


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    return evidence_file_response(request.user, selectors.evidence_for(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def attest(request: HttpRequest, ref: str) -> HttpResponse:
    """The owner's quarterly attestation that the use case runs as approved."""
    from config.quarters import Quarter

    use_case = use_case_for(request.user, ref)
    refusal = policies.attestation_refusal(request.user, use_case)
    quarter = Quarter.containing(timezone.localdate())
    done = use_case.attestations.filter(quarter=str(quarter)).select_related("attested_by").first()
    status, problem, errors = 200, "", {}
    kept = {"same_model": False, "same_data": False, "controls_operating": False, "note": ""}
    if request.method == "POST":
        kept = {
            "same_model": request.POST.get("same_model") == "on",
            "same_data": request.POST.get("same_data") == "on",
            "controls_operating": request.POST.get("controls_operating") == "on",
            "note": request.POST.get("note", ""),
        }
        try:
            services.use_case_attest(actor=request.user, use_case=use_case, **kept)
        except DomainError as exc:
            status, problem, errors = http_status(exc), str(exc), exc.errors
        else:
            messages.success(request, f"{use_case.reference} is attested for {quarter}.")
            return redirect("intake:detail", ref=use_case.reference)
    return render(
        request,
        "oversight/attest.html",
        {
            "use_case": use_case,
            "quarter": quarter,
            "done": done,
            "refusal": refusal,
            "problem": problem,
            "errors": errors,
            "kept": kept,
        },
        status=status,
    )
