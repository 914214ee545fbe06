"""Every write of board packs: request one (queued, rendered by the worker after commit), render it once (taking over
a render whose worker died), fail it, and sweep renders that went silent; the quarter's joint statement, the CIO's and
the CISO's signatures on a version's content hash, and the issued copy the second signature has the worker render.

A regeneration makes the next version of the quarter, never overwrites; downloads are audited where they are served.
"""

import hashlib
import json
import logging
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, is_dataclass
from datetime import UTC as UTC_TZ
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from math import ceil
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import connections, transaction
from django.db.models import Max, Q
from django.utils import timezone

from accounts.roles import Role
from audit.services import AuditCheckpointRefused, audit_checkpoint_write, audit_record
from config.errors import DomainError, InvalidTransition, NotAllowed, RateLimited
from config.quarters import Quarter
from config.text import ensure_text
from outbox.services import enqueue
from reporting import events, policies
from reporting.exports import WRITERS
from reporting.models import (
    BoardPack,
    BoardPackGroupObjectPermission,
    PackSignature,
    QuarterStatement,
    RegisterExport,
)
from reporting.pack import pack_context
from reporting.policies import can_request_packs
from reporting.selectors import DASHBOARD_CACHE_KEY, register_rows_iter
from reporting.workflow import (
    FINISHED,
    UNISSUED,
    IssuanceAction,
    IssuanceState,
    PackAction,
    next_issuance,
    next_state,
)

logger = logging.getLogger(__name__)


def _grant_pack_roles(pack: BoardPack) -> None:
    from django.contrib.auth.models import Group, Permission

    permission = Permission.objects.get(content_type__app_label="reporting", codename="view_boardpack")
    for name in (Role.BOARD_SECRETARY, Role.CIO, Role.CISO):
        group, _ = Group.objects.get_or_create(name=name)
        BoardPackGroupObjectPermission.objects.get_or_create(
            group=group, permission=permission, content_object=pack
        )


def board_pack_request(*, actor: Any | None, quarter: str) -> BoardPack:
    """Queue the next version of the quarter's pack; the worker renders it once the request has committed (through
    the outbox, so a request made while the broker is down is rendered when it is back)."""
    if actor is not None and not can_request_packs(actor):
        raise NotAllowed("Only board secretaries, the CIO and the CISO request board packs.")
    parsed = Quarter.parse(quarter)
    now = timezone.now()
    if parsed.is_future(timezone.localdate()):
        raise DomainError(
            "That quarter has not started.", errors={"quarter": ["Choose a quarter that has started."]}
        )
    with transaction.atomic():
        if actor is not None:
            _ensure_within_hourly_limit(actor, now)
        # Serialise versions of one quarter: lock the existing rows of that quarter (none for a first version).
        list(BoardPack.objects.select_for_update().filter(quarter=str(parsed)).values_list("pk", flat=True))
        version = (BoardPack.objects.filter(quarter=str(parsed)).aggregate(v=Max("version"))["v"] or 0) + 1
        pack = _pack_queue(parsed, version, actor=actor, now=now)
    return pack


def _pack_queue(quarter: Quarter, version: int, *, actor: Any, now: datetime) -> BoardPack:
    """A new version of ``quarter``'s pack, readable by the pack roles, audited and sent to the worker (inside the
    caller's transaction, which holds the quarter's rows)."""
    pack = BoardPack.objects.create(
        quarter=str(quarter),
        version=version,
        requested_by=actor,
        requested_at=now,
        cutoff=quarter.cutoff(now),
    )
    _grant_pack_roles(pack)
    audit_record(
        actor=actor,
        action=events.BOARD_PACK_REQUESTED,
        obj=pack,
        payload={"quarter": pack.quarter, "version": version, "cutoff": pack.cutoff.isoformat()},
    )
    from reporting.tasks import render_board_pack  # the tasks import these services

    enqueue(render_board_pack, pack.pk)
    return pack


