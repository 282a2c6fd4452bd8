"""kill -9 at the worst moments: the database stays sound and acknowledged work survives."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.corpus import build
from qualcode.importers import parse_bytes
from qualcode.project import Project
from qualcode.store import DB_NAME

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _count(db: Path, sql: str) -> int:
    conn = sqlite3.connect(db, timeout=30)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


def _kill(proc: subprocess.Popen[str]) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def test_kill_during_folder_import_leaves_whole_transcripts_or_none(
    project_dir: Path, tmp_path: Path
) -> None:
    Project.open(project_dir).close()
    db = project_dir / DB_NAME
    before = _count(db, "SELECT COUNT(*) FROM transcripts")
    corpus = build(tmp_path / "corpus", transcripts=40, words=3000, codings=0, seed=3)
    folder = corpus.root / "transcripts"
    proc = subprocess.Popen(
        [sys.executable, "-m", "qualcode", "--project", str(project_dir), "import", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_env(),
        text=True,
    )
    deadline = time.monotonic() + 60
    try:
        # Kill once a few files are in: mid-folder, quite possibly mid-transaction.
        while _count(db, "SELECT COUNT(*) FROM transcripts") < before + 3:
            assert proc.poll() is None, "the import finished before it could be killed"
            assert time.monotonic() < deadline, "the import never got going"
            time.sleep(0.005)
    finally:
        _kill(proc)
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = dict(conn.execute("SELECT id, text FROM transcripts").fetchall())
        turns = dict(
            conn.execute(
                "SELECT transcript_id, COUNT(*) FROM turns GROUP BY transcript_id"
            ).fetchall()
        )
        orphans = conn.execute(
            "SELECT COUNT(*) FROM turns WHERE transcript_id NOT IN (SELECT id FROM transcripts)"
        ).fetchone()[0]
    finally:
        conn.close()
    assert orphans == 0
    imported = [f for f in corpus.files if f.stem in stored]
    assert 3 <= len(imported) < len(corpus.files), "the kill did not land mid-folder"
    for path in imported:
        fresh = parse_bytes(path.read_bytes(), str(path))
        assert stored[fresh.id] == fresh.text
        assert turns.get(fresh.id, 0) == len(fresh.turns)
    # The survivor is usable: a second import completes the folder.
    with Project.open(project_dir) as project:
        results = project.import_paths([folder])
        assert {r.status for r in results} <= {"imported", "unchanged"}
        assert sum(r.status == "unchanged" for r in results) == len(imported)
        assert len(project.store.transcripts.ids()) == before + len(corpus.files)


CODER_CHILD = """
import sys
from qualcode.store import Store
from qualcode.model import Coding
store = Store(sys.argv[1])
t = store.transcripts.get(sys.argv[2])
code = store.codes.all()[0].id
i = 0
while True:
    s = (i * 7) % (len(t.text) - 20)
    c = store.codings.add(Coding(t.id, s, s + 10, code, "crash", quote=t.text[s:s + 10]))
    print(f"applied {c.id}", flush=True)
    i += 1
"""


def test_kill_right_after_applying_codes_loses_none(project_dir: Path) -> None:
    with Project.open(project_dir) as project:
        tid = project.store.transcripts.ids()[0]
    db = project_dir / DB_NAME
    proc = subprocess.Popen(
        [sys.executable, "-c", CODER_CHILD, str(db), tid],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
        text=True,
    )
    acknowledged: list[int] = []
    try:
        assert proc.stdout is not None
        while len(acknowledged) < 60:
            line = proc.stdout.readline()
            assert line, f"the coder died early: {proc.stderr.read() if proc.stderr else ''}"
            acknowledged.append(int(line.split()[1]))
    finally:
        _kill(proc)  # it keeps coding meanwhile, so the kill may land mid-commit
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        kept = {r[0] for r in conn.execute("SELECT id FROM codings WHERE coder = 'crash'")}
    finally:
        conn.close()
    assert set(acknowledged) <= kept


TUI_CHILD = """
import asyncio, sys
from qualcode.project import Project
from qualcode.tui.app import QualcodeApp

async def main():
    project = Project.open(sys.argv[1])
    app = QualcodeApp(project, "tui-crash", sys.argv[2])
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        while True:
            # The keys of a coder at work: next uncoded turn, theme 1 on its sentence.
            await pilot.press("n", "1")
            await pilot.pause()
            confirmed = [m for m in app.screen.confirmations if m.startswith("Coded")]
            ids = [c.id for c in app.screen.session.codings if c.coder == "tui-crash"]
            print(f"confirmed {len(confirmed)} ids {','.join(map(str, ids))}", flush=True)

asyncio.run(main())
"""


def test_kill_a_workspace_session_right_after_coding_loses_nothing(project_dir: Path) -> None:
    with Project.open(project_dir) as project:
        tid = project.store.transcripts.ids()[0]
    db = project_dir / DB_NAME
    proc = subprocess.Popen(
        [sys.executable, "-c", TUI_CHILD, str(project_dir), tid],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
        text=True,
    )
    shown: set[int] = set()
    try:
        assert proc.stdout is not None
        while True:
            line = proc.stdout.readline()
            assert line, f"the workspace died early: {proc.stderr.read() if proc.stderr else ''}"
            parts = line.split()
            if parts[3:]:
                shown = {int(i) for i in parts[3].split(",")}
            if int(parts[1]) >= 2 or len(shown) >= 2:  # codings confirmed on screen
                break
    finally:
        _kill(proc)
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        kept = {r[0] for r in conn.execute("SELECT id FROM codings WHERE coder = 'tui-crash'")}
    finally:
        conn.close()
    assert shown and shown <= kept
