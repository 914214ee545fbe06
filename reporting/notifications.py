"""Who is told about board packs, and with what: the board secretaries learn that a pack is ready.

The words are in templates/emails/reporting/; the task loads the pack by id and calls this once it is ready.
"""

from accounts.models import User
from accounts.roles import Role
from config.mail import send_templated_mail
from reporting.models import BoardPack

TEMPLATES = "emails/reporting"


def _board_secretary_emails() -> list[str]:
    holders = User.objects.filter(groups__name=Role.BOARD_SECRETARY, is_active=True).exclude(email="")
    return sorted(set(holders.values_list("email", flat=True)))


def notify_pack_ready(*, pack: BoardPack) -> int:
    return send_templated_mail(f"{TEMPLATES}/pack_ready", {"pack": pack}, _board_secretary_emails())
