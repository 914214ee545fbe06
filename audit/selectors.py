"""Reads of the audit chain: lists for people who may see it, object timelines, verification of the chain (whole or
from a verified anchor) against the latest checkpoint, the verification runs, and heads as of a moment."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Max, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from audit.chain import (
    GENESIS,
    GENESIS_HASH,
    ChainPosition,
    ChainReport,
    checkpoint_problem,
    result_seal_is_valid,
    timestamp_text,
    verify_events,
)
from audit.checkpoints import checkpoint_latest
from audit.events import is_registered
from audit.filters import AuditFilter, unknown_kind
from audit.keys import chain_keys
from audit.models import AuditEvent, AuditVerification
from audit.objects import ObjectKind, object_kind, words_of_object
from audit.policies import can_view_audit

# A run still queued or running after this long was lost (a dead worker or broker): it no longer holds back new runs.
STALE_AFTER = timedelta(hours=2)


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events_for(user: Any, wanted: AuditFilter | None = None) -> QuerySet[AuditEvent]:
    """The events the user may read, newest first, narrowed by ``wanted`` (each filter an indexed prefix of the
    keyset: (actor, sequence), (action, sequence), (object type, object id, sequence), (occurred_at, sequence))."""
    if not can_view_audit(user):
        return AuditEvent.objects.none()
    events = AuditEvent.objects.select_related("actor").order_by("-sequence")
    if wanted is None:
        return events
    if wanted.actor:
        # By the person's id, not a join on their username: the planner then reads (actor, sequence) newest first.
        person = get_user_model().objects.filter(username=wanted.actor).values("pk")[:1]
        events = events.filter(actor_id=Subquery(person))
    if wanted.action:
        events = events.filter(action=wanted.action)
    if wanted.since:
        events = events.filter(occurred_at__gte=_start_of(wanted.since))
    if wanted.until:
        events = events.filter(occurred_at__lt=_start_of(wanted.until + timedelta(days=1)))
    if wanted.object and wanted.object.object_id:
        events = events.for_object(wanted.object.object_type, wanted.object.object_id)
    return events


def audit_filter_resolve(wanted: AuditFilter) -> tuple[AuditFilter, dict[str, list[str]]]:
    """``wanted`` with its object's stored id looked up, and an error for a person, an object or an unregistered kind
    of event that does not exist (that filter is dropped): at most one query per filter given."""
    errors: dict[str, list[str]] = {}
    if wanted.actor and not get_user_model().objects.filter(username=wanted.actor).exists():
        errors["actor"] = [f"No one has the username “{wanted.actor}”."]
        wanted = replace(wanted, actor="")
    # A code no app registers is still a kind when an older release wrote events of it.
    if (
        wanted.action
        and not is_registered(wanted.action)
        and not AuditEvent.objects.filter(action=wanted.action).exists()
    ):
        errors["action"] = [unknown_kind(wanted.action)]
        wanted = replace(wanted, action="")
    ref = wanted.object
    if ref is not None and not ref.object_id and ref.kind is not None:
        model = apps.get_model(ref.kind.object_type)
        found = model.objects.filter(**{ref.kind.key: ref.key}).values_list("pk", flat=True).first()
        if found is None:
            errors["object"] = [f"There is no {ref.kind.name(ref.key)}."]
            wanted = replace(wanted, object=None)
        else:
            wanted = replace(wanted, object=replace(ref, object_id=str(found)))
    return wanted, errors


@dataclass(frozen=True)
class ObjectLink:
    name: str  # "Use case GAI-2026-0001"
    url: str = ""  # empty when the object is gone or the reader may not open its page


def _named(user: Any, kind: ObjectKind, ids: list[str]) -> dict[str, tuple[Any, bool]]:
    """pk (as stored) -> (the key that names it, whether ``user`` may open its page), for the objects of ``ids`` that
    still exist: one query, and one more for the kinds seen through guardian grants."""
    model = apps.get_model(kind.object_type)
    pks = [int(pk) for pk in ids if pk.isascii() and pk.isdigit() and len(pk) <= 18]
    rows = model.objects.filter(pk__in=pks)
    found = {str(pk): key for pk, key in rows.values_list("pk", kind.key)}
    if not found or (kind.may_open is not None and not kind.may_open(user)):
        return {pk: (key, False) for pk, key in found.items()}
    openable = set(found)
    if kind.guarded:
        perm = f"{model._meta.app_label}.view_{model._meta.model_name}"
        granted = get_objects_for_user(user, perm, klass=rows, accept_global_perms=False)
        openable = {str(pk) for pk in granted.values_list("pk", flat=True)}
    return {pk: (key, pk in openable) for pk, key in found.items()}


def audit_object_links(user: Any, events: Iterable[AuditEvent]) -> dict[tuple[str, str], ObjectLink]:
    """(object type, object id) -> its name and page, for the objects of ``events``: a query or two per kind of object
    on the page, whatever the number of events. An object that is gone reads as its kind and id, without a link."""
    wanted: dict[str, set[str]] = {}
    for event in events:
        if event.object_type:
            wanted.setdefault(event.object_type, set()).add(event.object_id)
    links: dict[tuple[str, str], ObjectLink] = {}
    for object_type, ids in wanted.items():
        kind = object_kind(object_type)
        found = _named(user, kind, sorted(ids)) if kind else {}
        for object_id in ids:
            if object_id in found:
                key, may_open = found[object_id]
                url = reverse(kind.url_name, args=[key] if kind.url_takes_key else None) if may_open else ""
                links[object_type, object_id] = ObjectLink(kind.name(key), url)
            else:
                links[object_type, object_id] = ObjectLink(words_of_object(object_type, object_id))
    return links


def audit_timeline(*, object_type: str, object_id: str | int) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.for_object(object_type, str(object_id)).select_related("actor").in_chain_order()


def audit_chain_head() -> dict[str, Any]:
    """The newest event's sequence, hash, key id and time (sequence 0 and the genesis hash for an empty chain)."""
    head = (
        AuditEvent.objects.order_by("-sequence").values("sequence", "hash", "key_id", "occurred_at").first()
    )
    if head is None:
        return {"sequence": 0, "hash": GENESIS_HASH, "key_id": "", "occurred_at": None}
    return {**head, "occurred_at": timestamp_text(head["occurred_at"])}


