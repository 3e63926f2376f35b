"""The architecture the docs describe (docs/architecture.md), checked on the source: imports between apps go
one way, down the layers."""

import ast
from pathlib import Path

APPS = Path(__file__).resolve().parents[2] / "apps"

# Lower layers never import from higher ones. Apps on one layer do not import each other.
LAYERS = {
    "content": 0,
    "questions": 1,
    "exams": 2,
    "classrooms": 3,
    "progress": 4,
    "accounts": 4,
    "ops": 4,
}
SHARED = {"terminal"}  # apps/terminal.py: a helper module any app may use


def imported_apps(path: Path) -> set[str]:
    """The apps a module imports (module level and inside functions alike)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "apps" and len(parts) > 1:
                found.add(parts[1])
    return found


def modules():
    for app in LAYERS:
        for path in sorted((APPS / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield app, path


def test_every_app_has_a_layer():
    packages = {path.name for path in APPS.iterdir() if path.is_dir() and (path / "apps.py").exists()}
    assert packages == set(LAYERS)


def test_imports_go_down_the_layers():
    wrong = [
        f"{path.relative_to(APPS.parent)} imports apps.{other}"
        for app, path in modules()
        for other in sorted(imported_apps(path) - SHARED - {app})
        if other not in LAYERS or LAYERS[other] >= LAYERS[app]
    ]
    assert not wrong, "imports go down the layers (docs/architecture.md):\n" + "\n".join(wrong)
