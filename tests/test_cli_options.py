"""How commands are typed: ``--project`` on either side of the command, output into a pipe."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from qualcode.cli import main


def _run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_project_option_after_the_command(project_dir: Path, tmp_path: Path) -> None:
    result = _run("status", "--project", str(project_dir), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["transcripts"] == 2
    # after a sub-command of a group as well
    result = _run(
        "codes", "add", "Nattevakt", "--parent", "bemanning", "--project", str(project_dir)
    )
    assert result.exit_code == 0, result.output
    tree = json.loads(_run("--project", str(project_dir), "codebook", "--json").stdout)
    bemanning = next(t for t in tree["themes"] if t["id"] == "bemanning")
    assert "nattevakt" in [c["id"] for c in bemanning["codes"]]


def test_project_option_after_the_command_wins(project_dir: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = _run("--project", str(elsewhere), "status", "--project", str(project_dir), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["project"] == str(project_dir.resolve())
    assert not (elsewhere / "qualcode.db").exists()


def test_init_takes_project_after_the_command(project_dir: Path) -> None:
    result = _run("init", "--project", str(project_dir), "--json")
    assert result.exit_code == 0, result.output
    assert (project_dir / "qualcode.db").exists()


def test_output_into_a_closed_pipe_is_not_an_error(project_dir: Path) -> None:
    """``qualcode show X | head -1``: the reader stops early; qualcode says nothing about it."""
    long = "\n\n".join(
        f"I: Spørsmål {i}?\n\nK: " + "Vi har et palliativt team. " * 40 for i in range(300)
    )  # far more than a pipe's buffer
    (project_dir / "transcripts" / "lang.txt").write_text(long, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "qualcode", "--project", str(project_dir), "show", "lang"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # what head does after its line
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert first.startswith(b"lang")
    assert "unexpected" not in err and "Traceback" not in err and "Exception" not in err, err
    assert proc.returncode == 141
