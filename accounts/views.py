"""People's own pages (home, profile with API tokens) and the administrators' People pages (accounts, teams, roles,
deactivation), with the CIO and CISO's page for confirming grants of approver roles.

Views stay thin: reads from selectors, writes through services, who may act from policies. A refused change re-renders
the page with what was typed and the reason next to the field.
"""

from typing import Any

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import forms, policies, selectors, services
from accounts.home import home_sections
from accounts.models import ApiToken, RoleGrantRequest, User
from accounts.roles import APPROVER_ROLES, Role, roles_of
from accounts.selectors import role_headcount, teams_with_headcount
from config.clientip import client_ip
from config.errors import DomainError, http_status
from config.refusals import add_refusal_to_form, refusal_line

PEOPLE_PAGE_SIZE = 50


def _error_list(form: Any) -> list[dict[str, str]]:
    items = []
    for name, problems in form.errors.items():
        field = form.fields.get(name)
        for problem in problems:
            if field is None:
                items.append({"message": problem})
            else:
                items.append(
                    {"anchor": form[name].id_for_label, "label": field.label or name, "message": problem}
                )
    return items


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each person's inbox: the sections the apps offer for their roles (accounts.home), then the administrator's."""
    held = roles_of(request.user)
    context = {
        "sections": home_sections(request),
        "is_admin": request.user.is_staff,
        "has_no_role": not held and not request.user.is_staff,
        "teams": list(request.user.teams.order_by("name").values_list("name", flat=True)),
    }
    if request.user.is_staff:
        context["headcount"] = role_headcount()
        context["team_list"] = list(teams_with_headcount())
        context["grants_pending"] = selectors.role_requests_pending().count()
    return render(request, "accounts/home.html", context)


# ---------------------------------------------------------------------------------------------------- profile


def _profile_page(request: HttpRequest, *, form=None, new_key: str = "", status: int = 200) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/profile.html",
        {
            "profile": selectors.user_profile(user),
            "role_labels": [Role(r).label for r in sorted(roles_of(user))],
            "tokens": list(selectors.api_tokens_of(user)),
            "token_form": form or forms.TokenCreateForm(),
            "new_key": new_key,
            "token_days": settings.API_TOKEN_TTL_DAYS,
            "errors": _error_list(form) if form is not None and form.errors else [],
        },
        status=status,
    )


@login_required
@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    return _profile_page(request)


@login_required
@require_POST
@reauthentication_required  # a stolen session cannot mint a long-lived credential without the password
def token_create(request: HttpRequest) -> HttpResponse:
    form = forms.TokenCreateForm(request.POST)
    if not form.is_valid():
        return _profile_page(request, form=form, status=400)
    try:
        _token, key = services.api_token_issue(
            actor=request.user, user=request.user, name=form.cleaned_data["name"], ip=client_ip(request)
        )
    except DomainError as exc:
        add_refusal_to_form(form, exc)
        return _profile_page(request, form=form, status=http_status(exc))
    # Shown once, on this response only (never in a message or the session): only its digest is stored.
    response = _profile_page(request, new_key=key)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=pk, user=request.user).select_related("user").first()
    if token is None:
        raise Http404("No such token.")
    try:
        services.api_token_revoke(actor=request.user, token=token)
    except DomainError as exc:
        messages.error(request, refusal_line(exc))
    else:
        messages.success(request, f"The token “{token.name}” is revoked: it no longer works.")
    return redirect("profile")


# ---------------------------------------------------------------------------------------------------- People


def _ensure_admin(request: HttpRequest) -> None:
    if not policies.can_manage_people(request.user):
        raise PermissionDenied


def _person(username: str) -> User:
    person = User.objects.filter(username=username).first()
    if person is None:
        raise Http404("No such person.")
    return person


@login_required
@require_GET
def people_list(request: HttpRequest) -> HttpResponse:
    _ensure_admin(request)
    shown = request.GET.get("show", "active")
    active = {"active": True, "deactivated": False}.get(shown)
    query = request.GET.get("q", "").strip()[:100]
    people = selectors.people_list(active=active, query=query)
    after = request.GET.get("after", "")[:150]
    if after:
        people = people.filter(username__gt=after)
    page = list(people[: PEOPLE_PAGE_SIZE + 1])
    has_more = len(page) > PEOPLE_PAGE_SIZE
    page = page[:PEOPLE_PAGE_SIZE]
    rows = [
        {
            "person": person,
            "roles": [Role(r).label for r in selectors.held_roles(person)],
            "teams": [t.name for t in person.prefetched_teams],
        }
        for person in page
    ]
    return render(
        request,
        "accounts/people_list.html",
        {
            "rows": rows,
            "shown": shown if active is not None else "all",
            "query": query,
            "next_after": page[-1].username if has_more else None,
            "pending": list(selectors.role_requests_pending()[:20]),
        },
    )


def _create_page(request: HttpRequest, form: Any, *, status: int = 200, problem: str = "") -> HttpResponse:
    return render(
        request,
        "accounts/person_new.html",
        {"form": form, "errors": _error_list(form) if form.errors else [], "problem": problem},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_new(request: HttpRequest) -> HttpResponse:
    _ensure_admin(request)
    if request.method == "GET":
        return _create_page(request, forms.PersonCreateForm())
    form = forms.PersonCreateForm(request.POST)
    if not form.is_valid():
        return _create_page(request, form, status=400)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            person = services.user_create(
                actor=request.user,
                username=data["username"],
                password=None,
                email=data["email"],
                display_name=data["display_name"],
                job_title=data["job_title"],
                invite=True,
            )
            services.user_set_teams(actor=request.user, user=person, teams=data["teams"])
            services.user_set_roles(actor=request.user, user=person, roles=data["roles"])
            if data["approver_role"]:
                services.role_grant_request(
                    actor=request.user, user=person, role=data["approver_role"], note=data["note"]
                )
    except DomainError as exc:
        add_refusal_to_form(form, exc)
        return _create_page(request, form, status=http_status(exc), problem=str(exc))
    note = (
        f" The {Role(data['approver_role']).label} role awaits a sitting CIO or CISO’s confirmation."
        if data["approver_role"]
        else ""
    )
    messages.success(request, f"{person.username} is created and invited by e-mail.{note}")
    return redirect("people:detail", username=person.username)


def _detail_page(
    request: HttpRequest,
    person: User,
    *,
    profile_form=None,
    access_form=None,
    grant_form=None,
    status: int = 200,
    problem: str = "",
) -> HttpResponse:
    held = selectors.held_roles(person)
    profile_form = profile_form or _profile_form(request, person)
    access_form = access_form or forms.PersonAccessForm(
        initial={"teams": list(person.teams.all()), "roles": [r for r in held if r not in APPROVER_ROLES]}
    )
    grant_form = grant_form or forms.RoleGrantForm()
    errors = []
    for form in (profile_form, access_form, grant_form):
        if form.is_bound and form.errors:
            errors += _error_list(form)
    return render(
        request,
        "accounts/person_detail.html",
        {
            "person": person,
            "held": [Role(r).label for r in held],
            "approver_roles_held": [Role(r) for r in held if r in APPROVER_ROLES],
            "profile_form": profile_form,
            "access_form": access_form,
            "grant_form": grant_form,
            "pending": list(selectors.role_requests_pending().filter(user=person)),
            "tokens": list(selectors.api_tokens_of(person).filter(revoked_at__isnull=True)),
            "credentials_locked": policies.reason_cannot_change_credentials(request.user, person),
            "is_self": person.pk == request.user.pk,
            "errors": errors,
            "problem": problem,
        },
        status=status,
    )


def _person_form(request: HttpRequest, person: User, name: str, form: Any, save) -> HttpResponse:
    """One of the forms on a person's page, sent: invalid or refused, the page again with it and the reason.

    ``save(cleaned_data)`` writes through the services and returns what to tell the administrator; ``name`` is the
    form's place on the page (``profile_form``, ``access_form`` or ``grant_form``)."""
    if not form.is_valid():
        return _detail_page(request, person, **{name: form}, status=400)
    try:
        said = save(form.cleaned_data)
    except DomainError as exc:
        add_refusal_to_form(form, exc)
        return _detail_page(request, person, **{name: form}, status=http_status(exc), problem=str(exc))
    messages.success(request, said)
    return redirect("people:detail", username=person.username)


