"""The objects audit events are recorded against (``object_type`` "app_label.model_name", ``object_id`` its pk): what
each is called, how a person names one in a filter ("GAI-2026-0001", "boundary v3"), and the page that shows it.

audit sits below the apps whose objects it records: each app registers its own kind in its ``events.py``
(``register_object_kind``), next to the events it writes; audit reads the models from the app registry and the pages
through ``reverse``.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# user -> whether they may open the pages of this kind at all (None: anyone who reads the trail)
PageCheck = Callable[[Any], bool]


@dataclass(frozen=True)
class ObjectKind:
    object_type: str  # "intake.usecase"
    noun: str  # "Use case"
    key: str  # the field that names one to people and in its page's URL ("reference", "version", "pk")
    url_name: str  # the page that shows one
    pattern: re.Pattern[
        str
    ]  # how a person types one in the object filter; its group "key" is the key's value
    numeric_key: bool = False
    upper_key: bool = False  # typed in any case, stored in capitals
    url_takes_key: bool = True  # False: a list page, the same for every object of the kind
    # Visible through guardian "view_<model>" grants (direct foreign-key grant models), checked for all rows at once.
    guarded: bool = False
    may_open: PageCheck | None = None
    example: str = ""

    def name(self, key: Any) -> str:
        return f"{self.noun} {self.display_key(key)}"

    def display_key(self, key: Any) -> str:
        if self.key == "version":
            return f"v{key}"
        if self.key == "pk":
            return f"#{key}"
        return str(key)


_kinds: dict[str, ObjectKind] = {}


def register_object_kind(kind: ObjectKind) -> None:
    _kinds[kind.object_type] = kind


def object_kind(object_type: str) -> ObjectKind | None:
    return _kinds.get(object_type)


def object_kinds() -> list[ObjectKind]:
    return list(_kinds.values())


def words_of_object(object_type: str, object_id: str) -> str:
    """A readable name for an object whose kind is unknown or which no longer exists: "Use case #12"."""
    kind = object_kind(object_type)
    noun = kind.noun if kind else object_type.rsplit(".", 1)[-1].replace("_", " ").capitalize()
    return f"{noun} #{object_id}" if object_id else noun
