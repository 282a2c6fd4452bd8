"""Where `qualcode export` writes and what it refuses: the format from the file name, a
mistyped coder, folders and unwritable paths, the screen, file permissions, formulas in
Excel cells, the BOM that lets Excel read CSV, and a closed pipe."""

from __future__ import annotations

import json
import os
import stat
import zipfile
from pathlib import Path

import openpyxl
import pytest

import qualcode.cli.comparison_cmds as comparison_cmds

HOSTILE = """---
case: '=HYPERLINK("http://x","klikk")'
size: liten
---
Intervjuer: Hei?

Leder: Vi har et palliativt team.
"""


@pytest.fixture
def coded(cli, project_dir: Path):
    rows = [
        {
            "transcript": "liten-9",
            "coder": c,
            "code": "parorende",
            "quote": "Vi har tett kontakt med pårørende.",
        }
        for c in ("ann", "bob")
    ]
    rows.append(
        {
            "transcript": "stor-9",
            "coder": "ann",
            "code": "palliativt-team",
            "quote": "palliativt team",
        }
    )
    path = project_dir / "c.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    assert cli("codings", "import", str(path)).exit_code == 0
    return cli


@pytest.mark.parametrize(
    ("kind", "name", "check"),
    [
        ("summaries", "rapport.docx", lambda b: zipfile.is_zipfile(__import__("io").BytesIO(b))),
        ("matrix", "matrise.xlsx", lambda b: b[:2] == b"PK"),
        ("matrix", "matrise.png", lambda b: b[:4] == b"\x89PNG"),
        ("comparison", "tabell.csv", lambda b: b"\nKategori," in b[:200]),
        ("summaries", "rapport.htm", lambda b: b.startswith(b"<!DOCTYPE html>")),
    ],
)
def test_the_format_follows_the_file_name_when_not_given(coded, tmp_path, kind, name, check):
    out = tmp_path / name
    result = coded("export", kind, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert check(out.read_bytes())


def test_a_format_the_file_name_contradicts_or_the_kind_lacks_is_refused(coded, tmp_path):
    bad = coded("export", "matrix", "--format", "md", "--out", str(tmp_path / "m.csv"))
    assert bad.exit_code == 1 and "--format md" in bad.stderr and "m.csv" in bad.stderr
    bad = coded("export", "matrix", "--out", str(tmp_path / "m.xls"))
    assert bad.exit_code == 1 and ".xls" in bad.stderr and "xlsx" in bad.stderr
    bad = coded("export", "summaries", "--out", str(tmp_path / "r.csv"))
    assert bad.exit_code == 1 and "md, docx, html" in bad.stderr
    assert list(tmp_path.glob("*.*")) == []
    # a suffix no export knows is just a name: the kind's first format goes in it
    assert coded("export", "comparison", "--out", str(tmp_path / "tabell.txt")).exit_code == 0
    assert "\n| Kategori |" in (tmp_path / "tabell.txt").read_text("utf-8")
    assert (tmp_path / "tabell.txt").read_text("utf-8").startswith("**Tabell 1: ")


def test_an_unknown_coder_is_refused_and_the_coders_are_named(coded, tmp_path):
    out = tmp_path / "m.csv"
    bad = coded("export", "matrix", "--coder", "nobody", "--out", str(out))
    assert bad.exit_code == 1
    assert '"nobody"' in bad.stderr and "ann, bob" in bad.stderr
    assert not out.exists()
    ok = coded("export", "matrix", "--out", str(out))
    assert "Codings: ann, bob — coded passages, merged" in ok.stderr
    ok = coded("export", "matrix", "--coder", "bob", "--out", str(tmp_path / "bob.csv"))
    assert "Codings: bob — coded passages" in ok.stderr
    assert coded("comparison", "show", "--coder", "nobody").exit_code == 1


def test_folders_and_unwritable_paths_get_a_plain_message(coded, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    bad = coded("export", "matrix", "--format", "csv", "--out", str(folder))
    assert bad.exit_code == 1 and "is a folder" in bad.stderr and "already exists" not in bad.stderr
    blocker = tmp_path / "file"
    blocker.write_text("x")
    bad = coded("export", "matrix", "--out", str(blocker / "m.csv"))
    assert bad.exit_code == 1 and "cannot write the file" in bad.stderr
    assert str(blocker / "m.csv") in bad.stderr and "unexpected" not in bad.stderr


def test_dash_writes_text_formats_to_the_screen_and_refuses_binary_ones(
    coded, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    result = coded("export", "comparison", "--format", "csv", "--out", "-")
    assert result.exit_code == 0
    assert result.stdout.startswith("# Kodinger: ")  # no BOM in a pipe
    assert result.stdout.split("\n")[1].startswith("Kategori,Likheter")
    assert "to the screen" in result.stderr
    bad = coded("export", "matrix", "--format", "xlsx", "--out", "-")
    assert bad.exit_code == 1 and "--out" in bad.stderr
    assert not (tmp_path / "-").exists()


def test_exports_are_private_unless_shareable_even_when_overwriting(coded, tmp_path):
    old = os.umask(0o022)
    try:
        out = tmp_path / "out" / "m.md"
        assert coded("export", "matrix", "--out", str(out)).exit_code == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o600  # interview text: the owner's only
        out.chmod(0o644)
        assert coded("export", "matrix", "--out", str(out), "--force").exit_code == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
        shared = coded("export", "matrix", "--out", str(out), "--force", "--shareable")
        assert shared.exit_code == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o644
    finally:
        os.umask(old)
    assert [p.name for p in out.parent.iterdir()] == ["m.md"]  # no temporary file left


def test_text_starting_with_equals_stays_text_in_excel(coded, project_dir, tmp_path):
    (project_dir / "transcripts" / "lenke.md").write_text(HOSTILE, encoding="utf-8")
    assert coded("import", str(project_dir / "transcripts" / "lenke.md")).exit_code == 0
    assert coded("comparison", "set", "kreftkoordinator", "--likheter", "=2+2").exit_code == 0
    assert coded("export", "comparison", "--out", str(tmp_path / "t.xlsx")).exit_code == 0
    assert coded("export", "matrix", "--out", str(tmp_path / "m.xlsx")).exit_code == 0
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    assert sheet["B2"].value == "=2+2" and sheet["B2"].data_type == "s"
    book = openpyxl.load_workbook(tmp_path / "m.xlsx")
    for ws in book.worksheets:
        names = [c for c in ws.iter_rows(min_col=1, max_col=1) for c in c]
        hostile = [c for c in names if str(c.value).startswith("=HYPERLINK")]
        if ws.title != "Om tabellen":  # a data sheet: the case's rows, each name text
            assert hostile and all(c.data_type == "s" for c in hostile), ws.title


def test_summaries_template_csv_file_has_a_bom_and_imports_back(coded, tmp_path):
    out = tmp_path / "s.csv"
    assert coded("summaries", "export", "--out", str(out)).exit_code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbfcase,section,theme,text,key_quotes\n")
    assert coded("summaries", "import", str(out)).exit_code == 0
    assert not coded("summaries", "export").stdout.startswith("\ufeff")


def test_a_closed_pipe_ends_quietly(coded, monkeypatch):
    def closed(_data: object) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(comparison_cmds, "emit_json", closed)
    result = coded("comparison", "show", "--json")
    assert result.exit_code == 141
    assert "unexpected" not in result.stderr and "Error" not in result.stderr


def test_force_never_replaces_a_device_or_a_symlink(cli, project_dir, tmp_path):
    import os

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    refused = cli("export", "codings", "--format", "csv", "--out", str(fifo), "--force")
    assert refused.exit_code == 1 and "not a regular file" in refused.output
    assert fifo.is_fifo()
    target = tmp_path / "real.csv"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    through = cli("export", "codings", "--out", str(link), "--force")
    assert through.exit_code == 1 and "symbolic link" in through.output
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "old"


def test_agreement_options_are_refused_elsewhere_and_all_coders_can_be_asked_for(cli, tmp_path):
    out = tmp_path / "m.md"
    refused = cli("export", "matrix", "--code", "csnat", "--out", str(out))
    assert refused.exit_code == 1 and "only go with export agreement" in refused.output
    assert not out.exists()
    two = cli("export", "matrix", "--coder", "ann", "--coder", "bo", "--out", str(out))
    assert two.exit_code == 1 and "give one --coder" in two.output
    everyone = cli("export", "matrix", "--coder", "all", "--out", str(out))
    assert everyone.exit_code == 0 and "Codings: " in everyone.output
