"""The application's own database role cannot rewrite history: connected as that role (psycopg, 127.0.0.1) after
`grant_app_role`, every statement that would truncate, change or delete audit rows, or switch off the protection, is
refused by PostgreSQL; the application itself still works as that role."""

import io
import os
import subprocess
import sys

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from audit.checks import check_audit_database_role
from audit.models import AuditEvent
from audit.services import audit_record
from tests.support import base_dir, need, need_postgresql

pytestmark = pytest.mark.django_db(transaction=True)

APP_ROLE = os.environ.get("APP_DB_USER", "governance_app")
APP_PASSWORD = os.environ.get("APP_DB_PASSWORD", "")

AUDIT_REFUSALS = {
    "truncate": "TRUNCATE audit_auditevent",
    "update": "UPDATE audit_auditevent SET action = 'forged'",
    "delete": "DELETE FROM audit_auditevent",
    "disable trigger": "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_no_update_delete",
    "disable all triggers": "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
    "drop trigger": "DROP TRIGGER audit_auditevent_no_update_delete ON audit_auditevent",
    "replace trigger function": (
        "CREATE OR REPLACE FUNCTION audit_auditevent_refuse_change() RETURNS trigger AS $$ BEGIN RETURN NEW; END; $$ "
        "LANGUAGE plpgsql"
    ),
    "alter table": "ALTER TABLE audit_auditevent ADD COLUMN forged integer",
    "take ownership": f"ALTER TABLE audit_auditevent OWNER TO {APP_ROLE}",
    "drop table": "DROP TABLE audit_auditevent",
    "bypass triggers": "SET session_replication_role = replica",
}
REVISION_REFUSALS = {
    "truncate": "TRUNCATE intake_usecaserevision",
    "update": "UPDATE intake_usecaserevision SET content_hash = 'forged'",
    "delete": "DELETE FROM intake_usecaserevision",
}


def _role_exists(role: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        return cursor.fetchone() is not None


def _app_database_url() -> str:
    password = f":{APP_PASSWORD}" if APP_PASSWORD else ""
    port = connection.settings_dict.get("PORT") or 5432
    return f"postgres://{APP_ROLE}{password}@127.0.0.1:{port}/{connection.settings_dict['NAME']}"


@pytest.fixture
def app_role():
    """A connection to the test database as the application role, granted by the same command compose and CI run."""
    need_postgresql()
    need(
        _role_exists(APP_ROLE),
        f"needs the application role {APP_ROLE} (bash .ci/run creates it; APP_DB_USER)",
    )
    call_command("grant_app_role", APP_ROLE, stdout=io.StringIO())
    audit_record(actor=None, action="test.before_the_attack")
    with psycopg.connect(_app_database_url(), autocommit=True, connect_timeout=10) as conn:
        yield conn


def _refused(conn: psycopg.Connection, statement: str) -> str:
    with pytest.raises(psycopg.errors.InsufficientPrivilege) as excinfo:
        conn.execute(statement)
    return str(excinfo.value)


@pytest.mark.parametrize("statement", AUDIT_REFUSALS.values(), ids=AUDIT_REFUSALS.keys())
def test_the_application_role_cannot_rewrite_the_audit_trail(app_role, statement):
    before = list(AuditEvent.objects.order_by("sequence").values_list("sequence", "hash"))
    message = _refused(app_role, statement)
    # Refused by the role's privileges (not by the trigger, which the owner could switch off).
    assert "permission denied" in message or "must be owner" in message, message
    assert "append-only" not in message
    assert list(AuditEvent.objects.order_by("sequence").values_list("sequence", "hash")) == before


@pytest.mark.parametrize("statement", REVISION_REFUSALS.values(), ids=REVISION_REFUSALS.keys())
def test_the_application_role_cannot_rewrite_submitted_revisions(app_role, statement):
    message = _refused(app_role, statement)
    assert "permission denied for table intake_usecaserevision" in message


def test_the_application_role_reads_and_appends_to_the_audit_trail(app_role):
    """SELECT and INSERT are granted (rolled back here: a row with a made-up hash would break the chain)."""
    with app_role.transaction(force_rollback=True):
        count = app_role.execute("SELECT count(*) FROM audit_auditevent").fetchone()[0]
        app_role.execute(
            "INSERT INTO audit_auditevent (sequence, occurred_at, actor_username, action, object_type, object_id, "
            "payload, prev_hash, hash, key_id) VALUES (%s, now(), '', 'test.insert', '', '', '{}', %s, %s, '')",
            [count + 1, "0" * 64, "1" * 64],
        )
    assert app_role.execute("SELECT count(*) FROM audit_auditevent").fetchone()[0] == count


def test_the_application_runs_as_its_role(app_role, tmp_path):
    """The product's own code, connected as the application role: it records, verifies (updating its run) and checks."""
    script = (
        "import django; django.setup();"
        "from django.conf import settings; from django.core.checks import run_checks;"
        "from audit.services import audit_record, audit_verification_run;"
        "audit_record(actor=None, action='test.as_the_app_role');"
        "run = audit_verification_run(kind='full');"
        "assert run.ok and run.status == 'done', run.reason;"
        "settings.AUDIT_DATABASE_ROLE_CHECK = True;"
        "print('problems:', [m.id for m in run_checks(tags=['database'], databases=['default'])])"
    )
    env = {
        **{k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "VIRTUAL_ENV"}},
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _app_database_url(),
        "AUDIT_CHAIN_KEY": settings.AUDIT_CHAIN_KEY,
        "MEDIA_ROOT": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=base_dir(), env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "problems: []" in result.stdout
    assert AuditEvent.objects.filter(action="test.as_the_app_role").exists()


def test_the_role_check_refuses_an_owner_or_superuser_connection(settings):
    need_postgresql()
    settings.AUDIT_DATABASE_ROLE_CHECK = True
    codes = {message.id for message in check_audit_database_role(databases=["default"])}
    assert codes & {"audit.E001", "audit.E002"}  # the test runner connects as a superuser or as the owner


def test_the_role_check_is_off_unless_production_asks_for_it(settings):
    settings.AUDIT_DATABASE_ROLE_CHECK = False
    assert check_audit_database_role(databases=["default"]) == []
    settings.AUDIT_DATABASE_ROLE_CHECK = True
    assert check_audit_database_role(databases=None) == []  # only `check --database default` runs it


def test_granting_is_refused_to_the_owner_itself():
    need_postgresql()
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
    with pytest.raises(CommandError, match="must not be"):
        call_command("grant_app_role", owner, stdout=io.StringIO())


def test_granting_a_missing_role_without_create_is_refused():
    need_postgresql()
    with pytest.raises(CommandError, match="does not exist"):
        call_command("grant_app_role", "no_such_role_here", stdout=io.StringIO())


def test_granting_is_idempotent_and_reports_the_append_only_tables(app_role):
    out = io.StringIO()
    call_command("grant_app_role", APP_ROLE, stdout=out)
    text = out.getvalue()
    assert "insert-only on audit_auditevent, intake_usecaserevision" in text
    assert "read-only on django_migrations" in text
