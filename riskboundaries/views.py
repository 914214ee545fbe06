"""Risk boundaries in the browser: the active boundary in plain language, history and comparison, the editor, the draft
page with its what-if impact, and the signing step.

Views stay thin: reads come from selectors, writes go through the services, and who may act is asked of policies.
A refused write re-renders the page with what the person typed and the reason; nothing is changed.
"""

from collections.abc import Mapping
from typing import Any

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import stepup
from config.errors import DomainError, http_status
from config.params import positive_int
from intake.workflow import Status
from riskboundaries import policies, presenters, selectors, services
from riskboundaries.forms import BoundaryForm, SignForm
from riskboundaries.limits import (
    Limits,
    LimitsInvalid,
    clean_limits,
    limits_to_content,
)
from riskboundaries.models import RiskBoundary
from riskboundaries.workflow import EDITABLE_STATES, BoundaryState

PREVIEW_ROWS = 8
# A version's page lists this many use cases of each group of its what-if (the counts are always whole).
IMPACT_PAGE_ROWS = 200


# --- shared pieces -----------------------------------------------------------------------------------------------


def _ensure_manager(request: HttpRequest) -> None:
    if not policies.can_manage(request.user):
        raise PermissionDenied


def _signing_state(user: Any, boundary: RiskBoundary, active: RiskBoundary | None) -> dict[str, Any]:
    """Which roles this person could still sign in, or why they cannot sign."""
    valid = selectors.valid_signatures(boundary)
    signed_roles = {s.role for s in valid}
    open_roles = [role for role in policies.signing_roles_of(user) if role not in signed_roles]
    refusal = policies.signing_refusal(
        user, boundary, valid=valid, active_version=active.version if active else None
    )
    reason = refusal.reason if refusal else ""
    return {
        "roles": [] if reason else open_roles,
        "reason": reason,
        "missing": [presenters.ROLE_LABELS[r] for r in policies.SIGNING_ROLES if r not in signed_roles],
    }


# --- pages -------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def boundary_active(request: HttpRequest) -> HttpResponse:
    boundary = selectors.active_boundary()
    manages = policies.can_manage(request.user)
    in_progress = (
        list(selectors.boundaries_for(request.user).filter(state__in=EDITABLE_STATES)) if manages else []
    )
    return render(
        request,
        "riskboundaries/active.html",
        {
            "boundary": boundary,
            "limits": presenters.describe_limits(boundary.content) if boundary else None,
            "signatures": presenters.signature_rows(boundary) if boundary else [],
            "can_manage": manages,
            "re_review": selectors.re_review_run_of(boundary) if manages else None,
            "in_progress": [
                {
                    "boundary": b,
                    "signed": [presenters.ROLE_LABELS[s.role] for s in selectors.valid_signatures(b)],
                }
                for b in in_progress
            ],
        },
    )


@login_required
@require_GET
def boundary_history(request: HttpRequest) -> HttpResponse:
    boundaries = list(selectors.boundaries_for(request.user))
    rows = [
        {
            "boundary": boundary,
            "signatures": presenters.signature_rows(boundary),
            "previous": boundaries[i + 1].version if i + 1 < len(boundaries) else None,
        }
        for i, boundary in enumerate(boundaries)
    ]
    return render(
        request,
        "riskboundaries/history.html",
        {
            "rows": rows,
            "versions": [b.version for b in boundaries],
            "can_manage": policies.can_manage(request.user),
        },
    )


