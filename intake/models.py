"""GenAI use cases, their immutable revisions, the yearly reference counter and per-object permissions."""

from django.conf import settings
from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from intake.workflow import OPEN_STATES, Status


class ReferenceCounter(models.Model):
    """The last reference number handed out per year; locked row by row so references never repeat."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class UseCaseQuerySet(models.QuerySet):
    def in_state(self, *states: str) -> "UseCaseQuerySet":
        return self.filter(status__in=states)

    def of_team(self, team) -> "UseCaseQuerySet":
        return self.filter(team=team)

    def blocked_as_prohibited(self) -> "UseCaseQuerySet":
        return self.filter(closed_by_system=True)


class UseCase(models.Model):
    reference = models.CharField(max_length=20, unique=True, editable=False)
    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=4000, blank=True)
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="use_cases")
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="use_cases"
    )
    business_owner = models.CharField(max_length=150, blank=True)
    business_value = models.TextField(max_length=4000, blank=True)
    go_live_target = models.DateField(null=True, blank=True)
    # The working copy of the answers (validated by intake.answers); frozen into a revision at each submission.
    answers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False)
    status_reason = models.TextField(blank=True, editable=False)
    # Set when the system closed it on submission for a prohibited practice (kept, visible and counted).
    closed_by_system = models.BooleanField(default=False, editable=False)
    revision_count = models.PositiveIntegerField(default=0, editable=False)
    # Denormalised from the latest assessment (draft preview or frozen revision) for lists and filters.
    tier = models.CharField(max_length=20, blank=True, editable=False)
    band = models.CharField(max_length=10, blank=True, editable=False)
    score = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    boundary_verdict = models.CharField(max_length=30, blank=True, editable=False)
    # What a boundary check reads of the latest revision (riskboundaries.check.check_facts_of), written at each
    # submission: the what-if groups use cases by it instead of reading every revision's JSON.
    check_facts = models.JSONField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Since when it has waited for the CIO and CISO decisions (submission, resubmission or re-review): the queue's age.
    awaiting_decision_since = models.DateTimeField(null=True, blank=True, editable=False)
    # Which round of decisions it waits for: advanced each time it starts waiting (submission, resubmission,
    # re-review flag). A decision names the round its decider saw; a request sent in an earlier round is refused.
    review_round = models.PositiveIntegerField(default=0, editable=False)

    objects = UseCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "id"], name="usecase_status_idx"),
            models.Index(fields=["team", "id"], name="usecase_team_idx"),
            # A team's requests by state (the requester's home counts them, up to a cap, per state).
            models.Index(fields=["team", "status", "id"], name="usecase_team_status_idx"),
            # A team's requests most recently changed first (the requester's home).
            models.Index(fields=["team", "-updated_at"], name="usecase_team_recent_idx"),
            # The review queue's order (approvals.urgency): per band, the longest waiting first, open ones only.
            models.Index(
                fields=["band", "awaiting_decision_since", "id"],
                name="usecase_open_by_urgency_idx",
                condition=models.Q(status__in=sorted(OPEN_STATES)),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=Status.values), name="usecase_status_valid"),
            models.CheckConstraint(condition=~models.Q(title=""), name="usecase_title_present"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=25),
                name="usecase_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class UseCaseRevision(models.Model):
    """What was submitted, frozen: the content, its SHA-256 hash and the assessment made of it at the time."""

    use_case = models.ForeignKey(UseCase, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    content_hash = models.CharField(max_length=64)
    assessment = models.JSONField()
    ruleset_version = models.CharField(max_length=40)
    # The verdict against the risk boundary active at submission, and that boundary's version (none if none active).
    boundary_check = models.JSONField(default=dict, blank=True)
    boundary_version = models.PositiveIntegerField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["use_case_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["use_case", "number"], name="revision_number_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="revision_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.use_case_id} r{self.number}"


class UseCaseUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(UseCase, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        pass


class UseCaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(UseCase, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        pass


class KeyDate(models.Model):
    """One of the EU AI Act's key dates, as data: the date from which a group of duties applies. Seeded with the
    Regulation's dates; an administrator may move one (a delay, a change of the law), and that is audited."""

    key = models.SlugField(max_length=30, unique=True)
    applies_on = models.DateField()
    what = models.CharField(max_length=300)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["applies_on", "key"]

    def __str__(self) -> str:
        return f"{self.applies_on}: {self.what}"


