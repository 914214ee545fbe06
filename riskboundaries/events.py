"""The audit events of the risk boundary (drafts, signatures, its lifecycle), with their words."""

import re
from collections.abc import Mapping

from accounts.roles import Role
from audit.events import Payload, register
from audit.objects import ObjectKind, register_object_kind
from riskboundaries.workflow import BoundaryAction

BOUNDARY = "riskboundaries.riskboundary"  # the object type the events of a boundary are recorded against


def _version(payload: Payload) -> str:
    return f"Version {payload['version']}" if payload.get("version") is not None else ""


def _role(payload: Payload) -> str:
    role = str(payload.get("role", ""))
    return Role(role).label if role in Role.values else role


def _signed(payload: Payload) -> str:
    return f"{_version(payload)}, as {_role(payload)}" if payload.get("role") else _version(payload)


def _voided(payload: Payload) -> str:
    return f"{_version(payload)}: the {_role(payload)} signature of {payload.get('signer', 'someone')}"


def _superseded(payload: Payload) -> str:
    by = payload.get("by_version")
    return f"{_version(payload)}, replaced by version {by}" if by is not None else _version(payload)


BOUNDARY_DRAFTED = register("riskboundaries.boundary_drafted", "Boundary drafted", detail=_version)
BOUNDARY_NOTE_CHANGED = register(
    "riskboundaries.boundary_note_changed", "Change note edited", detail=_version
)
SIGNATURE_VOIDED = register("riskboundaries.signature_voided", "Signature voided by an edit", detail=_voided)
BOUNDARY_SIGNED = register("riskboundaries.boundary_signed", "Boundary signed", detail=_signed)


def _pass_done(payload: Payload) -> str:
    flagged = payload.get("flagged", 0)
    moved = "1 use case" if flagged == 1 else f"{flagged} use cases"
    return f"{_version(payload)}: {payload.get('checked', 0)} approved use cases checked, {moved} sent to re-review"


RE_REVIEW_PASS_DONE = register(
    "riskboundaries.re_review_pass_done",
    "Approved use cases checked against the new boundary",
    detail=_pass_done,
)

# The changes of state, one per action of the lifecycle table; each payload carries "from" and "to".
BOUNDARY_EDITED = register("riskboundaries.boundary_edit", "Boundary edited", detail=_version, moves=BOUNDARY)
BOUNDARY_AWAITING_SIGNATURE = register(
    "riskboundaries.boundary_sign", "Boundary awaiting the other signature", detail=_version, moves=BOUNDARY
)
BOUNDARY_ACTIVATED = register(
    "riskboundaries.boundary_activate", "Boundary in force", detail=_version, moves=BOUNDARY
)
BOUNDARY_SUPERSEDED = register(
    "riskboundaries.boundary_supersede", "Boundary superseded", detail=_superseded, moves=BOUNDARY
)

# The lifecycle action -> the event that records it.
BOUNDARY_TRANSITIONS: Mapping[str, str] = {
    BoundaryAction.EDIT: BOUNDARY_EDITED,
    BoundaryAction.SIGN: BOUNDARY_AWAITING_SIGNATURE,
    BoundaryAction.ACTIVATE: BOUNDARY_ACTIVATED,
    BoundaryAction.SUPERSEDE: BOUNDARY_SUPERSEDED,
}


# How the audit trail names, finds and links the objects this app's events are about.
register_object_kind(
    ObjectKind(
        object_type="riskboundaries.riskboundary",
        noun="Risk boundary",
        key="version",
        url_name="riskboundaries:detail",
        pattern=re.compile(r"(?:risk\s*)?(?:boundary\s*)?v(?:ersion)?\s*(?P<key>\d{1,9})", re.IGNORECASE),
        numeric_key=True,
        example="boundary v3",
    )
)