def _profile_form(request: HttpRequest, person: User, data=None) -> forms.PersonProfileForm:
    form = forms.PersonProfileForm(
        data,
        initial={"display_name": person.display_name, "email": person.email, "job_title": person.job_title},
    )
    # An approver's e-mail address is theirs to change (a reset link goes there): shown, not editable, here.
    form.fields["email"].disabled = bool(policies.reason_cannot_change_credentials(request.user, person))
    return form


@login_required
@require_http_methods(["GET", "POST"])
def person_detail(request: HttpRequest, username: str) -> HttpResponse:
    _ensure_admin(request)
    person = _person(username)
    if request.method == "GET":
        return _detail_page(request, person)

    def save(data) -> str:
        changed = services.user_update_profile(actor=request.user, user=person, **data)
        return "Saved." if changed else "Nothing changed."

    return _person_form(request, person, "profile_form", _profile_form(request, person, request.POST), save)


@login_required
@require_POST
def person_access(request: HttpRequest, username: str) -> HttpResponse:
    _ensure_admin(request)
    person = _person(username)

    def save(data) -> str:
        held_approver = [r for r in selectors.held_roles(person) if r in APPROVER_ROLES]
        with transaction.atomic():
            services.user_set_teams(actor=request.user, user=person, teams=data["teams"])
            # Approver roles are kept here: they are revoked on their own, and granted only by confirmed request.
            services.user_set_roles(actor=request.user, user=person, roles=[*data["roles"], *held_approver])
        return "Teams and roles saved."

    return _person_form(request, person, "access_form", forms.PersonAccessForm(request.POST), save)


