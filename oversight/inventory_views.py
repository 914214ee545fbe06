"""Pages of the AI inventory: the providers, one provider with its terms, models and use cases, and the terms form
with its what-if (which live use cases would now exceed the risk boundary) before it is saved."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from config.errors import DomainError, http_status
from config.refusals import refusal_line
from intake.presenters import tier_label
from oversight import inventory, policies
from oversight.models import PROVIDER_TERMS, AiProvider


@login_required
@require_http_methods(["GET", "POST"])
def provider_list(request: HttpRequest) -> HttpResponse:
    status, problem, errors = 200, "", {}
    if request.method == "POST":
        try:
            provider = inventory.provider_list(
                actor=request.user,
                name=request.POST.get("name", ""),
                hosting_regions=request.POST.getlist("hosting_regions"),
                note=request.POST.get("note", ""),
            )
        except DomainError as exc:
            status, problem, errors = http_status(exc), str(exc), exc.errors
        else:
            messages.success(request, f"{provider.name} is in the inventory. Record its terms next.")
            return redirect("oversight:provider", pk=provider.pk)
    providers = list(inventory.providers())
    for provider in providers:
        recorded = list(provider.terms.all())
        held = [t.get_term_display() for t in recorded if t.holds]
        provider.commits = "; ".join(held) if held else ("none" if recorded else "not recorded yet")
    return render(
        request,
        "oversight/inventory.html",
        {
            "providers": providers,
            "can_manage": policies.can_manage_inventory(request.user),
            "problem": problem,
            "errors": errors,
            "kept": request.POST,
            "regions": inventory.REGIONS,
        },
        status=status,
    )


def _preview_digest(terms: dict) -> str:
    """What the person saw the what-if of: saving is confirmed only for those same terms."""
    import hashlib
    import json

    canonical = {t: [v["holds"], str(v["checked_on"]), v["document"]] for t, v in sorted(terms.items())}
    return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


def _terms_from(post) -> dict:
    terms = {}
    for term, _ in PROVIDER_TERMS:
        checked_on = post.get(f"{term}-checked_on", "")
        try:
            checked = date.fromisoformat(checked_on) if checked_on else None
        except ValueError:
            checked = checked_on  # the service names the field
        if post.get(f"{term}-holds") in ("yes", "no"):
            terms[term] = {
                "holds": post.get(f"{term}-holds") == "yes",
                "checked_on": checked,
                "document": post.get(f"{term}-document", ""),
            }
    return terms


@login_required
@require_http_methods(["GET", "POST"])
def provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    provider = get_object_or_404(AiProvider.objects.prefetch_related("terms", "models"), pk=pk)
    status, problem, errors, impact, preview_digest = 200, "", {}, None, ""
    if request.method == "POST":
        if not policies.can_manage_inventory(request.user):
            status, problem = 403, "Only the CIO and the CISO keep the inventory."
        else:
            terms = _terms_from(request.POST)
            previewed = request.POST.get("confirm") == "yes" and request.POST.get(
                "previewed"
            ) == _preview_digest(terms)
            try:
                impact, saved = inventory.provider_terms_set(
                    actor=request.user, provider=provider, terms=terms, confirm=previewed
                )
            except DomainError as exc:
                status, problem, errors = http_status(exc), str(exc), exc.errors
            else:
                if saved:
                    refs = ", ".join(u.reference for u, _ in impact)
                    sent = f" Sent to re-review: {refs}." if impact else ""
                    messages.success(request, f"{provider.name}'s terms are recorded.{sent}")
                    return redirect("oversight:provider", pk=provider.pk)
                preview_digest = _preview_digest(terms)
    terms = {t.term: t for t in provider.terms.all()}
    posted = request.POST if request.method == "POST" else {}
    rows = []
    for term, label in PROVIDER_TERMS:
        row = terms.get(term)
        rows.append(
            {
                "term": term,
                "label": label,
                "row": row,
                "holds": posted.get(f"{term}-holds") or ("" if row is None else "yes" if row.holds else "no"),
                "checked_on": posted.get(f"{term}-checked_on")
                or (row.checked_on.isoformat() if row else timezone.localdate().isoformat()),
                "document": posted.get(f"{term}-document") or (row.document if row else ""),
                "errors": errors.get(term, []),
            }
        )
    use_cases = [
        {"use_case": u, "tier": tier_label(u.tier)}
        for u in inventory.live_use_cases_of(provider, request.user)
    ]
    return render(
        request,
        "oversight/provider.html",
        {
            "provider": provider,
            "rows": rows,
            "models": [
                {"model": m, "use_cases": list(inventory.live_use_cases_of_model(m, request.user))}
                for m in provider.models.all()
            ],
            "use_cases": use_cases,
            "impact": impact,
            "preview_digest": preview_digest,
            "can_manage": policies.can_manage_inventory(request.user),
            "problem": problem,
            "errors": errors,
            "regions": inventory.REGIONS,
        },
        status=status,
    )


@login_required
@require_POST
def model_add(request: HttpRequest, pk: int) -> HttpResponse:
    provider = get_object_or_404(AiProvider, pk=pk)
    try:
        model = inventory.model_list(
            actor=request.user,
            provider=provider,
            name=request.POST.get("name", ""),
            version=request.POST.get("version", ""),
            hosting_region=request.POST.get("hosting_region", ""),
        )
    except DomainError as exc:
        messages.error(request, refusal_line(exc))
    else:
        messages.success(request, f"{model} is listed.")
    return redirect("oversight:provider", pk=provider.pk)
