"""Two processes coding one project at once: every coding kept, nobody told "locked"."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from qualcode.project import Project
from qualcode.store import Store

REPO = Path(__file__).resolve().parent.parent
N = 1000

WRITER = """
import sys, time
from pathlib import Path
from qualcode.store import Store
from qualcode.model import Coding
db, tid, coder, go = sys.argv[1:5]
store = Store(db)  # its own connection, as a second coder's session would have
t = store.transcripts.get(tid)
codes = [c.id for c in store.codes.all()]
Path(go + "-" + coder).touch()
while not Path(go).exists():  # start together, so the writes really interleave
    time.sleep(0.001)
for i in range(int(sys.argv[5])):
    s = (i * 13) % (len(t.text) - 30)
    store.codings.add(Coding(t.id, s, s + 25, codes[i % len(codes)], coder, quote=t.text[s:s + 25]))
print("done", flush=True)
"""


def test_two_processes_each_apply_1000_codings(project_dir: Path, tmp_path: Path) -> None:
    with Project.open(project_dir) as project:
        tid = project.store.transcripts.ids()[0]
        db = project.store.path
    go = tmp_path / "go"
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), tid, coder, str(go), str(N)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
        )
        for coder in ("anne", "bjørn")
    ]
    deadline = time.monotonic() + 60
    while not all(Path(f"{go}-{c}").exists() for c in ("anne", "bjørn")):
        assert time.monotonic() < deadline and all(p.poll() is None for p in procs)
        time.sleep(0.005)
    go.touch()  # both have opened the database and wait at the line
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert "locked" not in (out + err).lower(), err
        assert proc.returncode == 0, err
        assert out.strip() == "done"
    with Store(db) as store:
        assert store.integrity_ok()
        assert len(store.codings.all(coder="anne")) == N
        assert len(store.codings.all(coder="bjørn")) == N
        assert sum(store.codings.counts().values()) == 2 * N
        # Both really ran at once: their codings interleave in id order.
        ids = [(c.id, c.coder) for c in store.codings.all()]
    coders_in_order = [coder for _, coder in sorted(ids)]
    switches = sum(a != b for a, b in zip(coders_in_order, coders_in_order[1:], strict=False))
    assert switches > 10


def test_backup_while_another_process_writes_then_restore(
    project_dir: Path, tmp_path: Path
) -> None:
    with Project.open(project_dir) as project:
        tid = project.store.transcripts.ids()[0]
        db = project.store.path
    go = tmp_path / "go"
    go.touch()
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), tid, "carl", str(go), str(N)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    try:
        with Project.open(project_dir) as project:
            while len(project.store.codings.all(coder="carl")) < 50:  # the writer is mid-run
                assert writer.poll() is None, writer.stderr.read() if writer.stderr else ""
                time.sleep(0.005)
            path = project.backup("manual", tmp_path / "snap.db")
            with Store(path) as snap:
                assert snap.integrity_ok()
                snapped = [(c.id, c.start, c.end, c.quote) for c in snap.codings.all()]
            assert 50 <= len(snapped) < N  # a consistent point in the middle of the run
    finally:
        out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0 and "locked" not in err.lower(), err
    with Project.open(project_dir) as project:
        assert len(project.store.codings.all(coder="carl")) == N
        project.restore(path)
        assert [(c.id, c.start, c.end, c.quote) for c in project.store.codings.all()] == snapped
        assert project.store.integrity_ok()
