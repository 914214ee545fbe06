"""The audit events of live oversight, recorded against the use case they concern (so its timeline tells them)."""

from audit.events import Payload, register


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