@login_required
@require_GET
def boundary_compare(request: HttpRequest) -> HttpResponse:
    boundaries = {b.version: b for b in selectors.boundaries_for(request.user).prefetch_related(None)}
    raw_from, raw_to = request.GET.get("from", ""), request.GET.get("to", "")
    context: dict[str, Any] = {
        "versions": sorted(boundaries, reverse=True),
        "chosen_from": raw_from,
        "chosen_to": raw_to,
        "problem": "",
        "rows": None,
    }
    if not raw_from and not raw_to:
        return render(request, "riskboundaries/compare.html", context)
    version_from, version_to = positive_int(raw_from), positive_int(raw_to)
    if version_from is None or version_to is None:
        context["problem"] = "Choose two versions to compare."
        return render(request, "riskboundaries/compare.html", context, status=400)
    older, newer = boundaries.get(version_from), boundaries.get(version_to)
    if older is None or newer is None:
        raise Http404("No such risk boundary.")
    if older.version == newer.version:
        context["problem"] = "Choose two different versions to compare."
        return render(request, "riskboundaries/compare.html", context, status=400)
    context.update(
        older=older,
        newer=newer,
        rows=presenters.describe_diff(selectors.boundary_diff(older.content, newer.content)),
    )
    return render(request, "riskboundaries/compare.html", context)


@login_required
@require_GET
def boundary_detail(request: HttpRequest, version: int) -> HttpResponse:
    boundary = selectors.boundary_for(request.user, version)
    manages = policies.can_manage(request.user)
    is_open = boundary.state in EDITABLE_STATES
    active = None if boundary.state == BoundaryState.ACTIVE else selectors.active_boundary()
    diff = None
    if active is not None:
        older, newer = (active, boundary) if boundary.version > active.version else (boundary, active)
        diff = {
            "older": older,
            "newer": newer,
            "rows": presenters.describe_diff(selectors.boundary_diff(older.content, newer.content)),
        }
    return render(
        request,
        "riskboundaries/detail.html",
        {
            "boundary": boundary,
            "limits": presenters.describe_limits(boundary.content),
            "signatures": presenters.signature_rows(boundary),
            "is_open": is_open,
            "can_manage": manages,
            "impact": presenters.impact_groups(
                selectors.breaching_against_active(boundary.content, active, listed=IMPACT_PAGE_ROWS)
            )
            if is_open and manages
            else None,
            "active": active,
            "diff": diff,
            "signing": _signing_state(request.user, boundary, active) if manages else None,
            "re_review": selectors.re_review_run_of(boundary) if manages else None,
        },
    )


@login_required
def boundary_re_review(request: HttpRequest, version: int) -> HttpResponse:
    """The progress of the re-review pass alone: htmx polls it while the pass runs."""
    boundary = selectors.boundary_for(request.user, version)
    if not policies.can_manage(request.user):
        raise Http404("No such page.")
    return render(
        request,
        "riskboundaries/_re_review.html",
        {"boundary": boundary, "re_review": selectors.re_review_run_of(boundary)},
    )


def _is_valid(form: BoundaryForm) -> bool:
    """The form's own checks, and when they fail, the limits' rules on what could be read: every problem at once."""
    if form.is_valid():
        return True
    form.add_domain_errors(services.boundary_limits_errors(form.limits()))
    return False


