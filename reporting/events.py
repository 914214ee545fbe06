"""The audit events of the board packs (requested, rendered, downloaded), with their words."""

import re

from audit.events import Payload, register
from audit.objects import ObjectKind, register_object_kind


def _pack(payload: Payload) -> str:
    return f"{payload.get('quarter', '')}, version {payload.get('version', '')}"


def _pages(payload: Payload) -> str:
    pages = payload.get("pages")
    return f"{_pack(payload)}, {pages} pages" if pages else _pack(payload)


def _error(payload: Payload) -> str:
    return f"{_pack(payload)}: {payload.get('error', '')}"


BOARD_PACK_REQUESTED = register("reporting.board_pack_requested", "Board pack requested", detail=_pack)
BOARD_PACK_RENDER_TAKEN_OVER = register(
    "reporting.board_pack_render_taken_over", "Board pack render started again", detail=_pack
)
BOARD_PACK_READY = register("reporting.board_pack_ready", "Board pack ready", detail=_pages)
BOARD_PACK_FAILED = register("reporting.board_pack_failed", "Board pack failed", detail=_error)
BOARD_PACK_DOWNLOADED = register("reporting.board_pack_downloaded", "Board pack downloaded", detail=_pack)


def _export(payload: Payload) -> str:
    rows = payload.get("rows")
    return f"{str(payload.get('kind', '')).upper()}" + (f", {rows} rows" if rows is not None else "")


REGISTER_EXPORT_REQUESTED = register(
    "reporting.register_export_requested", "Register export requested", detail=_export
)
REGISTER_EXPORT_READY = register("reporting.register_export_ready", "Register export ready", detail=_export)
REGISTER_EXPORT_FAILED = register(
    "reporting.register_export_failed",
    "Register export failed",
    detail=lambda payload: f"{_export(payload)}: {payload.get('error', '')}",
)
REGISTER_DOWNLOADED = register("reporting.register_downloaded", "Register downloaded", detail=_export)


def _statement(payload: Payload) -> str:
    return f"{payload.get('quarter', '')}, revision {payload.get('revision', '')}"


def _signed(payload: Payload) -> str:
    return f"{_pack(payload)}, as {str(payload.get('role', '')).upper()}"


def _voided(payload: Payload) -> str:
    return f"{_pack(payload)}: {payload.get('reason', '')}"


STATEMENT_WRITTEN = register("reporting.statement_written", "Board statement written", detail=_statement)
BOARD_PACK_SIGNED = register("reporting.board_pack_signed", "Board pack signed", detail=_signed)
BOARD_PACK_ISSUED = register("reporting.board_pack_issued", "Board pack issued", detail=_pack)
BOARD_PACK_VOIDED = register("reporting.board_pack_voided", "Board pack draft voided", detail=_voided)


# How the audit trail names, finds and links the objects this app's events are about.
register_object_kind(
    ObjectKind(
        object_type="reporting.boardpack",
        noun="Board pack",
        key="pk",
        url_name="reporting:list",
        pattern=re.compile(r"(?:board\s*)?pack\s*#?\s*(?P<key>\d{1,18})", re.IGNORECASE),
        numeric_key=True,
        url_takes_key=False,
        guarded=True,
        example="pack 12",
    )
)