class ObligationState(models.Model):
    """Where one EU AI Act obligation of a use case stands (open when there is no row)."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        IN_HAND = "in_hand", "In hand"
        MET = "met", "Met"
        NOT_APPLICABLE = "not_applicable", "Not applicable"

    use_case = models.ForeignKey(UseCase, on_delete=models.PROTECT, related_name="obligation_states")
    obligation = models.CharField(max_length=60)  # the rule id that lists it
    state = models.CharField(max_length=20, choices=State.choices)
    reason = models.CharField(max_length=1000, blank=True)  # required when not applicable
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["use_case_id", "obligation"]
        constraints = [
            models.UniqueConstraint(fields=["use_case", "obligation"], name="obligation_state_unique"),
            models.CheckConstraint(
                condition=~models.Q(state="not_applicable") | ~models.Q(reason=""),
                name="obligation_not_applicable_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.use_case_id} {self.obligation}: {self.state}"


class RulesetUpgrade(models.Model):
    """A newer ruleset deployed over a portfolio assessed under older ones. The worker re-assesses every live use case
    with it (in id order, a batch at a time, resumable at its cursor) and records what would change; the frozen
    assessments stand until the CIO and the CISO have both acknowledged it, after which the approved use cases whose
    risk rose go to re-review."""

    class State(models.TextChoices):
        ASSESSING = "assessing", "Re-assessing the portfolio"
        AWAITING = "awaiting", "Waiting for the CIO and the CISO"
        APPLYING = "applying", "Sending the riskier use cases to re-review"
        APPLIED = "applied", "In force"

    version = models.CharField(max_length=40, unique=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.ASSESSING)
    total = models.PositiveIntegerField(
        default=0
    )  # live use cases when it was deployed (what progress counts to)
    checked = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    rose = models.PositiveIntegerField(default=0)
    re_reviewed = models.PositiveIntegerField(default=0)
    cursor = models.BigIntegerField(default=0)  # the last use case re-assessed
    apply_cursor = models.BigIntegerField(default=0)  # the last change applied
    created_at = models.DateTimeField(auto_now_add=True)
    assessed_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"ruleset {self.version}: {self.state}"

    @property
    def percent(self) -> int:
        if self.state != self.State.ASSESSING:
            return 100
        return min(99, self.checked * 100 // self.total) if self.total else 0


class RulesetAcknowledgement(models.Model):
    """The CIO's or the CISO's acknowledgement of a ruleset upgrade's changes (one per role)."""

    upgrade = models.ForeignKey(RulesetUpgrade, on_delete=models.PROTECT, related_name="acknowledgements")
    role = models.CharField(max_length=10)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at"]
        constraints = [models.UniqueConstraint(fields=["upgrade", "role"], name="ruleset_ack_once_per_role")]

    def __str__(self) -> str:
        return f"ruleset {self.upgrade_id} acknowledged as {self.role}"


class RulesetChange(models.Model):
    """What the upgrade's ruleset changes in one live use case (intake.assessment.changes.AssessmentChange)."""

    upgrade = models.ForeignKey(RulesetUpgrade, on_delete=models.PROTECT, related_name="changes")
    use_case = models.ForeignKey(UseCase, on_delete=models.PROTECT, related_name="ruleset_changes")
    revision_number = models.PositiveIntegerField()
    from_version = models.CharField(max_length=40)
    change = models.JSONField()
    rose = models.BooleanField()

    class Meta:
        ordering = ["upgrade_id", "use_case_id"]
        constraints = [models.UniqueConstraint(fields=["upgrade", "use_case"], name="ruleset_change_once")]

    def __str__(self) -> str:
        return f"ruleset {self.upgrade_id} changes {self.use_case_id}"