def _ensure_within_hourly_limit(actor: Any, now: datetime) -> None:
    """Each render costs a worker seconds and hundreds of MiB: a person may ask for a few packs an hour."""
    limit = settings.BOARD_PACK_REQUESTS_PER_HOUR
    # The person's row first, so two requests at once cannot both pass the count.
    get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
    recent = list(
        BoardPack.objects.filter(requested_by=actor, requested_at__gt=now - timedelta(hours=1))
        .order_by("-requested_at")
        .values_list("requested_at", flat=True)[:limit]
    )
    if limit > 0 and len(recent) >= limit:
        retry_after = max(1, ceil((recent[-1] + timedelta(hours=1) - now).total_seconds()))
        raise RateLimited(
            f"You have asked for {limit} board packs in the last hour; ask again in "
            f"{max(1, ceil(retry_after / 60))} minutes.",
            retry_after=retry_after,
        )


def _pack_transition(pack: BoardPack, action: str, **changes: Any) -> None:
    """The one place a board pack changes status: through the lifecycle table, with the fields that go with the move.
    The caller holds the pack's row lock and has decided that this take may move it (lease, attempt)."""
    pack.status = next_state(pack.status, action)
    for field, value in changes.items():
        setattr(pack, field, value)
    pack.save(update_fields=["status", *changes])


def board_pack_render(*, pack_id: int) -> BoardPack:
    """Render a pack once. A queued pack is taken; a pack whose render has gone silent (its worker died: no heartbeat
    for BOARD_PACK_STALE_SECONDS) is taken over; a pack being rendered by a live worker, or finished, is left alone.
    Only the latest take may finish it, so a pack gets exactly one file. A version both executives have signed gets
    its issued copy instead (the same content, signed)."""
    if BoardPack.objects.filter(pk=pack_id, issuance=IssuanceState.ISSUING).exists():
        return _render_issued_copy(pack_id)
    now = timezone.now()
    stale = timedelta(seconds=settings.BOARD_PACK_STALE_SECONDS)
    with transaction.atomic():
        pack = BoardPack.objects.select_for_update().get(pk=pack_id)
        silent_since = pack.heartbeat_at or pack.started_at
        taking_over = pack.status == BoardPack.Status.RENDERING and (
            silent_since is None or silent_since < now - stale
        )
        if pack.status != BoardPack.Status.QUEUED and not taking_over:
            return pack
        if taking_over and pack.render_attempt >= settings.BOARD_PACK_MAX_ATTEMPTS:
            # Every render so far died (out of memory, killed at the time limit): stop taking it over, and say so.
            board_pack_fail(
                pack_id=pack_id,
                error=f"The render was interrupted {pack.render_attempt} times (its worker died each time); ask "
                "for the pack again, or look at the worker's memory and time limits.",
                attempt=pack.render_attempt,
            )
            return BoardPack.objects.get(pk=pack_id)
        _pack_transition(
            pack,
            PackAction.TAKE_OVER if taking_over else PackAction.START,
            started_at=now,
            heartbeat_at=now,
            render_attempt=pack.render_attempt + 1,
        )
        if taking_over:
            audit_record(
                actor=None,
                action=events.BOARD_PACK_RENDER_TAKEN_OVER,
                obj=pack,
                payload={
                    "quarter": pack.quarter,
                    "version": pack.version,
                    "attempt": pack.render_attempt,
                    "silent_since": silent_since.isoformat() if silent_since else None,
                },
            )
    attempt = pack.render_attempt
    # Read after the take has committed: a statement saved before it is in this version; one saved after it voids it.
    statement = QuarterStatement.objects.filter(quarter=pack.quarter).first()
    frozen = _statement_fields(statement)
    try:
        from reporting.rendering import render_pack, render_process

        # The render process loads WeasyPrint while this one gathers the data.
        with _heartbeat(pack.pk, attempt), render_process() as process:
            context = _pack_content(pack, statement=frozen, signatures=[])
            pdf, pages, _html = render_pack(context, process=process)
    except Exception as exc:  # any failure of gathering or rendering is recorded on the pack, then re-raised
        board_pack_fail(pack_id=pack.pk, error=f"{exc.__class__.__name__}: {exc}", attempt=attempt)
        raise
    digest = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        pack = BoardPack.objects.select_for_update().get(pk=pack_id)
        if pack.status != BoardPack.Status.RENDERING or pack.render_attempt != attempt:
            return pack  # taken over meanwhile (this worker was thought dead): the other render finishes it
        pack.file.save(pack.filename, ContentFile(pdf), save=False)
        _pack_transition(
            pack,
            PackAction.FINISH,
            file=pack.file,
            sha256=digest,
            size_bytes=len(pdf),
            page_count=pages,
            finished_at=timezone.now(),
            content_hash=context["content_hash"],
            **frozen,
        )
        audit_record(
            actor=None,
            action=events.BOARD_PACK_READY,
            obj=pack,
            payload={
                "quarter": pack.quarter,
                "version": pack.version,
                "sha256": digest,
                "pages": pages,
                "content_hash": pack.content_hash,
            },
        )
        if pack.requested_by_id is None:
            from reporting.tasks import notify_pack_ready

            enqueue(notify_pack_ready, pack.pk)
    _checkpoint_audit_trail(pack)
    return pack


