"""Reads for issuing board packs: the statements and valid signatures of a page of packs, and what this person may do
with each version (sign, write the statement), with the reason when they may not. No writes."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from accounts.roles import Role
from reporting import policies
from reporting.models import BoardPack, PackSignature, QuarterStatement
from reporting.workflow import SIGNABLE, IssuanceState, PackStatus


@dataclass
class Action:
    allowed: bool
    reason: str = ""


@dataclass
class PackIssue:
    """One version as the board-packs page and the API describe its issuance."""

    pack: BoardPack
    signatures: list[PackSignature] = field(default_factory=list)
    statement: QuarterStatement | None = None
    sign: Action | None = None  # None: not this person's to sign
    statement_action: Action | None = None

    @property
    def label(self) -> str:
        if self.pack.issuance == IssuanceState.ISSUED:
            return "Issued"
        if self.pack.issuance == IssuanceState.VOID:
            return "Void"
        return "Draft — not issued"

    @property
    def interim(self) -> bool:
        return self.pack.is_interim

    @property
    def missing(self) -> list[str]:
        signed = {s.role for s in self.signatures}
        return [Role(r).label for r in policies.SIGNING_ROLES if r not in signed]


def valid_signatures(packs: Sequence[BoardPack]) -> dict[int, list[PackSignature]]:
    """The signatures that stand on each pack, in one query."""
    found: dict[int, list[PackSignature]] = defaultdict(list)
    for signature in (
        PackSignature.objects.filter(pack__in=[p.pk for p in packs], voided_at__isnull=True)
        .select_related("signer")
        .order_by("signed_at")
    ):
        found[signature.pack_id].append(signature)
    return found


def statements_for(quarters: Sequence[str]) -> dict[str, QuarterStatement]:
    """Each quarter's statement with its authors, in two queries."""
    return {
        s.quarter: s
        for s in QuarterStatement.objects.filter(quarter__in=set(quarters)).prefetch_related("authors")
    }


def statement_for(quarter: str) -> QuarterStatement | None:
    return QuarterStatement.objects.filter(quarter=quarter).prefetch_related("authors").first()


def issued_versions_of(quarters: set[str]) -> dict[str, int]:
    """The version of each quarter signed by both (issuing or issued), in one query (none for no quarter)."""
    if not quarters:
        return {}
    return dict(
        BoardPack.objects.filter(
            quarter__in=quarters, issuance__in=[IssuanceState.ISSUING, IssuanceState.ISSUED]
        ).values_list("quarter", "version")
    )


def quarter_issued(quarter: str) -> BoardPack | None:
    return (
        BoardPack.objects.filter(quarter=quarter, issuance__in=[IssuanceState.ISSUING, IssuanceState.ISSUED])
        .only("pk", "version", "quarter", "issuance")
        .first()
    )


def pack_issues(user: Any, packs: Sequence[BoardPack]) -> list[PackIssue]:
    """Each pack with its signatures, its quarter's statement and this person's actions: at most four queries for a page."""
    signer = bool(policies.signing_roles_of(user))
    signatures = valid_signatures(packs)
    statements = statements_for([p.quarter for p in packs])
    # Only a quarter with a version that can be signed needs to know whether another one is issued.
    issued_versions = (
        issued_versions_of({p.quarter for p in packs if p.issuance in SIGNABLE}) if signer else {}
    )
    rows = []
    for pack in packs:
        statement = statements.get(pack.quarter)
        row = PackIssue(pack=pack, signatures=signatures.get(pack.pk, []), statement=statement)
        if signer and pack.status == PackStatus.READY and pack.issuance in SIGNABLE:
            refusal = policies.signing_refusal(
                user,
                pack,
                valid=row.signatures,
                statement_revision=statement.revision if statement else 0,
                issued_version=issued_versions.get(pack.quarter),
            )
            row.sign = Action(refusal is None, refusal.reason if refusal else "")
            reason = policies.statement_refusal(user, quarter_issued=pack.quarter in issued_versions)
            row.statement_action = Action(reason is None, reason or "")
        rows.append(row)
    return rows


def awaiting_signature(user: Any, packs: Sequence[BoardPack]) -> list[PackIssue]:
    """The versions this person could sign now (their home's prompt)."""
    return [row for row in pack_issues(user, packs) if row.sign is not None and row.sign.allowed]
