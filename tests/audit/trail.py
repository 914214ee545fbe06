"""What the audit trail says happened to one object, oldest first: for tests of which events a change records."""

from typing import Any

from audit.models import AuditEvent


def audit_actions(object_type: str, obj: Any) -> list[str]:
    """The actions recorded on ``obj``, stored under ``object_type`` ("app_label.model")."""
    return list(
        AuditEvent.objects.filter(object_type=object_type, object_id=str(obj.pk))
        .order_by("sequence")
        .values_list("action", flat=True)
    )
