"""Versioned risk boundaries and the executives' signatures on their exact content."""

from django.conf import settings
from django.db import models

from accounts.models import CoSignature
from riskboundaries.workflow import BoundaryState


class RiskBoundary(models.Model):
    version = models.PositiveIntegerField(unique=True, editable=False)
    change_note = models.CharField(max_length=300, blank=True)
    # The limits as canonical data (riskboundaries.limits.limits_to_content) and the SHA-256 that is signed.
    content = models.JSONField()
    content_hash = models.CharField(max_length=64)
    state = models.CharField(
        max_length=20, choices=BoundaryState.choices, default=BoundaryState.DRAFT, editable=False
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    activated_at = models.DateTimeField(null=True, blank=True, editable=False)
    superseded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-version"]
        constraints = [
            # At most one boundary is ever active.
            models.UniqueConstraint(
                fields=["state"], condition=models.Q(state=BoundaryState.ACTIVE), name="one_active_boundary"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=BoundaryState.values), name="boundary_state_valid"
            ),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="boundary_version_positive"),
        ]

    def __str__(self) -> str:
        return f"Risk boundary v{self.version}"


class BoundarySignature(CoSignature):
    boundary = models.ForeignKey(RiskBoundary, on_delete=models.PROTECT, related_name="signatures")

    class Meta(CoSignature.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["boundary", "role"],
                condition=models.Q(voided_at__isnull=True),
                name="one_signature_per_role",
            ),
            models.UniqueConstraint(
                fields=["boundary", "signer"],
                condition=models.Q(voided_at__isnull=True),
                name="one_signature_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.boundary.version} signed by {self.signer} as {self.role}"


class ReReviewRun(models.Model):
    """The background pass that follows an activation: every use case approved before it is checked against the new
    limits, and each one that breaches them goes to re-review. Worked through in id order a batch at a time; the
    cursor moves in the same transaction as each batch, so a run that dies resumes where it stopped."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"

    boundary = models.OneToOneField(RiskBoundary, on_delete=models.PROTECT, related_name="re_review_run")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    # How many approved use cases there were to check when the boundary took effect (what the progress counts to).
    total = models.PositiveIntegerField(default=0)
    checked = models.PositiveIntegerField(default=0)
    flagged = models.PositiveIntegerField(default=0)
    cursor = models.BigIntegerField(default=0)  # the id of the last use case checked
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["queued", "running", "done"]), name="re_review_state_valid"
            )
        ]

    def __str__(self) -> str:
        return f"re-review after v{self.boundary_id}: {self.state} {self.checked}/{self.total}"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return min(99, self.checked * 100 // self.total) if self.total else 0
