"""No bare text in the workspace: every string of qualcode/tui/ a user can read goes through
the catalogs (``_``, ``ui_n``, or ``N_`` where it is defined and ``_`` where it is shown), so
a new screen cannot bring untranslated words into a Norwegian (or an English) workspace.

What is not text for a reader is recognised by where it stands (docstrings, CSS, widget ids
and classes, key and action names, styles, comparisons, dictionary keys) or by its shape (a
single token without spaces: an id, a key, a format)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.conftest import REPO

TUI = REPO / "qualcode" / "tui"
CLI = REPO / "qualcode" / "cli"
TRANSLATING = {"_", "N_", "ui", "ui_n", "ui_p", "n_"}
# calls whose string arguments are names, patterns or styles, never shown as text
NOT_TEXT_CALLS = {
    *("query", "query_one", "set_class", "add_class", "remove_class", "has_class"),
    *("get_widget_by_id", "getattr", "setattr", "hasattr", "isinstance", "get", "pop"),
    *("split", "rsplit", "startswith", "endswith", "join", "replace", "strip", "rstrip"),
    *("lstrip", "removeprefix", "removesuffix", "partition", "rpartition", "index", "find"),
    *("count", "encode", "decode", "Style", "parse", "stylize", "run_action", "call_later"),
    *("compile", "match", "fullmatch", "search", "sub", "findall", "setting", "set_setting"),
    *("log", "debug", "strftime", "strptime", "Path", "open", "action", "bind", "remove"),
}
NOT_TEXT_KEYWORDS = {
    *("id", "classes", "name", "group", "key", "action", "variant", "style", "cursor_type"),
    *("key_display", "align", "justify", "overflow", "border", "kind", "markup", "sep", "end"),
    *("encoding", "priority", "tooltip_style", "header_style", "row_styles", "box"),
}
CSS_NAMES = {"DEFAULT_CSS", "CSS", "CSS_PATH"}
# (function, positions): arguments that are keys and actions (Binding("c", "code", "Code"))
NAMES_AT = {"Binding": 2, "Bound": 2, "KeyRow": 1}
# strings that look like text but are names: a statistic, a style, a file suffix, filter keys
# click's help texts (and a command's docstring) are translated as --help shows them
# (qualcode.cli.texts) and reach the catalogs by a walk of the command tree
CLI_NOT_TEXT_KEYWORDS = {"help", "short_help", "metavar", "type", "param_hint", "fg"}
# a spreadsheet's sheet name is the file's, in the document's language, not the screen's;
# a module's name is a name
CLI_NOT_TEXT_CALLS = {"plain_xlsx", "import_module"}
NOT_TEXT = {"AC1", "bold reverse", ".docx", "speaker\t", "case\t"}
WORD = re.compile(r"[^\W\d_]{2,}")
TOKEN = re.compile(r"\S+")  # one token, no spaces: an id, a key name, a format


def _callee(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _is_text(value: str) -> bool:
    if not WORD.search(value):
        return False  # punctuation, numbers, symbols: the same in every language
    one = value.strip()
    return not TOKEN.fullmatch(one) or one[:1].isupper() or bool(re.search("[æøåÆØÅ]", one))


def _exempt(
    node: ast.AST,
    parents: dict[ast.AST, ast.AST],
    keywords: set[str] = NOT_TEXT_KEYWORDS,
    calls: set[str] = NOT_TEXT_CALLS,
) -> bool:
    child, parent = node, parents.get(node)
    while parent is not None and not isinstance(parent, ast.FunctionDef | ast.ClassDef):
        if isinstance(parent, ast.Expr) and isinstance(child, ast.Constant):
            return True  # a docstring
        if isinstance(parent, ast.Call):
            callee = _callee(parent.func)
            if callee in TRANSLATING or callee in calls:
                return True
            if child in parent.args[: NAMES_AT.get(callee, 0)]:
                return True
            if callee == "append" and child in parent.args[1:]:
                return True  # Text.append(text, style): the style
        if isinstance(parent, ast.keyword) and parent.arg in keywords:
            return True
        if isinstance(parent, ast.Assign | ast.AnnAssign):
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            if any(isinstance(t, ast.Name) and t.id in CSS_NAMES for t in targets):
                return True
        if isinstance(parent, ast.Compare):
            return True  # compared with, not shown
        if isinstance(parent, ast.Subscript) and child is parent.slice:
            return True  # a key into a row or a mapping
        if isinstance(parent, ast.Dict) and child in parent.keys:
            return True
        child, parent = parent, parents.get(parent)
    return False


def bare_literals(
    path: Path, keywords: set[str] = NOT_TEXT_KEYWORDS, calls: set[str] = NOT_TEXT_CALLS
) -> list[tuple[int, str]]:
    """(line, text) of each string in ``path`` a user could read untranslated."""
    tree = ast.parse(path.read_text("utf-8"))
    parents = {c: n for n in ast.walk(tree) for c in ast.iter_child_nodes(n)}
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        in_fstring = isinstance(parents.get(node), ast.JoinedStr)
        unit = parents[node] if in_fstring else node
        # in an f-string even one word is text ("{n} suggestions"); alone, one lowercase
        # token is a name (an id, a key, an action)
        text = bool(WORD.search(node.value)) if in_fstring else _is_text(node.value)
        if text and node.value not in NOT_TEXT and not _exempt(unit, parents, keywords, calls):
            found.append((node.lineno, node.value))
    return found


def test_the_scanner_finds_a_bare_string_and_passes_a_translated_one(tmp_path: Path) -> None:
    sample = tmp_path / "screen.py"
    sample.write_text(
        "from qualcode.i18n import ui as _\n"
        "def f(self):\n"
        '    self.notify("Saved the memo")\n'
        '    self.notify(_("Saved the memo"))\n'
        '    self.query_one("#title").update(f"{_(\'Case\')} {n}")\n'
        '    Binding("c", "code", "Code")\n',
        "utf-8",
    )
    assert bare_literals(sample) == [(3, "Saved the memo"), (6, "Code")]


def test_no_screen_shows_a_string_the_catalogs_do_not_have() -> None:
    found = {
        f"{path.relative_to(REPO)}:{line}": text
        for path in sorted(TUI.rglob("*.py"))
        for line, text in bare_literals(path)
    }
    assert not found, "wrap in _() (qualcode.i18n.ui) and run scripts/catalogs.py: " + repr(found)


def _cli_literals(path: Path) -> list[tuple[int, str]]:
    return bare_literals(
        path, NOT_TEXT_KEYWORDS | CLI_NOT_TEXT_KEYWORDS, NOT_TEXT_CALLS | CLI_NOT_TEXT_CALLS
    )


def test_the_command_line_prints_no_string_the_catalogs_do_not_have() -> None:
    found = {
        f"{path.relative_to(REPO)}:{line}": text
        for path in sorted(CLI.rglob("*.py"))
        for line, text in _cli_literals(path)
    }
    assert not found, "wrap in _() (qualcode.i18n.ui) and run scripts/catalogs.py: " + repr(found)


CORE = REPO / "qualcode"
FACES = (TUI, CLI)
# exceptions whose message a researcher reads (the faces print str(error))
USER_ERRORS = {"QualcodeError", "TextChanged", "fail"}  # fail: the REFI reader's error
# core files whose messages may stay English for now, and why
CORE_NOT_YET: dict[str, str] = {}


def core_error_literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of each string written straight into a user-facing error's message in
    ``path`` without going through the catalogs (``ui``/``ui_n``)."""
    tree = ast.parse(path.read_text("utf-8"))
    parents = {c: n for n in ast.walk(tree) for c in ast.iter_child_nodes(n)}
    found = []
    for call in ast.walk(tree):
        if not (isinstance(call, ast.Call) and _callee(call.func) in USER_ERRORS):
            continue
        messages = call.args[:1] + [k.value for k in call.keywords if k.arg == "message"]
        for message in messages:
            for node in ast.walk(message):
                if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                    continue
                if not WORD.search(node.value):
                    continue
                child, parent = node, parents.get(node)
                translated = False
                while parent is not None and child is not message:
                    if isinstance(parent, ast.Call) and (
                        _callee(parent.func) in TRANSLATING
                        or _callee(parent.func) in {"join", "get"}
                        or (_callee(parent.func) == "format" and child is not parent.func)
                    ):
                        translated = True  # translated, or a value filled into a message
                        break
                    if isinstance(parent, ast.Subscript) and child is parent.slice:
                        translated = True  # a key into a row or a mapping
                        break
                    child, parent = parent, parents.get(parent)
                if not translated:
                    found.append((node.lineno, node.value))
    return found