def _checkpoint_audit_trail(pack: BoardPack) -> None:
    """Every pack is also a moment to copy the audit chain's head outside the database (e-mailed to the CIO and the
    CISO). A refusal (the chain no longer extends the last checkpoint) has already raised the alarm; the pack stands."""
    try:
        audit_checkpoint_write(reason=f"board pack {pack.quarter} v{pack.version}")
    except AuditCheckpointRefused:
        logger.error("Board pack %s v%s: the audit checkpoint was refused", pack.quarter, pack.version)


@contextmanager
def _heartbeat(pack_id: int, attempt: int) -> Iterator[None]:
    """While the block runs, a thread marks the render alive every BOARD_PACK_HEARTBEAT_SECONDS (WeasyPrint runs for
    seconds to minutes in one call, so the beat cannot come from the render itself)."""
    stop = threading.Event()
    interval = settings.BOARD_PACK_HEARTBEAT_SECONDS

    def beat() -> None:
        try:
            while not stop.wait(interval):
                BoardPack.objects.filter(
                    pk=pack_id, status=BoardPack.Status.RENDERING, render_attempt=attempt
                ).update(heartbeat_at=timezone.now())
        except Exception:  # a missed beat only risks an early takeover, which the attempt check makes safe
            logger.warning("Board pack %s: heartbeat failed", pack_id, exc_info=True)
        finally:
            connections.close_all()

    thread = threading.Thread(target=beat, name=f"board-pack-{pack_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=interval + 5)


def board_pack_fail(*, pack_id: int, error: str, attempt: int | None = None) -> None:
    with transaction.atomic():
        pack = BoardPack.objects.select_for_update().get(pk=pack_id)
        if pack.status in FINISHED:
            return  # a pack that has its file keeps it; one that failed keeps the reason it failed first
        if attempt is not None and pack.render_attempt != attempt:
            return  # a later take owns the pack now
        _pack_transition(pack, PackAction.FAIL, error=error[:4000], finished_at=timezone.now())
        audit_record(
            actor=None,
            action=events.BOARD_PACK_FAILED,
            obj=pack,
            payload={"quarter": pack.quarter, "version": pack.version, "error": error[:500]},
        )


def board_pack_sweep(*, now: datetime | None = None) -> list[int]:
    """Every minute (beat): renders that went silent, and packs queued too long, are sent to a worker again.
    Publishing twice is harmless: a live render is left alone and a finished pack is not rendered again."""
    from reporting.tasks import render_board_pack

    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.BOARD_PACK_STALE_SECONDS)
    waited = now - timedelta(seconds=settings.BOARD_PACK_QUEUED_SECONDS)
    due = list(
        BoardPack.objects.filter(
            Q(status=BoardPack.Status.RENDERING)
            & (Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True, started_at__lt=stale))
            | Q(status=BoardPack.Status.QUEUED, requested_at__lt=waited)
            # signed by both, its issued copy not yet rendered (and no attempt at it for as long)
            | Q(issuance=IssuanceState.ISSUING, issuance_changed_at__lt=waited)
            & (Q(issue_attempted_at__isnull=True) | Q(issue_attempted_at__lt=waited))
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:100]
    )
    for pack_id in due:
        render_board_pack.apply_async(args=[pack_id], retry=False, ignore_result=True)
    return due


