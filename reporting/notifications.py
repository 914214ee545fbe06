"""Who is told about board packs, and with what: the board secretaries learn that a pack is ready; the other executive
and the secretaries that the quarter's statement was written, a version signed or the pack issued.

The words are in templates/emails/reporting/; the task loads the pack by id and calls this once it is ready.
"""

from typing import Any

from accounts.models import User
from accounts.roles import Role
from config.mail import send_templated_mail
from reporting.models import BoardPack, QuarterStatement

TEMPLATES = "emails/reporting"


def _board_secretary_emails() -> list[str]:
    holders = User.objects.filter(groups__name=Role.BOARD_SECRETARY, is_active=True).exclude(email="")
    return sorted(set(holders.values_list("email", flat=True)))


def notify_pack_ready(*, pack: BoardPack) -> int:
    return send_templated_mail(f"{TEMPLATES}/pack_ready", {"pack": pack}, _board_secretary_emails())


def _executive_emails(*, excluding: Any | None = None) -> list[str]:
    holders = User.objects.filter(groups__name__in=[Role.CIO, Role.CISO], is_active=True).exclude(email="")
    if excluding is not None:
        holders = holders.exclude(pk=excluding.pk)
    return sorted(set(holders.values_list("email", flat=True)))


def notify_issuance(kind: str, *, actor: Any | None = None, **ids: Any) -> int:
    """The other executive and the board secretaries learn that the statement was written, a version signed, or the
    pack issued (then both executives too)."""
    recipients = sorted(set(_executive_emails(excluding=actor)) | set(_board_secretary_emails()))
    context: dict[str, Any] = {"actor": actor}
    if kind == "statement":
        context["statement"] = QuarterStatement.objects.get(pk=ids["statement_id"])
    else:
        context["pack"] = BoardPack.objects.get(pk=ids["pack_id"])
        context["role"] = Role(ids["role"]).label if ids.get("role") else ""
    return send_templated_mail(f"{TEMPLATES}/pack_{kind}", context, recipients)
