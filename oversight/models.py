"""Live oversight of approved use cases: incidents, the Regulation's clocks they start, and suspensions."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from oversight import clocks


class IncidentQuerySet(models.QuerySet):
    def serious(self) -> "IncidentQuerySet":
        return self.filter(serious=True)


class Incident(models.Model):
    """Something that went wrong with a live use case, as reported by someone who can see it."""

    use_case = models.ForeignKey("intake.UseCase", on_delete=models.PROTECT, related_name="incidents")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField()
    occurred_at = models.DateTimeField()
    # The clocks run from here (Art. 73(2): "after ... becoming aware"); at the latest, the report itself.
    aware_at = models.DateTimeField()
    title = models.CharField(max_length=200)
    what_happened = models.TextField(max_length=8000)
    who_was_affected = models.TextField(max_length=4000)
    harm = models.TextField(max_length=4000)
    serious = models.BooleanField(default=False)
    serious_kind = models.CharField(max_length=30, blank=True, choices=clocks.SERIOUS_KINDS)
    actions_taken = models.TextField(max_length=8000, blank=True)
    # What the clocks were computed from, as it stood at the report: the tier and our role under the EU AI Act.
    tier = models.CharField(max_length=20, blank=True)
    role = models.CharField(max_length=10, blank=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["use_case", "-reported_at"], name="incident_use_case_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(serious=True) & ~Q(serious_kind="")) | (Q(serious=False) & Q(serious_kind="")),
                name="incident_serious_has_its_kind",
            ),
            models.CheckConstraint(
                condition=Q(occurred_at__lte=models.F("aware_at")) & Q(aware_at__lte=models.F("reported_at")),
                name="incident_occurred_aware_reported_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    @property
    def reference(self) -> str:
        return f"INC-{self.pk:05d}" if self.pk else "INC-new"


class IncidentDeadlineQuerySet(models.QuerySet):
    def open(self) -> "IncidentDeadlineQuerySet":
        return self.filter(met_at__isnull=True)


class IncidentDeadline(models.Model):
    """One reporting duty a serious incident started (oversight.clocks), and when it was met."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="deadlines")
    duty = models.CharField(max_length=30, choices=clocks.DUTIES)
    article = models.CharField(max_length=20)
    period = models.CharField(max_length=100)
    due_at = models.DateTimeField()
    met_at = models.DateTimeField(null=True, blank=True)
    met_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    met_note = models.CharField(max_length=500, blank=True)
    # The last reminder sent: reminders repeat at most every INCIDENT_REMINDER_EVERY_HOURS while it is open.
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = IncidentDeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(
                fields=["due_at"], condition=Q(met_at__isnull=True), name="incident_deadline_open_idx"
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["incident", "duty"], name="incident_deadline_once_per_duty"),
            models.CheckConstraint(
                condition=Q(met_at__isnull=True, met_by__isnull=True)
                | Q(met_at__isnull=False, met_by__isnull=False),
                name="incident_deadline_met_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_duty_display()} by {self.due_at:%Y-%m-%d %H:%M}"


class Suspension(models.Model):
    """A use case stopped at once by the CIO or the CISO (its kill switch), until one of them lifts it."""

    use_case = models.ForeignKey("intake.UseCase", on_delete=models.PROTECT, related_name="suspensions")
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.PROTECT, related_name="suspensions"
    )
    reason = models.TextField(max_length=2000)
    suspended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    suspended_at = models.DateTimeField()
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-suspended_at", "-id"]
        constraints = [
            # At most one suspension in force per use case: a second "suspend" is refused, not stacked.
            models.UniqueConstraint(
                fields=["use_case"], condition=Q(lifted_at__isnull=True), name="suspension_one_in_force"
            ),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True, lifted_by__isnull=True)
                | Q(lifted_at__isnull=False, lifted_by__isnull=False),
                name="suspension_lifted_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"suspension of use case {self.use_case_id}"


def evidence_path(instance: "Evidence", filename: str) -> str:
    """Stored under a random name: never the sender's file name (which may hold paths or markup)."""
    import uuid

    return f"evidence/{instance.use_case_id}/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1]}"


