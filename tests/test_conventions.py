"""House rules that code review alone would miss: state changes only through transitions, no has_perm in loops."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ["accounts", "audit", "intake", "riskboundaries", "approvals", "reporting", "config"]
STATUS_ASSIGNMENT = re.compile(r"\.(status|state)\s*=(?!=)")
# The one place each model's state may be assigned: its service's named transition helper.
ALLOWED = {
    ("intake/services.py", "use_case.status = next_state(before, action)"),
    ("riskboundaries/services.py", "boundary.state = next_state(before, action)"),
}


def python_files():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_state_is_only_assigned_by_the_transition_helpers():
    offenders = []
    for path in python_files():
        rel = path.relative_to(ROOT).as_posix()
        for line in path.read_text().splitlines():
            if STATUS_ASSIGNMENT.search(line) and (rel, line.strip()) not in ALLOWED:
                offenders.append(f"{rel}: {line.strip()}")
    assert offenders == []


def test_templates_never_check_permissions_row_by_row():
    offenders = [
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "templates").rglob("*.html")
        if "has_perm" in path.read_text() or "get_obj_perms" in path.read_text()
    ]
    assert offenders == []
