"""The joint decision: review cycles on a revision, the two slot decisions, conditions and standing approvals."""

from django.conf import settings
from django.db import models

from approvals.rules import Decision, Outcome, Slot
from approvals.workflow import cycle_state
from intake.contracts import RequiredControl


class ReviewCycle(models.Model):
    """One round of the joint decision on one revision: opened by submission or re-review, closed by the outcome."""

    class Kind(models.TextChoices):
        INITIAL = "initial", "First decision"
        RE_REVIEW = "re_review", "Re-review"

    use_case = models.ForeignKey("intake.UseCase", on_delete=models.PROTECT, related_name="review_cycles")
    revision = models.ForeignKey(
        "intake.UseCaseRevision", on_delete=models.PROTECT, related_name="review_cycles"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The use case's review round this cycle decides (copied when the cycle opens): one cycle per round.
    review_round = models.PositiveIntegerField()
    # The boundary verdict the decisions are held to: frozen at submission (or checked when the cycle opened).
    boundary_verdict = models.CharField(max_length=30, blank=True)
    boundary_version = models.PositiveIntegerField(null=True, blank=True)
    exception_max_days = models.PositiveIntegerField(null=True, blank=True)
    boundary_conditions = models.JSONField(default=list, blank=True)
    opened_at = models.DateTimeField()
    # When the use case began waiting for this round: its submission, or being flagged for re-review. Time to
    # decision runs from here (a cycle itself opens only with its first decision).
    waiting_since = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["use_case"],
                condition=models.Q(closed_at__isnull=True),
                name="one_open_cycle_per_use_case",
            ),
            models.UniqueConstraint(fields=["use_case", "review_round"], name="one_cycle_per_review_round"),
        ]

    def __str__(self) -> str:
        return f"{self.use_case_id} round {self.review_round} r{self.revision_id} {self.kind}"

    @property
    def required_controls(self) -> tuple[RequiredControl, ...]:
        """The controls the boundary requires, as frozen when the round opened (stored as JSON)."""
        return tuple(RequiredControl.from_dict(c) for c in self.boundary_conditions if isinstance(c, dict))

    @property
    def state(self) -> str:
        """Open, decided or withdrawn (approvals.workflow): read from when and how the round closed."""
        return cycle_state(closed_at=self.closed_at, outcome=self.outcome)


class SlotDecision(models.Model):
    cycle = models.ForeignKey(ReviewCycle, on_delete=models.PROTECT, related_name="decisions")
    use_case = models.ForeignKey("intake.UseCase", on_delete=models.PROTECT, related_name="decisions")
    revision_number = models.PositiveIntegerField()
    content_hash = models.CharField(max_length=64)
    slot = models.CharField(max_length=10, choices=Slot.choices)
    decider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=30, choices=Decision.choices)
    rationale = models.TextField(max_length=4000, blank=True)
    exception_expires_on = models.DateField(null=True, blank=True)
    # The conditions this decision attaches; they become Condition rows only when the use case is approved.
    proposed_conditions = models.JSONField(default=list, blank=True)
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["decided_at"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "slot"], name="one_decision_per_slot_per_cycle"),
            models.CheckConstraint(
                condition=models.Q(decision=Decision.APPROVE) | ~models.Q(rationale=""),
                name="decision_rationale_required",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(decision=Decision.APPROVE_WITH_EXCEPTION, exception_expires_on__isnull=False)
                    | (
                        ~models.Q(decision=Decision.APPROVE_WITH_EXCEPTION)
                        & models.Q(exception_expires_on__isnull=True)
                    )
                ),
                name="decision_exception_expiry",
            ),
        ]
        indexes = [models.Index(fields=["use_case", "decider"], name="decision_use_case_decider_idx")]

    def __str__(self) -> str:
        return f"{self.slot}: {self.decision} on r{self.revision_number}"


class Condition(models.Model):
    class Source(models.TextChoices):
        REVIEWER = "reviewer", "Set by a reviewer"
        BOUNDARY = "boundary", "Required by the risk boundary"

    use_case = models.ForeignKey("intake.UseCase", on_delete=models.PROTECT, related_name="conditions")
    decision = models.ForeignKey(
        SlotDecision, null=True, blank=True, on_delete=models.PROTECT, related_name="conditions"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    control_id = models.CharField(max_length=10, blank=True)
    text = models.CharField(max_length=500)
    owner = models.CharField(max_length=150, blank=True)
    due_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    met_at = models.DateTimeField(null=True, blank=True)
    met_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.text


class Approval(models.Model):
    """A standing approval: when it was given, and when both must decide again."""

    use_case = models.ForeignKey("intake.UseCase", on_delete=models.PROTECT, related_name="approvals")
    cycle = models.OneToOneField(ReviewCycle, on_delete=models.PROTECT, related_name="approval")
    approved_at = models.DateTimeField()
    re_review_on = models.DateField(db_index=True)
    exception_expires_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-approved_at"]

    def __str__(self) -> str:
        return f"{self.use_case_id} approved {self.approved_at:%Y-%m-%d}"
