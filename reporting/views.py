"""The board-packs page: request a quarter's pack, watch it render (htmx), download it; the register exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from config.errors import DomainError
from reporting import policies, selectors, services
from reporting.apis import pack_file_response, register_response
from reporting.models import BoardPack
from reporting.pack import pack_context
from reporting.quarters import Quarter
from reporting.workflow import IN_PROGRESS

PAGE_SIZE = 40


def _ensure(request: HttpRequest) -> None:
    if not policies.can_request_packs(request.user):
        raise PermissionDenied


def _quarter_choices() -> list[str]:
    current = Quarter.containing(timezone.localdate())
    choices, quarter = [], current
    for _ in range(8):
        choices.append(str(quarter))
        quarter = quarter.previous()
    return choices


@login_required
@require_http_methods(["GET", "POST"])
def pack_list(request: HttpRequest) -> HttpResponse:
    _ensure(request)
    if request.method == "POST":
        try:
            pack = services.board_pack_request(actor=request.user, quarter=request.POST.get("quarter", ""))
        except DomainError as exc:
            messages.error(request, "; ".join(m for ms in exc.errors.values() for m in ms) or str(exc))
        else:
            pack.refresh_from_db()  # with in-process tasks it is already rendered by now
            state = "is ready" if pack.status == BoardPack.Status.READY else "is being prepared"
            messages.success(request, f"The {pack.quarter} pack (version {pack.version}) {state}.")
            return redirect("reporting:list")
    packs = list(selectors.board_packs_for(request.user)[:PAGE_SIZE])
    quarters = _quarter_choices()
    context = {
        "packs": packs,
        "quarters": quarters,
        # The picker offers first the most recent quarter that has no pack yet: the one most likely wanted.
        "default_quarter": selectors.first_quarter_without_a_pack(request.user, quarters) or quarters[0],
        "in_progress": any(p.status in IN_PROGRESS for p in packs),
    }
    template = "reporting/_pack_rows.html" if request.htmx else "reporting/pack_list.html"
    return render(request, template, context)


@login_required
@require_GET
def pack_download(request: HttpRequest, pk: int) -> HttpResponse:
    pack = selectors.board_packs_for(request.user).filter(pk=pk).first()
    if pack is None:
        raise Http404("No such board pack.")
    return pack_file_response(request.user, pack)


@login_required
@require_GET
def register_export(request: HttpRequest, kind: str) -> HttpResponse:
    _ensure(request)
    if kind not in ("csv", "xlsx"):
        raise Http404
    return register_response(request.user, kind)


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The CIO's and CISO's live view of the portfolio: the same charts as the board pack, as of now."""
    from django.utils.safestring import mark_safe

    from reporting import charts, links
    from reporting.rendering import portfolio_sections

    if not policies.can_view_dashboard(request.user):
        raise PermissionDenied
    now = timezone.now()
    context = pack_context(Quarter.containing(timezone.localdate()), now)
    # Every number links to the list of use cases it counts (reporting.links); the pack's charts carry no links.
    sections = portfolio_sections(context["portfolio"], link_for=links.portfolio_link)
    for section in sections:
        # The chart's one <style> element is allowed by this response's CSP nonce; nothing else in it is inline.
        section["chart"] = mark_safe(charts.with_nonce(section["chart"], request.csp_nonce))  # noqa: S308
    return render(
        request,
        "reporting/dashboard.html",
        {
            "data": context,
            "sections": sections,
            "heatmap": mark_safe(  # noqa: S308 - the chart escapes its text
                charts.heatmap(context["heatmap"], link_for=links.heatmap_link)
            ),
            "figure_links": links.summary_links(),
            "rag_reasons": [
                {"text": text, "url": links.rag_reason_link(kind)}
                for text, kind in zip(
                    context["summary"]["rag_reasons"], context["summary"]["rag_reason_kinds"], strict=True
                )
            ],
        },
    )
