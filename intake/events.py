"""The audit events intake writes (use cases, their transitions, who may see them), in the words of the timeline."""

import re
from collections.abc import Mapping

from accounts.roles import Role
from audit.events import Formatter, Payload, register
from audit.objects import ObjectKind, register_object_kind
from intake.answers import QUESTIONS_BY_NAME
from intake.presenters import DESCRIPTIVE_LABELS, band_label, tier_label
from intake.workflow import Action

USE_CASE = "intake.usecase"  # the object type the events of a use case are recorded against


def _who(name: str) -> str:
    if name in (Role.CIO, Role.CISO):
        return f"the {Role(name).label}"
    if name.startswith("team:"):
        return "the team"
    return name


def _title(payload: Payload) -> str:
    return payload.get("title", "")


def _edited_fields(payload: Payload) -> str:
    labels = [
        DESCRIPTIVE_LABELS.get(name) or getattr(QUESTIONS_BY_NAME.get(name), "label", name)
        for name in payload.get("fields", [])
    ]
    return "; ".join(labels)


def _submitted(verb: str) -> Formatter:
    def sentence(payload: Payload) -> str:
        return f"{verb} revision {payload.get('revision', '')} for the CIO and CISO decision"

    return sentence


def _assessed(payload: Payload) -> str:
    tier, band = payload.get("tier"), payload.get("band")
    if not tier:
        return ""
    return f"EU AI Act: {tier_label(tier)['label']}; risk band: {band_label(band or '')}"


def _concluded(verb: str) -> Formatter:
    """The joint outcome as a sentence: "The CIO and the CISO approved revision 2"."""

    def sentence(payload: Payload) -> str:
        revision = payload.get("revision")
        told = verb.format(revision=f"revision {revision}" if revision is not None else "the request")
        return f"The CIO and the CISO {told}"

    return sentence


def _citations(payload: Payload) -> str:
    return "; ".join(payload.get("citations", []))


def _access(granted: bool) -> Formatter:
    def sentence(payload: Payload) -> str:
        who = _who(payload.get("to_group") or payload.get("from_group") or "") or (
            payload.get("to_user") or payload.get("from_user") or "someone"
        )
        what = "edit" if payload.get("permission", "").startswith("change") else "view"
        return f"Access: {who} can {'now' if granted else 'no longer'} {what} it"

    return sentence


USE_CASE_CREATED = register(
    "intake.use_case_created", "Draft created", sentence=lambda _: "Created the draft", detail=_title
)
# An edit is recorded with the fields it changed; it is not a change of state.
USE_CASE_EDITED = register(
    "intake.use_case_edited", "Request edited", sentence=lambda _: "Edited the request", detail=_edited_fields
)

# The changes of state, one per action of the workflow table (editing excepted); each payload carries "from" and "to".
USE_CASE_SUBMITTED = register(
    "intake.use_case_submit",
    "Submitted for decision",
    sentence=_submitted("Submitted"),
    detail=_assessed,
    moves=USE_CASE,
)
USE_CASE_RESUBMITTED = register(
    "intake.use_case_resubmit",
    "Resubmitted for decision",
    sentence=_submitted("Resubmitted"),
    detail=_assessed,
    moves=USE_CASE,
)
USE_CASE_WITHDRAWN = register(
    "intake.use_case_withdraw", "Request withdrawn", sentence=lambda _: "Withdrew the request", moves=USE_CASE
)
USE_CASE_SYSTEM_REJECTED = register(
    "intake.use_case_system_reject",
    "Closed as a prohibited practice",
    sentence=lambda _: "Closed automatically: a practice the EU AI Act prohibits",
    detail=_citations,
    moves=USE_CASE,
)
USE_CASE_APPROVED = register(
    "intake.use_case_approve", "Approved", sentence=_concluded("approved {revision}"), moves=USE_CASE
)
USE_CASE_REJECTED = register(
    "intake.use_case_reject", "Rejected", sentence=_concluded("rejected {revision}"), moves=USE_CASE
)
USE_CASE_CHANGES_REQUESTED = register(
    "intake.use_case_request_changes",
    "Changes requested",
    sentence=_concluded("asked for changes to {revision}: it is back with the requester"),
    moves=USE_CASE,
)
USE_CASE_FLAGGED_RE_REVIEW = register(
    "intake.use_case_flag_re_review",
    "Flagged for re-review",
    sentence=lambda _: "Became due for re-review by the CIO and the CISO",
    moves=USE_CASE,
)
USE_CASE_RETIRED = register(
    "intake.use_case_retire", "Retired", sentence=lambda _: "Retired: no longer in use", moves=USE_CASE
)

