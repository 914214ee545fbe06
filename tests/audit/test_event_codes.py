"""Every audit event the code base can write is registered with words: no code is spelled as a string where it is
written, every workflow action has its event, and the timeline's words are the intake's. Pure: no database."""

import ast
import importlib
from pathlib import Path

import pytest

from accounts.events import ROLE_GRANT_DECIDED
from accounts.workflow import TRANSITIONS as GRANT_TRANSITIONS
from audit.events import event_type, is_registered, registered_codes, state_changes
from intake.events import (
    PERMISSION_GRANTED,
    PERMISSION_REVOKED,
    USE_CASE,
    USE_CASE_CREATED,
    USE_CASE_EDITED,
    USE_CASE_RESUBMITTED,
    USE_CASE_SUBMITTED,
    USE_CASE_SYSTEM_REJECTED,
    USE_CASE_TRANSITIONS,
    USE_CASE_WITHDRAWN,
)
from intake.workflow import Action
from riskboundaries.events import BOUNDARY, BOUNDARY_TRANSITIONS
from riskboundaries.workflow import BoundaryAction

ROOT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "audit", "intake", "riskboundaries", "approvals", "reporting", "outbox", "config"]


def audit_record_calls():
    """(module, file:line, the expression given as action=) for every audit_record(...) call in the apps."""
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                if not isinstance(node, ast.Call):
                    continue
                name = (
                    node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                )
                if name != "audit_record":
                    continue
                action = next((k.value for k in node.keywords if k.arg == "action"), None)
                yield module, f"{path.relative_to(ROOT)}:{node.lineno}", action


def resolve(node: ast.expr, namespace: dict):
    """The object a dotted name stands for in a module (events.USE_CASE_CREATED, say)."""
    if isinstance(node, ast.Name):
        return namespace[node.id]
    if isinstance(node, ast.Attribute):
        return getattr(resolve(node.value, namespace), node.attr)
    raise LookupError(ast.unparse(node))


def codes_written_by(module: str, action: ast.expr) -> list[str]:
    """The codes an action= expression can give: a constant, or every value of the mapping it looks up."""
    namespace = vars(importlib.import_module(module))
    if isinstance(action, ast.Subscript):
        return list(resolve(action.value, namespace).values())
    return [resolve(action, namespace)]


def test_audit_record_calls_are_found():
    assert len(list(audit_record_calls())) > 40


def test_no_code_is_spelled_where_it_is_written():
    spelled = [
        where
        for _, where, action in audit_record_calls()
        if action is None or isinstance(action, ast.Constant | ast.JoinedStr)
    ]
    assert spelled == [], "write action=<app>.events.CONSTANT (or a typed mapping), not a string"


def test_every_code_the_code_base_can_write_is_registered():
    unregistered = []
    for module, where, action in audit_record_calls():
        if action is None or isinstance(action, ast.Constant | ast.JoinedStr):
            continue  # the test above names these
        try:
            codes = codes_written_by(module, action)
        except (LookupError, AttributeError):
            unregistered.append(f"{where}: cannot tell which code {ast.unparse(action)} is")
            continue
        unregistered += [f"{where}: {code}" for code in codes if not is_registered(code)]
    assert unregistered == []


def test_every_change_of_a_use_cases_state_has_its_event_and_moves_the_use_case():
    # Editing is recorded as intake.use_case_edited with the fields it changed: it changes no state.
    assert set(USE_CASE_TRANSITIONS) == set(Action) - {Action.EDIT}
    assert state_changes(USE_CASE) == set(USE_CASE_TRANSITIONS.values())
    assert USE_CASE_CREATED not in state_changes(USE_CASE) and USE_CASE_EDITED not in state_changes(USE_CASE)
    assert event_type(USE_CASE_SUBMITTED).state_after({"from": "draft", "to": "submitted"}) == "submitted"


def test_every_action_of_the_boundary_lifecycle_has_its_event():
    assert set(BOUNDARY_TRANSITIONS) == set(BoundaryAction)
    assert state_changes(BOUNDARY) == set(BOUNDARY_TRANSITIONS.values())


def test_every_state_a_role_grant_is_decided_into_has_its_event():
    assert set(ROLE_GRANT_DECIDED) == set(GRANT_TRANSITIONS.values())
    assert all(is_registered(code) for code in ROLE_GRANT_DECIDED.values())


@pytest.mark.parametrize(
    ("code", "payload", "text", "detail"),
    [
        (USE_CASE_CREATED, {"title": "Reply drafting"}, "Created the draft", "Reply drafting"),
        (USE_CASE_EDITED, {"fields": ["summary", "title"]}, "Edited the request", "What it does; Title"),
        (
            USE_CASE_SUBMITTED,
            {"revision": 1, "tier": "high", "band": "medium"},
            "Submitted revision 1 for the CIO and CISO decision",
            "EU AI Act: High risk; risk band: Medium",
        ),
        (USE_CASE_RESUBMITTED, {"revision": 2}, "Resubmitted revision 2 for the CIO and CISO decision", ""),
        (USE_CASE_WITHDRAWN, {"to": "withdrawn"}, "Withdrew the request", ""),
        (
            USE_CASE_SYSTEM_REJECTED,
            {"citations": ["EU AI Act Art. 5(1)(a)", "EU AI Act Art. 5(1)(f)"]},
            "Closed automatically: a practice the EU AI Act prohibits",
            "EU AI Act Art. 5(1)(a); EU AI Act Art. 5(1)(f)",
        ),
        (
            PERMISSION_GRANTED,
            {"to_group": "cio", "permission": "view_usecase"},
            "Access: the CIO can now view it",
            "",
        ),
        (
            PERMISSION_GRANTED,
            {"to_group": "team:cs", "permission": "change_usecase"},
            "Access: the team can now edit it",
            "",
        ),
        (
            PERMISSION_REVOKED,
            {"from_user": "req", "permission": "change_usecase"},
            "Access: req can no longer edit it",
            "",
        ),
    ],
)
def test_the_use_case_timeline_keeps_its_words(code, payload, text, detail):
    kind = event_type(code)
    assert (kind.text(payload), kind.detail(payload)) == (text, detail)
    assert kind.minor is code.startswith("intake.permission_")


def test_every_registered_type_reads_an_event_whatever_its_payload_holds():
    # The audit page shows events of every age: a payload missing a key (or empty) still reads, it never breaks.
    for code in registered_codes():
        kind = event_type(code)
        for payload in ({}, None):
            assert kind.text(payload).strip() and isinstance(kind.detail(payload), str), code
        assert "." not in kind.label, code
