"""Every write to people, teams and role membership. Each change is audited in the same transaction."""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.text import slugify
from rest_framework.authtoken.models import Token

from accounts.models import Team, User
from accounts.roles import ALL_ROLES, APPROVER_ROLES, forget_roles, is_administrator
from accounts.tasks import notify_role_change
from audit.services import audit_record
from config.errors import DomainError


def team_get_or_create(*, actor: Any | None, name: str) -> Team:
    name = name.strip()
    if not name:
        raise DomainError("A team needs a name.", errors={"name": ["This field is required."]})
    with transaction.atomic():
        team, created = Team.objects.get_or_create(slug=slugify(name), defaults={"name": name})
        if team.group_id is None:
            team.group, _ = Group.objects.get_or_create(name=team_group_name(team))
            team.save(update_fields=["group"])
        if created:
            audit_record(actor=actor, action="accounts.team_created", obj=team, payload={"name": team.name})
    return team


def team_group_name(team: Team) -> str:
    return f"team:{team.slug}"


def _team_group(team: Team) -> Group:
    if team.group_id is None:
        team.group, _ = Group.objects.get_or_create(name=team_group_name(team))
        team.save(update_fields=["group"])
    return team.group


def user_create(
    *,
    actor: Any | None,
    username: str,
    password: str | None,
    email: str = "",
    display_name: str = "",
    job_title: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    with transaction.atomic():
        user = User(
            username=username,
            email=email,
            display_name=display_name,
            job_title=job_title,
            is_staff=is_staff,
            is_superuser=is_superuser,
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean()
        user.save()
        audit_record(
            actor=actor,
            action="accounts.user_created",
            obj=user,
            payload={"username": username, "is_staff": is_staff, "is_superuser": is_superuser},
        )
    return user


def user_set_roles(*, actor: Any | None, user: User, roles: Iterable[str]) -> tuple[set[str], set[str]]:
    """Make the user's role groups exactly `roles`; audit each grant and revocation. Returns (granted, revoked)."""
    wanted = set(roles)
    unknown = wanted - ALL_ROLES
    if unknown:
        raise DomainError(
            "Unknown role.", errors={"roles": [f"Unknown role(s): {', '.join(sorted(unknown))}."]}
        )
    approver = wanted & APPROVER_ROLES
    if approver and is_administrator(user):
        raise DomainError(
            "An administrator cannot also be CIO or CISO.",
            errors={"roles": ["Remove administrator access first: administrators hold no approval power."]},
        )
    if approver and actor is not None and getattr(actor, "pk", None) == user.pk:
        current = set(user.groups.filter(name__in=APPROVER_ROLES).values_list("name", flat=True))
        if approver - current:
            raise DomainError(
                "Nobody can grant themselves the CIO or CISO role.",
                errors={"roles": ["Another administrator must make this change."]},
            )
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        current = set(user.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True))
        granted, revoked = wanted - current, current - wanted
        if granted:
            # get_or_create: the groups come from a data migration, but a database emptied by hand may lack them.
            user.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in sorted(granted)))
        if revoked:
            user.groups.remove(*Group.objects.filter(name__in=revoked))
        for role in sorted(granted):
            audit_record(actor=actor, action="accounts.role_granted", obj=user, payload={"role": role})
        for role in sorted(revoked):
            audit_record(actor=actor, action="accounts.role_revoked", obj=user, payload={"role": role})
        if actor is not None and (granted or revoked) and user.email:
            # People are told when their access changes, so an unexpected grant does not go unnoticed.
            notify_role_change.delay_on_commit(user.pk, sorted(granted), sorted(revoked))
    forget_roles(user)
    return granted, revoked


def user_set_teams(*, actor: Any | None, user: User, teams: Iterable[Team]) -> tuple[set[str], set[str]]:
    wanted = {team.pk: team for team in teams}
    with transaction.atomic():
        current = {team.pk: team for team in user.teams.all()}
        joined = [wanted[pk] for pk in wanted.keys() - current.keys()]
        left = [current[pk] for pk in current.keys() - wanted.keys()]
        if joined:
            user.teams.add(*joined)
            user.groups.add(*(_team_group(team) for team in joined))
        if left:
            user.teams.remove(*left)
            user.groups.remove(*(_team_group(team) for team in left))
        for team in joined:
            audit_record(actor=actor, action="accounts.team_joined", obj=user, payload={"team": team.name})
        for team in left:
            audit_record(actor=actor, action="accounts.team_left", obj=user, payload={"team": team.name})
    return {t.name for t in joined}, {t.name for t in left}


def api_token_obtain(*, user: User, ip: str = "") -> Token:
    """The user's API token (created on first use); issuing it is audited like a sign-in."""
    with transaction.atomic():
        token, created = Token.objects.get_or_create(user=user)
        audit_record(actor=user, action="auth.token_issued", obj=user, payload={"ip": ip, "new": created})
    return token


ACCESS_FIELDS = ("is_active", "is_staff", "is_superuser")


def user_access_changed(*, actor: Any, user: User, before: dict[str, Any], password_changed: bool) -> None:
    """Record changes to a person's access flags or password made outside the role services (the admin form)."""
    changes = {
        f: {"from": before[f], "to": getattr(user, f)} for f in ACCESS_FIELDS if before[f] != getattr(user, f)
    }
    if password_changed:
        changes["password"] = {"from": "…", "to": "changed"}
    if changes:
        audit_record(actor=actor, action="accounts.access_changed", obj=user, payload={"changes": changes})
