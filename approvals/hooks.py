"""How apps above approvals plug into it without approvals importing them (dependencies point one way only)."""

from collections.abc import Callable
from typing import Any

# What must hold before a condition is marked met, asked of the apps above (oversight: evidence where the risk
# boundary requires the condition). Each check returns why not, or None.
ConditionMetCheck = Callable[[Any], str | None]
_condition_met_checks: list[ConditionMetCheck] = []


def register_condition_met_check(check: ConditionMetCheck) -> None:
    if check not in _condition_met_checks:
        _condition_met_checks.append(check)


def condition_met_refusal(condition: Any) -> str | None:
    for check in _condition_met_checks:
        refusal = check(condition)
        if refusal:
            return refusal
    return None
