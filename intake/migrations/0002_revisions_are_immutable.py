"""On PostgreSQL a submitted revision can never be changed or deleted."""

from django.db import migrations

from config.db import refuse_changes


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]

    operations = [refuse_changes("intake_usecaserevision", description="immutable")]
