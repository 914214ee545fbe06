"""The audit events of the board packs (requested, rendered, downloaded), with their words."""

from audit.events import Payload, register


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
