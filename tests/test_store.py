"""The store: schema, migrations, pragmas, and the core's independence from the faces."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from sqlite_utils import Database

from qualcode.model import Code, Coding, Transcript, Turn
from qualcode.schema import migrations
from qualcode.store import Store

REPO = Path(__file__).resolve().parent.parent


def _transcript() -> Transcript:
    text = "I: Hei på deg.\nK: Vi har pårørendesamtaler."
    return Transcript(
        id="t",
        text=text,
        turns=[Turn("I", 3, 14, role="interviewer"), Turn("K", 18, 44)],
        case="Liten kommune 1",
        attributes={"size": "liten"},
    )


def test_pragmas_and_strict_tables(tmp_path):
    store = Store(tmp_path / "q.db")
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    sql = store.conn.execute("SELECT sql FROM sqlite_master WHERE name='codings'").fetchone()[0]
    assert sql.rstrip().endswith("STRICT")


def test_migrations_bring_an_old_database_up_to_date(tmp_path):
    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="0002_analysis_cache")
    assert "analysis" not in db.table_names()
    db.close()
    store = Store(path)
    assert "analysis" in store.db.table_names()
    assert store.migrate() == []
    # The old database held data (its tables), so it was backed up before migrating.
    [backup] = (tmp_path / ".qualcode-backups").glob("*-before-migration.db")
    assert "transcripts" in Database(backup).table_names()
    assert "analysis" not in Database(backup).table_names()


def test_a_new_database_is_not_backed_up(tmp_path):
    Store(tmp_path / "new.db").close()
    assert not (tmp_path / ".qualcode-backups").exists()


def test_foreign_keys_refuse_a_coding_of_an_unknown_code(tmp_path):
    import sqlite3

    import pytest

    store = Store(tmp_path / "q.db")
    store.transcripts.add(_transcript())
    with pytest.raises(sqlite3.IntegrityError):
        store.codings.add(Coding("t", 18, 20, "nope", "ann", quote="Vi"))
    assert store.codings.all() == []


def test_coding_is_committed_and_audited(tmp_path):
    store = Store(tmp_path / "q.db")
    store.transcripts.add(_transcript())
    store.codes.upsert(Code("parorende", "Samarbeid med pårørende"))
    saved = store.codings.add(
        Coding("t", 18, 44, "parorende", "ann", quote="Vi har pårørendesamtaler.")
    )
    other = Store(tmp_path / "q.db")  # a second connection sees it at once
    assert [c.id for c in other.codings.all()] == [saved.id]
    actions = [(r["action"], r["entity"]) for r in other.audit_log()]
    assert ("add", "coding") in actions and ("import", "transcript") in actions
    store.codings.update(saved.id, "ann", memo="viktig")
    assert other.codings.get(saved.id).memo == "viktig"
    store.codings.remove(saved.id, "ann")
    assert other.codings.all() == []


def test_merge_codes_keeps_codings(tmp_path):
    store = Store(tmp_path / "q.db")
    store.transcripts.add(_transcript())
    store.codes.upsert(Code("parorende", "Pårørende"))
    store.codes.upsert(Code("a", "A", parent="parorende", origin="inductive"))
    store.codes.upsert(Code("b", "B", parent="parorende", origin="inductive"))
    store.codings.add(Coding("t", 18, 20, "a", "ann", quote="Vi"))
    store.codings.add(Coding("t", 21, 24, "b", "ann", quote="har"))
    assert store.codes.merge("a", "b", "ann") == 1
    assert [c.code for c in store.codings.all()] == ["b", "b"]
    assert store.codes.get("a") is None


CORE = REPO / "qualcode"
FACES = ("qualcode/cli", "qualcode/tui", "qualcode/__main__.py")


def test_core_never_imports_a_face():
    """No core module imports click, textual or a face, directly or through another core module."""
    offenders = []
    for path in CORE.rglob("*.py"):
        rel = path.relative_to(REPO).as_posix()
        if rel.startswith(FACES):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if name.split(".")[0] in ("click", "textual") or name.startswith(
                    ("qualcode.cli", "qualcode.tui")
                ):
                    offenders.append(f"{rel}: {name}")
    assert offenders == []
    # and at run time: importing the whole core loads neither Textual nor a face
    modules = [
        ".".join(p.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        for p in CORE.rglob("*.py")
        if not p.relative_to(REPO).as_posix().startswith(FACES)
    ]
    code = (
        "import importlib, sys\n"
        f"for m in {sorted(modules)!r}:\n"
        "    importlib.import_module(m)\n"
        "bad = [m for m in sys.modules if m.split('.')[0] == 'textual' or m.startswith(('qualcode.tui', 'qualcode.cli'))]\n"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr


SQL_HOMES = ("qualcode/store/", "qualcode/schema.py")


def test_only_the_store_runs_sql():
    """Queries live in qualcode/store/, the DDL in qualcode/schema.py; nothing else runs SQL
    or opens a database (sqlite3.connect)."""
    calls = ("execute", "executemany", "executescript")  # not "query": Textual has one too
    offenders = []
    for path in CORE.rglob("*.py"):
        rel = path.relative_to(REPO).as_posix()
        if rel.startswith(SQL_HOMES):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in calls
                and node.args
                and isinstance(node.args[0], (ast.Constant, ast.JoinedStr))
            ):
                offenders.append(f"{rel}:{node.lineno}")
            # nor opens a database: no sqlite3 (or its connect) outside the store
            if isinstance(node, ast.Import) and any(
                a.name.split(".")[0] == "sqlite3" for a in node.names
            ):
                offenders.append(f"{rel}:{node.lineno} imports sqlite3")
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlite3"):
                offenders.append(f"{rel}:{node.lineno} imports from sqlite3")
    assert offenders == []
    assert (CORE / "store" / "__init__.py").exists()


def test_database_and_backups_are_private(tmp_path):
    import stat

    store = Store(tmp_path / "q.db")
    store.transcripts.add(_transcript())
    backup = store.backup(tmp_path / "b.db")
    for path in (tmp_path / "q.db", backup):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_oversized_file_refused(tmp_path, monkeypatch):
    import pytest

    import qualcode.importers as importers
    from qualcode.model import QualcodeError

    big = tmp_path / "big.txt"
    big.write_text("I: hei\n" + "K: " + "ord " * 3000, encoding="utf-8")
    monkeypatch.setattr(importers, "MAX_FILE_BYTES", 1000)
    with pytest.raises(QualcodeError, match="big.txt.*larger than 1,000 bytes"):
        importers.load_transcript(big)


def test_opening_a_project_loads_no_exchange_code():
    """REFI-QDA (and lxml under it) is imported only by the commands that read or write it."""
    code = (
        "import sys\n"
        "import qualcode.project\n"
        "heavy = ('lxml', 'qualcode.refi.read', 'qualcode.refi.write', 'qualcode.refi.bridge')\n"
        "bad = [m for m in sys.modules if m.startswith(heavy)]\n"
        "import qualcode.cli\n"
        "bad += [m for m in sys.modules if m.startswith(heavy[1:])]\n"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
