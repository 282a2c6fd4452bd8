"""The codebook's codes, in the database."""

from __future__ import annotations

import json
from typing import Any

from qualcode.i18n import N_
from qualcode.model import Code, check_name
from qualcode.store.codings import Codings
from qualcode.store.connection import Connection, Repository


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


class Codes(Repository):
    """The codebook's codes (table codes): add, change, merge."""

    def __init__(self, db: Connection, codings: Codings):
        super().__init__(db)
        self._codings = codings

    def all(self) -> list[Code]:
        return [
            _code(r)
            for r in self._rows("SELECT * FROM codes ORDER BY parent IS NOT NULL, position, name")
        ]

    def get(self, code_id: str) -> Code | None:
        rows = self._rows("SELECT * FROM codes WHERE id = ?", [code_id])
        return _code(rows[0]) if rows else None

    def upsert(self, code: Code, actor: str = "guide") -> bool:
        """Insert or update a code; True when it was new."""
        check_name(code.name, N_("the code name"))
        with self.transaction():
            new = self.get(code.id) is None
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

    def update(self, code_id: str, actor: str, **fields: Any) -> None:
        """Rename, describe, move or recolour a code (name, description, parent, color)."""
        allowed = {"name", "description", "parent", "color"}
        if not fields or set(fields) - allowed:
            raise ValueError(f"cannot change {sorted(set(fields) - allowed)} of a code")
        with self.transaction():
            sets = ", ".join(f"{k} = ?" for k in fields)
            self.conn.execute(f"UPDATE codes SET {sets} WHERE id = ?", [*fields.values(), code_id])
            self._audit(actor, "update", "code", code_id, **fields)

    def merge(self, source: str, target: str, actor: str) -> int:
        """Move every coding and child of ``source`` to ``target`` and delete ``source``;
        the audit row keeps the code as it was and the ids of the codings moved."""
        with self.transaction():
            gone = self._rows("SELECT * FROM codes WHERE id = ?", [source])
            ids = self._codings.move_to_code(source, target)
            moved = len(ids)
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

    def set_refi_guid(self, code_id: str, guid: str) -> None:
        """The GUID an imported REFI-QDA file gave the code (see store/refi_kept.py)."""
        self.conn.execute("UPDATE codes SET refi_guid = ? WHERE id = ?", (guid, code_id))
