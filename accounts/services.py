"""Every write to people, teams, role membership, API tokens and sign-in failures. Each change is audited in the
same transaction; e-mails go out after commit.

Approver roles (CIO, CISO) are under dual control: an administrator asks (role_grant_request), a sitting CIO or CISO
other than the grantee confirms (role_grant_confirm); revoking takes effect at once. The only other way in is the
first installation (approvers_bootstrap), which refuses once anyone holds an approver role.
"""

import getpass
import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from accounts import events, policies
from accounts.models import ApiToken, RoleGrantRequest, SignInFailure, Team, User
from accounts.roles import ALL_ROLES, APPROVER_ROLES, Role, forget_roles, is_administrator
from accounts.selectors import sign_in_refusal, sitting_approvers_exist
from accounts.signin import Refusal, normalise_username
from accounts.tasks import (
    notify_access_ended,
    notify_role_change,
    notify_role_request,
    notify_role_request_decided,
    send_password_link,
)
from accounts.workflow import GrantAction, next_state
from audit.services import audit_record
from config.errors import DomainError, InvalidTransition, NotAllowed
from config.text import CONTROL_MESSAGE, ensure_text, has_control_characters
from outbox.services import enqueue

# ---------------------------------------------------------------------------------------------------- teams


def team_get_or_create(*, actor: Any | None, name: str) -> Team:
    name = name.strip()
    if not name:
        raise DomainError("A team needs a name.", errors={"name": ["This field is required."]})
    if len(name) > 120:
        raise DomainError("The name is too long.", errors={"name": ["Use at most 120 characters."]})
    if has_control_characters(name):
        raise DomainError("The name is not valid.", errors={"name": [CONTROL_MESSAGE]})
    if not slugify(name):
        raise DomainError("The name is not valid.", errors={"name": ["Use letters or digits in the name."]})
    with transaction.atomic():
        team, created = Team.objects.get_or_create(slug=slugify(name), defaults={"name": name})
        if team.group_id is None:
            team.group, _ = Group.objects.get_or_create(name=team_group_name(team))
            team.save(update_fields=["group"])
        if created:
            audit_record(actor=actor, action=events.TEAM_CREATED, obj=team, payload={"name": team.name})
    return team


def team_group_name(team: Team) -> str:
    return f"team:{team.slug}"


def _team_group(team: Team) -> Group:
    if team.group_id is None:
        team.group, _ = Group.objects.get_or_create(name=team_group_name(team))
        team.save(update_fields=["group"])
    return team.group


# ---------------------------------------------------------------------------------------------------- people


PROFILE_FIELDS = ("display_name", "job_title", "email")
# The People pages' own addresses (/people/new/, …): a person of that name could not be reached at /people/<username>/.
RESERVED_USERNAMES = frozenset({"new", "teams", "role-requests"})
RESERVED_MESSAGE = "That name is taken by a page of the product: choose another username."


def _clean_profile(values: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, list[str]] = {}
    cleaned = {}
    for name, value in values.items():
        text = str(value or "").strip()
        if has_control_characters(text):
            errors[name] = [CONTROL_MESSAGE]
        cleaned[name] = text
    if errors:
        raise DomainError("Some fields are not valid.", errors=errors)
    return cleaned


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
    invite: bool = False,
) -> User:
    """Create an account. Without a password it cannot sign in until its holder sets one through the invitation
    link (``invite``: an e-mail with a one-time link, sent after commit)."""
    profile = _clean_profile({"display_name": display_name, "job_title": job_title, "email": email})
    if invite and not profile["email"]:
        raise DomainError(
            "An invitation needs an e-mail address.", errors={"email": ["Enter an e-mail address."]}
        )
    if username.strip().casefold() in RESERVED_USERNAMES:
        raise DomainError("The username is not available.", errors={"username": [RESERVED_MESSAGE]})
    with transaction.atomic():
        user = User(username=username.strip(), is_staff=is_staff, is_superuser=is_superuser, **profile)
        if password:
            user.set_password(password)
            # Chosen by whoever created the account (set-up code with no actor is the demo or a test).
            user.password_set_by_other = actor is not None
        else:
            user.set_unusable_password()
        try:
            user.full_clean()
        except ValidationError as exc:
            raise DomainError("Some fields are not valid.", errors=exc.message_dict) from exc
        user.save()
        audit_record(
            actor=actor,
            action=events.USER_CREATED,
            obj=user,
            payload={"username": user.username, "is_staff": is_staff, "is_superuser": is_superuser},
        )
        if invite:
            audit_record(actor=actor, action=events.USER_INVITED, obj=user, payload={"email": user.email})
            enqueue(send_password_link, user.pk, "invitation")
    return user


