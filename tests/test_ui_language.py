"""One language per screen: every text the workspace shows goes through the catalogs.

A literal shown to the user (a widget's text, a notification, a key's description, a
title) that is not wrapped in ``_()`` (or marked ``N_()`` where it is defined) would stay
English on a Norwegian screen: this test finds it in the source. The catalogs' test
(tests/test_i18n.py) then fails when a marked text lacks its Norwegian or English form.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from textual.widgets import Static

from qualcode.i18n import translator
from qualcode.tui.app import QualcodeApp
from qualcode.tui.widgets.key_bar import KeyBar
from tests.conftest import REPO
from tests.test_tui import SIZE, make_project

TUI = REPO / "qualcode" / "tui"
# calls whose string arguments a user reads
SHOWN_CALLS = {
    "Static",
    "Label",
    "Button",
    "notify",
    "Binding",
    "Option",
    "Input",
    "update",
    "push_status",
    "set_status",
    "TextPrompt",
    "ConfirmPrompt",
    "Confirm",
    "Prompt",
    "Text",
    "append",
    "ChoicePrompt",
    "MemoEditor",
    "add_column",
    "add_columns",
    "_history",
    "SystemCommand",
    "confirm",
}
# attributes a user reads when a string is assigned to them
SHOWN_ATTRIBUTES = {"title", "sub_title", "border_title", "border_subtitle", "placeholder", "TITLE"}
MARKERS = {"_", "N_", "n_"}
# words that are Rich styles, alignments or the layout's kinds of line, not text
NOT_WORDS = {
    "bold", "italic", "dim", "reverse", "underline", "strike", "right", "left", "center",
    "blank", "header", "text", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
    "black", "on", "not", "default", "ellipsis", "fold", "crop", "ignore",
}  # fmt: skip


def _is_text(node: ast.AST) -> bool:
    """A literal with words in it (ids, CSS classes, keys and markup are not words)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
    else:
        return False
    words = [w for w in text.replace("[", " ").replace("]", " ").split() if w.isalpha()]
    return any(len(w) >= 3 and w.lower() not in NOT_WORDS for w in words)


def _plain(node: ast.AST) -> bool:
    """Text itself (a literal, or literals joined or chosen between), not a call or a lookup."""
    if isinstance(node, ast.BinOp):
        return _plain(node.left) and _plain(node.right)
    if isinstance(node, ast.IfExp):
        return _plain(node.body) or _plain(node.orelse)
    return isinstance(node, ast.Constant | ast.JoinedStr)


def _identifier(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.isidentifier()
        and node.value.islower()
    )


def _name(func: ast.AST) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def unmarked(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"))
    marked: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node.func) in MARKERS:
            for arg in ast.walk(node):
                marked.add(id(arg))
    found = []
    for node in ast.walk(tree):
        candidates: list[ast.AST] = []
        if isinstance(node, ast.Call) and _name(node.func) in SHOWN_CALLS:
            args = list(node.args)
            if _name(node.func) == "Binding":
                args = args[2:3]  # the description
            candidates = args + [
                k.value for k in node.keywords if k.arg in ("description", "placeholder", "title")
            ]
        elif isinstance(node, ast.Return) and node.value is not None:
            # a helper returning what a screen shows (a lone lower-case word is an id)
            candidates = [v for v in [node.value] if _plain(v) and not _identifier(v)]
        elif isinstance(node, ast.Tuple) and len(node.elts) == 2:
            candidates = [v for v in node.elts[1:] if _plain(v) and not _identifier(v)]
        elif isinstance(node, ast.Assign):
            if any(
                isinstance(t, ast.Attribute) and t.attr in SHOWN_ATTRIBUTES for t in node.targets
            ) or any(isinstance(t, ast.Name) and t.id in SHOWN_ATTRIBUTES for t in node.targets):
                candidates = [node.value]
        keys = {  # the first of a (key, label) pair is a key, never shown
            id(t.elts[0])
            for c in candidates
            for t in ast.walk(c)
            if isinstance(t, ast.Tuple) and len(t.elts) == 2
        }
        keys |= {  # nor is a value compared with (self.by == "theme")
            id(operand)
            for c in candidates
            for t in ast.walk(c)
            if isinstance(t, ast.Compare)
            for operand in (t.left, *t.comparators)
        }
        for c in candidates:
            for part in ast.walk(c):
                if (
                    id(part) not in marked
                    and id(part) not in keys
                    and not _identifier(part)  # a lone lower-case word: a key, an id
                    and _is_text(part)
                ):
                    text = ast.unparse(part)[:60]
                    found.append(f"{path.relative_to(REPO)}:{part.lineno}: {text}")
                    break
    return found


def test_every_text_a_screen_shows_goes_through_the_catalogs():
    found = [f for path in sorted(TUI.rglob("*.py")) for f in unmarked(path)]
    assert not found, "shown but not translatable:\n" + "\n".join(found)


# -- the workspace in one language, chosen by QUALCODE_LANG ---------------------------------

# words only one of the two languages uses on these screens
ENGLISH_ONLY = {"Back", "Save", "Codebook", "Search", "Quit", "Keys", "Refresh", "Summary"}
NORWEGIAN_ONLY = {"Tilbake", "Lagre", "Kodebok", "Søk", "Avslutt", "Taster", "Oppdater", "lagre"}


def _shown(app: QualcodeApp) -> str:
    """The workspace's own words on the screen: its key bar and its title lines."""
    screen = app.screen
    parts = [str(bar.render()) for bar in screen.query(KeyBar)]
    parts += [str(s.render()) for s in screen.query(Static) if s.id and "title" in s.id]
    return "\n".join(parts)


@pytest.mark.parametrize(("lang", "foreign"), [("nb", ENGLISH_ONLY), ("en", NORWEGIAN_ONLY)])
async def test_each_screen_speaks_one_language(tmp_path, monkeypatch, lang, foreign):
    monkeypatch.setenv("QUALCODE_LANG", lang)
    project = make_project(tmp_path)
    _ = translator(lang)
    try:
        app = QualcodeApp(project, coder="anna")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            seen = {}
            for key in ("", "k", "t", "f"):  # home, codebook, Tabell 1, the matrix
                if key:
                    await pilot.press(key)
                    await pilot.pause()
                seen[key or "home"] = _shown(app)
                for binding in app.screen.BINDINGS:
                    shown = getattr(binding, "show", False) and getattr(binding, "description", "")
                    if shown:
                        assert _(binding.description) in seen[key or "home"], binding.description
                if key:
                    await pilot.press("escape")
                    await pilot.pause()
            for name, text in seen.items():
                words = set(text.replace("·", " ").replace("(", " ").split())
                assert not words & foreign, (lang, name, words & foreign)
    finally:
        project.close()