def board_pack_downloaded(*, actor: Any, pack: BoardPack, issued: bool = False) -> None:
    audit_record(
        actor=actor,
        action=events.BOARD_PACK_DOWNLOADED,
        obj=pack,
        payload={
            "quarter": pack.quarter,
            "version": pack.version,
            "sha256": pack.issued_sha256 if issued else pack.sha256,
            "copy": "issued" if issued else "draft",
        },
    )


DASHBOARD_SNAPSHOT_KEYS = ("quarter", "cutoff", "summary", "portfolio", "heatmap")
DECISION_FIGURES = ("count", "median_days", "p90_days")


def dashboard_refresh(*, now: datetime | None = None) -> dict[str, Any]:
    """Gather the running quarter's figures as of ``now`` into the dashboard's snapshot (selectors.dashboard_snapshot)
    and return them. Kept a little longer than two refresh intervals, so a page can tell a late refresh from none."""
    now = now or timezone.now()
    context = pack_context(Quarter.containing(timezone.localtime(now).date()), now)
    # Only the figures the dashboard shows: the pack's lists (the register, decisions, conditions) grow with the
    # portfolio, and the snapshot is read back, whole, on every view (650 ms at 1,000,000 use cases when it held them).
    snapshot = {key: context[key] for key in DASHBOARD_SNAPSHOT_KEYS}
    snapshot["decisions"] = {
        key: value for key, value in context["decisions"].items() if key in DECISION_FIGURES
    }
    cache.set(DASHBOARD_CACHE_KEY, snapshot, timeout=settings.DASHBOARD_REFRESH_SECONDS * 3)
    return snapshot


# --- register exports too large for a request ------------------------------------------------------------------

# An export queued or running for longer than this was lost with its worker: asking again queues a new one, and a
# redelivered message may take it over.
REGISTER_EXPORT_STALE = timedelta(minutes=15)


def register_downloaded(
    *, actor: Any, kind: str, rows: int | None, export: RegisterExport | None = None
) -> None:
    """Every download of the register (it lists the whole portfolio) is on the audit trail, small or large."""
    audit_record(
        actor=actor,
        action=events.REGISTER_DOWNLOADED,
        obj=export,
        payload={"kind": kind, "rows": rows, "export": export.pk if export else None},
    )


def register_export_request(*, actor: Any, kind: str) -> RegisterExport:
    """Queue the register for the worker (one of this kind already waiting or running for this person is reused)."""
    if not can_request_packs(actor):
        raise NotAllowed("Only board secretaries, the CIO and the CISO export the register.")
    kind = RegisterExport.Kind(kind)
    now = timezone.now()
    with transaction.atomic():
        waiting = (
            RegisterExport.objects.select_for_update()
            .filter(
                requested_by=actor,
                kind=kind,
                status__in=[RegisterExport.Status.QUEUED, RegisterExport.Status.RUNNING],
                requested_at__gte=now - REGISTER_EXPORT_STALE,
            )
            .order_by("-requested_at")
            .first()
        )
        if waiting is not None:
            return waiting
        export = RegisterExport.objects.create(kind=kind, requested_by=actor, requested_at=now)
        audit_record(actor=actor, action=events.REGISTER_EXPORT_REQUESTED, obj=export, payload={"kind": kind})
        from reporting.tasks import export_register  # the tasks import these services

        enqueue(export_register, export.pk)
    return export


