"""API tokens used to be stored in plain text (rest_framework.authtoken); they are hashed now (accounts.ApiToken).
The old table, if this database has one, is dropped with every key in it: those keys stop working, by design."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_api_tokens_sign_in_failures_role_requests")]

    operations = [migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", migrations.RunSQL.noop)]
