"""The board-packs page: request a quarter's pack, watch it render (htmx), download it; the CIO's and the CISO's
joint statement and signatures that issue it; the register exports."""

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts import stepup
from accounts.roles import Role
from config.errors import DomainError, http_status
from config.quarters import Quarter
from config.refusals import add_refusal_to_form
from reporting import issuance, policies, selectors, services
from reporting.apis import pack_file_response, register_export_file_response, register_response
from reporting.forms import PackSignForm, StatementForm
from reporting.models import BoardPack, RegisterExport
from reporting.workflow import IN_PROGRESS, IssuanceState

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
        "rows": issuance.pack_issues(request.user, packs),
        "quarters": quarters,
        # The picker offers first the most recent quarter that has no pack yet: the one most likely wanted.
        "default_quarter": selectors.first_quarter_without_a_pack(request.user, quarters) or quarters[0],
        # Poll while a pack renders, or while the issued copy of a version both signed is being rendered.
        "in_progress": any(p.status in IN_PROGRESS or p.issuance == IssuanceState.ISSUING for p in packs),
    }
    template = "reporting/_pack_rows.html" if request.htmx else "reporting/pack_list.html"
    return render(request, template, context)


@login_required
@require_GET
def pack_download(request: HttpRequest, pk: int, kind: str = "draft") -> HttpResponse:
    pack = _pack_or_404(request, pk)
    return pack_file_response(request.user, pack, issued=kind == "issued")


def _pack_or_404(request: HttpRequest, pk: int) -> BoardPack:
    pack = selectors.board_packs_for(request.user).filter(pk=pk).first()
    if pack is None:
        raise Http404("No such board pack.")
    return pack


@login_required
@require_http_methods(["GET", "POST"])
def statement_edit(request: HttpRequest, quarter: str) -> HttpResponse:
    """The CIO and the CISO write (or edit) the quarter's joint statement."""
    if not policies.can_write_statement(request.user):
        raise PermissionDenied
    try:
        parsed = str(Quarter.parse(quarter))
    except DomainError:
        raise Http404("No such quarter.") from None
    statement = issuance.statement_for(parsed)
    issued = issuance.quarter_issued(parsed)
    refusal = policies.statement_refusal(request.user, quarter_issued=issued is not None)
    status = 200
    if request.method == "POST" and refusal is None:
        form = StatementForm(request.POST)
        if form.is_valid():
            try:
                services.statement_save(actor=request.user, quarter=parsed, text=form.cleaned_data["text"])
            except DomainError as exc:
                add_refusal_to_form(form, exc)
                status = http_status(exc)
            else:
                messages.success(
                    request,
                    f"Statement for {parsed} saved. A new draft is being prepared for the CIO and the CISO to sign.",
                )
                return redirect("reporting:list")
        else:
            status = 400
    else:
        form = StatementForm(initial={"text": statement.text if statement else ""})
        if request.method == "POST":
            messages.error(request, refusal)
            status = 409
    return render(
        request,
        "reporting/statement.html",
        {"quarter": parsed, "statement": statement, "form": form, "refusal": refusal},
        status=status,
    )


