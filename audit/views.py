"""The audit trail page (CIO and CISO): newest events first, keyset-paginated, with an on-demand chain check."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from audit.policies import can_view_audit
from audit.selectors import audit_chain_verify, audit_events_for

PAGE_SIZE = 50


def _ensure(request: HttpRequest) -> None:
    if not can_view_audit(request.user):
        raise PermissionDenied


@login_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    _ensure(request)
    events = audit_events_for(request.user)
    before = request.GET.get("before", "")
    if before.isdigit():
        events = events.filter(sequence__lt=int(before))
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
        },
    )


@login_required
@require_POST
def verify(request: HttpRequest) -> HttpResponse:
    _ensure(request)
    return render(request, "audit/_verify_result.html", {"report": audit_chain_verify()})