def user_update_profile(*, actor: Any, user: User, **values: Any) -> list[str]:
    """Change a person's name, job title or e-mail address. Returns the fields changed."""
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise DomainError("Unknown fields.", errors={k: ["Unknown field."] for k in sorted(unknown)})
    cleaned = _clean_profile(values)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        changed = [name for name, value in cleaned.items() if getattr(locked, name) != value]
        if "email" in changed:
            reason = policies.reason_cannot_change_credentials(actor, locked)
            if reason:
                raise NotAllowed(reason, errors={"email": [reason]})
        for name in changed:
            setattr(locked, name, cleaned[name])
        try:
            locked.full_clean(exclude=["password", "username"])
        except ValidationError as exc:
            raise DomainError("Some fields are not valid.", errors=exc.message_dict) from exc
        if changed:
            locked.save(update_fields=changed)
            audit_record(
                actor=actor,
                action=events.PROFILE_CHANGED,
                obj=locked,
                payload={name: cleaned[name] for name in changed},
            )
    for name in changed:
        setattr(user, name, cleaned[name])
    return changed


def user_set_roles(*, actor: Any | None, user: User, roles: Iterable[str]) -> tuple[set[str], set[str]]:
    """Make the user's role groups exactly `roles`; audit each grant and revocation. Returns (granted, revoked).

    An approver role (CIO, CISO) is never granted here by a person: that is a request a sitting CIO or CISO confirms
    (role_grant_request). Revoking one takes effect at once. ``actor=None`` is set-up code (the demo, tests).
    """
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
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        current = set(user.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True))
        if actor is not None and (approver - current):
            raise NotAllowed(
                "The CIO and CISO roles are granted by request: a sitting CIO or CISO must confirm it.",
                errors={"roles": ["Ask for the grant; a sitting CIO or CISO confirms it."]},
            )
        granted, revoked = _apply_roles(actor=actor, user=user, wanted=wanted, current=current)
    return granted, revoked


def _apply_roles(*, actor: Any | None, user: User, wanted: set[str], current: set[str]) -> tuple[set, set]:
    """Set the groups; the caller has checked who may and holds the user's row lock."""
    granted, revoked = wanted - current, current - wanted
    if granted:
        # get_or_create: the groups come from a data migration, but a database emptied by hand may lack them.
        user.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in sorted(granted)))
    if revoked:
        user.groups.remove(*Group.objects.filter(name__in=revoked))
    for role in sorted(granted):
        audit_record(actor=actor, action=events.ROLE_GRANTED, obj=user, payload={"role": role})
    for role in sorted(revoked):
        audit_record(actor=actor, action=events.ROLE_REVOKED, obj=user, payload={"role": role})
    if actor is not None and (granted or revoked) and user.email:
        # People are told when their access changes, so an unexpected grant does not go unnoticed.
        enqueue(notify_role_change, user.pk, sorted(granted), sorted(revoked))
    forget_roles(user)
    return granted, revoked


