from django.db import migrations, models


def backfill(apps, schema_editor):
    """First decisions waited from their revision's submission; re-reviews from the latest flag before they opened."""
    ReviewCycle = apps.get_model("approvals", "ReviewCycle")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    for cycle in ReviewCycle.objects.select_related("revision").iterator(chunk_size=1000):
        since = cycle.revision.submitted_at
        if cycle.kind == "re_review":
            flagged = (
                AuditEvent.objects.filter(
                    object_type="intake.usecase",
                    object_id=str(cycle.use_case_id),
                    action="intake.use_case_flag_re_review",
                    occurred_at__lte=cycle.opened_at,
                )
                .order_by("-sequence")
                .values_list("occurred_at", flat=True)
                .first()
            )
            since = flagged or cycle.opened_at
        ReviewCycle.objects.filter(pk=cycle.pk).update(waiting_since=since)


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0003_review_cycle_withdrawn"),
        ("audit", "0002_append_only_trigger"),
    ]

    operations = [
        migrations.AddField(
            model_name="reviewcycle",
            name="waiting_since",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
