"""Board packs: one PDF per quarter and version, rendered by the worker and stored through Django's storage API."""

from django.conf import settings
from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from reporting.workflow import PackStatus


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

    class Meta:
        ordering = ["-quarter", "-version"]
        indexes = [models.Index(fields=["requested_by", "requested_at"], name="board_pack_requester_idx")]
        constraints = [
            models.UniqueConstraint(fields=["quarter", "version"], name="board_pack_version_unique"),
            models.CheckConstraint(
                condition=models.Q(status__in=PackStatus.values),
                name="board_pack_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Board pack {self.quarter} v{self.version}"

    @property
    def filename(self) -> str:
        return f"board-pack-{self.quarter}-v{self.version}.pdf"


class BoardPackUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(BoardPack, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        pass


class BoardPackGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(BoardPack, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        pass