def audit_hash_at(sequence: int) -> str | None:
    """The hash of event #sequence (the genesis hash for 0), or None when there is no such event."""
    if sequence == 0:
        return GENESIS_HASH
    return AuditEvent.objects.filter(sequence=sequence).values_list("hash", flat=True).first()


def audit_chain_check(
    *,
    start: ChainPosition = GENESIS,
    checkpoint: Mapping[str, Any] | None,
    batch_size: int = 2000,
    count_verified: bool = True,
) -> ChainReport:
    """Verify the events after ``start`` (a position an earlier run verified), then compare with ``checkpoint``.

    From an anchor, the anchor's event must still carry the hash verified then, and exactly that many events must lie
    up to it (a deletion among verified events shows in the count; ``count_verified=False`` leaves that to the
    worker). The chain is then walked from the anchor in
    batches, and must reach and match the checkpoint kept outside the database.
    """
    if start.sequence:
        if audit_hash_at(start.sequence) != start.hash:
            return ChainReport(
                False,
                0,
                start.sequence,
                f"event #{start.sequence} no longer has the hash verified earlier (rewritten or removed); "
                "a full verification names the first broken link",
            )
        # Counting every verified event is work proportional to the chain: the worker's runs do it, a request does
        # not (the application's role cannot delete events; the owner's deletions show in the next run).
        if (
            count_verified
            and AuditEvent.objects.filter(sequence__lte=start.sequence).count() != start.sequence
        ):
            return ChainReport(
                False,
                0,
                None,
                f"events up to #{start.sequence} were removed since they were verified; "
                "a full verification names the first broken link",
            )
    events = (
        AuditEvent.objects.filter(sequence__gt=start.sequence)
        .in_chain_order()
        .only(*AuditEvent.CHAINED_FIELDS, "hash")
        .iterator(chunk_size=batch_size)
    )
    # Events written before the chain was keyed verify only as far as a checkpoint outside the database vouches.
    legacy_until = checkpoint["sequence"] if checkpoint else 0
    report = verify_events(events, keys=chain_keys(), start=start, legacy_until=legacy_until)
    if not report.ok or checkpoint is None:
        return report
    head = report.head
    sequence = checkpoint["sequence"]
    problem = checkpoint_problem(
        checkpoint=checkpoint,
        head_sequence=head.sequence,
        hash_there=head.hash if sequence == head.sequence else audit_hash_at(sequence),
    )
    if problem:
        return ChainReport(False, report.checked, min(sequence, head.sequence + 1), problem, head)
    return report