@login_required
@require_POST
def person_grant(request: HttpRequest, username: str) -> HttpResponse:
    _ensure_admin(request)
    person = _person(username)

    def save(data) -> str:
        grant = services.role_grant_request(
            actor=request.user, user=person, role=data["role"], note=data["note"]
        )
        return (
            f"Asked: the {Role(grant.role).label} role for {person.username} takes effect when a sitting CIO or CISO "
            "confirms it. They have been e-mailed."
        )

    return _person_form(request, person, "grant_form", forms.RoleGrantForm(request.POST), save)


def _person_action(request: HttpRequest, username: str, act) -> HttpResponse:
    """One button on a person's page: do it through the service, say what happened, back to the page.

    ``act(person)`` calls the service and returns the (level, message) to show."""
    _ensure_admin(request)
    person = _person(username)
    try:
        level, message = act(person)
    except DomainError as exc:
        level, message = messages.ERROR, refusal_line(exc)
    messages.add_message(request, level, message)
    return redirect("people:detail", username=person.username)


@login_required
@require_POST
def person_revoke(request: HttpRequest, username: str, role: str) -> HttpResponse:
    def act(person: User):
        held = services.user_revoke_role(actor=request.user, user=person, role=role)
        if held:
            return messages.SUCCESS, f"{person.username} no longer holds the {Role(role).label} role."
        return messages.INFO, f"{person.username} did not hold the {Role(role).label} role."

    return _person_action(request, username, act)


def _person_done(request: HttpRequest, username: str, service, said: str, **arguments) -> HttpResponse:
    """A button on a person's page that always succeeds unless refused: ``service`` does it, ``said`` tells of it.

    ``said`` is formatted with the ``person``; ``arguments`` go to the service after the actor and the person."""

    def act(person: User):
        service(actor=request.user, user=person, **arguments)
        return messages.SUCCESS, said.format(person=person)

    return _person_action(request, username, act)


@login_required
@require_POST
def person_deactivate(request: HttpRequest, username: str) -> HttpResponse:
    return _person_done(
        request,
        username,
        services.user_deactivate,
        "{person.username} is deactivated: signed out, API tokens revoked, approver roles removed.",
        reason=request.POST.get("reason", ""),
    )


@login_required
@require_POST
def person_reactivate(request: HttpRequest, username: str) -> HttpResponse:
    return _person_done(request, username, services.user_reactivate, "{person.username} can sign in again.")


@login_required
@require_POST
def person_password_link(request: HttpRequest, username: str) -> HttpResponse:
    sent = "A link to set a new password is on its way to {person.email}."
    return _person_done(request, username, services.user_send_password_link, sent)


@login_required
@require_http_methods(["GET", "POST"])
def teams(request: HttpRequest) -> HttpResponse:
    _ensure_admin(request)
    form = forms.TeamForm(request.POST or None)
    status, problem = 200, ""
    if request.method == "POST":
        if form.is_valid():
            try:
                team = services.team_get_or_create(actor=request.user, name=form.cleaned_data["name"])
            except DomainError as exc:
                add_refusal_to_form(form, exc)
                status, problem = http_status(exc), str(exc)
            else:
                messages.success(request, f"Team “{team.name}” is ready.")
                return redirect("people:teams")
        else:
            status = 400
    return render(
        request,
        "accounts/teams.html",
        {
            "form": form,
            "team_list": list(teams_with_headcount()),
            "errors": _error_list(form) if form.errors else [],
            "problem": problem,
        },
        status=status,
    )


# ---------------------------------------------------------------------------------------------------- role requests


@login_required
@require_GET
def role_requests(request: HttpRequest) -> HttpResponse:
    if not policies.can_see_role_requests(request.user):
        raise PermissionDenied
    pending = list(selectors.role_requests_pending())
    rows = [
        {
            "grant": grant,
            "role": Role(grant.role).label,
            "refusal": policies.reason_cannot_confirm_grant(request.user, grant),
        }
        for grant in pending
    ]
    return render(
        request,
        "accounts/role_requests.html",
        {
            "rows": rows,
            "recent": [
                {"grant": grant, "role": Role(grant.role).label} for grant in selectors.role_requests_recent()
            ],
            "is_admin": policies.can_manage_people(request.user),
        },
    )


def _grant(pk: int) -> RoleGrantRequest:
    grant = selectors.role_request_for(pk)
    if grant is None:
        raise Http404("No such request.")
    return grant


@login_required
@require_POST
def role_request_decide(request: HttpRequest, pk: int, verdict: str) -> HttpResponse:
    if not policies.can_see_role_requests(request.user):
        raise PermissionDenied
    grant = _grant(pk)
    note = request.POST.get("note", "")
    actions = {
        "confirm": lambda: services.role_grant_confirm(actor=request.user, grant=grant),
        "decline": lambda: services.role_grant_decline(actor=request.user, grant=grant, note=note),
        "cancel": lambda: services.role_grant_cancel(actor=request.user, grant=grant),
    }
    if verdict not in actions:
        raise Http404
    try:
        actions[verdict]()
    except DomainError as exc:
        messages.error(request, refusal_line(exc))
    else:
        done = {"confirm": "confirmed: it is in effect now", "decline": "declined", "cancel": "cancelled"}[
            verdict
        ]
        messages.success(request, f"The {Role(grant.role).label} role for {grant.user.username}: {done}.")
    return redirect("people:role-requests")
