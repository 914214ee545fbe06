"""Lists read newest first, a page at a time, by the `?before=` cursor a link carries."""

from dataclasses import dataclass
from typing import Any

from config.params import positive_int


@dataclass(frozen=True)
class Page:
    items: list[Any]
    older_before: Any  # the cursor of the next older page; None on the oldest
    is_first: bool


def page_before(rows: Any, before: object, *, size: int, key: str = "id") -> Page:
    """The ``size`` rows of the ordered queryset ``rows`` whose ``key`` is below the cursor ``before`` (a raw parameter).

    One row more than the page is read to learn whether an older page exists without counting the table."""
    cursor = positive_int(before)
    if cursor is not None:
        rows = rows.filter(**{f"{key}__lt": cursor})
    read = list(rows[: size + 1])
    items = read[:size]
    return Page(
        items=items, older_before=getattr(items[-1], key) if len(read) > size else None, is_first=not cursor
    )
