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
from config.params import positive_int

PAGE_SIZE = 50


def _ensure(request: HttpRequest) -> None:
    if not can_view_audit(request.user):
        raise PermissionDenied


@login_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    _ensure(request)
    events = audit_events_for(request.user)
    before = positive_int(request.GET.get("before", ""))
    if before is not None:
        events = events.filter(sequence__lt=before)
    page = list(events[: PAGE_SIZE + 1])
    has_older = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    return render(
        request,
        "audit/event_list.html",
        {
            "events": page,
            "older_before": page[-1].sequence if has_older else None,
            "is_first_page": not before,
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
