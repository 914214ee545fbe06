"""How risk boundaries read on pages: limits in plain language, the differences between versions, the what-if
impact and the signatures. Pure presentation: no database access beyond what the objects passed in hold."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils.formats import date_format

from intake.answers import QUESTIONS_BY_NAME
from intake.assessment.catalogue import CONTROLS
from intake.contracts import BoundaryCheck
from intake.vocabulary import TIER_ORDER, Tier, band_for
from riskboundaries.limits import LIMIT_LABELS, TIERS_WITH_CONTROLS
from riskboundaries.models import BoundarySignature, RiskBoundary

ROLE_LABELS = dict(BoundarySignature.Role.choices)
# The limits that hold a list of choices, and the intake question whose labels they use.
LIST_LIMITS = {
    "allowed_sourcing": "sourcing",
    "forbidden_tool_permissions": "tool_permissions",
    "forbidden_domains": "decision_domain",
}
EMPTY_TEXT = {
    "allowed_sourcing": "Any way",
    "allowed_providers": "Any provider",
    "forbidden_tool_permissions": "None",
    "forbidden_domains": "None",
    "required_controls": "None",
    "review_by": "Not set",
}
# Tiers from the strictest duties down, the order the pages list required controls in.
CONTROL_TIERS = tuple(Tier(tier) for tier in reversed(TIERS_WITH_CONTROLS))


def _label(question: str, value: Any) -> str:
    return QUESTIONS_BY_NAME[question].label_for(value)


def _labels(question: str, values: list[str] | tuple[str, ...]) -> list[str]:
    return [_label(question, v) for v in values]


def _autonomy(level: Any) -> str:
    return _label("autonomy", str(level))


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _value_text(name: str, value: Any) -> str:
    if value in (None, "", [], {}):
        return EMPTY_TEXT.get(name, "—")
    if name.startswith("max_data_classification"):
        return _label("data_classification", value)
    if name == "max_autonomy":
        return _autonomy(value)
    if name == "max_eu_tier":
        return Tier(value).label if value in Tier.values else str(value)
    if name == "max_inherent_score":
        return f"{value} out of 25"
    if name == "exception_max_days":
        return f"{value} days"
    if name == "review_by":
        day = _date(value)
        return date_format(day, "j F Y") if day else str(value)
    return str(value)


def _providers(content: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "name": p.get("name", ""),
            "regions": _labels("hosting_region", p.get("regions") or []),
            "terms": _labels("provider_terms", p.get("required_terms") or []),
        }
        for p in content.get("allowed_providers") or []
    ]


def describe_limits(content: Mapping[str, Any]) -> dict[str, Any]:
    """A boundary's content as the pages say it: what is allowed, what needs an exception, what is never allowed."""
    internal = content.get("max_data_classification_internal", "")
    external = content.get("max_data_classification_external", "")
    sourcing = content.get("allowed_sourcing") or []
    providers = _providers(content)
    autonomy = content.get("max_autonomy", 0)
    tier = content.get("max_eu_tier", "high")
    score = content.get("max_inherent_score", 25)
    controls = content.get("required_controls") or {}
    classes = QUESTIONS_BY_NAME["data_classification"].values

    needs_exception = []
    if internal in classes and internal != classes[-1]:
        needs_exception.append(
            f"Tools used by employees that see information above {_label('data_classification', internal)}"
        )
    if external in classes and external != classes[-1]:
        needs_exception.append(
            f"Tools used by customers or the public that see information above {_label('data_classification', external)}"
        )
    if sourcing:
        needs_exception.append("Any other way of getting the AI than those listed")
    if providers:
        needs_exception.append(
            "A provider not listed, or a listed one outside its allowed regions or without the commitments required"
        )
    if isinstance(autonomy, int) and autonomy < 4:
        needs_exception.append(f"Autonomy above level {autonomy}")
    if tier in TIER_ORDER:
        # The tiers above the highest allowed one, short of prohibited (which no exception can allow).
        beyond = [t.label.lower() for t in TIER_ORDER[TIER_ORDER.index(tier) + 1 : -1]]
        if beyond:
            needs_exception.append(f"Use cases that are {' or '.join(beyond)} under the EU AI Act")
    if isinstance(score, int) and score < 25:
        needs_exception.append(f"An inherent risk score above {score}")

    return {
        "internal": _label("data_classification", internal),
        "external": _label("data_classification", external),
        "sourcing": _labels("sourcing", sourcing),
        "providers": providers,
        "autonomy": _autonomy(autonomy).partition(": ")[0],
        "autonomy_detail": _autonomy(autonomy).partition(": ")[2],
        "eu_tier": Tier(tier).label if tier in Tier.values else tier,
        "score": score,
        "score_band": band_for(score).label if isinstance(score, int) else "",
        "controls": [
            {
                "tier": tier_name,
                "tier_label": tier_name.label,
                "use_cases": tier_name.use_cases,
                "controls": [(cid, CONTROLS.get(cid, cid)) for cid in controls.get(tier_name, [])],
            }
            for tier_name in CONTROL_TIERS
        ],
        "needs_exception": needs_exception,
        "exception_max_days": content.get("exception_max_days"),
        "review_by": _date(content.get("review_by")),
        "prohibited_practices": [label for _, label in QUESTIONS_BY_NAME["prohibited_practices"].choices],
        "forbidden_tools": _labels("tool_permissions", content.get("forbidden_tool_permissions") or []),
        "forbidden_domains": _labels("decision_domain", content.get("forbidden_domains") or []),
    }


