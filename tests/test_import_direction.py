"""The apps stack one way: reporting -> oversight -> approvals -> riskboundaries -> intake -> accounts -> audit -> outbox -> config.

An app imports only apps below it (accounts and audit share a layer: accounts writes audit events, so it may import
audit, never the reverse). An app above plugs into one below through the lower app's hooks, registered from its
AppConfig.ready. Every module is read, imports inside functions included; migrations and tests are not.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Higher imports lower. Same number: the same layer, where only SAME_LAYER pairs may import each other.
LAYERS = {
    "reporting": 7,
    "oversight": 6,
    "approvals": 5,
    "riskboundaries": 4,
    "intake": 3,
    "accounts": 2,
    "audit": 2,
    "outbox": 1,  # background work recorded with the change that asks for it: infrastructure for every app
    "config": 0,
}
SAME_LAYER = {("accounts", "audit")}
# (file, imported module) -> why it may point the wrong way. Empty: keep it so.
ALLOWED: dict[tuple[str, str], str] = {}


def imported_modules(tree: ast.AST):
    """(line, module) for every absolute import in the tree, at any depth."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def may_import(importer: str, imported: str) -> bool:
    if importer == imported or imported not in LAYERS:
        return True
    return LAYERS[imported] < LAYERS[importer] or (importer, imported) in SAME_LAYER


def offences(source: str, *, app: str, where: str) -> list[str]:
    found = []
    for line, module in imported_modules(ast.parse(source)):
        target = module.split(".")[0]
        if not may_import(app, target) and (where, module) not in ALLOWED:
            found.append(f"{where}:{line}: {app} imports {module} (against the direction)")
    return found


def app_modules():
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield app, path


def test_every_app_is_read():
    read = {app for app, _ in app_modules()}
    assert read == set(LAYERS)
    assert sum(1 for _ in app_modules()) > 100


def test_imports_follow_the_direction_of_the_layers():
    found = []
    for app, path in app_modules():
        found += offences(path.read_text(), app=app, where=path.relative_to(ROOT).as_posix())
    assert found == []


def test_every_allowed_exception_still_exists_and_says_why():
    for (where, module), reason in ALLOWED.items():
        assert reason.strip(), f"{where}: say why {module} may be imported"
        assert module in {m for _, m in imported_modules(ast.parse((ROOT / where).read_text()))}


def test_the_check_sees_imports_inside_functions_and_names_the_line():
    source = "from audit.services import audit_record\n\ndef f():\n    from accounts.roles import roles_of\n"
    assert offences(source, app="audit", where="audit/x.py") == [
        "audit/x.py:4: audit imports accounts.roles (against the direction)"
    ]


def test_the_direction_in_words():
    assert may_import("reporting", "approvals") and may_import("approvals", "intake")
    assert may_import("accounts", "audit") and not may_import("audit", "accounts")
    assert may_import("intake", "outbox") and not may_import("config", "outbox")
    assert not may_import("intake", "riskboundaries") and not may_import("approvals", "reporting")
    assert may_import("config", "django") and may_import("intake", "intake")