class Evidence(models.Model):
    """A note, a file, or both, showing that a condition of the approval or an EU AI Act obligation is met."""

    use_case = models.ForeignKey("intake.UseCase", on_delete=models.PROTECT, related_name="evidence")
    condition = models.ForeignKey(
        "approvals.Condition", null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    obligation = models.CharField(max_length=80, blank=True)  # an id of intake.assessment.duties
    note = models.TextField(max_length=4000, blank=True)
    file = models.FileField(upload_to=evidence_path, blank=True, max_length=200)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["-added_at", "-id"]
        indexes = [models.Index(fields=["use_case", "-added_at"], name="evidence_use_case_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(condition__isnull=False) & Q(obligation=""))
                | (Q(condition__isnull=True) & ~Q(obligation="")),
                name="evidence_for_one_condition_or_obligation",
            ),
            models.CheckConstraint(condition=~Q(note="") | ~Q(file=""), name="evidence_has_a_note_or_a_file"),
        ]

    def __str__(self) -> str:
        return self.original_name or f"evidence {self.pk}"

    @property
    def download_name(self) -> str:
        return self.original_name


class Attestation(models.Model):
    """The owner's quarterly word that a live use case runs as approved: the same model, the same data, its controls
    operating. One per use case and quarter; a "no" to any of them sends it to re-review."""

    use_case = models.ForeignKey("intake.UseCase", on_delete=models.PROTECT, related_name="attestations")
    quarter = models.CharField(max_length=7)  # "2026-Q4" (config.quarters)
    same_model = models.BooleanField()
    same_data = models.BooleanField()
    controls_operating = models.BooleanField()
    note = models.TextField(max_length=4000, blank=True)
    attested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    attested_at = models.DateTimeField()

    class Meta:
        ordering = ["-quarter", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["use_case", "quarter"], name="attestation_once_per_quarter"),
            models.CheckConstraint(
                condition=Q(same_model=True, same_data=True, controls_operating=True) | ~Q(note=""),
                name="attestation_change_is_explained",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.use_case_id} {self.quarter}"

    @property
    def as_approved(self) -> bool:
        return self.same_model and self.same_data and self.controls_operating


# The contractual terms a provider may commit to: the same choices the intake asks ("provider_terms").
PROVIDER_TERMS: tuple[tuple[str, str], ...] = (
    ("zero_retention", "Prompts and outputs are not stored"),
    ("no_training_on_data", "Our data is not used to train their models"),
    ("dpa_signed", "A data processing agreement is signed"),
    ("eu_data_residency", "Data stays in the EU"),
)


class AiProvider(models.Model):
    """A company that supplies models or AI services, as the inventory knows it; use cases name it as their provider.
    A provider proposed from the intake form waits for the CIO or the CISO to record its terms."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        LISTED = "listed", "Listed"

    name = models.CharField(max_length=120)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.LISTED)
    hosting_regions = models.JSONField(default=list, blank=True)  # "hosting_region" choices of the intake
    note = models.TextField(max_length=4000, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(models.functions.Lower("name"), name="ai_provider_name_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name


class ProviderTerm(models.Model):
    """Whether a provider commits to one term, as last checked: when, by whom, and the document that says so."""

    provider = models.ForeignKey(AiProvider, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(max_length=30, choices=PROVIDER_TERMS)
    holds = models.BooleanField()
    checked_on = models.DateField()
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    document = models.CharField(max_length=300, blank=True)  # the contract, clause or page it is read from

    class Meta:
        ordering = ["provider", "term"]
        constraints = [models.UniqueConstraint(fields=["provider", "term"], name="provider_term_once")]

    def __str__(self) -> str:
        return f"{self.provider_id} {self.term}={self.holds}"


class AiModel(models.Model):
    """A model (and version) a provider supplies, where it runs."""

    provider = models.ForeignKey(AiProvider, on_delete=models.PROTECT, related_name="models")
    name = models.CharField(max_length=120)
    version = models.CharField(max_length=60, blank=True)
    hosting_region = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["provider", "name", "version"]
        constraints = [
            models.UniqueConstraint(
                "provider",
                models.functions.Lower("name"),
                models.functions.Lower("version"),
                name="ai_model_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.version}".strip()
