"""Database helpers shared by migrations: PostgreSQL triggers that make a table append-only or immutable."""

from django.db import migrations


def refuse_changes(table: str, *, description: str) -> migrations.RunPython:
    """A migration operation: on PostgreSQL, UPDATE and DELETE on `table` raise; elsewhere it does nothing.

    `description` ends the error message, e.g. "append-only" or "immutable".
    """
    function = f"{table}_refuse_change"
    trigger = f"{table}_no_update_delete"
    forward_sql = f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = '{table} is {description}: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER {trigger}
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {function}();
"""
    backward_sql = f"DROP TRIGGER IF EXISTS {trigger} ON {table}; DROP FUNCTION IF EXISTS {function}();"

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(forward_sql)

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(backward_sql)

    return migrations.RunPython(forward, backward)