def user_revoke_role(*, actor: Any, user: User, role: str) -> bool:
    """Take one role away at once (an administrator). Returns whether it was held."""
    if role not in ALL_ROLES:
        raise DomainError("Unknown role.", errors={"role": [f"Unknown role: {role}."]})
    # Administrators only: a CIO (or CISO) able to remove the other would be one person deciding who else approves.
    policies.ensure_can_manage_people(actor)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        current = set(user.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True))
        if role not in current:
            return False
        _apply_roles(actor=actor, user=user, wanted=current - {role}, current=current)
    return True


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
            audit_record(actor=actor, action=events.TEAM_JOINED, obj=user, payload={"team": team.name})
        for team in left:
            audit_record(actor=actor, action=events.TEAM_LEFT, obj=user, payload={"team": team.name})
    return {t.name for t in joined}, {t.name for t in left}


def user_deactivate(*, actor: Any, user: User, reason: str = "") -> User:
    """End a person's access at once: no sign-in, every API token revoked, approver roles revoked (a reactivated
    account must be granted them again, under dual control), pending grants for them cancelled."""
    policies.ensure_can_manage_people(actor)
    if getattr(actor, "pk", None) == user.pk:
        raise NotAllowed("You cannot deactivate your own account.")
    reason = reason.strip()
    ensure_text({"reason": reason}, max_lengths={"reason": 500})
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if not locked.is_active:
            raise InvalidTransition(f"{locked.username} is already deactivated.")
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action=events.USER_DEACTIVATED,
            obj=locked,
            payload={"username": locked.username, "reason": reason},
        )
        _access_ended(actor=actor, user=locked, reason="account deactivated")
    user.is_active = False
    forget_roles(user)
    return locked


def _access_ended(*, actor: Any, user: User, reason: str) -> None:
    """What follows a deactivation, from the People page or the admin: tokens, approver roles, pending grants."""
    api_tokens_revoke_all(actor=actor, user=user, reason=reason)
    current = set(user.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True))
    if current & APPROVER_ROLES:
        _apply_roles(actor=actor, user=user, wanted=current - APPROVER_ROLES, current=current)
    # Pending grants for them, and the ones they asked for (an administrator who leaves takes their requests along).
    for grant in RoleGrantRequest.objects.select_for_update().filter(
        Q(user=user) | Q(requested_by=user), state=RoleGrantRequest.State.PENDING
    ):
        _decide_grant(grant, actor=actor, action=GrantAction.CANCEL, note=reason)
    if user.email:
        enqueue(notify_access_ended, user.pk)


def user_reactivate(*, actor: Any, user: User) -> User:
    policies.ensure_can_manage_people(actor)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.is_active:
            raise InvalidTransition(f"{locked.username} is already active.")
        locked.is_active = True
        locked.save(update_fields=["is_active"])
        audit_record(
            actor=actor, action=events.USER_REACTIVATED, obj=locked, payload={"username": locked.username}
        )
    user.is_active = True
    forget_roles(user)
    return locked


def user_send_password_link(*, actor: Any, user: User) -> None:
    """E-mail the person a one-time link to set a new password (also how a locked-out account recovers)."""
    policies.ensure_can_manage_people(actor)
    if not user.is_active:
        raise InvalidTransition("Reactivate the account first.")
    if not user.email:
        raise DomainError(
            "This person has no e-mail address.", errors={"email": ["Add an e-mail address first."]}
        )
    with transaction.atomic():
        audit_record(actor=actor, action=events.PASSWORD_LINK_SENT, obj=user, payload={"email": user.email})
        enqueue(send_password_link, user.pk, "reset")


ACCESS_FIELDS = ("is_active", "is_staff", "is_superuser")


def user_access_changed(*, actor: Any, user: User, before: dict[str, Any], password_changed: bool) -> None:
    """Record changes to a person's access flags or password made in the Django admin (kept for emergencies), and
    apply what follows: a deactivation or a changed password ends the person's API tokens."""
    changes = {
        f: {"from": before[f], "to": getattr(user, f)} for f in ACCESS_FIELDS if before[f] != getattr(user, f)
    }
    if password_changed:
        changes["password"] = {"from": "…", "to": "changed"}
    if not changes:
        return
    with transaction.atomic():
        audit_record(actor=actor, action=events.ACCESS_CHANGED, obj=user, payload={"changes": changes})
        if password_changed and getattr(actor, "pk", None) != user.pk:
            password_set_by_other(user=user, value=True)
        if before["is_active"] and not user.is_active:
            _access_ended(actor=actor, user=user, reason="account deactivated")
        elif password_changed:
            api_tokens_revoke_all(actor=actor, user=user, reason="password changed")
        if is_administrator(user) and not is_administrator_before(before):
            # Administrators hold no approval power: the recorded approver roles go too, visibly.
            current = set(user.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True))
            if current & APPROVER_ROLES:
                _apply_roles(actor=actor, user=user, wanted=current - APPROVER_ROLES, current=current)


