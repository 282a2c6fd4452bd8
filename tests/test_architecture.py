"""The house rules no linter config states as plainly: screens never import screens, the
workspace imports at the top of its modules only, and no import circle runs through qualcode."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORE = REPO / "qualcode"
SCREENS = CORE / "tui" / "screens"


def _module(path: Path) -> str:
    return ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")


def _imports(path: Path, known: set[str] | None = None) -> list[tuple[str, ast.stmt]]:
    """Every module ``path`` imports: ``from a import b`` gives ``a.b`` when that is one of
    the ``known`` modules (Python then needs ``a`` loaded, not run again), else ``a``; with
    nothing known, both."""
    found: list[tuple[str, ast.stmt]] = []
    package = _module(path) if path.name == "__init__.py" else _module(path).rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(a.name, node) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolved against the package
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            subs = [f"{base}.{a.name}" for a in node.names]
            if known is None:
                found += [(base, node)] + [(sub, node) for sub in subs]
            else:
                found += [(sub, node) if sub in known else (base, node) for sub in subs]
    return found


def test_no_screen_imports_another_screen() -> None:
    offenders = []
    for path in SCREENS.glob("*.py"):
        me = _module(path)
        for name, node in _imports(path):
            if name.startswith("qualcode.tui.screens.") and name != me:
                offenders.append(f"{path.name}:{node.lineno} imports {name}")
            if name in ("qualcode.tui.navigation", "qualcode.tui.app"):
                offenders.append(f"{path.name}:{node.lineno} imports {name}")
    assert offenders == [], "open screens through tui/messages.py and tui/navigation.py"


def test_the_workspace_imports_at_the_top_only() -> None:
    offenders = []
    for path in (CORE / "tui").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # module level, including a module-level ``if TYPE_CHECKING:`` block
        top = {id(n) for n in tree.body}
        top |= {id(n) for b in tree.body if isinstance(b, ast.If) for n in b.body}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in top:
                offenders.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert offenders == []


def test_no_import_circle_in_qualcode() -> None:
    """Every import counts, inside functions and under TYPE_CHECKING too."""
    modules = {_module(p): p for p in CORE.rglob("*.py")}
    graph = {
        m: {name for name, _ in _imports(p, set(modules)) if name in modules and name != m}
        for m, p in modules.items()
    }
    circles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        path.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                circles.append([*path[path.index(n) :], n])
            elif n not in state:
                visit(n)
        path.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    assert circles == []


def test_the_rules_catch_what_they_forbid(tmp_path: Path) -> None:
    """The import reader sees relative, nested and from-imports alike."""
    sample = tmp_path / "qualcode" / "tui" / "screens" / "x.py"
    sample.parent.mkdir(parents=True)
    sample.write_text(
        "from . import home\ndef f():\n    from qualcode.tui.screens.y import Y\n",
        encoding="utf-8",
    )
    global REPO
    saved, REPO = REPO, tmp_path
    try:
        names = {name for name, _ in _imports(sample)}
    finally:
        REPO = saved
    assert {"qualcode.tui.screens.home", "qualcode.tui.screens.y.Y"} <= names
