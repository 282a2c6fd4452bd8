"""Memos on the project, its cases, transcripts and codes (a coding's memo lives on it)."""

from __future__ import annotations

from typing import Any

from qualcode.model import clean_note
from qualcode.store.connection import Repository, now


class Memos(Repository):
    """One multi-line memo per (kind, target) (table memos); an empty text removes it."""

    def set(self, kind: str, target: str, text: str, actor: str) -> str:
        """Store (or with empty text remove) a memo; returns the text it replaced."""
        text = clean_note(text).strip("\n")
        with self.transaction():
            old = self.conn.execute(
                "SELECT text FROM memos WHERE kind=? AND target=?", (kind, target)
            ).fetchone()
            if text:
                self.conn.execute(
                    "INSERT INTO memos (kind, target, text, author, updated) VALUES (?,?,?,?,?) "
                    "ON CONFLICT(kind, target) DO UPDATE SET text=excluded.text, "
                    "author=excluded.author, updated=excluded.updated",
                    (kind, target, text, actor, now()),
                )
            else:
                self.conn.execute("DELETE FROM memos WHERE kind=? AND target=?", (kind, target))
            # The old text goes into the audit row, so an overwritten memo can be recovered.
            self._audit(actor, "memo", kind, target, old=old[0] if old else "", chars=len(text))
        return old[0] if old else ""

    def get(self, kind: str, target: str) -> str:
        row = self.conn.execute(
            "SELECT text FROM memos WHERE kind=? AND target=?", (kind, target)
        ).fetchone()
        return row[0] if row else ""

    def all(self) -> list[dict[str, Any]]:
        return self._rows(
            "SELECT kind, target, text, author, updated FROM memos ORDER BY kind, target"
        )
