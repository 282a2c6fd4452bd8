"""The one output rule (qualcode.output_file) on every command that writes a file."""

from __future__ import annotations

import csv
import io
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from safety_support import dump

from qualcode.cli import main
from qualcode.output_file import check_output, write_output

# every command that writes a file, as (args before --out, suffix)
WRITERS = [
    (["codings", "export"], "csv"),
    (["summaries", "export"], "csv"),
    (["export", "matrix", "--format", "csv"], "csv"),
    (["export", "codings", "--format", "csv"], "csv"),
    (["export", "comparison", "--format", "csv"], "csv"),
    (["backup"], "db"),
]


def run(root: Path, *args: str):
    return CliRunner().invoke(main, ["--project", str(root), *args])


@pytest.fixture
def opened(project_dir: Path) -> Path:
    result = run(project_dir, "status")
    assert result.exit_code == 0, result.output
    return project_dir


@pytest.mark.parametrize("args,_suffix", WRITERS)
@pytest.mark.parametrize(
    "target", ["qualcode.db", "qualcode.db-wal", "qualcode.db-shm", "interview_guide.yaml"]
)
def test_never_the_projects_own_files(opened: Path, args, _suffix, target) -> None:
    before = dump(opened)
    guide = (opened / "interview_guide.yaml").read_bytes()
    for force in ([], ["--force"]):
        result = run(opened, *args, "--out", str(opened / target), *force)
        assert result.exit_code == 1, result.output
        assert "project's own" in result.output
    assert dump(opened) == before
    assert (opened / "interview_guide.yaml").read_bytes() == guide
    assert run(opened, "status").exit_code == 0


def test_the_reproductions_of_the_sweep(opened: Path) -> None:
    """`codings export --out qualcode.db` and `export matrix --out qualcode.db --force`."""
    before = dump(opened)
    cwd = os.getcwd()
    os.chdir(opened)
    try:
        first = run(opened, "codings", "export", "--out", "qualcode.db")
        second = run(
            opened, "export", "matrix", "--format", "csv", "--out", "qualcode.db", "--force"
        )
        third = run(opened, "backup", "--out", ".qualcode-backups/x.db")
    finally:
        os.chdir(cwd)
    for result in (first, second, third):
        assert result.exit_code == 1 and "project's own" in result.output, result.output
    assert dump(opened) == before
    assert run(opened, "status").exit_code == 0


@pytest.mark.parametrize("args,suffix", WRITERS)
def test_an_existing_file_only_with_force(opened: Path, tmp_path: Path, args, suffix) -> None:
    out = tmp_path / f"out.{suffix}"
    out.write_text("keep me")
    refused = run(opened, *args, "--out", str(out))
    assert refused.exit_code == 1 and "--force" in refused.output
    assert out.read_text() == "keep me"
    done = run(opened, *args, "--out", str(out), "--force")
    assert done.exit_code == 0, done.output
    assert out.read_bytes() != b"keep me"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("args,suffix", WRITERS)
def test_never_through_a_symlink(opened: Path, tmp_path: Path, args, suffix) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("not yours")
    link = tmp_path / f"link.{suffix}"
    link.symlink_to(outside)
    for force in ([], ["--force"]):
        result = run(opened, *args, "--out", str(link), *force)
        assert result.exit_code == 1 and "symbolic link" in result.output, result.output
    assert outside.read_text() == "not yours" and link.is_symlink()


@pytest.mark.parametrize("args,suffix", WRITERS)
def test_never_a_fifo_or_a_device(opened: Path, tmp_path: Path, args, suffix) -> None:
    fifo = tmp_path / f"pipe.{suffix}"
    os.mkfifo(fifo)
    for target in (fifo, Path("/dev/null")):
        result = run(opened, *args, "--out", str(target), "--force")  # must not hang
        assert result.exit_code == 1 and "not a regular file" in result.output, result.output


@pytest.mark.parametrize("args,suffix", WRITERS)
def test_private_unless_shareable(opened: Path, tmp_path: Path, args, suffix) -> None:
    private = tmp_path / f"private.{suffix}"
    assert run(opened, *args, "--out", str(private)).exit_code == 0
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    shared = tmp_path / f"shared.{suffix}"
    old = os.umask(0o022)
    try:
        assert run(opened, *args, "--out", str(shared), "--shareable").exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(shared.stat().st_mode) == 0o644


def test_backups_folder_is_private(opened: Path) -> None:
    assert run(opened, "backup").exit_code == 0
    folder = opened / ".qualcode-backups"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for f in folder.iterdir():
        assert stat.S_IMODE(f.stat().st_mode) == 0o600


