"""The architecture the docs describe (docs/architecture.md), checked on the source: imports between apps go
one way, down the layers; only the kinds package knows the question kinds and only the modes package the practice
modes."""

import ast
import re
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


# ---------------------------------------------------------------------------------- kinds and modes by registry
TEMPLATES = APPS.parent / "templates"


def _names(node: ast.AST) -> set[str]:
    """The variable and attribute names in an expression (`slot.kind` gives {"slot", "kind"})."""
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} | {
        n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)
    }


def _literals(node: ast.AST) -> set[str]:
    """The string constants an expression compares with: "x", or ("x", "y") and the like."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return {value for element in node.elts for value in _literals(element)}
    return set()


def switches(path: Path, codes: set[str], *, about: str | None = None) -> list[str]:
    """`x == "code"` / `x in ("code", …)` / `match x: case "code"` in a module, where a code is one of `codes`
    (and, with `about`, the other side names it: `mode`)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        sides = []
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
        elif isinstance(node, ast.match_case) and isinstance(node.pattern, ast.MatchValue):
            sides = [node.pattern.value]
        literal = set().union(*(_literals(side) for side in sides)) & codes if sides else set()
        named = about is None or any(about in name.lower() for side in sides for name in _names(side))
        if literal and named:
            found.append(f"{path.relative_to(APPS.parent)}:{node.lineno}: {sorted(literal)}")
    return found


def _outside(package: str):
    for _app, path in modules():
        if package not in path.as_posix():
            yield path


def test_no_module_outside_the_kinds_package_switches_on_a_kind():
    from apps.questions import kinds

    found = [hit for path in _outside("apps/questions/kinds/") for hit in switches(path, set(kinds.codes()))]
    assert not found, "ask apps.questions.kinds instead:\n" + "\n".join(found)


def test_no_module_outside_the_modes_package_switches_on_a_mode():
    from apps.exams import modes

    codes = set(modes.codes())
    found = [hit for path in _outside("apps/exams/modes/") for hit in switches(path, codes, about="mode")]
    assert not found, "ask apps.exams.modes instead:\n" + "\n".join(found)


def test_no_template_switches_on_a_kind_or_a_mode():
    from apps.exams import modes
    from apps.questions import kinds

    codes = "|".join(kinds.codes() + modes.codes())
    pattern = re.compile(rf"""(kind|mode)[\w.]*\s*(==|!=)\s*["']({codes})["']""")
    found = [
        f"{path.relative_to(TEMPLATES.parent)}: {match.group(0)}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        if "questions/kinds" not in path.as_posix()
        for match in pattern.finditer(path.read_text())
    ]
    assert not found, "pass the kind's or mode's own template or text instead:\n" + "\n".join(found)