def password_set_by_other(*, user: User, value: bool) -> None:
    """Whether the password was last chosen by someone other than its holder (True), or by the holder (False)."""
    User.objects.filter(pk=user.pk).update(password_set_by_other=value)
    user.password_set_by_other = value


def is_administrator_before(before: dict[str, Any]) -> bool:
    return bool(before.get("is_staff") or before.get("is_superuser"))


# ---------------------------------------------------------------------------------------------------- approver roles


def role_grant_request(*, actor: Any, user: User, role: str, note: str = "") -> RoleGrantRequest:
    """Ask for ``user`` to receive an approver role; it takes effect only when a sitting CIO or CISO confirms."""
    policies.ensure_can_manage_people(actor)
    if role not in APPROVER_ROLES:
        raise DomainError(
            "Only the CIO and CISO roles are granted by request.", errors={"role": ["Choose CIO or CISO."]}
        )
    note = note.strip()
    if has_control_characters(note) or len(note) > 500:
        raise DomainError(
            "The note is not valid.", errors={"note": [CONTROL_MESSAGE if note else "Too long."]}
        )
    if getattr(actor, "pk", None) == user.pk:
        raise NotAllowed("Nobody can ask for an approver role for themselves.")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if not locked.is_active:
            raise InvalidTransition(f"{locked.username} is deactivated.")
        if is_administrator(locked):
            raise DomainError(
                "An administrator cannot also be CIO or CISO.",
                errors={
                    "role": ["Remove administrator access first: administrators hold no approval power."]
                },
            )
        if locked.groups.filter(name=role).exists():
            raise InvalidTransition(f"{locked.username} already holds the {Role(role).label} role.")
        now = timezone.now()
        # A pending request that has expired is closed before a new one is asked.
        for stale in RoleGrantRequest.objects.select_for_update().filter(
            user=locked, role=role, state=RoleGrantRequest.State.PENDING, expires_at__lte=now
        ):
            _decide_grant(stale, actor=None, action=GrantAction.EXPIRE, note="expired")
        try:
            with transaction.atomic():
                grant = RoleGrantRequest.objects.create(
                    user=locked,
                    role=role,
                    note=note,
                    requested_by=actor,
                    requested_at=now,
                    expires_at=now + timedelta(days=settings.ROLE_GRANT_REQUEST_DAYS),
                )
        except IntegrityError:
            raise InvalidTransition(
                f"A grant of the {Role(role).label} role to {locked.username} is already awaiting confirmation."
            ) from None
        audit_record(
            actor=actor,
            action=events.ROLE_GRANT_REQUESTED,
            obj=locked,
            payload={
                "request": grant.pk,
                "role": role,
                "note": note,
                "expires_at": grant.expires_at.isoformat(),
            },
        )
        enqueue(notify_role_request, grant.pk)
    return grant


def _locked_pending(grant: RoleGrantRequest) -> RoleGrantRequest:
    locked = (
        RoleGrantRequest.objects.select_for_update().select_related("user", "requested_by").get(pk=grant.pk)
    )
    if locked.state != RoleGrantRequest.State.PENDING:
        raise InvalidTransition(f"This request is already {locked.get_state_display().lower()}.")
    return locked


