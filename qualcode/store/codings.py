"""Codings, and the code suggestions a coder rejected, in the database."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from qualcode.i18n import ui
from qualcode.model import Coding, QualcodeError, TextChanged, clean_note
from qualcode.store.coders import Coders
from qualcode.store.connection import Connection, Repository, now
from qualcode.store.settings import Settings

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
            ui(
                "already coded: {coder} has “{code}” on {transcript} {start}-{end}; "
                "a coding is stored once"
            ).format(
                coder=coding.coder,
                code=row[0] if row else coding.code,
                transcript=coding.transcript,
                start=coding.start,
                end=coding.end,
            )
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


class Codings(Repository):
    """Codings (add, read, change, remove, count) and rejected suggestions (tables codings,
    rejected_suggestions)."""

    def __init__(self, db: Connection, coders: Coders, settings: Settings):
        super().__init__(db)
        self._coders = coders
        self._settings = settings

    # codings ----------------------------------------------------------------
    def add_many(self, codings: Iterable[Coding], actor: str | None = None) -> list[Coding]:
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
            given = self._settings.get(_HIGHEST_ID)
            high = max(int(newest), int(given) if given else 0)
            for c in codings:
                self._check_text(c.transcript, c.text_hash)
                self._coders.ensure(c.coder)
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
            self._settings.set(_HIGHEST_ID, str(high))
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

    def add(self, coding: Coding) -> Coding:
        return self.add_many([coding])[0]

    def get(self, coding_id: int) -> Coding | None:
        rows = self._rows("SELECT * FROM codings WHERE id = ?", [coding_id])
        return _coding(rows[0]) if rows else None

    def remove(self, coding_id: int, actor: str) -> Coding:
        with self.transaction():
            coding = self.get(coding_id)
            if coding is None:
                raise QualcodeError(ui("no coding with id {id}").format(id=coding_id))
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

    def remove_transcript(self, transcript_id: str, actor: str) -> list[Coding]:
        """Remove every coding of a transcript, each audited as :meth:`remove` does."""
        with self.transaction():
            return [self.remove(c.id, actor) for c in self.all(transcript=transcript_id) if c.id]

    def update(self, coding_id: int, actor: str, **fields: Any) -> Coding:
        """Change a coding's memo, span/quote, status, code or coder (renaming the consensus)."""
        allowed = {"memo", "start", "end", "quote", "text_hash", "status", "code", "coder"}
        if set(fields) - allowed:
            raise ValueError(f"cannot change {sorted(set(fields) - allowed)} of a coding")
        if "memo" in fields:
            fields["memo"] = clean_note(fields["memo"])
        columns = {("code_id" if k == "code" else k): v for k, v in fields.items()}
        with self.transaction():
            before = self.get(coding_id)
            if before is None:
                raise QualcodeError(ui("no coding with id {id}").format(id=coding_id))
            if "text_hash" in fields and ("start" in fields or "end" in fields):
                self._check_text(before.transcript, fields["text_hash"])
            sets = ", ".join(f'"{k}" = ?' for k in columns)
            with _once(self.conn, Coding(**{**before.__dict__, **fields})):
                self.conn.execute(
                    f"UPDATE codings SET {sets}, updated = ? WHERE id = ?",
                    [*columns.values(), now(), coding_id],
                )
            self._audit(actor, "update", "coding", coding_id, **fields)
            coding = self.get(coding_id)
            assert coding is not None
            return coding

    def all(
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

    def transcripts_by_coder(self) -> dict[str, set[str]]:
        """Each coder's transcripts: those holding at least one of their codings."""
        out: dict[str, set[str]] = {}
        for coder, transcript in self.conn.execute(
            "SELECT DISTINCT coder, transcript_id FROM codings"
        ):
            out.setdefault(coder, set()).add(transcript)
        return out

    def stretches(self, coders: Iterable[str]) -> list[tuple[str, str, int, int]]:
        """``(transcript, code, start, end)`` of the coders' codings that hold text, grouped
        by transcript: what counting passages needs, without building a Coding per row."""
        names = list(coders)
        if not names:
            return []
        # "+coder" keeps SQLite off the coder index (a table lookup per row, then a sort):
        # the unique index holds every column asked for, already in transcript order.
        marks = ", ".join("?" * len(names))
        return self.conn.execute(
            'SELECT transcript_id, code_id, start, "end" FROM codings '
            f'WHERE +coder IN ({marks}) AND "end" > start ORDER BY transcript_id',
            names,
        ).fetchall()

    def unresolved_counts(self, coder: str | None = None) -> dict[str, int]:
        """Codings per transcript left unplaced by a changed text (a coder's, or anyone's)."""
        return self._counts("transcript_id", coder, "status = 'unresolved'")

    def counts(self, coder: str | None = None) -> dict[str, int]:
        """Codings per code id (direct, not including sub-codes)."""
        return self._counts("code_id", coder)

    def per_coder(self) -> dict[str, int]:
        """Coders who have codings, with how many."""
        sql = "SELECT coder, COUNT(*) AS n FROM codings GROUP BY coder ORDER BY coder"
        return {r["coder"]: r["n"] for r in self._rows(sql)}

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

    def memo_rows(self) -> list[dict[str, Any]]:
        """The codings that have a memo, as rows (without the text they stand on)."""
        return self._rows(
            'SELECT id, transcript_id, start, "end", code_id, coder, quote, memo, updated '
            "FROM codings WHERE memo != '' ORDER BY transcript_id, start, id"
        )

    def move_to_code(self, source: str, target: str) -> list[int]:
        """Give every coding of code ``source`` the code ``target`` (a merge of codes, which
        audits it); returns the ids of the codings moved."""
        with self.transaction():
            ids = [
                r[0]
                for r in self.conn.execute("SELECT id FROM codings WHERE code_id = ?", (source,))
            ]
            self.conn.execute(
                "UPDATE codings SET code_id = ?, updated = ? WHERE code_id = ?",
                (target, now(), source),
            )
            return ids

    # REFI-QDA identities kept from an imported file (see store/refi_kept.py) ------
    def refi_guids(self) -> dict[int, tuple[str, str]]:
        """Coding id -> (its selection's GUID, its own GUID), where an import kept them."""
        sql = (
            "SELECT id, refi_selection, refi_guid FROM codings "
            "WHERE refi_guid != '' OR refi_selection != ''"
        )
        return {r["id"]: (r["refi_selection"], r["refi_guid"]) for r in self._rows(sql)}

    def set_refi_guids(self, coding_id: int, selection: str, guid: str) -> None:
        self.conn.execute(
            "UPDATE codings SET refi_selection = ?, refi_guid = ? WHERE id = ?",
            (selection, guid, coding_id),
        )

    def refi_meta(self) -> dict[int, dict[str, Any]]:
        """Coding id -> the users and dates its REFI-QDA selection and coding had, if kept."""
        rows = self._rows("SELECT id, refi_meta FROM codings WHERE refi_meta != ''")
        return {r["id"]: json.loads(r["refi_meta"]) for r in rows}

    def set_refi_meta(self, coding_id: int, meta: dict[str, Any]) -> None:
        self.conn.execute(
            "UPDATE codings SET refi_meta = ? WHERE id = ?",
            (json.dumps(meta, ensure_ascii=False, sort_keys=True) if meta else "", coding_id),
        )
