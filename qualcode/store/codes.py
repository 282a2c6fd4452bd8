"""The codebook's codes and the coders, in the database."""

from __future__ import annotations

import bisect
import json
from typing import Any

from qualcode.model import Code, QualcodeError, check_name
from qualcode.store.connection import Connection, now


def _code(row: dict[str, Any]) -> Code:
    return Code(
        id=row["id"],
        name=row["name"],
        parent=row["parent"],
        description=row["description"],
        keywords=tuple(json.loads(row["keywords"])),
        origin=row["origin"],
        color=row["color"],
        position=row["position"],
    )


class Codes(Connection):
    """Codes (add, change, merge) and coders (with their progress)."""

    # codes ------------------------------------------------------------------
    def codes(self) -> list[Code]:
        return [
            _code(r)
            for r in self._rows("SELECT * FROM codes ORDER BY parent IS NOT NULL, position, name")
        ]

    def code(self, code_id: str) -> Code | None:
        rows = self._rows("SELECT * FROM codes WHERE id = ?", [code_id])
        return _code(rows[0]) if rows else None

    def upsert_code(self, code: Code, actor: str = "guide") -> bool:
        """Insert or update a code; True when it was new."""
        check_name(code.name, "the code name")
        with self.transaction():
            new = self.code(code.id) is None
            self.conn.execute(
                "INSERT INTO codes (id, name, parent, description, keywords, origin, color, position) "
                "VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET name=excluded.name, "
                "parent=excluded.parent, description=excluded.description, keywords=excluded.keywords, "
                "origin=excluded.origin, color=excluded.color, position=excluded.position",
                (
                    code.id,
                    code.name,
                    code.parent,
                    code.description,
                    json.dumps(list(code.keywords), ensure_ascii=False),
                    code.origin,
                    code.color,
                    code.position,
                ),
            )
            if new:
                self._audit(actor, "add", "code", code.id, name=code.name, parent=code.parent)
            return new

    def update_code(self, code_id: str, actor: str, **fields: Any) -> None:
        """Rename, describe, move or recolour a code (name, description, parent, color)."""
        allowed = {"name", "description", "parent", "color"}
        if not fields or set(fields) - allowed:
            raise QualcodeError(f"cannot change {sorted(set(fields) - allowed)} of a code")
        with self.transaction():
            sets = ", ".join(f"{k} = ?" for k in fields)
            self.conn.execute(f"UPDATE codes SET {sets} WHERE id = ?", [*fields.values(), code_id])
            self._audit(actor, "update", "code", code_id, **fields)

    def merge_codes(self, source: str, target: str, actor: str) -> int:
        """Move every coding and child of ``source`` to ``target`` and delete ``source``;
        the audit row keeps the code as it was and the ids of the codings moved."""
        with self.transaction():
            gone = self._rows("SELECT * FROM codes WHERE id = ?", [source])
            ids = [
                r[0]
                for r in self.conn.execute("SELECT id FROM codings WHERE code_id = ?", (source,))
            ]
            moved = self.conn.execute(
                "UPDATE codings SET code_id = ?, updated = ? WHERE code_id = ?",
                (target, now(), source),
            ).rowcount
            self.conn.execute("UPDATE codes SET parent = ? WHERE parent = ?", (target, source))
            self.conn.execute("DELETE FROM codes WHERE id = ?", (source,))
            self._audit(
                actor,
                "merge",
                "code",
                source,
                into=target,
                codings=moved,
                code=gone[0] if gone else None,
                coding_ids=ids,
            )
            return moved

    # coders -----------------------------------------------------------------
    def ensure_coder(self, name: str) -> None:
        check_name(name, "the coder name")
        self.conn.execute(
            "INSERT OR IGNORE INTO coders (name, created) VALUES (?, ?)", (name, now())
        )

    def coders(self) -> list[str]:
        return [r["name"] for r in self._rows("SELECT name FROM coders ORDER BY name")]

    def coder_progress(self, coder: str) -> dict[str, tuple[int, int]]:
        """Per transcript: (informant turns holding >= 1 coding by ``coder``, informant turns)."""
        spans: dict[str, list[tuple[int, int]]] = {}
        for tid, start, end in self.conn.execute(
            'SELECT transcript_id, start, "end" FROM codings WHERE coder = ? '
            "ORDER BY transcript_id, start",
            (coder,),
        ):
            spans.setdefault(tid, []).append((start, end))
        # Per transcript, the furthest end among codings starting before each point: a turn
        # is coded when some coding starting before its end reaches past its start.
        reach: dict[str, tuple[list[int], list[int]]] = {}
        for tid, found in spans.items():
            far, ends = -1, []
            for _, end in found:
                far = max(far, end)
                ends.append(far)
            reach[tid] = ([s for s, _ in found], ends)
        out = {tid: (0, 0) for tid in self.transcript_ids()}  # type: ignore[attr-defined]  # another part of Store
        for tid, start, end in self.conn.execute(
            'SELECT transcript_id, start, "end" FROM turns '
            "WHERE role = 'informant' AND \"end\" > start"
        ):
            done, total = out.get(tid, (0, 0))
            starts, ends = reach.get(tid, ([], []))
            k = bisect.bisect_left(starts, end)
            out[tid] = (done + (k > 0 and ends[k - 1] > start), total + 1)
        return out

    def codings_per_coder(self) -> dict[str, int]:
        """Coders who have codings, with how many."""
        sql = "SELECT coder, COUNT(*) AS n FROM codings GROUP BY coder ORDER BY coder"
        return {r["coder"]: r["n"] for r in self._rows(sql)}
