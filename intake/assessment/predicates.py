"""Conditions over answers that rules are written in: small, composable with & | ~, and able to list what they read."""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from intake.answers import DATA_CLASSIFICATION_ORDER

Case = Mapping[str, Any]


class When:
    """A condition over a case (the answers, plus the facts the engine derives such as `eu_tier`).

    An unanswered question never makes a positive condition true; only `~` can, and rules use it to exclude.
    """

    def __call__(self, case: Case) -> bool:
        raise NotImplementedError

    def references(self) -> Iterator[tuple[str, str | None]]:
        """Every (field, value) this condition reads (value None: the field only), so tests can check they exist."""
        raise NotImplementedError

    # Chains of & (or of |) are kept flat, one AllOf (AnyOf) of every part in order: the same answer, without a call
    # per level of nesting (the engine evaluates them for every rule of every assessment).
    def __and__(self, other: "When") -> "When":
        return AllOf((*_parts(self, AllOf), *_parts(other, AllOf)))

    def __or__(self, other: "When") -> "When":
        return AnyOf((*_parts(self, AnyOf), *_parts(other, AnyOf)))

    def __invert__(self) -> "When":
        return Not(self)


def _parts(condition: When, kind: type) -> tuple[When, ...]:
    return condition.parts if type(condition) is kind else (condition,)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Is(When):
    """A one-choice answer is one of `values`."""

    field: str
    values: tuple[str, ...]

    def __call__(self, case: Case) -> bool:
        return case.get(self.field) in self.values

    def references(self) -> Iterator[tuple[str, str | None]]:
        for value in self.values:
            yield self.field, value


@dataclass(frozen=True)
class Has(When):
    """A many-choice answer includes at least one of `values`."""

    field: str
    values: tuple[str, ...]

    def __call__(self, case: Case) -> bool:
        chosen = case.get(self.field)
        if not chosen:
            return False
        for value in self.values:  # noqa: SIM110 - a plain loop: no generator per call on the engine's hot path
            if value in chosen:
                return True
        return False

    def references(self) -> Iterator[tuple[str, str | None]]:
        for value in self.values:
            yield self.field, value


@dataclass(frozen=True)
class HasAnything(When):
    """A many-choice answer is not empty."""

    field: str

    def __call__(self, case: Case) -> bool:
        return bool(case.get(self.field))

    def references(self) -> Iterator[tuple[str, str | None]]:
        yield self.field, None


@dataclass(frozen=True)
class Only(When):
    """A many-choice answer is not empty and every choice in it is one of `values`."""

    field: str
    values: tuple[str, ...]

    def __call__(self, case: Case) -> bool:
        chosen = case.get(self.field) or ()
        return bool(chosen) and all(value in self.values for value in chosen)

    def references(self) -> Iterator[tuple[str, str | None]]:
        for value in self.values:
            yield self.field, value


@dataclass(frozen=True)
class AtLeast(When):
    """An ordered answer (autonomy 0–4, data classification) is at least `value`."""

    field: str
    value: str

    def __call__(self, case: Case) -> bool:
        answer = case.get(self.field)
        if answer is None:
            return False
        if self.field == "data_classification":
            return DATA_CLASSIFICATION_ORDER.index(answer) >= DATA_CLASSIFICATION_ORDER.index(self.value)
        return int(answer) >= int(self.value)

    def references(self) -> Iterator[tuple[str, str | None]]:
        yield self.field, self.value


@dataclass(frozen=True)
class Flag(When):
    """A yes/no answer was given as `expected` (an unanswered one is neither)."""

    field: str
    expected: bool

    def __call__(self, case: Case) -> bool:
        return case.get(self.field) is self.expected

    def references(self) -> Iterator[tuple[str, str | None]]:
        yield self.field, None


@dataclass(frozen=True)
class Always(When):
    def __call__(self, case: Case) -> bool:
        return True

    def references(self) -> Iterator[tuple[str, str | None]]:
        return iter(())


@dataclass(frozen=True)
class AllOf(When):
    parts: tuple[When, ...]

    def __call__(self, case: Case) -> bool:
        for part in self.parts:  # noqa: SIM110 - a plain loop: no generator per call on the engine's hot path
            if not part(case):
                return False
        return True

    def references(self) -> Iterator[tuple[str, str | None]]:
        for part in self.parts:
            yield from part.references()


@dataclass(frozen=True)
class AnyOf(When):
    parts: tuple[When, ...]

    def __call__(self, case: Case) -> bool:
        for part in self.parts:  # noqa: SIM110 - a plain loop: no generator per call on the engine's hot path
            if part(case):
                return True
        return False

    def references(self) -> Iterator[tuple[str, str | None]]:
        for part in self.parts:
            yield from part.references()


@dataclass(frozen=True)
class Not(When):
    part: When

    def __call__(self, case: Case) -> bool:
        return not self.part(case)

    def references(self) -> Iterator[tuple[str, str | None]]:
        return self.part.references()


def is_(field: str, *values: str) -> When:
    return Is(field, values)


def has(field: str, *values: str) -> When:
    return Has(field, values)


def has_any(field: str) -> When:
    return HasAnything(field)


def only(field: str, *values: str) -> When:
    return Only(field, values)


def lacks(field: str, value: str) -> When:
    """A many-choice answer does not include `value`; for the optional lists a blank answer means "none"."""
    return ~has(field, value)


def at_least(field: str, value: str) -> When:
    return AtLeast(field, value)


def yes(field: str) -> When:
    return Flag(field, True)


def no(field: str) -> When:
    return Flag(field, False)


ALWAYS: When = Always()
NEVER: When = ~ALWAYS
