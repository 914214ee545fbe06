"""The audit events of live oversight, recorded against the use case they concern (so its timeline tells them)."""

import re

from audit.events import Payload, register
from audit.objects import ObjectKind, register_object_kind


def _incident(payload: Payload) -> str:
    return f"{payload.get('incident', '')}: {payload.get('title', '')}".strip(": ")


def _reported(payload: Payload) -> str:
    serious = " a serious incident" if payload.get("serious") else " an incident"
    return f"Reported{serious} ({payload.get('incident', '')})"


def _deadline(payload: Payload) -> str:
    return f"{payload.get('duty', '')} ({payload.get('article', '')}), {payload.get('incident', '')}"


INCIDENT_REPORTED = register(
    "oversight.incident_reported", "Incident reported", sentence=_reported, detail=_incident
)
INCIDENT_DEADLINE_MET = register(
    "oversight.incident_deadline_met",
    "Incident reporting duty met",
    sentence=lambda p: f"Recorded as done: {p.get('duty', '')}" + (" (late)" if p.get("late") else ""),
    detail=_deadline,
)
USE_CASE_SUSPENDED = register(
    "oversight.use_case_suspended",
    "Suspended (kill switch)",
    sentence=lambda _: "Suspended it at once: its kill switch was used",
    detail=lambda p: p.get("reason", ""),
)
SUSPENSION_LIFTED = register(
    "oversight.suspension_lifted",
    "Suspension lifted",
    sentence=lambda _: "Lifted its suspension: it may run again",
    detail=lambda p: p.get("reason", ""),
)


def _evidence(payload: Payload) -> str:
    target = payload.get("condition_text") or payload.get("obligation", "")
    name = payload.get("file", "")
    return f"{target}" + (f": {name}" if name else "")


EVIDENCE_ADDED = register(
    "oversight.evidence_added", "Evidence added", sentence=lambda _: "Added evidence", detail=_evidence
)
EVIDENCE_DOWNLOADED = register(
    "oversight.evidence_downloaded",
    "Evidence downloaded",
    sentence=lambda p: f"Downloaded the evidence file {p.get('file', '')}",
    minor=True,
)

USE_CASE_ATTESTED = register(
    "oversight.use_case_attested",
    "Quarterly attestation",
    sentence=lambda p: (
        f"Attested for {p.get('quarter', '')} that it "
        + ("runs as approved" if p.get("as_approved") else "no longer runs as approved")
    ),
    detail=lambda p: p.get("note", ""),
)

PROVIDER_LISTED = register(
    "oversight.provider_listed",
    "Provider listed",
    sentence=lambda p: f"Listed the provider {p.get('name', '')}",
)
PROVIDER_PROPOSED = register(
    "oversight.provider_proposed",
    "Provider proposed",
    sentence=lambda p: f"Proposed the provider {p.get('name', '')} for the inventory",
)
PROVIDER_TERMS_CHANGED = register(
    "oversight.provider_terms_changed",
    "Provider terms changed",
    sentence=lambda p: f"Recorded the terms of {p.get('name', '')}",
    detail=lambda p: "; ".join(f"{k}: {v}" for k, v in (p.get("changed") or {}).items()),
)
MODEL_LISTED = register(
    "oversight.model_listed", "Model listed", sentence=lambda p: f"Listed the model {p.get('model', '')}"
)

# How the audit trail names, finds and links a provider of the inventory.
register_object_kind(
    ObjectKind(
        object_type="oversight.aiprovider",
        noun="AI provider",
        key="pk",
        url_name="oversight:provider",
        pattern=re.compile(r"provider\s*#?\s*(?P<key>\d{1,18})", re.IGNORECASE),
        numeric_key=True,
        example="provider 3",
    )
)
