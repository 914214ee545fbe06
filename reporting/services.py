"""Every write of board packs: request one (queued, rendered by the worker after commit), render it once (taking over
a render whose worker died), fail it, and sweep renders that went silent.

A regeneration makes the next version of the quarter, never overwrites; downloads are audited where they are served.
"""

import hashlib
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from math import ceil
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import connections, transaction
from django.db.models import Max, Q
from django.utils import timezone

from accounts.roles import Role
from audit.services import AuditCheckpointRefused, audit_checkpoint_write, audit_record
from config.errors import DomainError, NotAllowed, RateLimited
from outbox.services import enqueue
from reporting import events
from reporting.models import BoardPack, BoardPackGroupObjectPermission
from reporting.pack import pack_context
from reporting.policies import can_request_packs
from reporting.quarters import Quarter
from reporting.workflow import FINISHED, PackAction, next_state

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
    from reporting.tasks import render_board_pack

    with transaction.atomic():
        if actor is not None:
            _ensure_within_hourly_limit(actor, now)
        # Serialise versions of one quarter: lock the existing rows of that quarter (none for a first version).
        list(BoardPack.objects.select_for_update().filter(quarter=str(parsed)).values_list("pk", flat=True))
        version = (BoardPack.objects.filter(quarter=str(parsed)).aggregate(v=Max("version"))["v"] or 0) + 1
        pack = BoardPack.objects.create(
            quarter=str(parsed),
            version=version,
            requested_by=actor,
            requested_at=now,
            cutoff=parsed.cutoff(now),
        )
        _grant_pack_roles(pack)
        audit_record(
            actor=actor,
            action=events.BOARD_PACK_REQUESTED,
            obj=pack,
            payload={"quarter": pack.quarter, "version": version, "cutoff": pack.cutoff.isoformat()},
        )
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
    Only the latest take may finish it, so a pack gets exactly one file."""
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
    try:
        from reporting.rendering import render_pack

        with _heartbeat(pack.pk, attempt):
            context = pack_context(Quarter.parse(pack.quarter), pack.cutoff, version=pack.version)
            pdf, pages, _html = render_pack(context)
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
        )
        audit_record(
            actor=None,
            action=events.BOARD_PACK_READY,
            obj=pack,
            payload={"quarter": pack.quarter, "version": pack.version, "sha256": digest, "pages": pages},
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
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:100]
    )
    for pack_id in due:
        render_board_pack.apply_async(args=[pack_id], retry=False, ignore_result=True)
    return due


def board_pack_downloaded(*, actor: Any, pack: BoardPack) -> None:
    audit_record(
        actor=actor,
        action=events.BOARD_PACK_DOWNLOADED,
        obj=pack,
        payload={"quarter": pack.quarter, "version": pack.version, "sha256": pack.sha256},
    )