def register_export_run(*, export_id: int) -> RegisterExport:
    """Produce a queued export: rows streamed from the database into a temporary file, then into storage. Claimed
    once (a redelivered message for a finished or live export does nothing); one whose worker died is taken over."""
    now = timezone.now()
    claimable = Q(status=RegisterExport.Status.QUEUED) | Q(
        status=RegisterExport.Status.RUNNING, started_at__lt=now - REGISTER_EXPORT_STALE
    )
    if not RegisterExport.objects.filter(claimable, pk=export_id).update(
        status=RegisterExport.Status.RUNNING, started_at=now
    ):
        return RegisterExport.objects.get(pk=export_id)
    export = RegisterExport.objects.get(pk=export_id)
    try:
        with tempfile.TemporaryFile() as out:
            # Read in one transaction: a server-side cursor on PostgreSQL, and one consistent snapshot of the data.
            with transaction.atomic():
                rows = WRITERS[export.kind](register_rows_iter(now=export.requested_at), out)
            size = out.tell()
            out.seek(0)
            export.file.save(export.filename, File(out), save=False)
    except Exception as exc:
        with transaction.atomic():
            RegisterExport.objects.filter(pk=export_id).update(
                status=RegisterExport.Status.FAILED, finished_at=timezone.now(), error=str(exc)[:2000]
            )
            audit_record(
                actor=None,
                action=events.REGISTER_EXPORT_FAILED,
                obj=export,
                payload={"kind": export.kind, "error": f"{exc.__class__.__name__}: {exc}"[:500]},
            )
        raise
    with transaction.atomic():
        export.status, export.finished_at = RegisterExport.Status.READY, timezone.now()
        export.rows, export.size_bytes = rows, size
        export.save(update_fields=["status", "finished_at", "rows", "size_bytes", "file"])
        audit_record(
            actor=None,
            action=events.REGISTER_EXPORT_READY,
            obj=export,
            payload={"kind": export.kind, "rows": rows, "size_bytes": size},
        )
    return export


# --- issuance: the joint statement, the signatures, the issued copy ---------------------------------------------

STATEMENT_MAX_LENGTH = 2000
# Left out of the content hash: what the signatures add, and when the file was made.
_UNHASHED = frozenset({"generated_at", "content_hash"})
_UNHASHED_ISSUE = frozenset({"signatures", "issued"})


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC_TZ).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if hasattr(value, "pk"):
        return f"{value._meta.label}:{value.pk}"
    raise TypeError(f"{type(value).__name__} has no canonical form in a board pack's content")


def content_hash(context: dict[str, Any]) -> str:
    """SHA-256 of the pack's content: a canonical JSON of the context without the signatures, the issued flag and the
    generation time. The CIO and the CISO sign this; the issued copy has the same one."""
    content = {key: value for key, value in context.items() if key not in _UNHASHED}
    issue = content.get("issue")
    if isinstance(issue, dict):
        content["issue"] = {key: value for key, value in issue.items() if key not in _UNHASHED_ISSUE}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_canonical)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _statement_fields(statement: QuarterStatement | None) -> dict[str, Any]:
    """The statement as a version is rendered with it: kept on the version, so the issued copy has the same words."""
    if statement is None:
        return {
            "statement_revision": 0,
            "statement_text": "",
            "statement_authors": [],
            "statement_updated_at": None,
        }
    return {
        "statement_revision": statement.revision,
        "statement_text": statement.text,
        "statement_authors": sorted(_display_name(u) for u in statement.authors.all()),
        "statement_updated_at": statement.updated_at,
    }


def _display_name(user: Any) -> str:
    return (user.get_full_name() or user.get_username()).strip()