def _provider_text(provider: Mapping[str, Any]) -> str:
    regions = ", ".join(_labels("hosting_region", provider.get("regions") or [])) or "any region"
    terms = ", ".join(_labels("provider_terms", provider.get("required_terms") or [])) or "nothing specific"
    return f"{provider.get('name', '')} — runs in: {regions}; must commit to: {terms}"


def _provider_changes(before: list[dict], after: list[dict]) -> dict[str, list[str]]:
    old = {p.get("name", "").casefold(): p for p in before}
    new = {p.get("name", "").casefold(): p for p in after}
    changed = []
    for key in (k for k in new if k in old):
        was, now = old[key], new[key]
        for field, question, what, empty in (
            ("regions", "hosting_region", "regions", "any"),
            ("required_terms", "provider_terms", "commitments", "none"),
        ):
            if list(was.get(field) or []) != list(now.get(field) or []):
                was_text = ", ".join(_labels(question, was.get(field) or [])) or empty
                now_text = ", ".join(_labels(question, now.get(field) or [])) or empty
                changed.append(f"{now.get('name', '')}: {what} {was_text} → {now_text}")
    return {
        "added": [_provider_text(p) for k, p in new.items() if k not in old],
        "removed": [_provider_text(p) for k, p in old.items() if k not in new],
        "changed": changed,
    }


def _control_changes(before: Mapping[str, list], after: Mapping[str, list]) -> dict[str, list[str]]:
    added, removed = [], []
    for tier in CONTROL_TIERS:
        was, now = list(before.get(tier) or []), list(after.get(tier) or [])
        prefix = f"{tier.label}: "
        added += [f"{prefix}{cid} {CONTROLS.get(cid, cid)}" for cid in now if cid not in was]
        removed += [f"{prefix}{cid} {CONTROLS.get(cid, cid)}" for cid in was if cid not in now]
    return {"added": added, "removed": removed, "changed": []}


def describe_diff(diff: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """selectors.boundary_diff in words: values as before → after, lists as what was added and removed."""
    rows = []
    order = list(LIMIT_LABELS)  # the order of the limits, whatever order the stored content keeps its keys in
    for item in sorted(diff, key=lambda i: order.index(i["limit"]) if i["limit"] in order else len(order)):
        name, before, after = item["limit"], item["before"], item["after"]
        row: dict[str, Any] = {
            "name": name,
            "label": LIMIT_LABELS.get(name, name.replace("_", " ").capitalize()),
            "is_list": False,
            "note": "",
        }
        if name in LIST_LIMITS:
            question = LIST_LIMITS[name]
            was, now = list(before or []), list(after or [])
            row.update(
                is_list=True,
                added=_labels(question, [v for v in now if v not in was]),
                removed=_labels(question, [v for v in was if v not in now]),
                changed=[],
            )
            if name == "allowed_sourcing" and not was:
                row["note"] = "Before, any way was allowed."
            elif name == "allowed_sourcing" and not now:
                row["note"] = "Now any way is allowed."
        elif name == "allowed_providers":
            row.update(is_list=True, **_provider_changes(list(before or []), list(after or [])))
            if not before:
                row["note"] = "Before, any provider was allowed."
            elif not after:
                row["note"] = "Now any provider is allowed."
        elif name == "required_controls":
            row.update(is_list=True, **_control_changes(before or {}, after or {}))
        else:
            row.update(before=_value_text(name, before), after=_value_text(name, after))
        rows.append(row)
    return rows


def impact_rows(impact: list[tuple[Any, BoundaryCheck]]) -> list[dict[str, Any]]:
    return [
        {
            "use_case": use_case,
            "verdict": check.verdict,
            "verdict_label": check.verdict.label,
            "breaches": [
                {**breach.to_dict(), "label": LIMIT_LABELS.get(breach.clause, breach.clause)}
                for breach in check.breaches
            ],
        }
        for use_case, check in impact
    ]


def impact_groups(split: Any, *, limit: int | None = None) -> dict[str, Any]:
    """A what-if split (selectors.ImpactSplit) as the pages show it: newly breaching first, then already breaching,
    then no longer breaching; each group with its full count, and at most `limit` rows when a limit is given."""
    groups = {}
    for key in ("newly", "already", "no_longer"):
        pairs = getattr(split, key)
        rows = impact_rows(pairs[:limit] if limit is not None else pairs)
        count = split.count(key)
        groups[key] = {"rows": rows, "count": count, "more": count - len(rows)}
    return {
        **groups,
        "count": groups["newly"]["count"] + groups["already"]["count"],
        "active_version": split.active_version,
    }


def signature_rows(boundary: RiskBoundary) -> list[dict[str, Any]]:
    return [
        {
            "signature": signature,
            "role_label": ROLE_LABELS.get(signature.role, signature.role),
            "matches": signature.content_hash == boundary.content_hash,
        }
        for signature in boundary.signatures.all()
    ]
