"""The consensus walk's state in its own tables: the basis it is built on (coder A, coder B,
the unit), the agreed units it seeded, and the decisions taken on disagreements."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from qualcode.store.connection import Repository


@dataclass
class Basis:
    """The pair and unit a consensus is built on, and what it has written so far."""

    coder_a: str
    coder_b: str
    unit: str
    agreed: dict[str, dict[str, list[Any]]] = field(default_factory=dict)  # seed -> spans, ids
    decided: list[str] = field(default_factory=list)  # decision keys, in the order taken


class Consensus(Repository):
    """Tables consensus_basis, consensus_seeds and consensus_decisions."""

    def basis(self) -> Basis | None:
        rows = self._rows("SELECT coder_a, coder_b, unit FROM consensus_basis")
        if not rows:
            return None
        basis = Basis(rows[0]["coder_a"], rows[0]["coder_b"], rows[0]["unit"])
        for r in self._rows("SELECT seed, spans, codings FROM consensus_seeds ORDER BY rowid"):
            basis.agreed[r["seed"]] = {
                "spans": json.loads(r["spans"]),
                "codings": json.loads(r["codings"]),
            }
        basis.decided = [
            r["key"]
            for r in self._rows(
                "SELECT key FROM consensus_decisions WHERE in_basis = 1 ORDER BY position"
            )
        ]
        return basis

    def save_basis(self, basis: Basis | None) -> None:
        """Write ``basis`` whole (None: forget it; the decisions themselves stay)."""
        with self.transaction():
            self.conn.execute("DELETE FROM consensus_basis")
            self.conn.execute("DELETE FROM consensus_seeds")
            self.conn.execute("UPDATE consensus_decisions SET in_basis = 0, position = NULL")
            if basis is None:
                return
            self.conn.execute(
                "INSERT INTO consensus_basis (id, coder_a, coder_b, unit) VALUES (1, ?, ?, ?)",
                (basis.coder_a, basis.coder_b, basis.unit),
            )
            self.conn.executemany(
                "INSERT INTO consensus_seeds (seed, spans, codings) VALUES (?, ?, ?)",
                [
                    (seed, json.dumps(kept["spans"]), json.dumps(kept["codings"]))
                    for seed, kept in basis.agreed.items()
                ],
            )
            self.conn.executemany(
                "INSERT INTO consensus_decisions (key, in_basis, position) VALUES (?, 1, ?) "
                "ON CONFLICT(key) DO UPDATE SET in_basis = 1, position = excluded.position",
                [(key, i) for i, key in enumerate(basis.decided)],
            )

    def decision(self, key: str) -> dict[str, Any] | None:
        rows = self._rows("SELECT decision FROM consensus_decisions WHERE key = ?", [key])
        if not rows or rows[0]["decision"] is None:
            return None
        decision: dict[str, Any] = json.loads(rows[0]["decision"])
        return decision

    def set_decision(self, key: str, decision: dict[str, Any] | None) -> None:
        """Record the decision on one disagreement (None: taken back)."""
        value = None if decision is None else json.dumps(decision, ensure_ascii=False)
        with self.transaction():
            self.conn.execute(
                "INSERT INTO consensus_decisions (key, decision) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET decision = excluded.decision",
                (key, value),
            )
