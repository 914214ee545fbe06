"""On PostgreSQL the database itself refuses UPDATE and DELETE on the audit table.

TRUNCATE is left to database privileges (the application's role should not own the table in production): the test
runner empties tables with TRUNCATE between transactional tests.
"""

from django.db import migrations

from config.db import refuse_changes


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [refuse_changes("audit_auditevent", description="append-only")]