def test_the_core_scanner_finds_a_bare_error_and_passes_a_translated_one(tmp_path: Path) -> None:
    sample = tmp_path / "core.py"
    sample.write_text(
        "from qualcode.i18n import ui\n"
        "def f(name, n):\n"
        '    raise QualcodeError(f"no code {name}", "x.csv", 3)\n'
        "def g(name):\n"
        '    raise QualcodeError(ui("no code {name}").format(name=name), "x.csv", 3)\n'
        "def h(names):\n"
        '    raise QualcodeError("is empty", source=", ".join(names))\n'
        "def i(names):\n"
        '    raise QualcodeError(message=ui("one of {names}").format(names=", ".join(names)))\n',
        "utf-8",
    )
    assert core_error_literals(sample) == [(3, "no code "), (7, "is empty")]


def test_the_core_raises_no_error_the_catalogs_do_not_have() -> None:
    """An error the core raises reaches the researcher through a face in the face's
    language: its text must be an English message id given to ``ui``/``ui_n``, its values
    filled by ``.format`` after translation (Babel cannot read an f-string)."""
    found = {
        f"{path.relative_to(REPO)}:{line}": text
        for path in sorted(CORE.rglob("*.py"))
        if not any(face in path.parents for face in FACES)
        and str(path.relative_to(REPO)) not in CORE_NOT_YET
        for line, text in core_error_literals(path)
    }
    assert not found, (
        'write QualcodeError(ui("English id {name}").format(name=...)) and run '
        "scripts/catalogs.py: " + repr(found)
    )
