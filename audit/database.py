"""PostgreSQL roles: the application connects as a role that cannot rewrite history; the owner runs migrations.

The owner role owns every table (it runs ``migrate``). The application role is granted, by ``app_role_grant`` (the
``grant_app_role`` command, run after each migrate):

- SELECT, INSERT, UPDATE, DELETE on ordinary tables, and USAGE, SELECT on their sequences;
- SELECT, INSERT only on append-only or immutable tables (those carrying the UPDATE/DELETE-refusing trigger of
  ``config.db.refuse_changes``: the audit chain, use-case revisions, and any later one);
- SELECT only on ``django_migrations``;
- never TRUNCATE, REFERENCES or TRIGGER, never ownership; only a table's owner (or a superuser) can ALTER it, drop or
  disable its triggers, or TRUNCATE it, so the application role cannot.

Default privileges make tables that later migrations create readable and writable by the application role at once; the
command, run again after those migrations, narrows the append-only ones.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from django.db import connection as default_connection
from django.db import transaction

# The trigger name config.db.refuse_changes gives each append-only or immutable table.
APPEND_ONLY_TRIGGER_SUFFIX = "_no_update_delete"
READ_ONLY_TABLES = frozenset({"django_migrations"})
AUDIT_TABLE = "audit_auditevent"
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class RoleError(Exception):
    """The application role cannot be set up as asked (it would own, or be, the owner; or it does not exist)."""


@dataclass
class GrantSummary:
    role: str
    owner: str
    read_write: list[str] = field(default_factory=list)
    append_only: list[str] = field(default_factory=list)
    read_only: list[str] = field(default_factory=list)
    sequences: int = 0
    created: bool = False


def _run(cursor: Any, template: str, *args: str) -> None:
    """Run a statement built by PostgreSQL's own format(): %I quotes identifiers, %L literals (utility statements
    such as GRANT cannot take bound parameters)."""
    cursor.execute("SELECT format(%s, " + ", ".join(["%s"] * len(args)) + ")", [template, *args])
    cursor.execute(cursor.fetchone()[0])


def app_role_grant(
    role: str, *, create: bool = False, password: str = "", connection: Any = default_connection
) -> GrantSummary:
    """Grant ``role`` what the application needs and nothing that rewrites history; idempotent.

    Run as the owner of the tables. With ``create``, a missing role is created (LOGIN, ``password``) and an existing
    one gets ``password``; either way it is made an ordinary role (no superuser, CREATEDB, CREATEROLE, BYPASSRLS).
    """
    if connection.vendor != "postgresql":
        raise RoleError("Database roles apply to PostgreSQL only.")
    if not _ROLE_NAME.match(role):
        raise RoleError(f"{role!r} is not a plain role name (lower-case letters, digits and _).")
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_schema(), current_database()")
        owner, schema, database = cursor.fetchone()
        summary = GrantSummary(role=role, owner=owner)
        if role == owner:
            raise RoleError(f"The application role must not be {owner}, the role that owns the tables.")
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        exists = cursor.fetchone() is not None
        if not exists and not create:
            raise RoleError(f"Role {role} does not exist: create it (LOGIN), or run this with --create.")
        if create:
            if not exists and not password:
                raise RoleError(f"Role {role} does not exist and no password was given to create it with.")
            statement = "ALTER ROLE %I WITH" if exists else "CREATE ROLE %I WITH"
            attributes = " LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
            if password:
                _run(cursor, statement + attributes + " PASSWORD %L", role, password)
            else:
                _run(cursor, statement + attributes, role)
            summary.created = not exists
        cursor.execute(
            "SELECT rolsuper, pg_has_role(%s, current_user, 'MEMBER'), "
            "EXISTS (SELECT 1 FROM pg_class WHERE relowner = r.oid) FROM pg_roles r WHERE rolname = %s",
            [role, role],
        )
        superuser, member_of_owner, owns_tables = cursor.fetchone()
        if superuser:
            raise RoleError(f"Role {role} is a superuser: it could do anything the owner can.")
        if member_of_owner:
            raise RoleError(
                f"Role {role} is a member of {owner}, the owner: it would inherit the owner's rights."
            )
        if owns_tables:
            raise RoleError(f"Role {role} owns tables: an owner can truncate, alter and disable triggers.")

        _run(cursor, "GRANT CONNECT ON DATABASE %I TO %I", database, role)
        _run(cursor, "GRANT USAGE ON SCHEMA %I TO %I", schema, role)
        _run(cursor, "REVOKE CREATE ON SCHEMA %I FROM %I", schema, role)
        cursor.execute(
            """
            SELECT c.relname, c.relkind, EXISTS (
                SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal AND t.tgname LIKE %s
            )
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'S')
            ORDER BY c.relname
            """,
            ["%" + APPEND_ONLY_TRIGGER_SUFFIX.replace("_", r"\_"), schema],
        )
        for name, kind, append_only in cursor.fetchall():
            if kind == "S":
                _run(cursor, "REVOKE ALL ON SEQUENCE %I.%I FROM %I", schema, name, role)
                _run(cursor, "GRANT USAGE, SELECT ON SEQUENCE %I.%I TO %I", schema, name, role)
                summary.sequences += 1
                continue
            _run(cursor, "REVOKE ALL ON TABLE %I.%I FROM %I", schema, name, role)
            if name in READ_ONLY_TABLES:
                privileges, bucket = "SELECT", summary.read_only
            elif append_only:
                privileges, bucket = "SELECT, INSERT", summary.append_only
            else:
                privileges, bucket = "SELECT, INSERT, UPDATE, DELETE", summary.read_write
            _run(cursor, f"GRANT {privileges} ON TABLE %I.%I TO %I", schema, name, role)
            bucket.append(name)
        _run(
            cursor,
            "ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I",
            owner,
            schema,
            role,
        )
        _run(
            cursor,
            "ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO %I",
            owner,
            schema,
            role,
        )
    return summary


def connection_role_problems(connection: Any = default_connection) -> list[tuple[str, str]]:
    """What lets this connection rewrite the audit trail, as (code, message) pairs; empty for the application role."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT r.rolsuper, c.oid IS NOT NULL,
                   c.oid IS NOT NULL AND pg_has_role(current_user, c.relowner, 'MEMBER'),
                   c.oid IS NOT NULL AND (has_table_privilege(c.oid, 'UPDATE')
                       OR has_table_privilege(c.oid, 'DELETE') OR has_table_privilege(c.oid, 'TRUNCATE'))
            FROM pg_roles r LEFT JOIN pg_class c ON c.oid = to_regclass(%s)
            WHERE r.rolname = current_user
            """,
            [AUDIT_TABLE],
        )
        superuser, table_exists, owner, rewrite = cursor.fetchone()
    if superuser:
        return [
            (
                "audit.E001",
                "The application connects to PostgreSQL as a superuser, which can rewrite the audit trail.",
            )
        ]
    if not table_exists:
        return [
            (
                "audit.W001",
                f"The {AUDIT_TABLE} table does not exist yet: run migrate as the owner role first.",
            )
        ]
    if owner:
        return [
            (
                "audit.E002",
                f"The application connects as the owner of {AUDIT_TABLE} (or a member of the owner role), which can "
                "truncate it, alter it and disable its triggers.",
            )
        ]
    if rewrite:
        return [("audit.E003", f"The application's role may UPDATE, DELETE or TRUNCATE {AUDIT_TABLE}.")]
    return []
