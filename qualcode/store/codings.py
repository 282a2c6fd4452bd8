"""Codings, and the code suggestions a coder rejected, in the database."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from qualcode.model import Coding, QualcodeError, TextChanged, clean_note
from qualcode.store.connection import Connection, now

_HIGHEST_ID = "highest_coding_id"


@contextmanager
def _once(conn: sqlite3.Connection, coding: Coding) -> Iterator[None]:
    """The unique index (schema 0012) refuses a coding that is there already: say so."""
    try:
        yield
    except sqlite3.IntegrityError as err:
        if "UNIQUE" not in str(err):
            raise
        row = conn.execute("SELECT name FROM codes WHERE id = ?", (coding.code,)).fetchone()
        raise QualcodeError(
            f"already coded: {coding.coder} has “{row[0] if row else coding.code}” on "
            f"{coding.transcript} {coding.start}-{coding.end}; a coding is stored once"
        ) from None


def _coding(row: dict[str, Any]) -> Coding:
    return Coding(
        id=row["id"],
        transcript=row["transcript_id"],
        start=row["start"],
        end=row["end"],
        code=row["code_id"],
        coder=row["coder"],
        quote=row["quote"],
        memo=row["memo"],
        text_hash=row["text_hash"],
        created=row["created"],
        updated=row["updated"],
        status=row["status"],
    )


class Codings(Connection):
    """Codings (add, read, change, remove, count) and rejected suggestions."""

    # codings ----------------------------------------------------------------
    def add_codings(self, codings: Iterable[Coding], actor: str | None = None) -> list[Coding]:
        """Insert codings in one transaction; returns them with ids and times.

        Ids are never reused, even after the newest coding is removed (SQLite would hand its
        id out again): the audit log and an open undo history name codings by id, and a
        reused id would point them at the wrong one. The highest id ever given is kept in
        the settings.
        """
        out: list[Coding] = []
        stamp = now()
        with self.transaction():
            newest = self.conn.execute("SELECT MAX(id) FROM codings").fetchone()[0] or 0
            given = self.conn.execute(
                "SELECT value FROM settings WHERE key = ?", (_HIGHEST_ID,)
            ).fetchone()
            high = max(int(newest), int(given[0]) if given else 0)
            for c in codings:
                self._check_text(c.transcript, c.text_hash)
                self.ensure_coder(c.coder)  # type: ignore[attr-defined]  # another part of Store
                created = c.created or stamp
                high += 1
                with _once(self.conn, c):
                    self.conn.execute(
                        'INSERT INTO codings (id, transcript_id, start, "end", code_id, coder, quote, '
                        "text_hash, memo, status, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                        (
                            high,
                            c.transcript,
                            c.start,
                            c.end,
                            c.code,
                            c.coder,
                            c.quote,
                            c.text_hash,
                            clean_note(c.memo),
                            c.status,
                            created,
                            c.updated or created,
                        ),
                    )
                saved = Coding(
                    **{
                        **c.__dict__,
                        "id": high,
                        "created": created,
                        "updated": c.updated or created,
                    }
                )
                self._audit(
                    actor or c.coder,
                    "add",
                    "coding",
                    saved.id,
                    transcript=c.transcript,
                    code=c.code,
                    start=c.start,
                    end=c.end,
                )
                out.append(saved)
            self.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) "
                "DO UPDATE SET value = excluded.value",
                (_HIGHEST_ID, str(high)),
            )
        return out

    def _check_text(self, transcript_id: str, text_hash: str) -> None:
        """Offsets taken on another text than the stored one are refused (in the writing
        transaction, so a re-import cannot slip in between the check and the write)."""
        if not text_hash:  # a coding that does not say which text it was made on
            return
        row = self.conn.execute(
            "SELECT text_hash FROM transcripts WHERE id = ?", (transcript_id,)
        ).fetchone()
        if row is not None and row[0] != text_hash:
            raise TextChanged(transcript_id)

    def add_coding(self, coding: Coding) -> Coding:
        return self.add_codings([coding])[0]

    def coding(self, coding_id: int) -> Coding | None:
        rows = self._rows("SELECT * FROM codings WHERE id = ?", [coding_id])
        return _coding(rows[0]) if rows else None

    def remove_coding(self, coding_id: int, actor: str) -> Coding:
        with self.transaction():
            coding = self.coding(coding_id)
            if coding is None:
                raise QualcodeError(f"no coding with id {coding_id}")
            self.conn.execute("DELETE FROM codings WHERE id = ?", (coding_id,))
            self._audit(
                actor,
                "remove",
                "coding",
                coding_id,
                transcript=coding.transcript,
                code=coding.code,
                start=coding.start,
                end=coding.end,
                quote=coding.quote,
            )
            return coding

    def update_coding(self, coding_id: int, actor: str, **fields: Any) -> Coding:
        """Change a coding's memo, span/quote, status, code or coder (renaming the consensus)."""
        allowed = {"memo", "start", "end", "quote", "text_hash", "status", "code", "coder"}
        if set(fields) - allowed:
            raise QualcodeError(f"cannot change {sorted(set(fields) - allowed)} of a coding")
        if "memo" in fields:
            fields["memo"] = clean_note(fields["memo"])
        columns = {("code_id" if k == "code" else k): v for k, v in fields.items()}
        with self.transaction():
            before = self.coding(coding_id)
            if before is None:
                raise QualcodeError(f"no coding with id {coding_id}")
            if "text_hash" in fields and ("start" in fields or "end" in fields):
                self._check_text(before.transcript, fields["text_hash"])
            sets = ", ".join(f'"{k}" = ?' for k in columns)
            with _once(self.conn, Coding(**{**before.__dict__, **fields})):
                self.conn.execute(
                    f"UPDATE codings SET {sets}, updated = ? WHERE id = ?",
                    [*columns.values(), now(), coding_id],
                )
            self._audit(actor, "update", "coding", coding_id, **fields)
            coding = self.coding(coding_id)
            assert coding is not None
            return coding

    def codings(
        self, transcript: str | None = None, coder: str | None = None, code: str | None = None
    ) -> list[Coding]:
        where, params = [], []
        for column, value in (("transcript_id", transcript), ("coder", coder), ("code_id", code)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        sql = "SELECT * FROM codings" + (" WHERE " + " AND ".join(where) if where else "")
        return [
            _coding(r)
            for r in self._rows(sql + ' ORDER BY transcript_id, start, "end", id', params)
        ]

    def unresolved_counts(self, coder: str | None = None) -> dict[str, int]:
        """Codings per transcript left unplaced by a changed text (a coder's, or anyone's)."""
        return self._counts("transcript_id", coder, "status = 'unresolved'")

    def coding_counts(self, coder: str | None = None) -> dict[str, int]:
        """Codings per code id (direct, not including sub-codes)."""
        return self._counts("code_id", coder)

    def _counts(self, by: str, coder: str | None, where: str = "1") -> dict[str, int]:
        sql, params = f"SELECT {by}, COUNT(*) FROM codings WHERE {where}", []
        if coder:
            sql += " AND coder = ?"
            params.append(coder)
        return {key: int(n) for key, n in self.conn.execute(sql + f" GROUP BY {by}", params)}

    def reject_suggestion(
        self, transcript_id: str, start: int, end: int, code_id: str, coder: str, text_hash: str
    ) -> None:
        with self.transaction():
            self.conn.execute(
                'INSERT OR REPLACE INTO rejected_suggestions (transcript_id, start, "end", code_id, '
                "coder, text_hash, created) VALUES (?,?,?,?,?,?,?)",
                (transcript_id, start, end, code_id, coder, text_hash, now()),
            )
            self._audit(coder, "reject", "suggestion", f"{transcript_id}:{start}-{end}:{code_id}")

    def rejected_suggestions(self, coder: str) -> set[tuple[str, int, int, str, str]]:
        """``(transcript, start, end, code, text hash)`` of the coder's rejected suggestions."""
        rows = self._rows(
            'SELECT transcript_id, start, "end", code_id, text_hash '
            "FROM rejected_suggestions WHERE coder = ?",
            [coder],
        )
        return {
            (r["transcript_id"], r["start"], r["end"], r["code_id"], r["text_hash"]) for r in rows
        }
