"""The command line speaks one language per run (#19): under QUALCODE_LANG=nb no English
message of the catalogs shows, under QUALCODE_LANG=en no Norwegian one; click's own words
("Usage:", "Options", "Error:") follow; numbers are written in the language's form.

"The other language" is read from the catalogs themselves: every message whose English and
Bokmål differ leaves its fixed words (the text between placeholders), and none of the other
language's may appear in what a command printed."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

import click
import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner, Result

from qualcode import i18n
from qualcode.cli import main
from qualcode.cli.texts import CLICK_MESSAGES, Command, Group, help_texts, walk
from tests.conftest import REPO

PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([a-z]+\)s")


@cache
def _pairs() -> list[tuple[str, str]]:
    """(English, Bokmål) of every message of the Bokmål catalog, plural forms paired."""
    with (i18n.LOCALE_DIR / "nb" / "LC_MESSAGES" / "qualcode.po").open("rb") as f:
        po = read_po(f, locale="nb")
    pairs = []
    for m in po:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        pairs += [(e, n) for e, n in zip(ids, strings, strict=False) if n]
    return pairs


def _fragments(text: str) -> list[str]:
    """The fixed words of a message: pieces between placeholders with two words or more."""
    return [
        p.strip()
        for p in PLACEHOLDER.split(text)
        if len(p.strip()) >= 12 and len(re.findall(r"[^\W\d_]{2,}", p)) >= 2
    ]


@cache
def foreign_to(lang: str) -> frozenset[str]:
    """Fixed words of the other language's messages that the ``lang`` catalog does not also
    use (so a fragment both languages share, like a command line, never counts)."""
    own_texts = [n if lang == "nb" else e for e, n in _pairs()]
    other = {f for e, n in _pairs() if e != n for f in _fragments(e if lang == "nb" else n)}
    return frozenset(f for f in other if not any(f in t for t in own_texts))


def assert_only(lang: str, *texts: str) -> None:
    shown = "\n".join(texts)
    found = sorted(f for f in foreign_to(lang) if f in shown)
    assert not found, f"{lang} run shows the other language: {found}\n{shown}"


@pytest.fixture
def study(project_dir: Path) -> Callable[..., Result]:
    """The fixture project with two coders' codings on two codes."""
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(main, ["--project", str(project_dir), *args])

    codings = [
        ("anna", "palliativt-team", "Vi har et palliativt team"),
        ("anna", "palliative-senger", "åtte palliative senger"),
        ("bjorn", "palliativt-team", "Vi har et palliativt team"),
        ("bjorn", "palliative-senger", "kreftkoordinatorer i hver sone"),
    ]
    for coder, code, quote in codings:
        done = run("codings", "add", "stor-9", "--code", code, "--quote", quote, "--coder", coder)
        assert done.exit_code == 0, done.output
    return run


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_command_line_session_is_in_one_language(
    study: Callable[..., Result], lang: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("QUALCODE_LANG", lang)
    runs = {
        "help": study("--help"),
        "agreement help": study("agreement", "--help"),
        "status": study("status"),
        "agreement": study("agreement", "--coders", "anna", "bjorn", "--unit", "sentence"),
        "export": study("export", "codings", "--out", str(tmp_path / "k.csv")),
        "unknown code": study("retrieve", "finnes-ikke"),
        "unknown coder": study("agreement", "--coders", "anna", "nobody"),
        "click's error": study("status", "--no-such-option"),
    }
    for name, result in runs.items():
        assert result.exception is None or isinstance(result.exception, SystemExit), name
        assert_only(lang, result.stdout, result.stderr)
    nb = lang == "nb"
    assert runs["help"].stdout.startswith("Bruk: " if nb else "Usage: ")
    assert ("Vis denne hjelpen og avslutt." if nb else "Show this message and exit.") in (
        runs["help"].stdout
    )
    assert ("Kommandoer:" if nb else "Commands:") in runs["help"].stdout
    assert ("De to koderne som skal sammenlignes." if nb else "The two coders to compare.") in (
        runs["agreement help"].stdout
    )
    assert ("Kodinger  4 av 2 kodere" if nb else "Codings   4 by 2 coders") in (
        runs["status"].stdout
    )
    assert runs["export"].exit_code == 0 and str(tmp_path / "k.csv") in runs["export"].stderr
    for name in ("unknown code", "unknown coder", "click's error"):
        assert runs[name].exit_code != 0
        assert runs[name].stderr.count("Feil: " if nb else "Error: ") == 1, name
    # the statistics in the language's form: decimal comma in Norwegian, never "-0,000"
    table = runs["agreement"].stdout
    assert re.search(r"\d,\d{3}" if nb else r"\d\.\d{3}", table), table
    assert not re.search(r"\d\.\d{3}" if nb else r"\d,\d{3}", table), table
    assert "-0,000" not in table and "-0.000" not in table


def test_every_command_translates_its_help_as_it_is_shown() -> None:
    """Each command is qualcode's click class (which translates help when drawn), and every
    help text the catalogs must have is found by the walk scripts/catalogs.py makes."""
    commands = list(walk(main))
    assert len(commands) > 40
    for command in commands:
        assert isinstance(command, Group if isinstance(command, click.Group) else Command), (
            command.name
        )
    texts = [text for _where, text in help_texts(main)]
    assert "The two coders to compare." in texts and "What the project holds." in texts


def test_the_click_messages_qualcode_translates_are_still_clicks() -> None:
    """A click upgrade that rewords one of its messages would leave it untranslated: say so."""
    source = "".join(
        Path(module.__file__).read_text("utf-8")  # type: ignore[arg-type]
        for module in (click.core, click.decorators, click.exceptions, click.formatting)
    ) + "".join(
        Path(module.__file__).read_text("utf-8")  # type: ignore[arg-type]
        for module in (click.parser, click.termui, click.types)
    )
    missing = [m for m in CLICK_MESSAGES if f'"{m}"' not in source and m != "required"]
    assert not missing, missing


def test_a_norwegian_help_has_no_english_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUALCODE_LANG", "nb")
    runner = CliRunner()
    for command in walk(main):
        if command is main:
            continue
        path = [c for c in _path_of(command) if c]
        out = runner.invoke(main, [*path, "--help"])
        assert out.exit_code == 0, path
        assert_only("nb", out.stdout)


def _path_of(command: click.Command) -> list[str]:
    for name in main.list_commands(click.Context(main)):
        sub = main.get_command(click.Context(main), name)
        if sub is command:
            return [name]
        if isinstance(sub, click.Group):
            for child_name, child in sub.commands.items():
                if child is command:
                    return [name, child_name]
    return []


def test_every_message_the_command_line_translates_reaches_the_catalogs() -> None:
    """A ``_("…")`` inside an f-string is translated when run but not extracted by Babel:
    it would show in English on a Norwegian screen, with no test noticing."""
    import ast

    sys.path.insert(0, str(REPO / "scripts"))
    catalogs = pytest.importorskip("catalogs")
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogs.template() if m.id}
    missing = []
    for path in sorted((REPO / "qualcode" / "cli").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id in ("_", "n_", "N_") and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and first.value not in ids:
                    missing.append(f"{path.name}:{node.lineno}: {first.value!r}")
    assert not missing, missing


@pytest.mark.parametrize("language", ["en", "nb"])
def test_an_error_under_json_is_json(cli, project_dir, monkeypatch, language):
    """A script that asked for --json gets its error as JSON on stdout, in the user's
    language, with the exit code of an error; without --json it is the plain sentence."""
    monkeypatch.setenv("QUALCODE_LANG", language)
    assert cli("status").exit_code == 0
    args = ("codings", "add", "liten-9", "--span", "0", "5", "--code", "finnesikke")
    result = cli(*args, "--coder", "ann", "--json")
    assert result.exit_code == 1
    error = json.loads(result.stdout)["error"]
    assert "finnesikke" in error["message"]
    plain = cli(*args, "--coder", "ann")
    assert plain.exit_code == 1 and not plain.stdout.strip().startswith("{")
    assert error["message"] in plain.output
    broken = project_dir / "rows.csv"
    broken.write_text("transcript,start,end,code,coder\nliten-9,0,5,finnesikke,ann\n", "utf-8")
    imported = cli("codings", "import", str(broken), "--json")
    assert imported.exit_code != 0
    assert json.loads(imported.stdout)["problems"]  # its own JSON report of the rows refused
