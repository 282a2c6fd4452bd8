"""The consensus walk's state in its own tables, and the migration that moves an older
project's settings there without losing a decision."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from qualcode.consensus import coding_set as cset
from qualcode.schema import pending_migrations
from qualcode.store import Store
from qualcode.store.consensus import Basis


def test_basis_and_decisions_round_trip(tmp_path: Path) -> None:
    store = Store(tmp_path / "q.db")
    assert cset.read_basis(store) is None and store.consensus.decision("k") is None
    store.consensus.set_decision("k1", {"choice": "a", "codings": [3]})
    store.consensus.set_decision("k2", {"choice": "both", "codings": [4, 5]})
    basis = Basis("ann", "bo", "turn", {'["x","t",0,5]': {"spans": [[0, 5]], "codings": [1]}})
    basis.decided = ["k2", "k1"]
    store.consensus.save_basis(basis)
    assert cset.read_basis(store) == basis  # the order of the decisions is kept
    store.consensus.set_decision("k1", None)  # taken back
    assert store.consensus.decision("k1") is None
    assert store.consensus.decision("k2") == {"choice": "both", "codings": [4, 5]}
    store.consensus.save_basis(None)  # reset forgets the basis, not the decision texts
    assert cset.read_basis(store) is None and store.consensus.decision("k2") is not None
    assert store.settings.get("consensus_basis") is None  # nothing of it in the settings


def test_the_migration_moves_an_older_projects_consensus(tmp_path: Path) -> None:
    db_path = tmp_path / "old.db"
    Store(db_path).close()
    # Build the older layout: the state as settings, the new tables not there yet.
    conn = sqlite3.connect(db_path)
    conn.executescript(
        "DROP TABLE consensus_basis; DROP TABLE consensus_seeds; DROP TABLE consensus_decisions;"
        "DELETE FROM _sqlite_migrations WHERE name = '0012_consensus_tables';"
    )
    old_basis = {
        "coders": ["ann", "bo"],
        "unit": "sentence",
        "agreed": {'["parorende","liten-9",10,40]': {"spans": [[12, 40]], "codings": [7]}},
        "decided": ["consensus:ann:bo:sentence:parorende:liten-9:50:90"],
    }
    decision = {"choice": "b", "codings": [8], "coder": "consensus"}
    rows = [
        ("consensus_basis", json.dumps(old_basis)),
        ("consensus:ann:bo:sentence:parorende:liten-9:50:90", json.dumps(decision)),
        ("consensus:ann:bo:sentence:parorende:liten-9:95:99", ""),  # a decision taken back
        ("consensus_coder", "fasit"),
    ]
    conn.executemany("INSERT INTO settings (key, value) VALUES (?, ?)", rows)
    conn.commit()
    conn.close()

    store = Store(db_path)  # opening migrates
    assert "0012_consensus_tables" not in pending_migrations(store.conn)
    basis = cset.read_basis(store)
    assert basis == Basis("ann", "bo", "sentence", old_basis["agreed"], old_basis["decided"])  # type: ignore[arg-type]
    assert store.consensus.decision(old_basis["decided"][0]) == decision
    assert store.consensus.decision("consensus:ann:bo:sentence:parorende:liten-9:95:99") is None
    assert cset.consensus_coder(store) == "fasit"  # the coder's name stays a setting
    assert store.settings.get("consensus_basis") is None
    assert (tmp_path / ".qualcode-backups").is_dir()  # backed up before migrating
