"""The possible-duplicates check reads the team's same titles, and those worded alike (but for numbers and punctuation) down a b-tree
on (team, wording, id), and the same title down one on (team, lower(title), id), before it walks the trigram index: in a team of 125,000 whose titles come in clusters of
thousands ("Claims triage #n"), the walk read some 3,400 index pages before it had its candidates. The expression is
`selectors._wording`'s. PostgreSQL only, as the trigram index."""

from django.db import migrations

CREATE = [
    "CREATE INDEX IF NOT EXISTS usecase_team_wording_idx ON intake_usecase "
    "(team_id, (BTRIM(REGEXP_REPLACE(LOWER(title), '[^a-z]+', ' ', 'g'))), id)",
    "CREATE INDEX IF NOT EXISTS usecase_team_lower_title_idx ON intake_usecase (team_id, (LOWER(title)), id)",
]
DROP = ["DROP INDEX IF EXISTS usecase_team_wording_idx", "DROP INDEX IF EXISTS usecase_team_lower_title_idx"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("intake", "0011_ruleset_upgrades")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
