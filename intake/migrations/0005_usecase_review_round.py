"""The review round a use case waits for. Existing rows are numbered from their review cycles in
approvals/0005 (the cycles live there; intake does not look upwards)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("intake", "0004_usecase_awaiting_decision_since")]

    operations = [
        migrations.AddField(
            model_name="usecase",
            name="review_round",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
    ]
