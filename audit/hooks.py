"""How accounts tells audit who reads the trail, without audit importing accounts (dependencies point one way only).

The audit trail is read by the holders of the CIO and CISO roles, but roles belong to accounts, which sits above audit
(accounts writes audit events). accounts registers both answers here when it starts (its AppConfig.ready). Until then
nobody reads the trail and nobody is e-mailed about it: a missing registration fails closed.
"""

from collections.abc import Callable
from typing import Any

# user -> whether they may read the audit trail
ReaderCheck = Callable[[Any], bool]
# () -> the addresses of the people who read it (checkpoints and alarms go to them)
ReaderAddresses = Callable[[], list[str]]

_is_reader: ReaderCheck | None = None
_reader_addresses: ReaderAddresses | None = None


def register_audit_readers(*, is_reader: ReaderCheck, addresses: ReaderAddresses) -> None:
    global _is_reader, _reader_addresses
    _is_reader, _reader_addresses = is_reader, addresses


def is_audit_reader(user: Any) -> bool:
    return _is_reader is not None and bool(_is_reader(user))


def audit_reader_emails() -> list[str]:
    return list(_reader_addresses()) if _reader_addresses is not None else []
