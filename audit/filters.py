"""The audit trail's filters as people and API clients type them (who, what, when, which object), read without the
database: each bad value is named by its field and dropped, so the rest of the filters still apply."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from audit.events import is_registered
from audit.objects import ObjectKind, object_kinds

# An event's code ("intake.use_case_submit"): one an app registers, or one an older release wrote.
CODE = re.compile(r"[a-z][a-z0-9_]{0,40}(?:\.[a-z0-9_]{1,60}){1,3}")
# The query parameters, as the page and the API name them ("kind" is the page's word for the API's "action").
FIELDS = ("actor", "action", "since", "until", "object")
MAX_LENGTH = 150


@dataclass(frozen=True)
class ObjectRef:
    kind: ObjectKind | None  # None: a raw "app_label.model:id", matched as stored
    object_type: str
    key: str  # the value of kind.key (a reference, a version, a pk), or the raw object id
    object_id: str = ""  # the stored object id, once known (the selector looks a reference up)


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None
    object: ObjectRef | None = None

    def params(self) -> dict[str, str]:
        """The valid filters as query parameters again (for the next page's link and the form)."""
        return {
            name: value
            for name, value in {
                "actor": self.actor,
                "action": self.action,
                "since": self.since.isoformat() if self.since else "",
                "until": self.until.isoformat() if self.until else "",
                "object": object_text(self.object) if self.object else "",
            }.items()
            if value
        }


def unknown_kind(action: str) -> str:
    return f"“{action[:MAX_LENGTH]}” is not a kind of event the trail records."


def object_text(ref: ObjectRef) -> str:
    if ref.kind is None:
        return f"{ref.object_type}:{ref.key}"
    return ref.kind.example.replace(_example_key(ref.kind), ref.key) if ref.kind.example else ref.key


def _example_key(kind: ObjectKind) -> str:
    match = kind.pattern.search(kind.example)
    return match.group("key") if match else kind.example


def parse_object(text: str) -> ObjectRef | None:
    """ "GAI-2026-0001", "boundary v3", "pack 12" or a stored "intake.usecase:12"; None when it reads as none."""
    for kind in object_kinds():
        match = kind.pattern.fullmatch(text)
        if match:
            key = match.group("key")
            key = str(int(key)) if kind.numeric_key else key.upper() if kind.upper_key else key
            return ObjectRef(kind, kind.object_type, key, key if kind.key == "pk" else "")
    object_type, sep, object_id = text.partition(":")
    if sep and object_id and "." in object_type and " " not in text:
        return ObjectRef(None, object_type, object_id, object_id)
    return None


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def object_examples() -> str:
    return ", ".join(kind.example for kind in object_kinds() if kind.example)


def parse_audit_filter(params: Mapping[str, str]) -> tuple[AuditFilter, dict[str, list[str]]]:
    """The filters ``params`` asks for, and an error per field whose value cannot be a filter (that field is dropped).

    ``kind`` is read as ``action`` when ``action`` is absent. The who, what and object filters are checked here only
    for their shape: whether such a person, object or unregistered kind of event exists is the selector's question.
    """
    errors: dict[str, list[str]] = {}

    def text(name: str) -> str:
        return str(params.get(name) or "").strip()

    actor = text("actor")
    if len(actor) > MAX_LENGTH:
        errors["actor"] = ["Give a username of at most 150 characters."]
        actor = ""

    action = text("action") or text("kind")
    if action and not (is_registered(action) or CODE.fullmatch(action)):
        errors["action"] = [unknown_kind(action)]
        action = ""

    since, until = _day(text("since")), _day(text("until"))
    if text("since") and since is None:
        errors["since"] = ["Give the From date as a date, like 2026-11-27."]
    if text("until") and until is None:
        errors["until"] = ["Give the To date as a date, like 2026-11-27."]
    if since and until and since > until:
        errors["until"] = ["The To date is before the From date."]
        until = None

    ref = None
    wanted = text("object")
    if wanted:
        ref = parse_object(wanted) if len(wanted) <= MAX_LENGTH else None
        if ref is None:
            errors["object"] = [f"Name the object like {object_examples()}."]

    return AuditFilter(actor=actor, action=action, since=since, until=until, object=ref), errors
