"""The demo's board pack: last quarter's, requested by the board secretary (rendered by the worker, or in-process)."""

from django.utils import timezone

from accounts.models import User
from reporting.models import BoardPack
from reporting.quarters import Quarter
from reporting.services import board_pack_request


def seed_board_pack() -> BoardPack:
    quarter = str(Quarter.containing(timezone.localdate()).previous())
    existing = BoardPack.objects.filter(quarter=quarter).order_by("-version").first()
    if existing is not None:
        return existing
    return board_pack_request(actor=User.objects.get(username="secretary"), quarter=quarter)
