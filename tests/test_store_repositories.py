"""The store is a connection composed of repositories, each owning its tables (issue 13, item 2).

What the type checker cannot say: ``Store`` inherits no repository, a repository is never a
connection of its own, and every table's rows are written (INSERT, UPDATE, DELETE, REPLACE)
by the SQL of exactly one module of ``qualcode/store/`` (the migrations in ``schema.py``
aside), so a table has one owner and the others ask it.
"""

from __future__ import annotations

import ast
import re
import sqlite3
from pathlib import Path

import pytest

import qualcode.store as store_package
from qualcode.model import Code, Coding, Transcript, Turn
from qualcode.store import Store
from qualcode.store.connection import Connection, Repository

STORE = Path(store_package.__file__).parent
WRITE = re.compile(
    r"\b(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|(?<!DO )UPDATE|DELETE\s+FROM)\s+"
    r"(?P<table>\"?[\w{]+)"  # the house writes SQL keywords in capitals, prose does not
)


def _sql_texts(path: Path) -> list[str]:
    """Every string in the module, an f-string's placeholders kept as ``{…}``."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            out.append(node.value)
        elif isinstance(node, ast.JoinedStr):
            out.append(
                "".join(v.value if isinstance(v, ast.Constant) else "{…}" for v in node.values)
            )
    return out


def writers(folder: Path) -> dict[str, set[str]]:
    """Table -> the modules of ``folder`` whose SQL writes its rows."""
    out: dict[str, set[str]] = {}
    for path in sorted(folder.glob("*.py")):
        for text in _sql_texts(path):
            for m in WRITE.finditer(text):
                out.setdefault(m["table"].strip('"'), set()).add(path.stem)
    return out


def _schema_tables(folder: Path) -> set[str]:
    # a real file in a temporary folder: Store(":memory:") left a file of that name behind
    with Store(folder / "q.db") as store:
        return {
            r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }


def test_store_inherits_no_repository() -> None:
    assert Store.__bases__ == (Connection,)
    assert not any(issubclass(base, Repository) for base in Store.__mro__)


def test_each_repository_is_its_own_object_on_the_shared_connection(tmp_path: Path) -> None:
    with Store(tmp_path / "q.db") as store:
        repositories = {
            name: value for name, value in vars(store).items() if isinstance(value, Repository)
        }
        assert {"transcripts", "codes", "coders", "codings", "settings", "search"} <= set(
            repositories
        )
        for name, repository in repositories.items():
            assert not isinstance(repository, Connection), name
            assert repository.conn is store.conn, name


def test_each_table_is_written_by_one_store_module(tmp_path: Path) -> None:
    found = writers(STORE)
    assert not [t for t in found if "{" in t], "a write whose table is only known at run time"
    shared = {table: sorted(modules) for table, modules in found.items() if len(modules) > 1}
    assert shared == {}
    tables = _schema_tables(tmp_path)
    assert set(found) - tables == set()
    # every table of the data has its owner; the search index's vocabulary (a read-only view
    # of turns_fts) and the FTS and migration bookkeeping are SQLite's and schema.py's
    unowned = tables - set(found) - {"turns_vocab"}
    assert {t for t in unowned if not t.startswith(("sqlite_", "_", "turns_fts_"))} == set()


def test_the_ownership_check_sees_a_second_writer(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text('X = "DELETE FROM codings WHERE id = ?"\n')
    (tmp_path / "b.py").write_text(
        "def f(t):\n    return f'UPDATE codings SET code_id = {t}' + \"INSERT INTO memos\"\n"
    )
    (tmp_path / "c.py").write_text(
        'S = "INSERT INTO settings (key) VALUES (?) ON CONFLICT(key) DO UPDATE SET value = 1"\n'
    )
    assert writers(tmp_path) == {"codings": {"a", "b"}, "memos": {"b"}, "settings": {"c"}}


def test_no_store_module_reaches_into_another_part_of_the_store() -> None:
    for path in STORE.glob("*.py"):
        assert "attr-defined" not in path.read_text(encoding="utf-8"), path.name


def _transcript(text: str) -> Transcript:
    return Transcript(
        id="t1", text=text, turns=[Turn(speaker="A", start=0, end=len(text), role="informant")]
    )


def test_replacing_a_text_goes_through_the_owners_of_index_and_analysis(tmp_path: Path) -> None:
    with Store(tmp_path / "q.db") as store:
        store.transcripts.add(_transcript("gammel tekst om skolen"))
        old = store.transcripts.hash("t1")
        assert old is not None
        store.analysis.set("t1", old, "nb", [(0, 5)], [])
        store.transcripts.add(_transcript("ny tekst om barnehagen"), replace=True)
        assert store.analysis.get("t1", old) is None  # the old text's analysis is gone
        assert [r[0] for r in store.search.match_text("barnehagen")] == ["t1"]
        assert list(store.search.match_text("skolen")) == []


def test_a_code_merge_moves_codings_through_their_repository(tmp_path: Path) -> None:
    with Store(tmp_path / "q.db") as store:
        store.transcripts.add(_transcript("en tekst"))
        for cid in ("a", "b"):
            store.codes.upsert(Code(id=cid, name=cid.upper()))
        saved = store.codings.add(
            Coding(transcript="t1", start=0, end=2, code="a", coder="kari", quote="en")
        )
        assert store.codes.merge("a", "b", "kari") == 1
        assert store.codes.get("a") is None
        moved = store.codings.get(saved.id)
        assert moved is not None and moved.code == "b"
        assert store.coders.all() == ["kari"]  # adding the coding added its coder
        with pytest.raises(sqlite3.IntegrityError):  # a code still coded cannot simply go
            store.conn.execute("DELETE FROM codes WHERE id = 'b'")
