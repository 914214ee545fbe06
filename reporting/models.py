"""Board packs: one PDF per quarter and version, rendered by the worker and stored through Django's storage API."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from accounts.models import CoSignature
from reporting.exports import register_filename
from reporting.workflow import IssuanceState, PackStatus


class BoardPack(models.Model):
    Status = PackStatus  # the lifecycle's words live with its table (reporting.workflow)

    quarter = models.CharField(max_length=7, db_index=True)
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    cutoff = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    # A render in progress beats every few seconds; a silent one (its worker died) is taken over by the next render
    # (reporting.services.board_pack_render). Each take increments the attempt, and only the current attempt may
    # finish the pack.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    render_attempt = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Never served from a media URL: only through the authenticated, audited download view.
    file = models.FileField(upload_to="board-packs/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    # Issuance: the CIO and the CISO sign the content hash of this version (reporting.services.board_pack_sign);
    # the second signature has the worker render the issued copy of the same content.
    content_hash = models.CharField(max_length=64, blank=True)
    issuance = models.CharField(
        max_length=12, choices=IssuanceState.choices, default=IssuanceState.UNSIGNED, editable=False
    )
    issuance_changed_at = models.DateTimeField(null=True, blank=True)
    # The quarter's statement as this version was rendered with it (part of its content hash).
    statement_revision = models.PositiveIntegerField(default=0)
    statement_text = models.TextField(blank=True)
    statement_authors = models.JSONField(default=list, blank=True)
    statement_updated_at = models.DateTimeField(null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_file = models.FileField(upload_to="board-packs/", blank=True)
    issued_sha256 = models.CharField(max_length=64, blank=True)
    issued_size_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    void_reason = models.CharField(max_length=300, blank=True)
    # Renders of the issued copy: counted, so that one that keeps failing (or whose worker keeps dying) is given up
    # after BOARD_PACK_MAX_ATTEMPTS instead of being sent again by every sweep.
    issue_attempts = models.PositiveSmallIntegerField(default=0)
    issue_attempted_at = models.DateTimeField(null=True, blank=True)
    issue_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-quarter", "-version"]
        indexes = [models.Index(fields=["requested_by", "requested_at"], name="board_pack_requester_idx")]
        constraints = [
            models.UniqueConstraint(fields=["quarter", "version"], name="board_pack_version_unique"),
            models.CheckConstraint(
                condition=models.Q(status__in=PackStatus.values),
                name="board_pack_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(issuance__in=IssuanceState.values),
                name="board_pack_issuance_valid",
            ),
            # A quarter has one board paper: once a version is issued (or issuing), no other can be.
            models.UniqueConstraint(
                fields=["quarter"],
                condition=models.Q(issuance__in=[IssuanceState.ISSUING, IssuanceState.ISSUED]),
                name="board_pack_one_issued_per_quarter",
            ),
        ]

    def __str__(self) -> str:
        return f"Board pack {self.quarter} v{self.version}"

    @property
    def filename(self) -> str:
        return f"board-pack-{self.quarter}-v{self.version}.pdf"

    @property
    def issued_filename(self) -> str:
        return f"board-pack-{self.quarter}-v{self.version}-issued.pdf"

    @property
    def is_issued(self) -> bool:
        return self.issuance == IssuanceState.ISSUED

    @property
    def is_interim(self) -> bool:
        """Cut before the quarter ended: the running quarter's figures so far."""
        from config.quarters import Quarter

        return self.cutoff.date() < Quarter.parse(self.quarter).next().start


class QuarterStatement(models.Model):
    """The CIO's and the CISO's joint commentary for a quarter: one per quarter, edited by either, every edit audited.
    An edit voids the quarter's unissued versions (reporting.services.statement_save)."""

    quarter = models.CharField(max_length=7, unique=True)
    text = models.TextField()
    revision = models.PositiveIntegerField(default=1)
    authors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-quarter"]

    def __str__(self) -> str:
        return f"Statement {self.quarter} r{self.revision}"


class PackSignature(CoSignature):
    """A signature on one version's content hash, as CIO or CISO. Kept (for the record) but void once the version is."""

    pack = models.ForeignKey(BoardPack, on_delete=models.PROTECT, related_name="signatures")

    class Meta(CoSignature.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["pack", "role"],
                condition=models.Q(voided_at__isnull=True),
                name="pack_one_signature_per_role",
            ),
            models.UniqueConstraint(
                fields=["pack", "signer"],
                condition=models.Q(voided_at__isnull=True),
                name="pack_one_signature_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"Board pack {self.pack_id} signed by {self.signer_id} as {self.role}"


class BoardPackUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(BoardPack, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        pass


class BoardPackGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(BoardPack, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        pass


class RegisterExport(models.Model):
    """A register too large to build inside a request, produced by the worker and downloaded when ready (by the
    person who asked for it, through the authenticated, audited download view; never from a media URL)."""

    class Kind(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=4, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows = models.PositiveIntegerField(null=True, blank=True)
    file = models.FileField(upload_to="register-exports/", blank=True)
    size_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["requested_by", "-requested_at"], name="register_export_mine_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["csv", "xlsx"]), name="register_export_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "running", "ready", "failed"]),
                name="register_export_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"register export {self.pk} ({self.kind}, {self.status})"

    @property
    def filename(self) -> str:
        return register_filename(self.kind, timezone.localtime(self.requested_at).date())
