"""The limits a risk boundary sets (DESIGN section 5): their shape, validation naming each field, canonical form.

Pure Python. A boundary's content is exactly `limits_to_content(...)`; its SHA-256 is what both executives sign.
"""

import hashlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from audit.chain import canonical_json
from config.errors import DomainError
from config.text import text_errors
from intake.answers import DATA_CLASSIFICATION_ORDER, QUESTIONS_BY_NAME
from intake.assessment.catalogue import CONTROLS
from intake.vocabulary import APPROVABLE_TIERS
from intake.vocabulary import TIERS_WITH_CONTROLS as TIERS_WITH_CONTROLS_

# Stored as plain strings in a boundary's content (its hash is over canonical JSON).
EU_TIERS_APPROVABLE = tuple(tier.value for tier in APPROVABLE_TIERS)
TIERS_WITH_CONTROLS = tuple(tier.value for tier in TIERS_WITH_CONTROLS_)
PROVIDER_NAME_MAX_LENGTH = 120


@dataclass(frozen=True)
class ProviderRule:
    name: str
    regions: tuple[str, ...] = ()  # empty: any region
    required_terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Limits:
    max_data_classification_internal: str = "restricted"
    max_data_classification_external: str = "internal"
    allowed_sourcing: tuple[str, ...] = ()  # empty: any
    allowed_providers: tuple[ProviderRule, ...] = ()  # empty: any
    max_autonomy: int = 2
    forbidden_tool_permissions: tuple[str, ...] = ()
    forbidden_domains: tuple[str, ...] = ()
    max_eu_tier: str = "high"
    max_inherent_score: int = 16
    required_controls: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    exception_max_days: int = 180
    review_by: date | None = None


LIMIT_LABELS = {
    "max_data_classification_internal": "Most sensitive information, tools used by employees",
    "max_data_classification_external": "Most sensitive information, tools used by customers or the public",
    "allowed_sourcing": "Allowed ways to get the AI",
    "allowed_providers": "Allowed providers",
    "max_autonomy": "Highest autonomy",
    "forbidden_tool_permissions": "Tools may never",
    "forbidden_domains": "AI may never help decide",
    "max_eu_tier": "Highest EU AI Act tier without an exception",
    "max_inherent_score": "Highest inherent risk score",
    "required_controls": "Required controls",
    "exception_max_days": "Longest exception",
    "review_by": "Review by",
}


class LimitsInvalid(DomainError):
    """One or more limits are not acceptable; `errors` names each field."""


def _values(question: str) -> tuple[str, ...]:
    return QUESTIONS_BY_NAME[question].values


def _list(raw: Any, name: str, allowed: tuple[str, ...], errors: dict[str, list[str]]) -> tuple[str, ...]:
    if raw in (None, ""):
        return ()
    if not isinstance(raw, list | tuple) or not all(isinstance(v, str) for v in raw):
        errors.setdefault(name, []).append("Expected a list of values.")
        return ()
    unknown = [v for v in raw if v not in allowed]
    if unknown:
        errors.setdefault(name, []).append(
            f"Unknown value(s) {', '.join(unknown)}; allowed: {', '.join(allowed)}."
        )
        return ()
    return tuple(v for v in allowed if v in set(raw))


def _one(raw: Any, name: str, allowed: tuple[str, ...], errors: dict[str, list[str]], default: str) -> str:
    if raw in (None, ""):
        return default
    if raw not in allowed:
        errors.setdefault(name, []).append(f"“{raw}” is not one of: {', '.join(allowed)}.")
        return default
    return raw


def _int(raw: Any, name: str, low: int, high: int, errors: dict[str, list[str]], default: int) -> int:
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
        if isinstance(raw, bool) or str(value) != str(raw).strip():
            raise ValueError
    except (TypeError, ValueError, OverflowError):  # OverflowError: infinity
        errors.setdefault(name, []).append("Expected a whole number.")
        return default
    if not low <= value <= high:
        errors.setdefault(name, []).append(f"Must be between {low} and {high}.")
    return value


