"""The audit event: one link of an append-only chain (the database refuses UPDATE and DELETE on PostgreSQL)."""

from django.conf import settings
from django.db import models


class AuditEventQuerySet(models.QuerySet):
    def in_chain_order(self) -> "AuditEventQuerySet":
        return self.order_by("sequence")

    def for_object(self, object_type: str, object_id: str) -> "AuditEventQuerySet":
        return self.filter(object_type=object_type, object_id=str(object_id))


class AuditEvent(models.Model):
    # The fields the hash covers, in the order the chain module names them (besides `hash` itself).
    CHAINED_FIELDS = (
        "sequence",
        "occurred_at",
        "actor_id",
        "actor_username",
        "action",
        "object_type",
        "object_id",
        "payload",
        "prev_hash",
    )

    sequence = models.PositiveBigIntegerField(unique=True, editable=False)
    occurred_at = models.DateTimeField(editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    # The actor's username at the time, so the trail stays readable whatever happens to the account later.
    actor_username = models.CharField(max_length=150, blank=True, editable=False)
    action = models.CharField(max_length=100, db_index=True, editable=False)
    object_type = models.CharField(max_length=100, blank=True, editable=False)
    object_id = models.CharField(max_length=100, blank=True, editable=False)
    payload = models.JSONField(default=dict, blank=True, editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "sequence"], name="audit_object_idx"),
            # The trail as of a moment (statuses at a cut-off, the checkpoint printed in each board pack).
            models.Index(fields=["occurred_at", "sequence"], name="audit_time_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(sequence__gte=1), name="audit_sequence_positive"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type}:{self.object_id}"