def _decide_grant(grant: RoleGrantRequest, *, actor: Any, action: str, note: str = "") -> None:
    """The one place a role grant request changes state: through its table (accounts.workflow), audited."""
    state = next_state(grant.state, action)
    grant.state, grant.decided_at, grant.decision_note = state, timezone.now(), note.strip()[:500]
    grant.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    grant.save(update_fields=["state", "decided_at", "decided_by", "decision_note"])
    audit_record(
        actor=actor,
        action=events.ROLE_GRANT_DECIDED[state],
        obj=grant.user,
        payload={"request": grant.pk, "role": grant.role, "note": grant.decision_note},
    )


def role_grant_confirm(*, actor: Any, grant: RoleGrantRequest) -> RoleGrantRequest:
    """A sitting CIO or CISO, other than the grantee and the requester, confirms: the role takes effect now."""
    policies.ensure_can_confirm_grant(actor, grant)
    expired = False
    with transaction.atomic():
        User.objects.select_for_update().filter(
            pk=grant.user_id
        ).first()  # the grantee first, like every role change
        locked = _locked_pending(grant)
        policies.ensure_can_confirm_grant(actor, locked)
        if locked.expires_at <= timezone.now():
            # Recorded as expired (committed), then refused.
            _decide_grant(locked, actor=None, action=GrantAction.EXPIRE, note="expired")
            expired = True
    if expired:
        raise InvalidTransition("This request has expired; ask for the grant again.")
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=grant.user_id).first()
        locked = _locked_pending(grant)
        user = locked.user
        if not user.is_active or is_administrator(user):
            raise InvalidTransition(
                f"{user.username} can no longer receive an approver role (deactivated or an administrator)."
            )
        current = set(user.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True))
        _decide_grant(locked, actor=actor, action=GrantAction.CONFIRM)
        _apply_roles(actor=actor, user=user, wanted=current | {locked.role}, current=current)
        if user.password_set_by_other:
            _replace_password_chosen_by_another(actor=actor, user=user, role=locked.role)
        enqueue(notify_role_request_decided, locked.pk)
    return locked


def _replace_password_chosen_by_another(*, actor: Any, user: User, role: str) -> None:
    """Approval power never rests on a password someone else chose: it is replaced by one the holder sets through a
    link sent to their own address (which also ends every session and token made with the old one)."""
    user.set_unusable_password()
    user.password_set_by_other = False
    user.save(update_fields=["password", "password_set_by_other"])
    api_tokens_revoke_all(actor=actor, user=user, reason="password chosen by someone else")
    audit_record(
        actor=actor,
        action=events.PASSWORD_REPLACED_ON_GRANT,
        obj=user,
        payload={"role": role, "email": user.email},
    )
    if user.email:
        enqueue(send_password_link, user.pk, "approver")


def role_grant_decline(*, actor: Any, grant: RoleGrantRequest, note: str = "") -> RoleGrantRequest:
    policies.ensure_can_confirm_grant(actor, grant)
    ensure_text({"note": note.strip()}, max_lengths={"note": 500})
    with transaction.atomic():
        locked = _locked_pending(grant)
        _decide_grant(locked, actor=actor, action=GrantAction.DECLINE, note=note)
        enqueue(notify_role_request_decided, locked.pk)
    return locked


def role_grant_cancel(*, actor: Any, grant: RoleGrantRequest) -> RoleGrantRequest:
    policies.ensure_can_manage_people(actor)
    with transaction.atomic():
        locked = _locked_pending(grant)
        _decide_grant(locked, actor=actor, action=GrantAction.CANCEL)
        # The executives asked to confirm it, and the person proposed, learn that it is off.
        enqueue(notify_role_request_decided, locked.pk)
    return locked