def issue_of(
    pack: BoardPack, *, statement: dict[str, Any], signatures: list[PackSignature], issued: bool
) -> dict:
    """The context's ``issue`` key (the cover, the statement page and the watermark read it)."""
    return {
        "issued": issued,
        "interim": pack.is_interim,
        "statement": (
            {
                "text": statement["statement_text"],
                "written_by": list(statement["statement_authors"]),
                "updated_at": statement["statement_updated_at"],
            }
            if statement["statement_revision"]
            else None
        ),
        "signatures": [
            {"role": Role(s.role).label, "name": _display_name(s.signer), "signed_at": s.signed_at}
            for s in sorted(signatures, key=lambda s: policies.SIGNING_ROLES.index(s.role))
        ],
    }


def _pack_content(
    pack: BoardPack, *, statement: dict[str, Any], signatures: list[PackSignature], issued: bool = False
) -> dict[str, Any]:
    context = pack_context(Quarter.parse(pack.quarter), pack.cutoff, version=pack.version)
    context["issue"] = issue_of(pack, statement=statement, signatures=signatures, issued=issued)
    context["content_hash"] = content_hash(context)
    return context


def _issuance_transition(pack: BoardPack, action: str, *, actor: Any | None, **payload: Any) -> None:
    """The one place a version's issuance changes: through its table, audited. The caller holds the row lock."""
    pack.issuance = next_issuance(pack.issuance, action)
    pack.issuance_changed_at = timezone.now()
    fields = ["issuance", "issuance_changed_at"]
    if action == IssuanceAction.VOID:
        pack.void_reason = str(payload.get("reason", ""))[:300]
        fields.append("void_reason")
    if action == IssuanceAction.ISSUE:
        fields += ["issued_at", "issued_file", "issued_sha256", "issued_size_bytes"]
    pack.save(update_fields=fields)
    if action == IssuanceAction.VOID:
        now = timezone.now()
        pack.signatures.filter(voided_at__isnull=True).update(voided_at=now, void_reason=pack.void_reason)
        audit_record(
            actor=actor,
            action=events.BOARD_PACK_VOIDED,
            obj=pack,
            payload={"quarter": pack.quarter, "version": pack.version, **payload},
        )


def statement_save(*, actor: Any, quarter: str, text: str) -> QuarterStatement:
    """Write or edit the quarter's joint statement. The quarter's unissued versions no longer hold these words, so
    they are void (their signatures with them) and a new draft is queued for both to sign."""
    policies.ensure_can_write_statement(actor)
    parsed = Quarter.parse(quarter)
    text = (text or "").strip()
    ensure_text(
        {"text": text}, max_lengths={"text": STATEMENT_MAX_LENGTH}, message="The statement is not valid."
    )
    if not text:
        raise DomainError("Write the statement.", errors={"text": ["Write the statement for the board."]})
    now = timezone.now()
    with transaction.atomic():
        packs = list(BoardPack.objects.select_for_update().filter(quarter=str(parsed)).order_by("version"))
        issued = next((p for p in packs if p.issuance in (IssuanceState.ISSUING, IssuanceState.ISSUED)), None)
        if issued is not None:
            raise InvalidTransition(
                f"Version {issued.version} of the {parsed} pack is signed by both; its statement can no longer change.",
                errors={"text": ["The pack for this quarter is issued."]},
            )
        statement = QuarterStatement.objects.select_for_update().filter(quarter=str(parsed)).first()
        if statement is not None and statement.text == text:
            return statement
        if statement is None:
            statement = QuarterStatement.objects.create(
                quarter=str(parsed), text=text, updated_by=actor, updated_at=now
            )
        else:
            statement.text, statement.revision, statement.updated_by, statement.updated_at = (
                text,
                statement.revision + 1,
                actor,
                now,
            )
            statement.save(update_fields=["text", "revision", "updated_by", "updated_at"])
        statement.authors.add(actor)
        audit_record(
            actor=actor,
            action=events.STATEMENT_WRITTEN,
            obj=statement,
            payload={"quarter": statement.quarter, "revision": statement.revision, "length": len(text)},
        )
        for pack in packs:
            # A queued version has not read the statement yet: it will be rendered with these words.
            if pack.issuance in UNISSUED and pack.status != BoardPack.Status.QUEUED:
                _issuance_transition(
                    pack,
                    IssuanceAction.VOID,
                    actor=actor,
                    reason="The statement changed after this version was prepared.",
                )
        if not any(p.status == BoardPack.Status.QUEUED for p in packs):
            _pack_queue(parsed, (packs[-1].version if packs else 0) + 1, actor=actor, now=now)
        _notify("statement", actor=actor, statement_id=statement.pk)
    return statement


