"""restore: refused while another qualcode has the project open, the file checked whole
before anything is touched, the swap through SQLite's backup API (issue 14, 3 and 4)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from safety_support import dump

from qualcode.cli import main
from qualcode.project import Project

REPO = Path(__file__).resolve().parent.parent


def run(root: Path, *args: str):
    return CliRunner().invoke(main, ["--project", str(root), *args])


@pytest.fixture
def opened(project_dir: Path) -> Path:
    assert run(project_dir, "status").exit_code == 0
    return project_dir


def _refused(root: Path, source: Path, words: str) -> None:
    before = dump(root)
    result = run(root, "restore", str(source))
    assert result.exit_code == 1 and words in result.output, result.output
    assert "Traceback" not in result.output
    assert dump(root) == before
    assert run(root, "status").exit_code == 0


def test_restore_of_the_guide_is_refused_with_the_database_intact(opened: Path) -> None:
    _refused(opened, opened / "interview_guide.yaml", "not an SQLite database")


def test_a_truncated_backup_is_refused(opened: Path, tmp_path: Path) -> None:
    full = tmp_path / "full.db"
    assert run(opened, "backup", "--out", str(full)).exit_code == 0
    data = full.read_bytes()
    cut = tmp_path / "cut.db"
    cut.write_bytes(data[: len(data) // 2])
    _refused(opened, cut, "nothing was restored")


def test_a_damaged_backup_is_refused(opened: Path, tmp_path: Path) -> None:
    full = tmp_path / "full.db"
    assert run(opened, "backup", "--out", str(full)).exit_code == 0
    data = bytearray(full.read_bytes())
    for i in range(4096, len(data), 4096):  # every page past the first: a page type that is none
        data[i] = 0x55
    bad = tmp_path / "bad.db"
    bad.write_bytes(bytes(data))
    _refused(opened, bad, "nothing was restored")


def test_another_sqlite_database_is_refused(opened: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE x (a)")
    conn.commit()
    conn.close()
    _refused(opened, other, "not a qualcode project")


def test_a_fifo_or_missing_file_is_refused(opened: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    _refused(opened, fifo, "not a regular file")
    _refused(opened, tmp_path / "nothing.db", "no such backup file")


def test_refused_while_another_qualcode_has_the_project_open(opened: Path, tmp_path: Path) -> None:
    backup = tmp_path / "b.db"
    assert run(opened, "backup", "--out", str(backup)).exit_code == 0
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom qualcode.project import Project\n"
            "p = Project.open(sys.argv[1]); print('open', flush=True); time.sleep(60)",
            str(opened),
        ],
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        wal = Path(str(opened / "qualcode.db") + "-wal")
        had_wal = wal.exists()
        _refused(opened, backup, "another qualcode")
        assert wal.exists() == had_wal  # nothing deleted under the other program
    finally:
        holder.kill()
        holder.wait()
    assert run(opened, "restore", str(backup)).exit_code == 0  # once it has closed


def test_the_before_restore_backup_restores(opened: Path, tmp_path: Path) -> None:
    backup = tmp_path / "b.db"
    assert run(opened, "backup", "--out", str(backup)).exit_code == 0
    assert run(opened, "codes", "add", "Ny kode", "--parent", "evaluering").exit_code == 0
    with_code = dump(opened)
    assert run(opened, "restore", str(backup)).exit_code == 0
    assert "ny-kode" not in dump(opened)
    before = sorted((opened / ".qualcode-backups").glob("*before-restore.db"))
    assert run(opened, "restore", str(before[-1])).exit_code == 0
    restored = dump(opened)
    assert "ny-kode" in restored
    # the same rows as before the first restore, bar the audit of the restores themselves
    strip = lambda d: [ln for ln in d.splitlines() if 'INSERT INTO "audit"' not in ln]  # noqa: E731
    assert strip(restored) == strip(with_code)
    with Project.open(opened) as project:
        assert project.store.integrity_ok()
        mode = project.store.conn.execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"


def test_restore_is_quick_to_refuse(opened: Path) -> None:
    start = time.monotonic()
    _refused(opened, opened / "interview_guide.yaml", "not an SQLite database")
    assert time.monotonic() - start < 10