def test_a_hard_link_to_the_database_is_refused(opened: Path, tmp_path: Path) -> None:
    link = tmp_path / "other-name.db"
    os.link(opened / "qualcode.db", link)
    before = dump(opened)
    result = run(opened, "export", "matrix", "--format", "csv", "--out", str(link), "--force")
    assert result.exit_code == 1 and "project's own" in result.output
    assert dump(opened) == before


def test_write_output_leaves_the_old_file_when_the_rule_refuses(tmp_path: Path) -> None:
    root = tmp_path / "p"
    root.mkdir()
    (root / "qualcode.db").write_bytes(b"db")
    with pytest.raises(Exception, match="project's own"):
        write_output(root / "qualcode.db", b"x", force=True, root=root)
    assert (root / "qualcode.db").read_bytes() == b"db"
    check_output(tmp_path / "new.csv", force=False, root=root)  # a new file is fine


# CSV formula escaping ---------------------------------------------------------------------

FORMULAS = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://x","klikk")', "@SUM(1+1)", "+47 1", "-x"]


def _cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for c in row]


def test_formula_cells_are_escaped_in_every_csv_export(project_dir: Path, tmp_path: Path) -> None:
    t = project_dir / "transcripts" / "liten-9.md"
    t.write_text(
        t.read_text(encoding="utf-8").replace("case: Liten kommune 9", f'case: "{FORMULAS[0]}"'),
        encoding="utf-8",
    )
    assert run(project_dir, "status").exit_code == 0
    coder = FORMULAS[2]
    added = run(
        project_dir,
        "codings",
        "add",
        "liten-9",
        "--quote",
        "tett kontakt",
        "--code",
        "parorende",
        "--coder",
        coder,
        "--memo",
        FORMULAS[1],
    )
    if added.exit_code != 0:
        pytest.skip(added.output)
    outputs = {}
    for name, args in {
        "codings-export": ["codings", "export", "--coder", coder],
        "summaries": ["summaries", "export"],
        "matrix": ["export", "matrix", "--format", "csv", "--coder", coder],
        "codings": ["export", "codings", "--format", "csv", "--coder", coder],
        "comparison": ["export", "comparison", "--format", "csv", "--coder", coder],
    }.items():
        out = tmp_path / f"{name}.csv"
        result = run(project_dir, *args, "--out", str(out))
        assert result.exit_code == 0, (name, result.output)
        outputs[name] = out.read_text(encoding="utf-8")
    for name, text in outputs.items():
        for cell in _cells(text):
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), (name, cell)
            if cell.startswith("-"):
                float(cell.replace(",", "."))  # only numbers may start with a minus
    assert f"'{FORMULAS[0]}" in outputs["codings-export"]
    raw = tmp_path / "raw.csv"
    assert run(project_dir, "codings", "export", "--raw", "--out", str(raw)).exit_code == 0
    assert FORMULAS[1] in _cells(raw.read_text(encoding="utf-8"))


def test_escaped_codings_import_back_unchanged(project_dir: Path, tmp_path: Path) -> None:
    """The mark is qualcode's own: its CSV readers take it off again."""
    from qualcode.codings_io import read_table

    f = tmp_path / "c.csv"
    f.write_text("quote,memo\n'=SUM(1),'@x\n'plain,-0.12\n", encoding="utf-8")
    _, rows = read_table(f)
    assert rows[0][1] == {"quote": "=SUM(1)", "memo": "@x"}
    assert rows[1][1] == {"quote": "'plain", "memo": "-0.12"}


@pytest.mark.parametrize(
    "args",
    [
        ["memos", "export", "--format", "csv"],
        ["crosstab", "--by", "size", "--format", "csv"],
        ["cooccurrence", "--format", "csv"],
    ],
)
def test_the_analysis_and_memo_exports_follow_the_rule(opened: Path, tmp_path: Path, args) -> None:
    before = dump(opened)
    mine = run(opened, *args, "--out", str(opened / "qualcode.db"), "--force")
    assert mine.exit_code == 1 and "project's own" in mine.output, mine.output
    assert dump(opened) == before
    out = tmp_path / "x.csv"
    assert run(opened, *args, "--out", str(out)).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_memo_formulas_are_escaped_unless_raw(opened: Path) -> None:
    assert (
        run(opened, "memos", "set", "case", "Liten kommune 9", "--text", "=HYPERLINK(1)").exit_code
        == 0
    )
    escaped = run(opened, "memos", "export", "--format", "csv", "--out", "-").output
    raw = run(opened, "memos", "export", "--format", "csv", "--out", "-", "--raw").output
    assert "'=HYPERLINK(1)" in escaped and "'=HYPERLINK" not in raw and "=HYPERLINK(1)" in raw


def test_the_shareable_setting(
    opened: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUALCODE_SHAREABLE", "1")
    old = os.umask(0o022)
    try:
        out = tmp_path / "m.csv"
        assert run(opened, "export", "matrix", "--out", str(out)).exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
