"""The core's errors reach the researcher in the workspace's language (QUALCODE_LANG), and
still name the file and the line: a malformed interview guide, a broken transcript and a
codings file with an unknown code, refused through the command line in Norwegian and in
English, the project left as it was."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from safety_support import dump

from qualcode.cli import main

ENGLISH_ONLY = ("line ", "unknown", " is not ", "row at")


def _run(root: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["--project", str(root), *args])
    assert result.exit_code != 0, result.output
    assert "Traceback" not in result.output
    return re.sub(r"/\S*/", "", result.output)  # file names without their (test's) folders


def _refused(root: Path, *args: str) -> str:
    assert CliRunner().invoke(main, ["--project", str(root), "status"]).exit_code == 0
    before = dump(root)
    out = _run(root, *args)
    assert dump(root) == before
    return out


def _misspell_guide(root: Path) -> int:
    """A guide with a field name mistyped; returns its line (1-based)."""
    guide = root / "interview_guide.yaml"
    lines = guide.read_text("utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("name:"))
    lines[at] = lines[at].replace("name:", "nmae:", 1)
    guide.write_text("\n".join(lines), "utf-8")
    return at + 1


def test_a_malformed_guide_is_refused_in_norwegian_with_its_file_and_line(
    project_dir: Path, norwegian: str
) -> None:
    line = _misspell_guide(project_dir)
    out = _run(project_dir, "status")
    assert f"interview_guide.yaml, linje {line}:" in out
    assert "har et ukjent felt «nmae»" in out and "mente du «name»?" in out
    assert not any(word in out for word in ENGLISH_ONLY), out


def test_the_same_guide_is_refused_in_english_under_en(project_dir: Path) -> None:
    line = _misspell_guide(project_dir)
    out = _run(project_dir, "status")
    assert f"interview_guide.yaml, line {line}:" in out
    assert 'has an unknown field "nmae"; did you mean "name"?' in out
    assert "linje" not in out and "ukjent" not in out


def _broken_vtt(tmp_path: Path) -> Path:
    bad = tmp_path / "brutt.vtt"
    bad.write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Informant>Hei.\n\n"
        "00:00:03,000 -> 00:00:04.000\n<v Informant>Hei igjen.\n",
        "utf-8",
    )
    return bad


def test_a_broken_transcript_is_refused_in_norwegian_with_its_line(
    project_dir: Path, tmp_path: Path, norwegian: str
) -> None:
    out = _refused(project_dir, "import", str(_broken_vtt(tmp_path)), "--case", "Liten")
    assert "brutt.vtt, linje 6: teksten «00:00:03,000 -> 00:00:04.000» hører ikke til" in out
    assert not any(word in out for word in ENGLISH_ONLY), out


def test_a_broken_transcript_is_refused_in_english_under_en(
    project_dir: Path, tmp_path: Path
) -> None:
    out = _refused(project_dir, "import", str(_broken_vtt(tmp_path)), "--case", "Liten")
    assert 'brutt.vtt, line 6: the text "00:00:03,000 -> 00:00:04.000" belongs to no cue' in out
    assert "linje" not in out


def test_an_unclosed_front_matter_names_line_one_in_norwegian(
    project_dir: Path, tmp_path: Path, norwegian: str
) -> None:
    bad = tmp_path / "uten-slutt.md"
    bad.write_text("---\ncase: Liten\n\nI: Hei.\n", "utf-8")
    out = _refused(project_dir, "import", str(bad))
    assert "uten-slutt.md, linje 1: metadatablokken som begynner med «---», lukkes aldri" in out


def _codings_with_unknown_code(tmp_path: Path) -> Path:
    table = tmp_path / "kodinger.csv"
    table.write_text(
        "transcript,coder,code,start,end\nliten-9,eva,finnes-ikke,0,5\n", encoding="utf-8"
    )
    return table


def test_an_unknown_code_in_a_codings_file_is_refused_in_norwegian_with_its_line(
    project_dir: Path, tmp_path: Path, norwegian: str
) -> None:
    out = _refused(project_dir, "codings", "import", str(_codings_with_unknown_code(tmp_path)))
    assert "kodinger.csv, raden på linje 2: ukjent kode «finnes-ikke»" in out
    assert "bruk --create-codes" in out
    assert not any(word in out for word in ENGLISH_ONLY), out


def test_an_unknown_code_in_a_codings_file_is_refused_in_english_under_en(
    project_dir: Path, tmp_path: Path
) -> None:
    out = _refused(project_dir, "codings", "import", str(_codings_with_unknown_code(tmp_path)))
    assert 'kodinger.csv, row at line 2: unknown code "finnes-ikke" (use --create-codes' in out
    assert "linje" not in out and "ukjent" not in out


@pytest.mark.parametrize(
    ("lang", "words"), [("nb", "er en mappe, ikke en fil"), ("en", "is a folder, not a file")]
)
def test_a_folder_given_as_a_codings_file_is_named_in_the_users_language(
    project_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, words: str
) -> None:
    monkeypatch.setenv("QUALCODE_LANG", lang)
    folder = tmp_path / "mappe.csv"
    folder.mkdir()
    out = _refused(project_dir, "codings", "import", str(folder))
    assert f"mappe.csv: {words}" in out
