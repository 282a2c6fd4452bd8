"""The researcher's writing: case summaries, key quotes and comparison notes."""

from __future__ import annotations

import builtins
from typing import Any

from qualcode.model import clean_note
from qualcode.store.connection import Repository, now


class Summaries(Repository):
    """Summaries per case, key quotes per case and theme, comparison notes per category and
    the codings linked to them (tables summaries, key_quotes, comparison_notes,
    comparison_links)."""

    # summaries and comparison notes ----------------------------------------
    def _summary_text(self, case: str, kind: str, target: str) -> str | None:
        row = self.conn.execute(
            "SELECT text FROM summaries WHERE case_name=? AND kind=? AND target=?",
            (case, kind, target),
        ).fetchone()
        return None if row is None else str(row[0])

    def set(self, case: str, kind: str, target: str, text: str, actor: str) -> None:
        """Write one summary; the audit row keeps the text it replaces and the new one."""
        with self.transaction():
            old = self._summary_text(case, kind, target)
            self.conn.execute(
                "INSERT INTO summaries (case_name, kind, target, text, author, updated) VALUES (?,?,?,?,?,?) "
                "ON CONFLICT(case_name, kind, target) DO UPDATE SET text=excluded.text, "
                "author=excluded.author, updated=excluded.updated",
                (case, kind, target, clean_note(text), actor, now()),
            )
            self._audit(actor, "summary", kind, f"{case}/{target}", old=old, new=clean_note(text))

    def delete(self, case: str, kind: str, target: str, actor: str) -> bool:
        """Remove one summary; True when there was one to remove."""
        with self.transaction():
            old = self._summary_text(case, kind, target)
            cur = self.conn.execute(
                "DELETE FROM summaries WHERE case_name=? AND kind=? AND target=?",
                (case, kind, target),
            )
            if cur.rowcount:
                self._audit(actor, "delete-summary", kind, f"{case}/{target}", old=old)
            return bool(cur.rowcount)

    def all(self) -> list[dict[str, Any]]:
        return self._rows(
            "SELECT case_name AS 'case', kind, target, text, author, updated FROM summaries "
            "ORDER BY case_name, kind, target"
        )

    def set_key_quote(
        self, case: str, theme: str, coding_id: int, marked: bool, actor: str
    ) -> None:
        with self.transaction():
            if marked:
                self.conn.execute(
                    "INSERT OR IGNORE INTO key_quotes VALUES (?,?,?)", (case, theme, coding_id)
                )
            else:
                self.conn.execute(
                    "DELETE FROM key_quotes WHERE case_name=? AND theme=? AND coding_id=?",
                    (case, theme, coding_id),
                )
            self._audit(
                actor, "key-quote" if marked else "unmark-key-quote", "coding", coding_id, case=case
            )

    def key_quotes(self) -> builtins.set[tuple[str, str, int]]:
        return {
            (r["case_name"], r["theme"], r["coding_id"])
            for r in self._rows("SELECT * FROM key_quotes")
        }

    def set_comparison_note(
        self, category: str, likheter: str, forskjeller: str, actor: str
    ) -> None:
        """Write one category's notes. Text it replaces goes into a backup first (unless an
        outer transaction, which takes its own, is open) and into the audit row."""
        old = self.comparison_notes().get(category)
        new = {"likheter": clean_note(likheter), "forskjeller": clean_note(forskjeller)}
        replaced = old is not None and any(old.get(k) and old.get(k) != v for k, v in new.items())
        if replaced and not self._db.in_transaction:
            self._db.safety_backup("before-comparison-note")
        with self.transaction():
            self.conn.execute(
                "INSERT INTO comparison_notes (category, likheter, forskjeller, author, updated) VALUES (?,?,?,?,?) "
                "ON CONFLICT(category) DO UPDATE SET likheter=excluded.likheter, "
                "forskjeller=excluded.forskjeller, author=excluded.author, updated=excluded.updated",
                (category, clean_note(likheter), clean_note(forskjeller), actor, now()),
            )
            self._audit(
                actor,
                "comparison-note",
                "category",
                category,
                old={k: old.get(k, "") for k in new} if old else None,
                new=new,
            )

    def comparison_notes(self) -> dict[str, dict[str, str]]:
        return {r["category"]: r for r in self._rows("SELECT * FROM comparison_notes")}

    # Tabell 1: a note's likheter or forskjeller linked to the passages supporting them ----
    def set_comparison_link(
        self, category: str, side: str, coding_id: int, linked: bool, actor: str
    ) -> bool:
        """Link (or unlink) a coding to a category's likheter or forskjeller; True when
        that changed anything."""
        with self.transaction():
            if linked:
                cur = self.conn.execute(
                    "INSERT OR IGNORE INTO comparison_links (category, side, coding_id, author) "
                    "VALUES (?,?,?,?)",
                    (category, side, coding_id, actor),
                )
            else:
                cur = self.conn.execute(
                    "DELETE FROM comparison_links WHERE category=? AND side=? AND coding_id=?",
                    (category, side, coding_id),
                )
            if cur.rowcount:
                self._audit(
                    actor,
                    "comparison-link" if linked else "comparison-unlink",
                    "coding",
                    coding_id,
                    category=category,
                    side=side,
                )
            return bool(cur.rowcount)

    def comparison_links(self) -> dict[tuple[str, str], builtins.set[int]]:
        """(category, side) -> the ids of the codings linked to it."""
        out: dict[tuple[str, str], builtins.set[int]] = {}
        for r in self._rows("SELECT category, side, coding_id FROM comparison_links"):
            out.setdefault((r["category"], r["side"]), set()).add(r["coding_id"])
        return out
