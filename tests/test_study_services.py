"""Services take one Study (store, guide, language), not its parts given apart (issue 13).

A service that needs the language or the guide as well as the store takes the study, so
every service reads them the same way; a store with a language (``f(store, lang)``), a store
or a study (``Store | Study``), or a store with a guide beside it is what this keeps out.
"""

from __future__ import annotations

import ast
from pathlib import Path

import qualcode

CORE = Path(qualcode.__file__).parent
# Services that still take a store and a guide apart. The list only shrinks.
NOT_YET: set[str] = set()


def _annotation(arg: ast.arg) -> str:
    return ast.unparse(arg.annotation) if arg.annotation else ""


def parts_taken_apart(source: str) -> list[tuple[str, str]]:
    """``(function, why)`` for each function taking a store beside a language or a guide,
    or a store-or-study."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or node.name == "__init__":
            continue  # a study is made of its parts (Project's constructor)
        args = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
        kinds = {a.arg: _annotation(a) for a in args}
        stores = [name for name, kind in kinds.items() if "Store" in kind]
        if any("Study" in kinds[name] or "HasStore" in kinds[name] for name in stores):
            found.append((node.name, "a store or a study"))
        elif stores and any(name in ("lang", "language") for name in kinds):
            found.append((node.name, "a store and a language"))
        elif stores and any("Guide" in kind for kind in kinds.values()):
            found.append((node.name, "a store and a guide"))
    return found


def test_services_take_one_study() -> None:
    found = {}
    for path in sorted(CORE.rglob("*.py")):
        rel = path.relative_to(CORE).as_posix()
        if rel.startswith(("store/", "cli/", "tui/")):
            continue
        for name, why in parts_taken_apart(path.read_text(encoding="utf-8")):
            found[f"{rel}:{name}"] = why
    assert {k: v for k, v in found.items() if k not in NOT_YET} == {}
    assert NOT_YET - set(found) == set(), "taken off the list: remove it from NOT_YET"


def test_the_check_sees_each_way_of_taking_the_parts() -> None:
    source = (
        "def a(store: Store, lang: str): ...\n"
        "def b(project_or_store: Store | Study, t: Transcript): ...\n"
        "def c(store: Store, guide: Guide | None, scope: Scope): ...\n"
        "def d(study: Study, scope: Scope): ...\n"
        "def e(store: Store, coder: str): ...\n"
        "class P:\n    def __init__(self, store: Store, guide: Guide | None): ...\n"
    )
    assert parts_taken_apart(source) == [
        ("a", "a store and a language"),
        ("b", "a store or a study"),
        ("c", "a store and a guide"),
    ]
