"""The audit event: one link of an append-only, keyed chain (the database refuses UPDATE and DELETE on PostgreSQL);
and the record of each verification of that chain."""

from django.conf import settings
from django.db import models
from django.utils import timezone


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
        "key_id",
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
    # Which chain key signed the hash (audit/chain.py key_id: never the key itself); empty on legacy, unkeyed events.
    key_id = models.CharField(max_length=16, blank=True, default="", editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "sequence"], name="audit_object_idx"),
            # The trail as of a moment (statuses at a cut-off, the checkpoint printed in each board pack).
            models.Index(fields=["occurred_at", "sequence"], name="audit_time_idx"),
            # The audit page's filters by who acted and by what happened, newest first a page at a time.
            models.Index(fields=["actor", "sequence"], name="audit_actor_idx"),
            models.Index(fields=["action", "sequence"], name="audit_action_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(sequence__gte=1), name="audit_sequence_positive"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type}:{self.object_id}"


class AuditVerificationQuerySet(models.QuerySet):
    def finished(self) -> "AuditVerificationQuerySet":
        return self.filter(status=AuditVerification.Status.DONE)

    def unfinished(self) -> "AuditVerificationQuerySet":
        return self.filter(status__in=[AuditVerification.Status.QUEUED, AuditVerification.Status.RUNNING])

    def newest_first(self) -> "AuditVerificationQuerySet":
        return self.order_by("-requested_at", "-pk")


class AuditVerification(models.Model):
    """One verification of the chain: requested, run by the worker, and its outcome.

    A successful run's end (``to_sequence``, ``to_hash``) is the anchor the next incremental run starts from; ``seal``
    is a keyed seal on that anchor, so a row written straight into the database cannot skip events.
    """

    class Kind(models.TextChoices):
        INCREMENTAL = "incremental", "New events"
        FULL = "full", "Full re-verification"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Could not run"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Events (from_sequence, to_sequence] were walked; to_sequence is the chain's head as verified.
    from_sequence = models.PositiveBigIntegerField(null=True, blank=True)
    to_sequence = models.PositiveBigIntegerField(null=True, blank=True)
    to_hash = models.CharField(max_length=64, blank=True)
    to_keyed = models.BooleanField(default=False)
    seal = models.CharField(max_length=64, blank=True)
    checked = models.PositiveBigIntegerField(default=0)
    ok = models.BooleanField(null=True, blank=True)
    broken_at = models.PositiveBigIntegerField(null=True, blank=True)
    reason = models.TextField(blank=True)
    checkpoint_name = models.CharField(max_length=255, blank=True)
    checkpoint_sequence = models.PositiveBigIntegerField(null=True, blank=True)

    objects = AuditVerificationQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["status", "-finished_at"], name="audit_verification_done_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["incremental", "full"]), name="audit_verification_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "running", "done", "failed"]),
                name="audit_verification_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} verification #{self.pk} ({self.status})"
