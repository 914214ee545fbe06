"""The custom user and teams. Roles are Django groups (see accounts.roles); their changes go through services."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.db import models

from accounts.workflow import GrantState


class Team(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    # Members are also in this group, so "the team may see it" is one guardian group grant.
    group = models.OneToOneField(Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="team")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    display_name = models.CharField(max_length=150, blank=True)
    job_title = models.CharField(max_length=150, blank=True)
    teams = models.ManyToManyField(Team, related_name="members", blank=True)
    # The password was last chosen by someone other than its holder (an administrator in the Django admin): whoever
    # chose it could sign in as them, so a grant of an approver role replaces it (accounts.services).
    password_set_by_other = models.BooleanField(default=False, editable=False)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def label(self) -> str:
        return str(self)


class SignInFailure(models.Model):
    """One failed password check for a username from an address: what the sign-in limits count.

    An attempt is recorded here before its password is checked (and removed when the password proves right or the
    attempt is refused), so guesses sent in parallel see each other and cannot all pass the limit check at once.

    Kept in the database (not the cache) so browser and API sign-in, every web process and a Redis outage all share
    one count; rows older than the longest window are pruned daily.
    """

    username = models.CharField(
        max_length=150
    )  # as typed, normalised (case-folded): accounts that do not exist too
    ip = models.CharField(max_length=45, blank=True)
    failed_at = models.DateTimeField()
    # The right password from the same address later: no longer in that address's short count, still in the
    # account's (so someone sharing an address with the account's holder gets no fresh guesses from their sign-ins).
    address_cleared = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["username", "failed_at"], name="signin_failure_user_idx"),
            models.Index(fields=["username", "ip", "failed_at"], name="signin_failure_addr_idx"),
            models.Index(fields=["failed_at"], name="signin_failure_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.username} from {self.ip or '?'} at {self.failed_at:%Y-%m-%d %H:%M}"


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(models.Model):
    """An API credential: only its SHA-256 digest is stored; the key is shown once, when it is issued."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)  # the client it is for ("reporting script", "laptop CLI")
    prefix = models.CharField(max_length=16)  # the key's first characters, to tell tokens apart
    digest = models.CharField(max_length=64, unique=True)
    # A digest of the password hash when the token was issued: a password changed by any route ends the token.
    password_stamp = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_ip = models.CharField(max_length=45, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=200, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_live_token_per_client_name",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")), name="token_expiry"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class RoleGrantRequest(models.Model):
    """A request to give someone an approver role; it takes effect only when a sitting CIO or CISO confirms it."""

    State = GrantState  # the lifecycle's words live with its table (accounts.workflow)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_requests")
    role = models.CharField(max_length=30)
    note = models.CharField(max_length=500, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(state="pending"),
                name="one_pending_grant_per_user_role",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=GrantState.values),
                name="role_request_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} for {self.user} ({self.state})"


class CoSignature(models.Model):
    """A CIO's or CISO's signature on a content hash (a risk boundary's, a board pack version's). A signature on
    content that has since changed is kept, for the record, but void. Each concrete model adds what is signed and
    its one-per-role and one-per-person constraints."""

    class Role(models.TextChoices):
        CIO = "cio", "CIO"
        CISO = "ciso", "CISO"

    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=10, choices=Role.choices)
    signed_at = models.DateTimeField()
    content_hash = models.CharField(max_length=64)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        abstract = True
        ordering = ["signed_at"]

    @property
    def is_valid(self) -> bool:
        return self.voided_at is None
