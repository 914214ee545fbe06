"""Every write of board packs: request one (queued, rendered by the worker after commit), render it once, fail it.

A regeneration makes the next version of the quarter, never overwrites; downloads are audited where they are served.
"""

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.roles import Role
from audit.services import audit_record
from config.errors import DomainError, NotAllowed
from reporting.models import BoardPack, BoardPackGroupObjectPermission
from reporting.policies import can_request_packs
from reporting.quarters import Quarter
from reporting.selectors import pack_context


def _grant_pack_roles(pack: BoardPack) -> None:
    from django.contrib.auth.models import Group, Permission

    permission = Permission.objects.get(content_type__app_label="reporting", codename="view_boardpack")
    for name in (Role.BOARD_SECRETARY, Role.CIO, Role.CISO):
        group, _ = Group.objects.get_or_create(name=name)
        BoardPackGroupObjectPermission.objects.get_or_create(
            group=group, permission=permission, content_object=pack
        )


def board_pack_request(*, actor: Any | None, quarter: str) -> BoardPack:
    """Queue the next version of the quarter's pack; the worker renders it once the request has committed."""
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
            action="reporting.board_pack_requested",
            obj=pack,
            payload={"quarter": pack.quarter, "version": version, "cutoff": pack.cutoff.isoformat()},
        )
        render_board_pack.delay_on_commit(pack.pk)
    return pack


def board_pack_render(*, pack_id: int) -> BoardPack:
    """Render a queued pack exactly once: a redelivered task finds it taken or done and does nothing."""
    with transaction.atomic():
        pack = BoardPack.objects.select_for_update().get(pk=pack_id)
        if pack.status != BoardPack.Status.QUEUED:
            return pack
        pack.status, pack.started_at = BoardPack.Status.RENDERING, timezone.now()
        pack.save(update_fields=["status", "started_at"])
    try:
        from reporting.rendering import render_pack

        context = pack_context(Quarter.parse(pack.quarter), pack.cutoff, version=pack.version)
        pdf, pages, _html = render_pack(context)
    except Exception as exc:  # any failure of gathering or rendering is recorded on the pack, then re-raised
        board_pack_fail(pack_id=pack.pk, error=f"{exc.__class__.__name__}: {exc}")
        raise
    digest = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        pack = BoardPack.objects.select_for_update().get(pk=pack_id)
        pack.file.save(pack.filename, ContentFile(pdf), save=False)
        pack.sha256, pack.size_bytes, pack.page_count = digest, len(pdf), pages
        pack.status, pack.finished_at = BoardPack.Status.READY, timezone.now()
        pack.save(update_fields=["file", "sha256", "size_bytes", "page_count", "status", "finished_at"])
        audit_record(
            actor=None,
            action="reporting.board_pack_ready",
            obj=pack,
            payload={"quarter": pack.quarter, "version": pack.version, "sha256": digest, "pages": pages},
        )
    return pack


def board_pack_fail(*, pack_id: int, error: str) -> None:
    with transaction.atomic():
        pack = BoardPack.objects.select_for_update().get(pk=pack_id)
        if pack.status == BoardPack.Status.READY:
            return
        pack.status, pack.error, pack.finished_at = BoardPack.Status.FAILED, error[:4000], timezone.now()
        pack.save(update_fields=["status", "error", "finished_at"])
        audit_record(
            actor=None,
            action="reporting.board_pack_failed",
            obj=pack,
            payload={"quarter": pack.quarter, "version": pack.version, "error": error[:500]},
        )


def board_pack_downloaded(*, actor: Any, pack: BoardPack) -> None:
    audit_record(
        actor=actor,
        action="reporting.board_pack_downloaded",
        obj=pack,
        payload={"quarter": pack.quarter, "version": pack.version, "sha256": pack.sha256},
    )
