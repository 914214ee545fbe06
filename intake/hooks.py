"""How apps above intake plug into it without intake importing them (dependencies point one way only).

riskboundaries registers the check against the active boundary here when it starts (its AppConfig.ready), so that
a submission freezes the verdict and the intake pages can show it; approvals registers the decisions panel of the
use-case page and what the deciders asked to change, and hears of every change of state (a withdrawal ends the
review cycle in progress).
"""

from collections.abc import Callable, Mapping
from typing import Any

from intake.contracts import CheckedAgainstBoundary, SavedAssessment

# (answers, assessment) -> the check against the active boundary, or None when no boundary is active.
BoundaryChecker = Callable[[Mapping[str, Any], SavedAssessment], CheckedAgainstBoundary | None]

_boundary_checker: BoundaryChecker | None = None

# (answers, assessment dict) -> what a boundary check reads of them, kept with the use case at each submission so that
# the boundary what-if groups use cases without reading their revisions' JSON; None when no checker is registered.
CheckFacts = Callable[[Mapping[str, Any], Mapping[str, Any]], dict[str, Any]]
_check_facts: CheckFacts | None = None

# (request, use_case) -> HTML for a panel on the use-case page (e.g. the decisions), already rendered and escaped.
DetailPanel = Callable[[Any, Any], str]
_detail_panels: list[DetailPanel] = []
_notices: list[DetailPanel] = []
_suggestions: list[Callable[[], dict[str, list[str]]]] = []


# (use_case) -> what the deciders asked to change when the last round ended in changes requested: (who, their words).
ChangeRequests = Callable[[Any], list[tuple[str, str]]]
_change_requests: ChangeRequests | None = None


# (use_case, action, actor) -> None: told of every change of state, inside its transaction, once it is recorded.
TransitionListener = Callable[[Any, str, Any], None]
_transition_listeners: list[TransitionListener] = []


def register_boundary_checker(checker: BoundaryChecker) -> None:
    global _boundary_checker
    _boundary_checker = checker


def check_against_active_boundary(
    answers: Mapping[str, Any], assessment: Mapping[str, Any] | SavedAssessment
) -> CheckedAgainstBoundary | None:
    if _boundary_checker is None:
        return None
    return _boundary_checker(answers, SavedAssessment.of(assessment))


def register_check_facts(facts: CheckFacts) -> None:
    global _check_facts
    _check_facts = facts


def check_facts(answers: Mapping[str, Any], assessment: Mapping[str, Any]) -> dict[str, Any] | None:
    return _check_facts(answers, assessment) if _check_facts is not None else None


def register_detail_panel(panel: DetailPanel) -> None:
    if panel not in _detail_panels:
        _detail_panels.append(panel)


def detail_panels(request: Any, use_case: Any) -> list[str]:
    return [html for panel in _detail_panels if (html := panel(request, use_case))]


def register_notice(notice: DetailPanel) -> None:
    """A notice for the top of the use-case page, under its title (e.g. that it is suspended): HTML, or "" for none."""
    if notice not in _notices:
        _notices.append(notice)


def notices(request: Any, use_case: Any) -> list[str]:
    return [html for notice in _notices if (html := notice(request, use_case))]


def register_suggestions(source: Callable[[], dict[str, list[str]]]) -> None:
    """Values to offer in the form's free-text questions, by question name (the AI inventory's providers, say)."""
    if source not in _suggestions:
        _suggestions.append(source)


def suggestions() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for source in _suggestions:
        for name, values in source().items():
            found.setdefault(name, []).extend(values)
    return found


def register_change_requests(source: ChangeRequests) -> None:
    global _change_requests
    _change_requests = source


def change_requests(use_case: Any) -> list[tuple[str, str]]:
    return _change_requests(use_case) if _change_requests is not None else []


def register_transition_listener(listener: TransitionListener) -> None:
    if listener not in _transition_listeners:
        _transition_listeners.append(listener)


def transitioned(use_case: Any, action: str, *, actor: Any) -> None:
    for listener in _transition_listeners:
        listener(use_case, action, actor)
