"""The registry of audit event types: each code the apps write, with its label and how its payload reads.

Each app owns its words in its own ``events`` module: a constant per code, registered once when the app starts (its
AppConfig.ready imports the module). Pages ask ``event_type(code)`` for the label and a plain-language line instead of
parsing codes, and the board pack asks which events move a use case and to which state. The stored code stays the
contract of the API; a code nobody registered (an event of an older release, say) still reads as words.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Payload = Mapping[str, Any]
# payload -> one line of plain language ("" when there is nothing to add)
Formatter = Callable[[Payload], str]


@dataclass(frozen=True)
class EventType:
    code: str
    label: str  # what happened, in a few words: "Submitted for decision"
    sentence: Formatter | None = None  # one event told in full, when its payload says more than the label
    detail_of: Formatter | None = None
    minor: bool = False  # housekeeping (access granted, say): timelines show it quieter
    moves: str = ""  # the object type ("intake.usecase") whose state the event sets, to its payload's "to"

    def text(self, payload: Payload | None) -> str:
        return self.sentence(payload or {}) if self.sentence else self.label

    def detail(self, payload: Payload | None) -> str:
        return self.detail_of(payload or {}) if self.detail_of else ""

    def state_after(self, payload: Payload | None) -> str | None:
        """The state the event left its object in: for an event that moves one, else None."""
        if not self.moves:
            return None
        to = (payload or {}).get("to")
        return str(to) if to else None


_registry: dict[str, EventType] = {}


class EventTypeConflict(ValueError):
    """Two different event types were registered under one code."""


def register(
    code: str,
    label: str,
    *,
    sentence: Formatter | None = None,
    detail: Formatter | None = None,
    minor: bool = False,
    moves: str = "",
) -> str:
    """Register an event type once and return its code, so an app's constant and its words are one line."""
    kind = EventType(code, label, sentence=sentence, detail_of=detail, minor=minor, moves=moves)
    existing = _registry.get(code)
    # Importing a module twice registers the same words again (new function objects): only a change of words clashes.
    if existing is not None and (existing.label, existing.minor, existing.moves) != (label, minor, moves):
        raise EventTypeConflict(f"The audit event {code!r} is already registered as {existing.label!r}.")
    _registry[code] = kind
    return code


def unregister(code: str) -> None:
    _registry.pop(code, None)


def words_of(code: str) -> str:
    """A readable label for a code nobody registered: its last part in words ("test.one_thing" -> "One thing")."""
    words = code.rsplit(".", 1)[-1].replace("_", " ").strip()
    return words.capitalize() if words else "Recorded event"


def event_type(code: str) -> EventType:
    """The registered type of ``code``; for an unknown code, one whose label is the code's last part in words."""
    return _registry.get(code) or EventType(code, words_of(code))


def is_registered(code: str) -> bool:
    return code in _registry


def registered_codes() -> frozenset[str]:
    return frozenset(_registry)


def minor_codes() -> frozenset[str]:
    """The housekeeping events (access granted, signed in): summaries of what happened leave them out."""
    return frozenset(code for code, kind in _registry.items() if kind.minor)


def state_changes(object_type: str) -> frozenset[str]:
    """The codes of the events that set the state of an object of ``object_type``."""
    return frozenset(code for code, kind in _registry.items() if kind.moves == object_type)


def label_of(code: str) -> str:
    return event_type(code).label


# The areas a code's first part names, as the audit trail's filter groups them.
AREAS: Mapping[str, str] = {
    "auth": "Signing in",
    "accounts": "People and roles",
    "intake": "Use cases",
    "approvals": "Decisions",
    "riskboundaries": "Risk boundary",
    "reporting": "Board packs",
    "audit": "Audit trail",
}


def area_of(code: str) -> str:
    prefix = code.split(".", 1)[0]
    return AREAS.get(prefix) or prefix.replace("_", " ").capitalize()


def kinds_by_area() -> list[tuple[str, list[tuple[str, str]]]]:
    """[(area, [(code, label), ...]), ...]: every registered kind of event, areas and labels in alphabetical order."""
    areas: dict[str, list[tuple[str, str]]] = {}
    for code, kind in _registry.items():
        areas.setdefault(area_of(code), []).append((code, kind.label))
    return [(area, sorted(kinds, key=lambda pair: pair[1])) for area, kinds in sorted(areas.items())]