def approvers_bootstrap(*, cio: User, ciso: User, operator: str = "") -> None:
    """First installation only: give the first CIO and CISO their roles together, in one audited step. Refused once
    anyone holds an approver role; from then on only the two-person path exists."""
    if cio.pk == ciso.pk:
        raise DomainError(
            "The CIO and the CISO must be two different people.", errors={"ciso": ["Choose another."]}
        )
    with transaction.atomic():
        for person in sorted((cio, ciso), key=lambda p: p.pk):
            User.objects.select_for_update().filter(pk=person.pk).first()
        if sitting_approvers_exist():
            raise InvalidTransition(
                "A CIO or CISO is already in place: further grants are requests that a sitting CIO or CISO confirms."
            )
        for person, role in ((cio, Role.CIO), (ciso, Role.CISO)):
            person.refresh_from_db()
            if not person.is_active or is_administrator(person):
                raise DomainError(
                    f"{person.username} cannot hold an approver role (deactivated or an administrator).",
                    errors={role.value: ["Choose an active person who is not an administrator."]},
                )
        audit_record(
            actor=None,
            action=events.APPROVERS_BOOTSTRAPPED,
            payload={
                "cio": cio.username,
                "ciso": ciso.username,
                "operator": operator or _operating_system_user(),
            },
        )
        for person, role in ((cio, Role.CIO), (ciso, Role.CISO)):
            current = set(person.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True))
            _apply_roles(actor=None, user=person, wanted=current | {role}, current=current)
            if person.email:
                enqueue(notify_role_change, person.pk, [role.value], [])


def _operating_system_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


# ---------------------------------------------------------------------------------------------------- API tokens

TOKEN_PREFIX = "ggv_"  # noqa: S105  (a marker that makes leaked keys easy to find, not a secret)


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def password_stamp(user: User) -> str:
    """Changes whenever the password does, whatever route changed it (pages, admin, command line)."""
    return hashlib.sha256(f"api-token:{user.password}".encode()).hexdigest()


def api_token_issue(*, actor: Any, user: User, name: str, ip: str = "") -> tuple[ApiToken, str]:
    """A new token for one client (``name``); a live token of the same name is revoked (replaced). Returns the
    token and its key, which is shown once and never stored."""
    name = " ".join(str(name or "").split()) or "API client"
    if len(name) > 100 or has_control_characters(name):
        raise DomainError(
            "The client name is not valid.",
            errors={"name": ["Use at most 100 characters." if len(name) > 100 else CONTROL_MESSAGE]},
        )
    if not user.is_active:
        raise NotAllowed("This account is deactivated.")
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        replaced = list(
            ApiToken.objects.select_for_update().filter(user=user, name=name, revoked_at__isnull=True)
        )
        for old in replaced:
            _revoke(old, actor=actor, reason="replaced by a new token for the same client", now=now)
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=key[: len(TOKEN_PREFIX) + 6],
            digest=token_digest(key),
            password_stamp=password_stamp(user),
            created_at=now,
            expires_at=now + timedelta(days=settings.API_TOKEN_TTL_DAYS),
        )
        audit_record(
            actor=actor if actor is not None else user,
            action=events.TOKEN_ISSUED,
            obj=user,
            payload={
                "token": token.pk,
                "name": name,
                "prefix": token.prefix,
                "expires_at": token.expires_at.isoformat(),
                "ip": ip,
                "replaced": [old.pk for old in replaced],
            },
        )
    return token, key


def _revoke(token: ApiToken, *, actor: Any, reason: str, now: datetime) -> None:
    token.revoked_at, token.revoked_reason = now, reason[:200]
    token.save(update_fields=["revoked_at", "revoked_reason"])
    audit_record(
        actor=actor,
        action=events.TOKEN_REVOKED,
        obj=token.user,
        payload={
            "token": token.pk,
            "name": token.name,
            "prefix": token.prefix,
            "reason": token.revoked_reason,
        },
    )


def api_token_revoke(*, actor: Any, token: ApiToken, reason: str = "revoked by its owner") -> ApiToken:
    """Revoke one token: its owner, or an administrator."""
    if getattr(actor, "pk", None) != token.user_id and not policies.can_manage_people(actor):
        raise NotAllowed("Only the token's owner or an administrator can revoke it.")
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
        if locked.revoked_at is not None:
            raise InvalidTransition("This token is already revoked.")
        _revoke(locked, actor=actor, reason=reason, now=timezone.now())
    return locked


