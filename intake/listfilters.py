"""The requests list's filters: read from the query string, checked against the vocabularies, described as chips.

Pure: no database. `parse_filters` turns the parameters into `RequestFilters` and a message for each value it could
not read (named by its filter and then ignored); `intake.selectors.use_cases_filtered` applies them.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from intake.deadlines import TARGET_WORKING_DAYS
from intake.vocabulary import BANDS_BY_SEVERITY, Tier, Verdict
from intake.workflow import Status

YES = "yes"


class ExceptionFilter:
    """`exception=`: live with a standing exception to the boundary, or with one whose date has passed."""

    STANDING = "standing"
    EXPIRED = "expired"
    LABELS = {STANDING: "With an exception", EXPIRED: "Exception expired"}


# The order chips are shown in, and the parameter each reads.
FILTER_NAMES = ("status", "tier", "band", "verdict", "likelihood", "impact", "score", "overdue", "exception")
FILTER_LABELS = {
    "status": "Status",
    "tier": "EU AI Act tier",
    "band": "Band",
    "verdict": "Boundary verdict",
    "likelihood": "Likelihood",
    "impact": "Impact",
    "score": "Score",
    "overdue": "Overdue",
    "exception": "Exception",
}
_CHOICES: dict[str, dict[str, str]] = {
    "status": {value: str(label) for value, label in Status.choices},
    "tier": {value: str(label) for value, label in Tier.choices},
    "band": {str(band.value): str(band.label) for band in BANDS_BY_SEVERITY},
    "verdict": {value: str(label) for value, label in Verdict.choices},
    "overdue": {YES: f"Waiting longer than {TARGET_WORKING_DAYS} working days"},
    "exception": ExceptionFilter.LABELS,
}
# Numbers and their inclusive range.
_RANGES = {"likelihood": (1, 5), "impact": (1, 5), "score": (1, 25)}
# Filters that take several values (any of them matches); the others take one.
_MANY = frozenset({"status", "tier", "band", "verdict"})


@dataclass(frozen=True)
class RequestFilters:
    status: tuple[str, ...] = ()
    tier: tuple[str, ...] = ()
    band: tuple[str, ...] = ()
    verdict: tuple[str, ...] = ()
    likelihood: int | None = None
    impact: int | None = None
    score: int | None = None
    overdue: bool = False
    exception: str = ""
    errors: tuple[str, ...] = field(default=(), compare=False)

    def pairs(self) -> list[tuple[str, str]]:
        """The active filters as (parameter, value), in the order of FILTER_NAMES: what a link carries."""
        pairs: list[tuple[str, str]] = []
        for name in FILTER_NAMES:
            value = getattr(self, name)
            if name in _MANY:
                pairs.extend((name, item) for item in value)
            elif name == "overdue":
                if value:
                    pairs.append((name, YES))
            elif value not in (None, ""):
                pairs.append((name, str(value)))
        return pairs

    @property
    def active(self) -> bool:
        return bool(self.pairs())

    def query(self) -> str:
        """The filters as a query string (no leading "?"), for the "Older" link."""
        return urlencode(self.pairs())

    def chips(self) -> list[dict[str, str]]:
        """One chip per active value: its words ("Band: Critical") and the query string without it."""
        pairs = self.pairs()
        chips = []
        for index, (name, value) in enumerate(pairs):
            rest = pairs[:index] + pairs[index + 1 :]
            chips.append(
                {
                    "name": name,
                    "value": value,
                    "text": f"{FILTER_LABELS[name]}: {value_label(name, value)}",
                    "without": urlencode(rest),
                }
            )
        return chips


def value_label(name: str, value: str) -> str:
    if name in _CHOICES:
        return _CHOICES[name].get(value, value)
    return value


def filters_query(**values: Any) -> str:
    """A query string for the requests list from keyword filters (lists for several values), checked as a link is."""
    pairs: list[tuple[str, str]] = []
    for name in FILTER_NAMES:
        value = values.pop(name, None)
        if value is None or value is False or value == "":
            continue
        if value is True:
            value = YES
        items = value if isinstance(value, list | tuple | set | frozenset) else [value]
        pairs.extend(
            (name, str(item)) for item in (sorted(items) if isinstance(value, set | frozenset) else items)
        )
    if values:
        raise ValueError(f"not a filter of the requests list: {', '.join(sorted(values))}")
    return urlencode(pairs)


def _getlist(params: Any, name: str) -> list[str]:
    if hasattr(params, "getlist"):
        return [str(v) for v in params.getlist(name)]
    value = params.get(name)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def parse_filters(params: Any) -> RequestFilters:
    """The filters in ``params`` (a QueryDict or a mapping of name to value or values).

    Empty values are no filter. A value outside the filter's vocabulary or range is left out, with a message naming
    the filter, so a stale or mistyped link still shows the list."""
    errors: list[str] = []
    found: dict[str, Any] = {}
    for name in FILTER_NAMES:
        raw = [v.strip() for v in _getlist(params, name) if v.strip()]
        if not raw:
            continue
        if name not in _MANY and len(set(raw)) > 1:
            errors.append(f"{FILTER_LABELS[name]}: choose one value; the filter was ignored.")
            continue
        kept = []
        for value in _unique(raw):
            if name in _RANGES:
                low, high = _RANGES[name]
                number = int(value) if value.isascii() and value.isdigit() and len(value) <= 3 else None
                if number is None or not low <= number <= high:
                    errors.append(
                        f"{FILTER_LABELS[name]}: “{value[:40]}” is not a whole number from {low} to {high}; it was ignored."
                    )
                    continue
                kept.append(number)
            elif value in _CHOICES[name]:
                kept.append(value)
            else:
                errors.append(
                    f"{FILTER_LABELS[name]}: “{value[:40]}” is not one of the choices; it was ignored."
                )
        if not kept:
            continue
        if name in _MANY:
            found[name] = tuple(kept)
        elif name == "overdue":
            found[name] = True
        else:
            found[name] = kept[0]
    return RequestFilters(**found, errors=tuple(errors))
