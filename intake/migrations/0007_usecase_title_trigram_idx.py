"""A trigram index on use-case titles for the possible-duplicates check (PostgreSQL only: SQLite has no pg_trgm, and
the check falls back to a word search there). GiST, because it returns the nearest titles first (ORDER BY title <->
'...' LIMIT n), so the check reads a few rows however many alike titles there are."""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS usecase_title_trgm_idx ON intake_usecase USING gist (title gist_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS usecase_title_trgm_idx"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("intake", "0006_usecase_open_by_urgency_idx")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
