"""What an attacker with the owner's database access does to the audit table, as plain SQL behind the application."""

from django.db import connection

TRIGGER = "audit_auditevent_no_update_delete"


def as_owner(sql: str, params: list | None = None) -> None:
    """Run ``sql`` on the audit table with its append-only trigger switched off, as only the table's owner can."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Deferred foreign-key checks of rows written in this transaction must run before the table is altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE audit_auditevent DISABLE TRIGGER {TRIGGER}")
        try:
            cursor.execute(sql, params or [])
        finally:
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE audit_auditevent ENABLE TRIGGER {TRIGGER}")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def truncate() -> None:
    """TRUNCATE fires no row trigger: the owner empties the table in one statement (DELETE where there is none)."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("DELETE FROM audit_auditevent")
            return
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # as in as_owner: pending checks first
        cursor.execute("TRUNCATE audit_auditevent")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
