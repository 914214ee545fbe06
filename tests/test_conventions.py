"""House rules that code review alone would miss: state changes only through transitions, no has_perm in loops."""

import ast
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = [
    "accounts",
    "audit",
    "intake",
    "riskboundaries",
    "approvals",
    "oversight",
    "reporting",
    "config",
    "outbox",
]
# The fields that hold a lifecycle's state. A review round keeps none of its own: its state is read from when and how
# it closed (approvals.workflow.cycle_state), so those two fields are watched as well. A board pack's issuance is a
# second lifecycle of the pack (reporting.workflow.ISSUANCE).
STATE_FIELDS = frozenset({"status", "state", "closed_at", "outcome", "issuance"})
# The one place each lifecycle's state may be written: its service's named transition helper (file, function).
TRANSITION_HELPERS = {
    ("intake/services.py", "_transition"),
    ("riskboundaries/services.py", "_set_state"),
    ("approvals/services.py", "_cycle_end"),
    ("reporting/services.py", "_pack_transition"),
    ("reporting/services.py", "_issuance_transition"),
    ("accounts/services.py", "_decide_grant"),
    # A verification run is claimed by a compare-and-set update, and ends in the same service; no table of its own.
    ("audit/services.py", "audit_verification_run"),
    # The bulk counterpart of _transition (a new boundary's re-reviews): its new state comes from the same table.
    ("intake/services.py", "use_cases_flag_re_review"),
    # Background jobs' progress (the re-review pass, a large register export): claimed and ended in their service.
    ("riskboundaries/services.py", "_re_review_batch"),
    ("riskboundaries/services.py", "_re_review_finish"),
    ("reporting/services.py", "register_export_run"),
    # A newer ruleset's upgrade: each step only to the next (intake.workflow.RULESET_UPGRADE_STEPS).
    ("intake/services.py", "_ruleset_advance"),
    # Where an obligation stands is a person's say (any of four, any time), not a lifecycle: its one writer.
    ("intake/services.py", "obligation_set_state"),
    # A provider proposed from a request becomes listed when the CIO or the CISO lists it: its one writer.
    ("oversight/inventory.py", "provider_list"),
}


def python_files():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


class StateWrites(ast.NodeVisitor):
    """Every write of a state field in one module, with the function it is written in: assignments (also inside a
    tuple), augmented assignments, setattr, and the QuerySet writes update, update_or_create and bulk_update."""

    QUERYSET_WRITES = frozenset({"update", "update_or_create", "get_or_create"})

    def __init__(self) -> None:
        self.functions: list[str] = []
        self.found: list[tuple[str, int, str]] = []  # (function or "<module>", line, what was written)

    def _add(self, node: ast.AST, what: str) -> None:
        self.found.append((self.functions[-1] if self.functions else "<module>", node.lineno, what))

    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.functions.append(node.name)
        self.generic_visit(node)
        self.functions.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = _visit_function

    def _targets(self, target: ast.AST) -> None:
        if isinstance(target, ast.Attribute) and target.attr in STATE_FIELDS:
            self._add(target, f".{target.attr} =")
        elif isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self._targets(element)
        elif isinstance(target, ast.Starred):
            self._targets(target.value)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._targets(target)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign | ast.AnnAssign) -> None:
        self._targets(node.target)
        self.generic_visit(node)

    visit_AnnAssign = visit_AugAssign

    def visit_Call(self, node: ast.Call) -> None:
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name in self.QUERYSET_WRITES:
            for keyword in node.keywords:
                if keyword.arg in STATE_FIELDS:
                    self._add(node, f".{name}({keyword.arg}=...)")
                elif keyword.arg in ("defaults", "create_defaults") and isinstance(keyword.value, ast.Dict):
                    for key in keyword.value.keys:
                        if isinstance(key, ast.Constant) and key.value in STATE_FIELDS:
                            self._add(node, f".{name}({keyword.arg}={{{key.value!r}: ...}})")
        elif name == "bulk_update":
            fields = node.args[1:2] + [k.value for k in node.keywords if k.arg == "fields"]
            for listed in fields:
                for element in getattr(listed, "elts", []):
                    if isinstance(element, ast.Constant) and element.value in STATE_FIELDS:
                        self._add(node, f".bulk_update(..., [{element.value!r}])")
        elif name == "setattr" and len(node.args) >= 2:
            field = node.args[1]
            if isinstance(field, ast.Constant) and field.value in STATE_FIELDS:
                self._add(node, f"setattr(..., {field.value!r}, ...)")
        self.generic_visit(node)