def clean_limits(raw: Mapping[str, Any]) -> Limits:
    """Validate limits given as plain data (API JSON or form data); every problem is reported under its field."""
    errors: dict[str, list[str]] = {}
    known = set(Limits.__dataclass_fields__)
    for name in raw:
        if name not in known:
            errors.setdefault(name, []).append("Unknown limit.")
    defaults = Limits()
    providers: list[ProviderRule] = []
    raw_providers = raw.get("allowed_providers") or []
    if not isinstance(raw_providers, list | tuple):
        errors.setdefault("allowed_providers", []).append("Expected a list of providers.")
        raw_providers = []
    seen_names: set[str] = set()
    for i, item in enumerate(raw_providers):
        if not isinstance(item, Mapping) or not str(item.get("name", "")).strip():
            errors.setdefault("allowed_providers", []).append(f"Provider {i + 1}: a name is required.")
            continue
        folded = str(item["name"]).strip().casefold()
        if folded in seen_names:
            errors.setdefault("allowed_providers", []).append(
                f"“{str(item['name']).strip()}” is listed twice."
            )
            continue
        seen_names.add(folded)
        providers.append(
            ProviderRule(
                name=str(item["name"]).strip(),
                regions=_list(item.get("regions"), "allowed_providers", _values("hosting_region"), errors),
                required_terms=_list(
                    item.get("required_terms"), "allowed_providers", _values("provider_terms"), errors
                ),
            )
        )
    controls: dict[str, tuple[str, ...]] = {}
    raw_controls = raw.get("required_controls") or {}
    if not isinstance(raw_controls, Mapping):
        errors.setdefault("required_controls", []).append("Expected controls per tier.")
        raw_controls = {}
    for tier, ids in raw_controls.items():
        if tier not in TIERS_WITH_CONTROLS:
            errors.setdefault("required_controls", []).append(f"Unknown tier “{tier}”.")
            continue
        chosen = _list(ids, "required_controls", tuple(CONTROLS), errors)
        if chosen:
            controls[tier] = chosen
    review_by = raw.get("review_by")
    if isinstance(review_by, str) and review_by:
        try:
            review_by = date.fromisoformat(review_by)
        except ValueError:
            errors.setdefault("review_by", []).append("Expected a date (YYYY-MM-DD).")
            review_by = None
    elif review_by not in (None, "") and not isinstance(review_by, date):
        errors.setdefault("review_by", []).append("Expected a date (YYYY-MM-DD).")
        review_by = None
    limits = Limits(
        max_data_classification_internal=_one(
            raw.get("max_data_classification_internal"),
            "max_data_classification_internal",
            DATA_CLASSIFICATION_ORDER,
            errors,
            defaults.max_data_classification_internal,
        ),
        max_data_classification_external=_one(
            raw.get("max_data_classification_external"),
            "max_data_classification_external",
            DATA_CLASSIFICATION_ORDER,
            errors,
            defaults.max_data_classification_external,
        ),
        allowed_sourcing=_list(raw.get("allowed_sourcing"), "allowed_sourcing", _values("sourcing"), errors),
        allowed_providers=tuple(sorted(providers, key=lambda p: p.name.casefold())),
        max_autonomy=_int(raw.get("max_autonomy"), "max_autonomy", 0, 4, errors, defaults.max_autonomy),
        forbidden_tool_permissions=_list(
            raw.get("forbidden_tool_permissions"),
            "forbidden_tool_permissions",
            _values("tool_permissions"),
            errors,
        ),
        forbidden_domains=_list(
            raw.get("forbidden_domains"),
            "forbidden_domains",
            tuple(v for v in _values("decision_domain") if v != "none"),
            errors,
        ),
        max_eu_tier=_one(
            raw.get("max_eu_tier"), "max_eu_tier", EU_TIERS_APPROVABLE, errors, defaults.max_eu_tier
        ),
        max_inherent_score=_int(
            raw.get("max_inherent_score"), "max_inherent_score", 1, 25, errors, defaults.max_inherent_score
        ),
        required_controls=controls,
        exception_max_days=_int(
            raw.get("exception_max_days"), "exception_max_days", 1, 730, errors, defaults.exception_max_days
        ),
        review_by=review_by or None,
    )
    if errors:
        raise LimitsInvalid("Some limits are not valid.", errors=errors)
    return limits


def typed_text_errors(raw: Mapping[str, Any]) -> dict[str, list[str]]:
    """What people typed into the limits (provider names) that is not stored: too long, or with control characters.

    Checked where limits are written (riskboundaries.services), not in clean_limits: saved boundaries are read back
    through clean_limits, and a rule added later must never make one of them unreadable.
    """
    errors: dict[str, list[str]] = {}
    providers = raw.get("allowed_providers")
    for i, item in enumerate(providers if isinstance(providers, list | tuple) else []):
        name = item.get("name") if isinstance(item, Mapping) else None
        if isinstance(name, str):
            found = text_errors({"name": name.strip()}, max_lengths={"name": PROVIDER_NAME_MAX_LENGTH})
            for message in found.get("name", []):
                errors.setdefault("allowed_providers", []).append(f"Provider {i + 1}: {message}")
    return errors


def limits_to_content(limits: Limits) -> dict[str, Any]:
    """Plain, canonical data: what is stored, shown, compared between versions, hashed and signed."""
    content = asdict(limits)
    content["allowed_providers"] = [
        {"name": p.name, "regions": list(p.regions), "required_terms": list(p.required_terms)}
        for p in sorted(limits.allowed_providers, key=lambda p: p.name.lower())
    ]
    content["required_controls"] = {
        t: list(limits.required_controls[t]) for t in sorted(limits.required_controls)
    }
    for name in ("allowed_sourcing", "forbidden_tool_permissions", "forbidden_domains"):
        content[name] = list(content[name])
    content["review_by"] = limits.review_by.isoformat() if limits.review_by else None
    return content


def content_hash(content: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def limits_from_content(content: Mapping[str, Any]) -> Limits:
    return clean_limits(content)
