"""The demo organisation the board-pack tests read, and the quarter its data lives in."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from config.quarters import Quarter

# The running quarter: the demo data lives in it (the demo itself requests last quarter's pack).
CURRENT = str(Quarter.containing(timezone.localdate()))


@pytest.fixture
def people(db, settings, tmp_path):
    """The demo organisation seeded, its packs' files under a temporary media root; its people by username."""
    from accounts.models import User

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", "--password", "demo-password-123")
    return {u.username: u for u in User.objects.all()}
