"""The audit trail page (CIO and CISO): newest events first, filtered by who, what, when and which object,
keyset-paginated, each event linked to its object's page; with the latest verification of the chain and buttons to
verify the new events now or start a full re-verification (both run in the worker)."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from audit.events import kinds_by_area
from audit.filters import FIELDS, object_examples, parse_audit_filter
from audit.models import AuditVerification
from audit.policies import can_view_audit
from audit.selectors import (
    audit_events_for,
    audit_filter_resolve,
    audit_object_links,
    audit_verification_state,
)
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
    wanted, errors = parse_audit_filter(request.GET)
    wanted, unknown = audit_filter_resolve(wanted)
    errors |= unknown
    page = page_before(
        audit_events_for(request.user, wanted), request.GET.get("before", ""), size=PAGE_SIZE, key="sequence"
    )
    links = audit_object_links(request.user, page.items)
    params = wanted.params()
    # A field that was refused keeps what was typed, so it can be corrected; it filters nothing.
    typed = {name: request.GET.get(name, "").strip() for name in FIELDS} | params
    if not typed["action"]:
        typed["action"] = request.GET.get("kind", "").strip()
    return render(
        request,
        "audit/event_list.html",
        {
            "rows": [(event, links.get((event.object_type, event.object_id))) for event in page.items],
            "older_before": page.older_before,
            "is_first_page": page.is_first,
            "state": audit_verification_state(),
            "filters": typed,
            "filter_query": urlencode(params),
            "is_filtered": bool(params),
            "errors": errors,
            "kinds_by_area": kinds_by_area(),
            "object_examples": object_examples(),
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
