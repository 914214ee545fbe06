"""Quarters as the board sees them ("2026-Q4"): parsing, bounds and the data cut-off. Pure."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from config.errors import DomainError

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        match = _QUARTER.match(text or "")
        if not match:
            raise DomainError(
                "Unknown quarter.", errors={"quarter": ["Write a quarter as YYYY-QN, e.g. 2026-Q4."]}
            )
        year, number = int(match.group(1)), int(match.group(2))
        if not 2020 <= year <= 2100:
            raise DomainError(
                "Unknown quarter.", errors={"quarter": ["Choose a year between 2020 and 2100."]}
            )
        return cls(year, number)

    @classmethod
    def containing(cls, day: date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        """The last day of the quarter."""
        return self.next().start - timedelta(days=1)

    def next(self) -> "Quarter":
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self) -> "Quarter":
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def cutoff(self, now: datetime) -> datetime:
        """Data is frozen at the quarter's end (midnight after its last day), or now for the running quarter."""
        end = datetime.combine(self.next().start, time.min, tzinfo=now.tzinfo)
        return min(end, now)

    def is_future(self, today: date) -> bool:
        return self.start > today
