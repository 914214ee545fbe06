"""Checkpoints of the chain's head, kept outside the database through Django's storage API.

Each checkpoint is a small JSON file under a name that sorts by the time it was written and is never overwritten:
``audit-checkpoints/<UTC time>-<sequence>.json``. Each names the one before it, so a missing file shows.
"""

import json
import re
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages

from audit.chain import canonical_json

FOLDER = "audit-checkpoints"
_NAME = re.compile(r"^\d{8}T\d{12}Z-\d{12}\.json$")


class CheckpointExists(Exception):
    """A checkpoint is never overwritten."""


def checkpoint_storage() -> Storage:
    return storages[settings.AUDIT_CHECKPOINT_STORAGE]


def checkpoint_name(*, written_at: datetime, sequence: int) -> str:
    return f"{FOLDER}/{written_at:%Y%m%dT%H%M%S%f}Z-{sequence:012d}.json"


def checkpoint_names() -> list[str]:
    """Every checkpoint's name, oldest first."""
    storage = checkpoint_storage()
    try:
        _folders, files = storage.listdir(FOLDER)
    except FileNotFoundError:  # nothing written yet (file-system storage has no folder then)
        return []
    return sorted(f"{FOLDER}/{name}" for name in files if _NAME.match(name))


def checkpoint_read(name: str) -> dict[str, Any]:
    with checkpoint_storage().open(name, "rb") as handle:
        document = json.loads(handle.read().decode("utf-8"))
    return {**document, "name": name}


def checkpoint_latest() -> dict[str, Any] | None:
    names = checkpoint_names()
    return checkpoint_read(names[-1]) if names else None


def checkpoint_save(name: str, document: dict[str, Any]) -> str:
    storage = checkpoint_storage()
    if storage.exists(name):
        raise CheckpointExists(name)
    saved = storage.save(name, ContentFile((canonical_json(document) + "\n").encode("utf-8")))
    if (
        saved != name
    ):  # another writer took the name in between; ours went elsewhere and would not sort as written
        raise CheckpointExists(name)
    return saved
