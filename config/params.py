"""Numbers read from query parameters: only plain ASCII digits that fit a bigint count as one.

`str.isdigit()` accepts "²" and "٣" (which int() then refuses or reads unexpectedly) and any length (which the database
cannot compare): a page cursor read with it is a 500 away from a crafted link.
"""

import re

_DIGITS = re.compile(r"[0-9]{1,18}")


def positive_int(value: object) -> int | None:
    """The whole number ``value`` spells in ASCII digits (at most 18 of them), or None."""
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        return int(value)
    return None
