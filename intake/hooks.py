"""How apps above intake plug into it without intake importing them (dependencies point one way only).

riskboundaries registers the check against the active boundary here when it starts (its AppConfig.ready), so that
a submission freezes the verdict and the intake pages can show it.
"""

from collections.abc import Callable, Mapping
from typing import Any

# (answers, assessment) -> {"boundary_version": int, "check": {...}} or None when no boundary is active.
BoundaryChecker = Callable[[Mapping[str, Any], Mapping[str, Any]], dict[str, Any] | None]

_boundary_checker: BoundaryChecker | None = None


def register_boundary_checker(checker: BoundaryChecker) -> None:
    global _boundary_checker
    _boundary_checker = checker


def check_against_active_boundary(
    answers: Mapping[str, Any], assessment: Mapping[str, Any]
) -> dict[str, Any] | None:
    if _boundary_checker is None:
        return None
    return _boundary_checker(answers, assessment)
