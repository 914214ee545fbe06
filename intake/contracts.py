"""The typed objects intake hands across app borders: a saved assessment, and a check against a risk boundary.

JSON stays the storage format (a revision's ``assessment`` and ``boundary_check``); these are how it is read. Reading
is tolerant, as stored JSON outlives the code that wrote it: a missing key reads as "nothing", never as an error.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from intake.vocabulary import Band, EuRole, Tier, Verdict


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _items(value: Any) -> list[Mapping[str, Any]]:
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list | tuple) else []


def _number(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _choice(choices: type, value: Any) -> Any:
    if not isinstance(value, str):
        return None
    try:
        return choices(value)
    except ValueError:  # a value this code does not know (say, from an older ruleset)
        return None


@dataclass(frozen=True)
class Derogation:
    """Art. 6(3): an Annex III use case that claims not to be high-risk, with what that claim entails."""

    claimed: bool = False
    reason: str = ""
    legal_review: bool = False
    registration_required: bool = False

    @classmethod
    def from_dict(cls, data: Any) -> "Derogation":
        data = _mapping(data)
        return cls(
            claimed=bool(data.get("claimed")),
            reason=str(data.get("reason") or ""),
            legal_review=bool(data.get("legal_review")),
            registration_required=bool(data.get("registration_required")),
        )


@dataclass(frozen=True)
class Finding:
    """A rule's conclusion with its id and citation (a prohibited practice, an obligation, a fired rule)."""

    id: str
    text: str = ""
    citation: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, id_key: str = "id", text_key: str = "text") -> "Finding":
        return cls(
            id=str(data.get(id_key) or ""),
            text=str(data.get(text_key) or ""),
            citation=str(data.get("citation") or ""),
        )


@dataclass(frozen=True)
class RecommendedControl:
    id: str
    name: str
    why: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "RecommendedControl":
        why = data.get("why")
        return cls(
            id=str(data.get("id") or ""),
            name=str(data.get("name") or ""),
            why=tuple(str(w) for w in why) if isinstance(why, list | tuple) else (),
        )


@dataclass(frozen=True)
class SavedAssessment:
    """An assessment as stored with a revision (``Assessment.to_dict()``), read by name."""

    tier: Tier | None = None  # None: not assessed, or a tier this code does not know
    role: EuRole | None = None
    band: Band | None = None
    score: int | None = None
    likelihood: int | None = None
    impact: int | None = None
    complete: bool = False
    ruleset_version: str = ""
    prohibited_practices: tuple[Finding, ...] = ()
    derogation: Derogation = field(default_factory=Derogation)
    # The stored JSON, for the long lists read only by the pages that show them (parsed on first use).
    source: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    # The top-level keys ``of`` reads for every field but the long lists (``controls``, ``fired``): a reader that needs
    # only the summary may load just these from the stored JSON, a tenth of its size.
    SUMMARY_KEYS = ("eu_ai_act", "band", "score", "likelihood", "impact", "complete", "ruleset_version")

    @classmethod
    def of(cls, data: "Mapping[str, Any] | SavedAssessment | None") -> "SavedAssessment":
        if isinstance(data, SavedAssessment):
            return data
        data = _mapping(data)
        eu = _mapping(data.get("eu_ai_act"))
        return cls(
            tier=_choice(Tier, eu.get("tier")),
            role=_choice(EuRole, eu.get("role")),
            band=_choice(Band, data.get("band")),
            score=_number(data.get("score")),
            likelihood=_number(data.get("likelihood")),
            impact=_number(data.get("impact")),
            complete=bool(data.get("complete")),
            ruleset_version=str(data.get("ruleset_version") or ""),
            prohibited_practices=tuple(Finding.from_dict(p) for p in _items(eu.get("prohibited_practices"))),
            derogation=Derogation.from_dict(eu.get("derogation")),
            source=data,
        )

    @cached_property
    def controls(self) -> tuple[RecommendedControl, ...]:
        """The controls the assessment recommends, with why."""
        return tuple(RecommendedControl.from_dict(c) for c in _items(self.source.get("controls")))

    @cached_property
    def fired(self) -> tuple[Finding, ...]:
        """Every rule that fired, with its reason and citation."""
        return tuple(
            Finding.from_dict(f, id_key="rule_id", text_key="reason")
            for f in _items(self.source.get("fired"))
        )

    @property
    def is_prohibited(self) -> bool:
        return self.tier is Tier.PROHIBITED or bool(self.prohibited_practices)


@dataclass(frozen=True)
class Breach:
    """One limit of a risk boundary that a use case goes beyond."""

    clause: str  # the Limits field that is breached
    limit: str
    actual: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"clause": self.clause, "limit": self.limit, "actual": self.actual, "reason": self.reason}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Breach":
        return cls(*(str(data.get(key) or "") for key in ("clause", "limit", "actual", "reason")))


@dataclass(frozen=True)
class RequiredControl:
    """A control the boundary requires for this use case's tier: attached as a condition on approval."""

    control_id: str
    name: str
    why: str

    def to_dict(self) -> dict[str, str]:
        return {"control_id": self.control_id, "name": self.name, "why": self.why}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "RequiredControl":
        return cls(*(str(data.get(key) or "") for key in ("control_id", "name", "why")))


@dataclass(frozen=True)
class BoundaryCheck:
    """The verdict of one use case against one boundary, with the breaches and required controls behind it."""

    verdict: Verdict
    breaches: tuple[Breach, ...] = ()
    conditions: tuple[RequiredControl, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict.value,
            "breaches": [breach.to_dict() for breach in self.breaches],
            "conditions": [condition.to_dict() for condition in self.conditions],
        }

    @classmethod
    def from_dict(cls, data: Any) -> "BoundaryCheck | None":
        """A stored check; None when there is none (no boundary was active) or its verdict is not one of ours."""
        data = _mapping(data)
        verdict = _choice(Verdict, data.get("verdict"))
        if verdict is None:
            return None
        return cls(
            verdict=verdict,
            breaches=tuple(Breach.from_dict(b) for b in _items(data.get("breaches"))),
            conditions=tuple(RequiredControl.from_dict(c) for c in _items(data.get("conditions"))),
        )


@dataclass(frozen=True)
class CheckedAgainstBoundary:
    """What the boundary hook answers: the check, against which boundary version, and whether it is frozen (the one
    recorded at submission) or live (against the boundary active now)."""

    boundary_version: int
    check: BoundaryCheck
    frozen: bool = False

    @property
    def verdict(self) -> Verdict:
        return self.check.verdict
