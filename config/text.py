"""Text people type: what is refused before it is stored (it ends up in pages, exports, charts and PDFs)."""

import re

# Control characters other than tab and line breaks (C0, DEL and C1): invisible, and not valid in XML.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_MESSAGE = "Remove the control characters (invisible characters such as backspace)."


def has_control_characters(value: str) -> bool:
    return bool(CONTROL.search(value))