def api_tokens_revoke_all(*, actor: Any, user: User, reason: str) -> int:
    """Revoke every live token of ``user`` (password changed, account deactivated). Returns how many."""
    now = timezone.now()
    with transaction.atomic():
        live = list(
            ApiToken.objects.select_for_update()
            .select_related("user")
            .filter(user=user, revoked_at__isnull=True)
        )
        for token in live:
            _revoke(token, actor=actor, reason=reason, now=now)
    return len(live)


def api_token_revoke_stale(*, token: ApiToken) -> None:
    """A token issued under an earlier password is ended (audited) the first time it is refused for it."""
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().select_related("user").filter(pk=token.pk).first()
        if locked is not None and locked.revoked_at is None:
            _revoke(locked, actor=None, reason="password changed", now=timezone.now())


def api_token_touch(*, token: ApiToken, ip: str, now: datetime) -> None:
    """Remember when a token was last used (at most once every few minutes: not a write per request)."""
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=ip[:45])


# ---------------------------------------------------------------------------------------------------- sign-in


def sign_in_attempt_begin(*, username: str, ip: str) -> int:
    """Count one password check as a failure *before* it is made, and return its id.

    Guesses sent in parallel then see each other when their limit is checked (sign_in_refusal ``excluding`` this
    one), instead of all passing the check before any failure is written. The caller then withdraws it (refused:
    no password was checked), ends it as a success (sign_in_success_record) or leaves it: a failure. The audit event
    of a failure is written by django.contrib.auth's user_login_failed signal or by the caller itself."""
    return SignInFailure.objects.create(
        username=normalise_username(username), ip=ip[:45], failed_at=timezone.now()
    ).pk


def sign_in_attempt_start(*, username: str, ip: str, channel: str) -> tuple[int | None, Refusal | None]:
    """Begin one password check for ``username`` from ``ip``: (the attempt's id, None) when it may go ahead, or
    (None, the refusal) when the limits refuse it; a refusal is audited and not counted as a failure."""
    attempt = sign_in_attempt_begin(username=username, ip=ip)
    refusal = sign_in_refusal(username, ip, excluding=attempt)
    if refusal is None:
        return attempt, None
    sign_in_attempt_withdraw(attempt)
    sign_in_refused_record(username=username, ip=ip, refusal=refusal, channel=channel)
    return None, refusal


def sign_in_attempt_withdraw(attempt: int) -> None:
    """The attempt was refused before any password check, or its password proved right: it is no failure."""
    SignInFailure.objects.filter(pk=attempt).delete()


def sign_in_success_record(*, username: str, ip: str, attempt: int | None = None) -> None:
    """A right password from an address clears that address's short count; the account-wide count keeps those
    failures, so guesses from elsewhere (or from someone sharing the address) still run out."""
    if attempt is not None:
        sign_in_attempt_withdraw(attempt)
    SignInFailure.objects.filter(
        username=normalise_username(username), ip=ip[:45], address_cleared=False
    ).update(address_cleared=True)


def sign_in_failures_forget(*, username: str) -> int:
    """After a password reset by e-mail: the account starts afresh (how a locked account recovers at once)."""
    deleted, _ = SignInFailure.objects.filter(username=normalise_username(username)).delete()
    return deleted


def sign_in_refused_record(*, username: str, ip: str, refusal: Refusal, channel: str) -> None:
    audit_record(
        actor=None,
        action=events.SIGN_IN_REFUSED,
        payload={
            "username": normalise_username(username),
            "ip": ip,
            "scope": refusal.scope,
            "retry_after": refusal.retry_after,
            "channel": channel,
        },
    )


def sign_in_failures_prune(*, now: datetime | None = None) -> int:
    """Forget failures older than the longest window (daily, from beat)."""
    now = now or timezone.now()
    limits = settings.SIGN_IN_LIMITS
    longest = max(int(limits["address_window_seconds"]), int(limits["account_window_seconds"]))
    deleted, _ = SignInFailure.objects.filter(failed_at__lt=now - timedelta(seconds=longest)).delete()
    return deleted
