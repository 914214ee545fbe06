"""On PostgreSQL a submitted revision can never be changed or deleted."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION intake_revision_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'intake_usecaserevision is immutable: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER intake_revision_immutable
    BEFORE UPDATE OR DELETE ON intake_usecaserevision
    FOR EACH ROW EXECUTE FUNCTION intake_revision_refuse_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS intake_revision_immutable ON intake_usecaserevision;
DROP FUNCTION IF EXISTS intake_revision_refuse_change();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
