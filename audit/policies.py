"""Who may read the audit trail: the CIO and the CISO (and their delegates, who hold the same roles).

Roles belong to accounts, above this app: accounts registers how to recognise a reader (audit/hooks.py).
"""

from typing import Any

from audit.hooks import is_audit_reader
from config.errors import NotAllowed


def can_view_audit(user: Any) -> bool:
    return is_audit_reader(user)


def ensure_can_view_audit(user: Any) -> None:
    if not can_view_audit(user):
        raise NotAllowed("Only the CIO and the CISO may read the audit trail.")