def board_pack_sign(*, actor: Any, pack: BoardPack, role: str, seen_hash: str) -> BoardPack:
    """Sign version ``pack``'s content ``seen_hash`` as ``role``. The second signature has the worker render the
    issued copy; the quarter's other unissued versions are void from then on."""
    policies.ensure_can_sign_as(actor, role)
    from reporting.tasks import render_board_pack

    with transaction.atomic():
        locked = BoardPack.objects.select_for_update().get(pk=pack.pk)
        valid = list(locked.signatures.filter(voided_at__isnull=True))
        statement = QuarterStatement.objects.filter(quarter=locked.quarter).only("revision").first()
        issued = (
            BoardPack.objects.filter(
                quarter=locked.quarter, issuance__in=[IssuanceState.ISSUING, IssuanceState.ISSUED]
            )
            .values_list("version", flat=True)
            .first()
        )
        refusal = policies.signing_refusal(
            actor,
            locked,
            valid=valid,
            statement_revision=statement.revision if statement else 0,
            issued_version=issued,
            role=role,
        )
        if refusal is not None:
            refusal.raise_it()
        if seen_hash != locked.content_hash:
            raise InvalidTransition(
                "The pack changed since you opened it; review the current version before signing.",
                errors={"content_hash": ["Does not match this version's content."]},
            )
        signature = PackSignature.objects.create(
            pack=locked, signer=actor, role=role, signed_at=timezone.now(), content_hash=locked.content_hash
        )
        audit_record(
            actor=actor,
            action=events.BOARD_PACK_SIGNED,
            obj=locked,
            payload={
                "quarter": locked.quarter,
                "version": locked.version,
                "role": role,
                "content_hash": signature.content_hash,
            },
        )
        completes = len(valid) + 1 == len(policies.SIGNING_ROLES)
        _issuance_transition(
            locked, IssuanceAction.COUNTERSIGN if completes else IssuanceAction.SIGN, actor=actor
        )
        if completes:
            others = BoardPack.objects.select_for_update().filter(
                quarter=locked.quarter, issuance__in=UNISSUED
            )
            for other in others.exclude(pk=locked.pk):
                _issuance_transition(
                    other,
                    IssuanceAction.VOID,
                    actor=actor,
                    reason=f"Version {locked.version} of this quarter was signed by both.",
                )
            enqueue(render_board_pack, locked.pk)
        _notify("signed", actor=actor, pack_id=locked.pk, role=role)
    return locked