def state_writes(source: str) -> list[tuple[str, int, str]]:
    visitor = StateWrites()
    visitor.visit(ast.parse(source))
    return visitor.found


def state_writes_outside_helpers(rel: str, source: str) -> list[str]:
    return [
        f"{rel}:{line} in {function}: {what}"
        for function, line, what in state_writes(source)
        if (rel, function) not in TRANSITION_HELPERS
    ]


def test_state_is_only_written_by_the_transition_helpers():
    offenders = []
    for path in python_files():
        rel = path.relative_to(ROOT).as_posix()
        offenders += state_writes_outside_helpers(rel, path.read_text())
    assert offenders == []


@pytest.mark.parametrize(("rel", "function"), sorted(TRANSITION_HELPERS))
def test_every_listed_transition_helper_exists_and_writes_a_state(rel, function):
    """A helper renamed or removed leaves no stale permission behind."""
    assert function in {name for name, _, _ in state_writes((ROOT / rel).read_text())}


@pytest.mark.parametrize(
    "source",
    [
        "obj.status = 'x'",
        "pack.status, pack.started_at = 'rendering', now",
        "x, obj.state = 1, 2",
        "(a, [b, *c.status]) = 1, [2, 3]",
        "obj.status += 'x'",
        "obj.state: str = 'x'",
        "cycle.closed_at, cycle.outcome = now, 'approved'",
        "Pack.objects.filter(\n    pk=1,\n).update(\n    heartbeat_at=now,\n    status='failed',\n)",
        "Grant.objects.filter(pk=1).update(state='cancelled')",
        "Pack.objects.update_or_create(pk=1, status='ready')",
        "Pack.objects.update_or_create(pk=1, defaults={'status': 'ready'})",
        "Pack.objects.bulk_update(packs, ['finished_at', 'status'])",
        "Pack.objects.bulk_update(packs, fields=('state',))",
        "setattr(pack, 'status', 'ready')",
    ],
)
def test_the_checker_catches_every_form_of_state_write(source):
    in_a_function = f"def board_pack_render():\n{textwrap.indent(source, '    ')}\n"
    assert len(state_writes_outside_helpers("reporting/services.py", in_a_function)) >= 1
    assert len(state_writes(source)) >= 1  # at module level too


@pytest.mark.parametrize(
    "source",
    [
        "if pack.status == 'ready': pass",
        "Pack.objects.filter(status='queued').update(heartbeat_at=now)",
        "Pack.objects.bulk_update(packs, ['heartbeat_at'])",
        "before = obj.status",
        "audit_record(action='x', payload={'status': obj.status})",
    ],
)
def test_the_checker_leaves_reads_and_other_fields_alone(source):
    assert state_writes(source) == []


def test_the_checker_allows_only_the_named_helper_in_its_own_file():
    source = "def _pack_transition(pack):\n    pack.status = 'ready'\n"
    assert state_writes_outside_helpers("reporting/services.py", source) == []
    assert state_writes_outside_helpers("reporting/tasks.py", source) != []


def test_templates_never_check_permissions_row_by_row():
    offenders = [
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "templates").rglob("*.html")
        if "has_perm" in path.read_text() or "get_obj_perms" in path.read_text()
    ]
    assert offenders == []