def _impact_preview(form: BoundaryForm | None, content: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The editor's live what-if: the use cases the limits on the form would breach. Reads only."""
    if content is None and form is not None:
        if any(name != "change_note" for name in form.errors) or form.group_errors:
            return {"invalid": True}
        try:
            content = limits_to_content(clean_limits(form.limits()))
        except LimitsInvalid:
            return {"invalid": True}
    content = content or {}
    active = selectors.active_boundary()
    split = selectors.breaching_against_active(content, active, listed=PREVIEW_ROWS)
    return {
        "invalid": False,
        # The limits that differ from the active boundary come first, then who they newly affect.
        "active": active,
        "diff_rows": presenters.describe_diff(selectors.boundary_diff(active.content, content))
        if active
        else [],
        **presenters.impact_groups(split, limit=PREVIEW_ROWS),
    }


def _editor(
    request: HttpRequest,
    form: BoundaryForm,
    *,
    boundary: RiskBoundary | None,
    based_on: RiskBoundary | None = None,
    status: int = 200,
    problem: str = "",
) -> HttpResponse:
    if form.is_bound:
        form.mark_invalid_fields()
        preview = _impact_preview(form)
    else:
        preview = _impact_preview(None, content=form.initial_content)
    return render(
        request,
        "riskboundaries/form.html",
        {
            "form": form,
            "preview": preview,
            "boundary": boundary,
            "based_on": based_on,
            "errors": form.error_summary() if form.is_bound else [],
            "problem": problem,
            "signatures": selectors.valid_signatures(boundary) if boundary else [],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def boundary_new(request: HttpRequest) -> HttpResponse:
    _ensure_manager(request)
    if request.method == "GET":
        active = selectors.active_boundary()
        content = active.content if active else limits_to_content(Limits())
        return _editor(request, BoundaryForm(content=content), boundary=None, based_on=active)

    form = BoundaryForm(request.POST)
    if not _is_valid(form):
        return _editor(request, form, boundary=None, based_on=selectors.active_boundary(), status=400)
    try:
        boundary = services.boundary_create(
            actor=request.user, limits=form.limits(), change_note=form.cleaned_data["change_note"]
        )
    except DomainError as exc:
        form.add_domain_errors(exc.errors)
        return _editor(
            request,
            form,
            boundary=None,
            based_on=selectors.active_boundary(),
            status=http_status(exc),
            problem=str(exc),
        )
    messages.success(
        request, f"Draft v{boundary.version} saved. Check its impact below before anyone signs it."
    )
    return redirect("riskboundaries:detail", version=boundary.version)


def _refuse_closed(request: HttpRequest, boundary: RiskBoundary, why: str) -> HttpResponse:
    """A version no longer being drafted or signed was asked for a change: say what it is now, on its page."""
    messages.info(request, f"v{boundary.version} is {boundary.get_state_display().lower()}{why}")
    return redirect("riskboundaries:detail", version=boundary.version)


@login_required
@require_http_methods(["GET", "POST"])
def boundary_edit(request: HttpRequest, version: int) -> HttpResponse:
    _ensure_manager(request)
    boundary = selectors.boundary_for(request.user, version)
    if request.method == "GET":
        if boundary.state not in EDITABLE_STATES:
            return _refuse_closed(request, boundary, ", so it cannot be edited. Draft a new version instead.")
        form = BoundaryForm(content={**boundary.content}, initial_note=boundary.change_note)
        return _editor(request, form, boundary=boundary)

    form = BoundaryForm(request.POST)
    if not _is_valid(form):
        return _editor(request, form, boundary=boundary, status=400)
    try:
        updated, voided = services.boundary_update(
            actor=request.user,
            boundary=boundary,
            limits=form.limits(),
            change_note=form.cleaned_data["change_note"],
        )
    except DomainError as exc:
        form.add_domain_errors(exc.errors)
        return _editor(request, form, boundary=boundary, status=http_status(exc), problem=str(exc))
    if voided:
        refreshed = selectors.boundary_for(request.user, updated.version)
        void = sorted(
            (s for s in refreshed.signatures.all() if s.voided_at is not None),
            key=lambda s: s.voided_at,
            reverse=True,
        )[:voided]
        who = "; ".join(
            f"{presenters.ROLE_LABELS[s.role]} — {s.signer}, signed {date_format(localtime(s.signed_at), 'j M Y, H:i')}"
            for s in void
        )
        messages.warning(
            request,
            f"v{updated.version} saved. The limits changed, so {voided} signature{'s' if voided > 1 else ''} "
            f"on the old content {'are' if voided > 1 else 'is'} now void: {who}. "
            "It needs both signatures again.",
        )
    elif updated.content_hash == boundary.content_hash:
        messages.info(
            request, f"v{updated.version} saved. The limits did not change, so no signature was affected."
        )
    else:
        messages.success(request, f"v{updated.version} saved.")
    return redirect("riskboundaries:detail", version=updated.version)


@login_required
@require_POST
def boundary_impact_preview(request: HttpRequest) -> HttpResponse:
    """The what-if of the limits on the editor right now, for htmx. Writes nothing."""
    _ensure_manager(request)
    form = BoundaryForm(request.POST)
    form.is_valid()
    # Rendered without the request context: the fragment needs no navigation.
    return HttpResponse(
        render_to_string("riskboundaries/_impact_preview.html", {"preview": _impact_preview(form)})
    )


def _sign_page(
    request: HttpRequest, boundary: RiskBoundary, form: SignForm | None, *, status: int = 200
) -> HttpResponse:
    signing = _signing_state(request.user, boundary, selectors.active_boundary())
    if form is None and signing["roles"]:
        form = SignForm(initial={"seen_hash": boundary.content_hash}, roles=signing["roles"])
    if form is not None and form.is_bound:
        form.mark_invalid_fields()
    impact = (
        presenters.impact_rows(selectors.boundary_impact(boundary))
        if boundary.state in EDITABLE_STATES
        else []
    )
    return render(
        request,
        "riskboundaries/sign.html",
        {
            "boundary": boundary,
            "limits": presenters.describe_limits(boundary.content),
            "signatures": presenters.signature_rows(boundary),
            "signing": signing,
            "form": form if signing["roles"] else None,
            "impact_count": len(impact),
            "approved_breaching": sum(1 for row in impact if row["use_case"].status == Status.APPROVED),
            "completes": len(signing["missing"]) == 1,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def boundary_sign(request: HttpRequest, version: int) -> HttpResponse:
    _ensure_manager(request)
    boundary = selectors.boundary_for(request.user, version)
    if request.method == "GET":
        if boundary.state not in EDITABLE_STATES:
            return _refuse_closed(request, boundary, "; there is nothing to sign.")
        return _sign_page(request, boundary, None)
    return _sign_post(request, boundary)


# With BOUNDARY_SIGNING_REQUIRES_REAUTH on, the signature first sends the signer through allauth's re-authentication
# and is then resumed with what was posted (the hash seen included); with allauth MFA enabled for the signer, that
# re-authentication asks for the second factor. Who may sign is checked before, so nobody else is ever asked.
@reauthentication_required(enabled=stepup.signing_requires_step_up)
def _sign_post(request: HttpRequest, boundary: RiskBoundary) -> HttpResponse:
    signing = _signing_state(request.user, boundary, selectors.active_boundary())
    if not signing["roles"]:
        messages.error(request, signing["reason"] or "You cannot sign this version.")
        return _sign_page(request, boundary, None, status=409)
    form = SignForm(request.POST, roles=signing["roles"])
    if not form.is_valid():
        return _sign_page(request, boundary, form, status=400)
    role = form.chosen_role()
    try:
        signed = services.boundary_sign(
            actor=request.user, boundary=boundary, role=role, seen_hash=form.cleaned_data["seen_hash"]
        )
    except DomainError as exc:
        messages.error(request, str(exc))
        # Show the content as it is now, with a fresh confirmation: what was confirmed is not what is there.
        current = selectors.boundary_for(request.user, boundary.version)
        return _sign_page(request, current, None, status=http_status(exc))
    if signed.state == BoundaryState.ACTIVE:
        text = f"You signed v{signed.version} as {presenters.ROLE_LABELS[role]}. With both signatures it is now the active risk boundary."
        text += (
            " Each approved use case is now being checked against it: those that breach it go to re-review, "
            "and you are both e-mailed when the check is done."
        )
        messages.success(request, text)
        return redirect("riskboundaries:active")
    waiting = " and the ".join(label for label in signing["missing"] if label != presenters.ROLE_LABELS[role])
    messages.success(
        request,
        f"You signed v{signed.version} as {presenters.ROLE_LABELS[role]}. It becomes active when the {waiting} signs too.",
    )
    return redirect("riskboundaries:detail", version=signed.version)