def _render_issued_copy(pack_id: int) -> BoardPack:
    """The issued PDF of the signed content: no watermark, the signatories on the cover. Its content hash must be the
    one signed; if the data read again no longer gives it, the signatures are not on this content and it is void.

    Each render is an attempt, counted under the row lock before it starts: after BOARD_PACK_MAX_ATTEMPTS that failed
    (or whose worker died) the version is void with the reason, and both executives and the secretaries are told, so
    a fault is neither retried forever nor left unexplained."""
    with transaction.atomic():
        pack = BoardPack.objects.select_for_update().get(pk=pack_id)
        if pack.issuance != IssuanceState.ISSUING:
            return pack  # issued (or void) already: a redelivery does nothing
        if pack.issue_attempts >= settings.BOARD_PACK_MAX_ATTEMPTS:
            _give_up_issuing(pack, pack.issue_error or "its worker stopped before it finished, each time")
            return pack
        pack.issue_attempts += 1
        pack.issue_attempted_at = timezone.now()
        pack.save(update_fields=["issue_attempts", "issue_attempted_at"])
    attempt = pack.issue_attempts
    # Valid while the version is issuing: only a move out of it voids them, and that is checked again below.
    signatures = list(pack.signatures.filter(voided_at__isnull=True).select_related("signer"))
    try:
        pdf, matches = _issued_pdf(pack, signatures)
    except Exception as exc:
        logger.exception(
            "Board pack %s v%s: the issued copy failed (attempt %s)", pack.quarter, pack.version, attempt
        )
        with transaction.atomic():
            pack = BoardPack.objects.select_for_update().get(pk=pack_id)
            if pack.issuance == IssuanceState.ISSUING:
                pack.issue_error = f"{exc.__class__.__name__}: {exc}"[:2000]
                pack.save(update_fields=["issue_error"])
                if attempt >= settings.BOARD_PACK_MAX_ATTEMPTS:
                    _give_up_issuing(pack, pack.issue_error)
        return pack
    with transaction.atomic():
        pack = BoardPack.objects.select_for_update().get(pk=pack_id)
        if pack.issuance != IssuanceState.ISSUING:
            return pack  # issued by another delivery of the same task
        if not matches:
            _issuance_transition(
                pack,
                IssuanceAction.VOID,
                actor=None,
                reason="The pack's data changed after it was signed; prepare a new version.",
            )
            return pack
        pack.issued_file.save(pack.issued_filename, ContentFile(pdf), save=False)
        pack.issued_sha256 = hashlib.sha256(pdf).hexdigest()
        pack.issued_size_bytes = len(pdf)
        pack.issued_at = timezone.now()
        _issuance_transition(pack, IssuanceAction.ISSUE, actor=None)
        audit_record(
            actor=None,
            action=events.BOARD_PACK_ISSUED,
            obj=pack,
            payload={
                "quarter": pack.quarter,
                "version": pack.version,
                "content_hash": pack.content_hash,
                "sha256": pack.issued_sha256,
                "signatures": [{"role": s.role, "signer": s.signer.get_username()} for s in signatures],
            },
        )
        _notify("issued", actor=None, pack_id=pack_id)
    return pack


def _issued_pdf(pack: BoardPack, signatures: list[PackSignature]) -> tuple[bytes, bool]:
    """(the issued copy's PDF, whether the data still gives the content signed); no PDF when it does not."""
    from reporting.rendering import render_pack, render_process

    statement = {
        "statement_revision": pack.statement_revision,
        "statement_text": pack.statement_text,
        "statement_authors": pack.statement_authors,
        "statement_updated_at": pack.statement_updated_at,
    }
    with render_process() as process:
        context = _pack_content(pack, statement=statement, signatures=signatures, issued=True)
        if context["content_hash"] != pack.content_hash:
            return b"", False
        return render_pack(context, process=process)[0], True


def _give_up_issuing(pack: BoardPack, error: str) -> None:
    """The issued copy could not be rendered in BOARD_PACK_MAX_ATTEMPTS: the version is void (a new one can be
    prepared and signed) and everyone it concerns is told why. The caller holds the row lock."""
    _issuance_transition(
        pack,
        IssuanceAction.VOID,
        actor=None,
        reason=f"The issued copy could not be rendered in {pack.issue_attempts} attempts ({error})"[:290]
        + "; prepare a new version.",
        attempts=pack.issue_attempts,
    )
    _notify("issue_failed", actor=None, pack_id=pack.pk)


def _notify(kind: str, *, actor: Any | None, **ids: Any) -> None:
    """E-mail through the outbox, in the caller's transaction: sent once it commits, retried while the mail server is
    away, and never sent for a change that rolled back."""
    from reporting.tasks import notify_issuance

    enqueue(notify_issuance, kind, actor_id=actor.pk if actor is not None else None, **ids)