def audit_chain_verify(*, batch_size: int = 2000) -> ChainReport:
    """The whole chain from its first event, compared with the latest checkpoint (never pruned, so read in batches)."""
    return audit_chain_check(start=GENESIS, checkpoint=checkpoint_latest(), batch_size=batch_size)


def run_outcome(run: AuditVerification) -> dict[str, Any]:
    """What a finished run's seal covers (audit.chain.result_seal)."""
    return {
        "run_id": run.pk,
        "status": run.status,
        "ok": run.ok,
        "broken_at": run.broken_at,
        "reason": run.reason,
        "position": ChainPosition(run.to_sequence or 0, run.to_hash or GENESIS_HASH, run.to_keyed),
        "finished_at": run.finished_at,
    }


def run_is_sealed(run: AuditVerification) -> bool:
    return run.finished_at is not None and result_seal_is_valid(
        run.seal, keys=chain_keys(), **run_outcome(run)
    )


def audit_verification_latest(*, scan: int = 20) -> AuditVerification | None:
    """The most recent run that finished and carries its seal. A row written straight into the database (unsealed,
    or dated in the future) is passed over, so it can neither hide a failed run nor silence the next alarm."""
    recent = (
        AuditVerification.objects.finished()
        .filter(finished_at__lte=timezone.now() + timedelta(minutes=5))
        .select_related("requested_by")
        .order_by("-finished_at", "-pk")[:scan]
    )
    return next((run for run in recent if run_is_sealed(run)), None)


def audit_verification_in_progress() -> AuditVerification | None:
    """A run queued or running now (not one lost long ago)."""
    fresh = AuditVerification.objects.unfinished().filter(requested_at__gte=timezone.now() - STALE_AFTER)
    return fresh.newest_first().first()


def audit_verification_anchor(latest: AuditVerification | None = None) -> ChainPosition:
    """Where an incremental run starts: the end of the latest finished run, when that run found the chain intact and
    its seal holds; otherwise the start of the chain (a broken chain is always walked again in full)."""
    latest = latest if latest is not None else audit_verification_latest()
    if latest is None or not latest.ok or latest.to_sequence is None or not run_is_sealed(latest):
        return GENESIS
    return ChainPosition(latest.to_sequence, latest.to_hash, latest.to_keyed)


@dataclass(frozen=True)
class VerificationState:
    """What the audit page and the API show: the latest result, and what is waiting to be verified."""

    latest: AuditVerification | None
    in_progress: AuditVerification | None
    anchor: ChainPosition
    head_sequence: int

    @property
    def unverified(self) -> int:
        return max(self.head_sequence - self.anchor.sequence, 0)


def audit_verification_state() -> VerificationState:
    latest = audit_verification_latest()
    head = AuditEvent.objects.aggregate(top=Max("sequence"))["top"] or 0
    return VerificationState(
        latest=latest,
        in_progress=audit_verification_in_progress(),
        anchor=audit_verification_anchor(latest),
        head_sequence=head,
    )


def audit_head_at(cutoff: datetime) -> dict[str, Any] | None:
    """The last event before ``cutoff`` ({"sequence", "hash", "key_id", "occurred_at"}): a checkpoint to keep outside
    the database.

    Each event's hash covers every event before it, so a copy of this pair (printed in each board pack) later shows
    whether the trail up to it was changed, shortened or replaced, which the chain alone cannot show for its newest
    events.
    """
    return (
        AuditEvent.objects.filter(occurred_at__lt=cutoff)
        .order_by("-occurred_at", "-sequence")
        .values("sequence", "hash", "key_id", "occurred_at")
        .first()
    )