# The workflow action -> the event that records it.
USE_CASE_TRANSITIONS: Mapping[str, str] = {
    Action.SUBMIT: USE_CASE_SUBMITTED,
    Action.RESUBMIT: USE_CASE_RESUBMITTED,
    Action.WITHDRAW: USE_CASE_WITHDRAWN,
    Action.SYSTEM_REJECT: USE_CASE_SYSTEM_REJECTED,
    Action.APPROVE: USE_CASE_APPROVED,
    Action.REJECT: USE_CASE_REJECTED,
    Action.REQUEST_CHANGES: USE_CASE_CHANGES_REQUESTED,
    Action.FLAG_RE_REVIEW: USE_CASE_FLAGGED_RE_REVIEW,
    Action.RETIRE: USE_CASE_RETIRED,
}

PERMISSION_GRANTED = register(
    "intake.permission_granted", "Access granted", sentence=_access(True), minor=True
)
PERMISSION_REVOKED = register(
    "intake.permission_revoked", "Access removed", sentence=_access(False), minor=True
)


# How the audit trail names, finds and links the objects this app's events are about.
register_object_kind(
    ObjectKind(
        object_type="intake.usecase",
        noun="Use case",
        key="reference",
        url_name="intake:detail",
        pattern=re.compile(r"(?P<key>[A-Z]{2,5}-\d{4}-\d{1,9})", re.IGNORECASE),
        upper_key=True,
        guarded=True,
        example="GAI-2026-0001",
    )
)


def _obligation(payload: Payload) -> str:
    reason = payload.get("reason")
    told = f"{payload.get('citation', '')}: {payload.get('from_label', '')} → {payload.get('to_label', '')}"
    return f"{told} ({reason})" if reason else told


OBLIGATION_STATE_CHANGED = register(
    "intake.obligation_state",
    "Obligation updated",
    sentence=lambda payload: f"Marked an EU AI Act obligation {payload.get('to_label', '').lower()}",
    detail=_obligation,
)
KEY_DATE_CHANGED = register(
    "intake.key_date_changed",
    "EU AI Act key date changed",
    sentence=lambda payload: f"Moved the key date “{payload.get('key', '')}” to {payload.get('to', '')}",
    detail=lambda payload: f"was {payload.get('from', '')}: {payload.get('what', '')}",
)

# A newer ruleset over the portfolio: deployed, re-assessed, acknowledged by each executive, in force.
RULESET = "intake.rulesetupgrade"


def _ruleset_counts(payload: Payload) -> str:
    return (
        f"{payload.get('checked', 0)} live use cases re-assessed: {payload.get('changed', 0)} change, "
        f"{payload.get('rose', 0)} of them riskier"
    )


RULESET_DEPLOYED = register(
    "intake.ruleset_deployed",
    "Newer ruleset deployed",
    sentence=lambda payload: (
        f"Ruleset {payload.get('version', '')} deployed over {payload.get('total', 0)} live use cases"
    ),
    detail=lambda payload: (
        f"they were assessed under {', '.join(payload.get('from_versions', [])) or 'no ruleset'}"
    ),
)
RULESET_ASSESSED = register(
    "intake.ruleset_assessed",
    "Portfolio re-assessed under a newer ruleset",
    sentence=lambda payload: f"Ruleset {payload.get('version', '')}: the portfolio is re-assessed",
    detail=_ruleset_counts,
)
RULESET_ACKNOWLEDGED = register(
    "intake.ruleset_acknowledged",
    "Newer ruleset acknowledged",
    sentence=lambda payload: (
        f"Acknowledged ruleset {payload.get('version', '')} as {payload.get('role_label', '')}"
    ),
)
RULESET_APPLIED = register(
    "intake.ruleset_applied",
    "Newer ruleset in force",
    sentence=lambda payload: (
        f"Ruleset {payload.get('version', '')} in force: {payload.get('re_reviewed', 0)} "
        "approved use cases sent to re-review"
    ),
)

# The event that records the end of each background step of an upgrade, by the state it leaves the upgrade in.
RULESET_STEP_EVENTS: Mapping[str, str] = {"awaiting": RULESET_ASSESSED, "applied": RULESET_APPLIED}