def _sign_page(
    request: HttpRequest, pack: BoardPack, form: PackSignForm | None, *, status: int = 200
) -> HttpResponse:
    row = issuance.pack_issues(request.user, [pack])[0]
    roles = policies.roles_left_to_sign(request.user, row.signatures)
    can_sign = row.sign is not None and row.sign.allowed
    if form is None and can_sign:
        form = PackSignForm(initial={"seen_hash": pack.content_hash}, roles=roles)
    return render(
        request,
        "reporting/sign.html",
        {"pack": pack, "row": row, "form": form if can_sign else None, "completes": len(row.missing) == 1},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def pack_sign(request: HttpRequest, pk: int) -> HttpResponse:
    if not policies.signing_roles_of(request.user):
        raise PermissionDenied
    pack = _pack_or_404(request, pk)
    if request.method == "GET":
        return _sign_page(request, pack, None)
    return _sign_post(request, pack)


# With BOUNDARY_SIGNING_REQUIRES_REAUTH on (the same setting as for risk boundaries), signing first sends the signer
# through allauth's re-authentication and is then resumed with what was posted, the hash seen included.
@reauthentication_required(enabled=stepup.signing_requires_step_up)
def _sign_post(request: HttpRequest, pack: BoardPack) -> HttpResponse:
    row = issuance.pack_issues(request.user, [pack])[0]
    if row.sign is None or not row.sign.allowed:
        messages.error(request, (row.sign.reason if row.sign else "") or "You cannot sign this version.")
        return _sign_page(request, pack, None, status=409)
    roles = policies.roles_left_to_sign(request.user, row.signatures)
    form = PackSignForm(request.POST, roles=roles)
    if not form.is_valid():
        return _sign_page(request, pack, form, status=400)
    role = form.chosen_role()
    try:
        signed = services.board_pack_sign(
            actor=request.user, pack=pack, role=role, seen_hash=form.cleaned_data["seen_hash"]
        )
    except DomainError as exc:
        messages.error(request, str(exc))
        return _sign_page(request, _pack_or_404(request, pack.pk), None, status=http_status(exc))
    signed.refresh_from_db()
    label = Role(role).label
    text = f"You signed the {signed.quarter} pack (version {signed.version}) as {label}."
    if signed.is_issued:
        text += " With both signatures it is issued."
    elif signed.issuance == IssuanceState.ISSUING:
        text += " With both signatures the issued copy is being prepared."
    else:
        waiting = " and the ".join(m for m in row.missing if m != label)
        text += f" It is issued when the {waiting} signs the same version too."
    messages.success(request, text)
    return redirect("reporting:list")


@login_required
@require_GET
def register_export(request: HttpRequest, kind: str) -> HttpResponse:
    _ensure(request)
    if kind not in ("csv", "xlsx"):
        raise Http404
    response = register_response(request.user, kind)
    if response is not None:
        return response
    messages.info(
        request,
        f"The register has more than {settings.REGISTER_EXPORT_INLINE_ROWS:,} rows, too many to build while you wait: "
        "prepare it here, and download it when it is ready.",
    )
    return redirect("reporting:exports")


def _exports_context(request: HttpRequest) -> dict:
    exports = list(selectors.register_exports_for(request.user)[:10])
    in_progress = any(
        e.status in (RegisterExport.Status.QUEUED, RegisterExport.Status.RUNNING) for e in exports
    )
    return {"exports": exports, "in_progress": in_progress}


@login_required
@require_http_methods(["GET", "POST"])
def register_exports(request: HttpRequest) -> HttpResponse:
    """Large register exports: prepared by the worker on request, listed here until downloaded."""
    _ensure(request)
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        if kind not in RegisterExport.Kind.values:
            messages.error(request, "Choose CSV or Excel.")
            return render(request, "reporting/exports.html", _exports_context(request), status=400)
        services.register_export_request(actor=request.user, kind=kind)
        messages.success(request, "The register is being prepared. It is listed here when it is ready.")
        return redirect("reporting:exports")
    template = "reporting/_export_rows.html" if request.htmx else "reporting/exports.html"
    return render(request, template, _exports_context(request))


@login_required
@require_GET
def register_export_download(request: HttpRequest, pk: int) -> HttpResponse:
    _ensure(request)
    export = selectors.register_exports_for(request.user).filter(pk=pk).first()
    if export is None:
        raise Http404
    return register_export_file_response(request.user, export)


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The CIO's and CISO's view of the portfolio: the same charts as the board pack, as of the latest snapshot."""
    from django.utils.safestring import mark_safe

    from reporting import charts, links
    from reporting.rendering import portfolio_sections

    if not policies.can_view_dashboard(request.user):
        raise PermissionDenied
    context = selectors.dashboard_snapshot() or services.dashboard_refresh()  # beat refreshes it
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
