"""One piece of background work: which task, with which arguments, and how far it got (published, started, done)."""

from django.db import models


class OutboxMessageQuerySet(models.QuerySet):
    def undone(self) -> "OutboxMessageQuerySet":
        return self.filter(done_at__isnull=True, gave_up_at__isnull=True)


class OutboxMessage(models.Model):
    task = models.CharField(max_length=200)  # the registered Celery task name
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    # Published to the broker (last time); a sweep publishes again what was never sent, or was sent and never run.
    sent_at = models.DateTimeField(null=True, blank=True)
    publish_attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    # A worker claimed it (a claim older than the lease is considered dead), and finished it.
    started_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    gave_up_at = models.DateTimeField(null=True, blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        indexes = [
            # The sweep reads only the undone rows, oldest first.
            models.Index(
                fields=["created_at"],
                name="outbox_undone_idx",
                condition=models.Q(done_at__isnull=True, gave_up_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.task}"
