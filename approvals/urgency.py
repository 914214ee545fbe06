"""The order the review queue is read in: overdue first, then by band (critical first), then the longest waiting.

Pure: the segments the order is made of, where a page's cursor leaves off, and each row's place. The selector
(`approvals.selectors.most_urgent_page`) reads each segment from an index in that order and merges them, so a page
costs the same at a thousand use cases as at a million.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import IntEnum

from intake.vocabulary import BANDS_BY_SEVERITY

# Bands by severity, then not yet banded (""): a band's rank is its place here.
BAND_ORDER: tuple[str, ...] = (*(str(band) for band in BANDS_BY_SEVERITY), "")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Group(IntEnum):
    OVERDUE = 0  # waiting since before the cutoff
    WAITING = 1  # waiting, within the target
    UNDATED = 2  # no "waiting since" recorded: last, oldest first


def band_rank(band: str) -> int:
    return BAND_ORDER.index(band) if band in BAND_ORDER else len(BAND_ORDER) - 1


def group_of(since: datetime | None, cutoff: datetime) -> Group:
    if since is None:
        return Group.UNDATED
    return Group.OVERDUE if since < cutoff else Group.WAITING


@dataclass(frozen=True)
class Segment:
    """Rows of one group and one band (every band for the undated group), read by (since, id)."""

    group: Group
    band: str | None  # None: any band

    @property
    def rank(self) -> tuple[int, int]:
        return (self.group, 0 if self.band is None else band_rank(self.band))


SEGMENTS: tuple[Segment, ...] = (
    *(Segment(Group.OVERDUE, band) for band in BAND_ORDER),
    *(Segment(Group.WAITING, band) for band in BAND_ORDER),
    Segment(Group.UNDATED, None),
)


@dataclass(frozen=True)
class Position:
    """A row's place in the order; a page's cursor is the position of its last row."""

    group: Group
    band_rank: int
    since: datetime | None
    id: int

    @classmethod
    def of(cls, *, band: str, since: datetime | None, id: int, cutoff: datetime) -> "Position":
        group = group_of(since, cutoff)
        return cls(group, 0 if group == Group.UNDATED else band_rank(band), since, id)

    def key(self) -> tuple:
        return (self.group, self.band_rank, self.since or _EPOCH, self.id)

    def encode(self) -> str:
        """`rank.microseconds.id`: the group is not part of it, it follows from `since` and the reader's cutoff."""
        since = "-" if self.since is None else str((self.since - _EPOCH) // timedelta(microseconds=1))
        return f"{self.band_rank}.{since}.{self.id}"

    @classmethod
    def decode(cls, raw: object, cutoff: datetime) -> "Position | None":
        """The position a link's cursor names, or None when it is not one of ours (the first page is shown)."""
        parts = str(raw or "").split(".")
        if len(parts) != 3 or not all(p.isdigit() for p in (parts[0], parts[2])):
            return None
        rank, id_ = int(parts[0]), int(parts[2])
        if parts[1] == "-":
            since = None
        elif parts[1].isdigit() and len(parts[1]) <= 18:
            since = _EPOCH + timedelta(microseconds=int(parts[1]))
        else:
            return None
        if rank >= len(BAND_ORDER) or id_ < 1:
            return None
        group = group_of(since, cutoff)
        return cls(group, 0 if group == Group.UNDATED else rank, since, id_)


def after(segment: Segment, cursor: Position | None) -> str:
    """How much of ``segment`` comes after ``cursor``: "all", "part" (the rows past the cursor's since and id) or
    "none"."""
    if cursor is None:
        return "all"
    here = segment.rank
    there = (cursor.group, cursor.band_rank)
    if here > there:
        return "all"
    return "part" if here == there else "none"
