"""A command line that starts at once: each command loads only what it uses.

Checked on ``sys.modules`` in a fresh interpreter (never by timing): ``--help`` and
``status`` load no heavy library, and ``agreement`` on an analysed project loads no spaCy.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from qualcode.cli import COMMANDS, main
from tests.conftest import REPO
from tests.test_export_kinds import _code_both

# Libraries that cost tenths of a second each to import, and that these commands never use.
HEAVY = (
    "spacy",
    "thinc",
    "numpy",
    "pandas",
    "jsonschema",
    "sqlite_utils",
    "openpyxl",
    "docx",
    "lxml",
    "matplotlib",
    "textual",
    "rapidfuzz",
    "simplemma",
)

CHILD = """
import json, sys
from qualcode.cli import main
try:
    main(sys.argv[1:], prog_name="qualcode")
except SystemExit as end:
    code = end.code
print("\\n@@" + json.dumps(sorted(sys.modules)))
"""


def loaded(*args: str, every: bool = False) -> tuple[str, set[str]]:
    """Run ``qualcode ARGS`` in a fresh interpreter: its output and its top-level modules
    (or, with ``every``, every module it loaded)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, *args],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=REPO,
    ).stdout
    text, _, modules = out.rpartition("\n@@")
    names = set(json.loads(modules))
    return text, names if every else {m.split(".")[0] for m in names}


def test_help_loads_no_heavy_library():
    text, modules = loaded("--help")
    assert "status" in text and "agreement" in text
    assert modules.isdisjoint(HEAVY), sorted(modules & set(HEAVY))


def test_status_loads_no_heavy_library(cli, project_dir: Path):
    assert cli("status").exit_code == 0  # the first open imports, analyses, checks the guide
    text, modules = loaded("--project", str(project_dir), "status", "--json", every=True)
    assert json.loads(text)["transcripts"] == 2
    assert {m.split(".")[0] for m in modules}.isdisjoint(HEAVY), sorted(modules & set(HEAVY))
    # nothing left to analyse: the analysis and anonymity-check modules stay unloaded
    assert "qualcode.project" in modules
    assert not modules & {"qualcode.analysis", "qualcode.anon_scan", "qualcode.anon"}


@pytest.mark.parametrize("unit", ["turn", "sentence"])
def test_agreement_on_an_analysed_project_loads_no_spacy(cli, project_dir: Path, unit: str):
    # Sentence units read the cached sentences: asking whether any transcript still needs
    # analysing must not import the pipeline first (it did, ~0.7 s for nothing).
    _code_both(cli, project_dir)
    args = ("agreement", "--coders", "ann", "bo", "--unit", unit)
    assert cli(*args).exit_code == 0  # sentences computed
    text, modules = loaded("--project", str(project_dir), *args)
    assert "Overall" in text
    assert "spacy" not in modules and "thinc" not in modules


def test_a_changed_guide_is_checked_against_the_schema_again(cli, project_dir: Path):
    assert cli("status").exit_code == 0  # the guide passed; its fingerprint is kept
    guide = project_dir / "interview_guide.yaml"
    guide.write_text(guide.read_text(encoding="utf-8") + "\nunknown_field: 1\n", encoding="utf-8")
    result = cli("status")
    assert result.exit_code == 1 and "unknown_field" in result.output


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_listed_summary_is_the_commands_own_help(name: str):
    command = main.get_command(click.Context(main), name)
    assert command is not None and command.help is not None
    first = " ".join(command.help.split("\n\n")[0].split())
    assert COMMANDS[name].summary == first


def test_a_first_lemma_search_reads_the_lemma_from_the_index(cli, project_dir, monkeypatch):
    """A word the corpus has needs no lemma tables: the analysis stored its lemma."""
    import qualcode.lemmas
    from qualcode.project import Project
    from qualcode.search import search

    assert cli("status").exit_code == 0
    with Project.open(project_dir) as project:
        expected = [h.to_json() for h in search(project, "Fastlegene", "lemma")]
        assert [h["match"] for h in expected] == ["fastlegen", "Fastlegene"]

        def no_tables(word: str, lang: str) -> str:
            raise AssertionError(f"lemma tables consulted for {word}")

        monkeypatch.setattr(qualcode.lemmas, "lemmatize_word", no_tables)
        assert [h.to_json() for h in search(project, "fastlegene", "lemma")] == expected
        with pytest.raises(AssertionError, match="tables consulted"):
            search(project, "fastlegenes", "lemma")  # not in the corpus: the tables decide
