"""The audit events accounts writes (people, teams, roles) and the sign-in events (auth.*), with their words."""

import re
from collections.abc import Mapping
from typing import Any

from accounts.roles import Role
from accounts.workflow import GrantState
from audit.events import Formatter, Payload, register
from audit.objects import ObjectKind, register_object_kind


def _role(payload: Payload) -> str:
    role = str(payload.get("role", ""))
    return Role(role).label if role in Role.values else role


def _role_line(payload: Payload) -> str:
    return f"Role: {_role(payload)}" if payload.get("role") else ""


def _value(key: str, prefix: str = "") -> Formatter:
    def line(payload: Payload) -> str:
        value = payload.get(key)
        return f"{prefix}{value}" if value not in (None, "") else ""

    return line


def _fields(key: str | None = None) -> Formatter:
    """The names of the changed fields, in words ("job title, email")."""

    def line(payload: Payload) -> str:
        changed: Mapping[str, Any] | list = payload.get(key, {}) if key else payload
        return ", ".join(str(name).replace("_", " ") for name in changed)

    return line


def _token(payload: Payload) -> str:
    name, prefix = payload.get("name", ""), payload.get("prefix", "")
    reason = payload.get("reason", "")
    text = f"“{name}” ({prefix}…)" if prefix else f"“{name}”"
    return f"{text}: {reason}" if reason else text


def _refusal(payload: Payload) -> str:
    who = payload.get("username") or "an unknown account"
    retry = payload.get("retry_after")
    return f"As {who}; try again in {retry} s" if retry else f"As {who}"


def _bootstrap(payload: Payload) -> str:
    return f"CIO: {payload.get('cio', '')}; CISO: {payload.get('ciso', '')}"


# --- signing in and credentials ------------------------------------------------------------------------------------

LOGIN = register("auth.login", "Signed in", detail=_value("ip", "From "), minor=True)
LOGOUT = register("auth.logout", "Signed out", minor=True)
LOGIN_FAILED = register("auth.login_failed", "Sign-in failed", detail=_value("username", "As "))
SIGN_IN_REFUSED = register("auth.sign_in_refused", "Sign-in refused after repeated failures", detail=_refusal)
PASSWORD_CHANGED = register("auth.password_changed", "Password changed")
PASSWORD_RESET = register("auth.password_reset", "Password reset by e-mail link")
STEP_UP_FAILED = register(
    "auth.step_up_failed", "Password confirmation before signing failed", detail=_value("reason")
)
TOKEN_ISSUED = register("auth.token_issued", "API token issued", detail=_token)
TOKEN_REVOKED = register("auth.token_revoked", "API token revoked", detail=_token)

# --- people and teams ----------------------------------------------------------------------------------------------

TEAM_CREATED = register("accounts.team_created", "Team created", detail=_value("name"))
USER_CREATED = register("accounts.user_created", "Account created", detail=_value("username"))
USER_INVITED = register("accounts.user_invited", "Invitation sent", detail=_value("email", "To "))
PROFILE_CHANGED = register("accounts.profile_changed", "Profile changed", detail=_fields())
TEAM_JOINED = register("accounts.team_joined", "Added to a team", detail=_value("team"))
TEAM_LEFT = register("accounts.team_left", "Removed from a team", detail=_value("team"))
USER_DEACTIVATED = register("accounts.user_deactivated", "Account deactivated", detail=_value("reason"))
USER_REACTIVATED = register("accounts.user_reactivated", "Account reactivated", detail=_value("username"))
PASSWORD_LINK_SENT = register(
    "accounts.password_link_sent", "Password link sent", detail=_value("email", "To ")
)
ACCESS_CHANGED = register("accounts.access_changed", "Access changed in the admin", detail=_fields("changes"))

# --- roles -----------------------------------------------------------------------------------------------------------

ROLE_GRANTED = register("accounts.role_granted", "Role granted", detail=_role_line)
ROLE_REVOKED = register("accounts.role_revoked", "Role removed", detail=_role_line)
ROLE_GRANT_REQUESTED = register("accounts.role_grant_requested", "Approver role asked for", detail=_role_line)
ROLE_GRANT_CONFIRMED = register("accounts.role_grant_confirmed", "Approver role confirmed", detail=_role_line)
ROLE_GRANT_DECLINED = register("accounts.role_grant_declined", "Approver role declined", detail=_role_line)
ROLE_GRANT_CANCELLED = register(
    "accounts.role_grant_cancelled", "Approver role request cancelled", detail=_role_line
)
PASSWORD_REPLACED_ON_GRANT = register(
    "accounts.password_replaced_on_grant", "Password replaced on becoming an approver", detail=_role_line
)
APPROVERS_BOOTSTRAPPED = register(
    "accounts.approvers_bootstrapped", "First CIO and CISO set", detail=_bootstrap
)

# The state a grant of an approver role was decided into -> its event (an expiry is recorded as cancelled).
ROLE_GRANT_DECIDED: Mapping[str, str] = {
    GrantState.CONFIRMED: ROLE_GRANT_CONFIRMED,
    GrantState.DECLINED: ROLE_GRANT_DECLINED,
    GrantState.CANCELLED: ROLE_GRANT_CANCELLED,
}


def _may_open_people(user: Any) -> bool:
    from accounts.policies import can_manage_people  # the policies read the models, not loaded yet at import

    return can_manage_people(user)


# How the audit trail names, finds and links the people events are about (their page, for those who manage people).
register_object_kind(
    ObjectKind(
        object_type="accounts.user",
        noun="Person",
        key="username",
        url_name="people:detail",
        pattern=re.compile(r"person\s+(?P<key>[\w.@+-]{1,150})", re.IGNORECASE),
        may_open=_may_open_people,
        example="person alice",
    )
)
