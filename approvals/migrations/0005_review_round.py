"""Decisions are bound to a review round: each cycle carries the use case's round, one cycle per round.

Backfill, set-based so it stays one statement per table at any size:
- existing cycles are numbered 1, 2, … per use case in the order they opened (every cycle was its own waiting
  period: a cycle closes only when the use case stops waiting or is withdrawn);
- a use case's round is its number of cycles, plus one when it is waiting with no cycle open yet, or when its
  latest revision never got a cycle (submitted, then withdrawn or closed by the system before any decision).
"""

from django.db import migrations, models
from django.db.models import Case, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

WAITING = ("submitted", "re_review_due")


def backfill(apps, schema_editor):
    ReviewCycle = apps.get_model("approvals", "ReviewCycle")
    UseCase = apps.get_model("intake", "UseCase")

    opened_up_to_this_one = (
        ReviewCycle.objects.filter(use_case=OuterRef("use_case"))
        .filter(Q(opened_at__lt=OuterRef("opened_at")) | Q(opened_at=OuterRef("opened_at"), pk__lte=OuterRef("pk")))
        .order_by()
        .values("use_case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    ReviewCycle.objects.update(review_round=Subquery(opened_up_to_this_one))

    cycles = ReviewCycle.objects.filter(use_case=OuterRef("pk")).order_by()
    counted = Subquery(cycles.values("use_case").annotate(n=Count("pk")).values("n"))
    waiting_without_cycle = Q(status__in=WAITING) & ~Exists(cycles.filter(closed_at__isnull=True))
    latest_never_decided = Q(revision_count__gt=0) & ~Exists(
        cycles.filter(revision__number=OuterRef("revision_count"))
    )
    UseCase.objects.update(
        review_round=Coalesce(counted, Value(0))
        + Case(When(waiting_without_cycle | latest_never_decided, then=Value(1)), default=Value(0))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0004_review_cycle_waiting_since"),
        ("intake", "0005_usecase_review_round"),
    ]

    operations = [
        migrations.AddField(
            model_name="reviewcycle",
            name="review_round",
            field=models.PositiveIntegerField(null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="reviewcycle",
            name="review_round",
            field=models.PositiveIntegerField(),
        ),
        migrations.AddConstraint(
            model_name="reviewcycle",
            constraint=models.UniqueConstraint(fields=("use_case", "review_round"), name="one_cycle_per_review_round"),
        ),
    ]
