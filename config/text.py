"""Text people type: what is refused before it is stored (it ends up in pages, exports, charts and PDFs)."""

import re
from collections.abc import Mapping

from config.errors import DomainError

# Refused wherever people type text:
# - control characters other than tab and line breaks (C0, DEL and C1): invisible, and not valid in XML;
# - the explicit direction embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): invisible, they reorder
#   how the text after them is shown, so a page, an export or a PDF could read differently from what was stored
#   (a title that shows "approve" while it holds "evorppa").
# The implicit direction marks (U+200E, U+200F and U+061C) stay allowed: they only set the direction of the neutral
# characters next to them, cannot reorder a run of text, and people writing Arabic or Hebrew next to Latin text
# need them.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
CONTROL_MESSAGE = (
    "Remove the control characters (invisible characters such as backspace or a text-direction override)."
)


def has_control_characters(value: str) -> bool:
    return bool(CONTROL.search(value))


def too_long_message(max_length: int) -> str:
    return f"At most {max_length:,} characters."


def text_errors(
    values: Mapping[str, object], *, max_lengths: Mapping[str, int] | None = None
) -> dict[str, list[str]]:
    """What is wrong with each typed value, by field name (empty when all are acceptable). Non-text values are left
    to the caller's own validation."""
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        limit = (max_lengths or {}).get(name)
        if limit is not None and len(value) > limit:
            errors.setdefault(name, []).append(too_long_message(limit))
        if has_control_characters(value):
            errors.setdefault(name, []).append(CONTROL_MESSAGE)
    return errors


def ensure_text(
    values: Mapping[str, object],
    *,
    max_lengths: Mapping[str, int] | None = None,
    message: str = "Some fields are not valid.",
) -> None:
    """Refuse typed text that is too long or holds control characters: a DomainError (400) naming each field."""
    errors = text_errors(values, max_lengths=max_lengths)
    if errors:
        raise DomainError(message, errors=errors)
