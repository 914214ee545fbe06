"""The audit trail page (CIO and CISO): newest events first, keyset-paginated, with the latest verification of the
chain and buttons to verify the new events now or start a full re-verification (both run in the worker)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from audit.models import AuditVerification
from audit.policies import can_view_audit
from audit.selectors import audit_events_for, audit_verification_state
from audit.services import audit_verification_request
from config.pages import page_before

PAGE_SIZE = 50


def _ensure(request: HttpRequest) -> None:
    if not can_view_audit(request.user):
        raise PermissionDenied


@login_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    _ensure(request)
    page = page_before(
        audit_events_for(request.user), request.GET.get("before", ""), size=PAGE_SIZE, key="sequence"
    )
    return render(
        request,
        "audit/event_list.html",
        {
            "events": page.items,
            "older_before": page.older_before,
            "is_first_page": page.is_first,
            "state": audit_verification_state(),
        },
    )


@login_required
@require_GET
def verification(request: HttpRequest) -> HttpResponse:
    """The verification panel alone: htmx polls it while a run is queued or running."""
    _ensure(request)
    return render(request, "audit/_verification.html", {"state": audit_verification_state()})


@login_required
@require_POST
def verify(request: HttpRequest) -> HttpResponse:
    _ensure(request)
    wanted = request.POST.get("kind", "")
    kind = wanted if wanted in AuditVerification.Kind.values else AuditVerification.Kind.INCREMENTAL
    audit_verification_request(actor=request.user, kind=kind)
    if not request.htmx:
        return redirect("audit:event-list")
    return render(request, "audit/_verification.html", {"state": audit_verification_state()})
