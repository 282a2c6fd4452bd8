"""The project database: every query qualcode makes lives here.

SQLite through sqlite-utils, WAL, foreign keys on every connection, a busy timeout so
two writers (two coders, or the TUI and the CLI) wait for each other instead of failing,
and short ``BEGIN IMMEDIATE`` transactions so each change is durable when it returns.
"""

from __future__ import annotations

import bisect
import json
import os
import random
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from qualcode.model import Code, Coding, QualcodeError, Transcript, Turn
from qualcode.schema import migrations

DB_NAME = "qualcode.db"
BUSY_TIMEOUT_MS = 30_000


# A search hit's turn as the index returns it (see Store.search_text / search_lemmas).
TurnHitRow = tuple[Any, ...]

_SPAN_DIGITS = 7, 3  # hex digits of a word's start and of its length in the packed spans


def _pack_span(start: int, end: int) -> str:
    # Fixed width, so the n-th word's span is a slice: no parsing a whole turn per hit. A
    # "word" longer than 4,095 characters (never seen in an interview) keeps that length.
    return f"{start:07x}{min(end - start, 0xFFF):03x}"


def word_span(packed: str, i: int) -> tuple[int, int]:
    """The ``(start, end)`` of word ``i`` in a turn's packed spans."""
    at = sum(_SPAN_DIGITS) * i
    start = int(packed[at:at + _SPAN_DIGITS[0]], 16)
    return start, start + int(packed[at + _SPAN_DIGITS[0]:at + sum(_SPAN_DIGITS)], 16)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


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


def _create_private(path: Path) -> None:
    """Create ``path`` readable by its owner only: transcripts are sensitive."""
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


class Store:
    """One open project database."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        _create_private(self.path)
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        self.db = Database(conn)
        self.conn = conn
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")  # acknowledged == durable, even on power loss
        self._depth = 0
        self._via = ""  # the mechanism (command, import, TUI) audit rows record beside the person
        self.migrate()

    def migrate(self) -> list[str]:
        """Apply pending migrations; returns their names."""
        pending = [m.name for m in migrations.pending(self.db)]
        if pending:
            migrations.apply(self.db)
        return pending

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction; nested calls join the outer one."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._begin()
        self._depth = 1
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._depth = 0

    def _begin(self) -> None:
        """``BEGIN IMMEDIATE``, retried every millisecond or two while another writer holds the lock.

        SQLite's own busy handler sleeps up to 100 ms between tries, so a writer committing in a
        tight loop (an import, a second coder) can starve the other until its timeout runs out;
        short, jittered polls let both take turns.
        """
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        self.conn.execute("PRAGMA busy_timeout=0")
        try:
            while True:
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as err:
                    if "locked" not in str(err) and "busy" not in str(err):
                        raise
                    if time.monotonic() > deadline:
                        raise QualcodeError(
                            f"another program has been writing to this project for "
                            f"{BUSY_TIMEOUT_MS // 1000} s without a pause; nothing was changed, "
                            "try again when it has finished", str(self.path)) from None
                    time.sleep(random.uniform(0.0002, 0.002))
        finally:
            self.conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        return list(self.db.query(sql, list(params)))

    @contextmanager
    def via(self, mechanism: str) -> Iterator[None]:
        """Audit rows written meanwhile record ``mechanism`` (e.g. ``import``) in their detail.

        The audit's actor is the person; how they made the change is kept beside it.
        """
        outer, self._via = self._via, mechanism
        try:
            yield
        finally:
            self._via = outer

    def _audit(self, actor: str, action: str, entity: str, entity_id: object, **detail: Any) -> None:
        if self._via:
            detail.setdefault("via", self._via)
        self.conn.execute(
            "INSERT INTO audit (at, actor, action, entity, entity_id, detail) VALUES (?,?,?,?,?,?)",
            (now(), actor, action, entity, str(entity_id), json.dumps(detail, ensure_ascii=False)),
        )

    # settings ---------------------------------------------------------------
    def setting(self, key: str, default: str | None = None) -> str | None:
        rows = self._rows("SELECT value FROM settings WHERE key = ?", [key])
        return rows[0]["value"] if rows else default

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # cases ------------------------------------------------------------------
    def upsert_case(self, name: str, attributes: dict[str, str],
                    actor: str = "import") -> list[tuple[str, str, str]]:
        """Add the case if new and set its attributes, audited.

        Returns ``(key, old value, new value)`` for each stored value this changed, so the
        caller can warn: a later file disagreeing about a case is worth a researcher's look.
        """
        with self.transaction():
            added = self.conn.execute("INSERT OR IGNORE INTO cases (name) VALUES (?)",
                                      (name,)).rowcount == 1
            stored = {r["key"]: r["value"] for r in self._rows(
                "SELECT key, value FROM case_attributes WHERE case_name = ?", [name])}
            values = {key: str(value) for key, value in attributes.items()}
            new = {k: v for k, v in values.items() if k not in stored}
            changed = [(k, stored[k], v) for k, v in values.items()
                       if k in stored and stored[k] != v]
            for key, value in [*new.items(), *((k, v) for k, _, v in changed)]:
                self.conn.execute(
                    "INSERT INTO case_attributes (case_name, key, value) VALUES (?,?,?) "
                    "ON CONFLICT(case_name, key) DO UPDATE SET value = excluded.value",
                    (name, key, value),
                )
            if added:
                self._audit(actor, "add", "case", name, attributes=values)
            elif new or changed:
                self._audit(actor, "update", "case", name, added=new,
                            changed={k: {"from": old, "to": v} for k, old, v in changed})
            return changed

    def cases(self) -> dict[str, dict[str, str]]:
        """Every case with its attributes, in name order."""
        out: dict[str, dict[str, str]] = {r["name"]: {} for r in self._rows("SELECT name FROM cases ORDER BY name")}
        for row in self._rows("SELECT case_name, key, value FROM case_attributes ORDER BY key"):
            out[row["case_name"]][row["key"]] = row["value"]
        return out

    def case_attributes(self, name: str) -> dict[str, str]:
        rows = self.conn.execute("SELECT key, value FROM case_attributes WHERE case_name = ? "
                                 "ORDER BY key", (name,)).fetchall()
        return {k: v for k, v in rows}

    # transcripts ------------------------------------------------------------
    def transcript_hash(self, transcript_id: str) -> str | None:
        rows = self._rows("SELECT text_hash FROM transcripts WHERE id = ?", [transcript_id])
        return rows[0]["text_hash"] if rows else None

    def add_transcript(self, t: Transcript, actor: str = "import",
                       replace: bool = False) -> list[tuple[str, str, str]]:
        """Store a transcript with its turns (and its case), in one transaction.

        Returns the case attribute values it changed, as :meth:`upsert_case` does.
        """
        changed: list[tuple[str, str, str]] = []
        with self.transaction():
            if t.case:
                changed = self.upsert_case(t.case, t.attributes, actor)
            exists = self.transcript_hash(t.id) is not None
            if exists and not replace:
                raise QualcodeError(f'a transcript with id "{t.id}" is already in the project', t.source)
            if exists:
                self._unindex_turns(t.id)
                self.conn.execute("DELETE FROM turns WHERE transcript_id = ?", (t.id,))
                self.conn.execute("DELETE FROM analysis WHERE transcript_id = ?", (t.id,))
                self.conn.execute(
                    "UPDATE transcripts SET case_name=?, source=?, text=?, text_hash=?, preamble=?, "
                    "meta=?, words=?, imported=? WHERE id=?",
                    (t.case, t.source, t.text, t.hash, t.preamble, json.dumps(t.meta, default=str, ensure_ascii=False),
                     t.words, now(), t.id),
                )
            else:
                self.conn.execute(
                    "INSERT INTO transcripts (id, case_name, source, text, text_hash, preamble, meta, "
                    "words, imported) VALUES (?,?,?,?,?,?,?,?,?)",
                    (t.id, t.case, t.source, t.text, t.hash, t.preamble,
                     json.dumps(t.meta, default=str, ensure_ascii=False), t.words, now()),
                )
            self.conn.executemany(
                'INSERT INTO turns (transcript_id, idx, speaker, role, start, "end", timestamp, end_time) '
                "VALUES (?,?,?,?,?,?,?,?)",
                [(t.id, i, u.speaker, u.role, u.start, u.end, u.timestamp, u.end_time) for i, u in enumerate(t.turns)],
            )
            self._audit(actor, "replace" if exists else "import", "transcript", t.id, source=t.source, hash=t.hash)
            self.index_turns(t)  # the search index follows every stored text
        return changed

    def transcript_source(self, transcript_id: str) -> str | None:
        rows = self._rows("SELECT source FROM transcripts WHERE id = ?", [transcript_id])
        return rows[0]["source"] if rows else None

    def transcript_ids(self) -> list[str]:
        return [r["id"] for r in self._rows("SELECT id FROM transcripts ORDER BY id")]

    def transcript(self, transcript_id: str) -> Transcript:
        rows = self._rows("SELECT * FROM transcripts WHERE id = ?", [transcript_id])
        if not rows:
            raise QualcodeError(f'no transcript "{transcript_id}" in this project')
        return self._transcript(rows[0])

    def transcripts(self) -> list[Transcript]:
        return [self._transcript(r) for r in self._rows("SELECT * FROM transcripts ORDER BY id")]

    def _transcript(self, row: dict[str, Any]) -> Transcript:
        turns = [
            Turn(speaker=r["speaker"], start=r["start"], end=r["end"], timestamp=r["timestamp"],
                 end_time=r["end_time"], role=r["role"])
            for r in self._rows("SELECT * FROM turns WHERE transcript_id = ? ORDER BY idx", [row["id"]])
        ]
        attributes = self.case_attributes(row["case_name"]) if row["case_name"] else {}
        return Transcript(
            id=row["id"], text=row["text"], turns=turns, case=row["case_name"],
            attributes=attributes, meta=json.loads(row["meta"]), preamble=row["preamble"],
            source=row["source"],
        )

    def transcript_overview(self) -> list[dict[str, Any]]:
        """Per transcript: id, case, words, metadata, turn count and speakers, without the text."""
        rows = self._rows(
            "SELECT t.id, t.case_name, t.words, t.source, t.meta, COUNT(u.idx) AS turns, "
            "json_group_array(DISTINCT u.speaker) AS speakers "
            "FROM transcripts t LEFT JOIN turns u ON u.transcript_id = t.id GROUP BY t.id ORDER BY t.id"
        )
        for row in rows:
            row["speakers"] = [s for s in json.loads(row["speakers"]) if s is not None]
            row["meta"] = json.loads(row["meta"])
        return rows

    # codes ------------------------------------------------------------------
    def codes(self) -> list[Code]:
        return [_code(r) for r in self._rows("SELECT * FROM codes ORDER BY parent IS NOT NULL, position, name")]

    def code(self, code_id: str) -> Code | None:
        rows = self._rows("SELECT * FROM codes WHERE id = ?", [code_id])
        return _code(rows[0]) if rows else None

    def upsert_code(self, code: Code, actor: str = "guide") -> bool:
        """Insert or update a code; True when it was new."""
        with self.transaction():
            new = self.code(code.id) is None
            self.conn.execute(
                "INSERT INTO codes (id, name, parent, description, keywords, origin, color, position) "
                "VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET name=excluded.name, "
                "parent=excluded.parent, description=excluded.description, keywords=excluded.keywords, "
                "origin=excluded.origin, color=excluded.color, position=excluded.position",
                (code.id, code.name, code.parent, code.description, json.dumps(list(code.keywords), ensure_ascii=False),
                 code.origin, code.color, code.position),
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
        """Move every coding and child of ``source`` to ``target`` and delete ``source``."""
        with self.transaction():
            moved = self.conn.execute(
                "UPDATE codings SET code_id = ?, updated = ? WHERE code_id = ?", (target, now(), source)
            ).rowcount
            self.conn.execute("UPDATE codes SET parent = ? WHERE parent = ?", (target, source))
            self.conn.execute("DELETE FROM codes WHERE id = ?", (source,))
            self._audit(actor, "merge", "code", source, into=target, codings=moved)
            return moved

    # coders -----------------------------------------------------------------
    def ensure_coder(self, name: str) -> None:
        self.conn.execute("INSERT OR IGNORE INTO coders (name, created) VALUES (?, ?)", (name, now()))

    def coders(self) -> list[str]:
        return [r["name"] for r in self._rows("SELECT name FROM coders ORDER BY name")]

    def coder_progress(self, coder: str) -> dict[str, tuple[int, int]]:
        """Per transcript: (informant turns holding >= 1 coding by ``coder``, informant turns)."""
        spans: dict[str, list[tuple[int, int]]] = {}
        for tid, start, end in self.conn.execute(
                'SELECT transcript_id, start, "end" FROM codings WHERE coder = ? '
                "ORDER BY transcript_id, start", (coder,)):
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
        out = {tid: (0, 0) for tid in self.transcript_ids()}
        for tid, start, end in self.conn.execute(
                'SELECT transcript_id, start, "end" FROM turns '
                "WHERE role = 'informant' AND \"end\" > start"):
            done, total = out.get(tid, (0, 0))
            starts, ends = reach.get(tid, ([], []))
            k = bisect.bisect_left(starts, end)
            out[tid] = (done + (k > 0 and ends[k - 1] > start), total + 1)
        return out

    def codings_per_coder(self) -> dict[str, int]:
        """Coders who have codings, with how many."""
        sql = "SELECT coder, COUNT(*) AS n FROM codings GROUP BY coder ORDER BY coder"
        return {r["coder"]: r["n"] for r in self._rows(sql)}

    # codings ----------------------------------------------------------------
    def add_codings(self, codings: Iterable[Coding], actor: str | None = None) -> list[Coding]:
        """Insert codings in one transaction; returns them with ids and times."""
        out: list[Coding] = []
        stamp = now()
        with self.transaction():
            for c in codings:
                self.ensure_coder(c.coder)
                created = c.created or stamp
                cur = self.conn.execute(
                    'INSERT INTO codings (transcript_id, start, "end", code_id, coder, quote, text_hash, memo, '
                    "status, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (c.transcript, c.start, c.end, c.code, c.coder, c.quote, c.text_hash, c.memo, c.status,
                     created, c.updated or created),
                )
                saved = Coding(**{**c.__dict__, "id": cur.lastrowid, "created": created,
                                  "updated": c.updated or created})
                self._audit(actor or c.coder, "add", "coding", saved.id, transcript=c.transcript,
                            code=c.code, start=c.start, end=c.end)
                out.append(saved)
        return out

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
            self._audit(actor, "remove", "coding", coding_id, transcript=coding.transcript,
                        code=coding.code, start=coding.start, end=coding.end, quote=coding.quote)
            return coding

    def update_coding(self, coding_id: int, actor: str, **fields: Any) -> Coding:
        """Change a coding's memo, span/quote, status, code or coder (renaming the consensus)."""
        allowed = {"memo", "start", "end", "quote", "text_hash", "status", "code", "coder"}
        if set(fields) - allowed:
            raise QualcodeError(f"cannot change {sorted(set(fields) - allowed)} of a coding")
        columns = {("code_id" if k == "code" else k): v for k, v in fields.items()}
        with self.transaction():
            sets = ", ".join(f'"{k}" = ?' for k in columns)
            self.conn.execute(f"UPDATE codings SET {sets}, updated = ? WHERE id = ?",
                              [*columns.values(), now(), coding_id])
            self._audit(actor, "update", "coding", coding_id, **fields)
            coding = self.coding(coding_id)
            assert coding is not None
            return coding

    def codings(self, transcript: str | None = None, coder: str | None = None,
                code: str | None = None) -> list[Coding]:
        where, params = [], []
        for column, value in (("transcript_id", transcript), ("coder", coder), ("code_id", code)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        sql = "SELECT * FROM codings" + (" WHERE " + " AND ".join(where) if where else "")
        return [_coding(r) for r in self._rows(sql + ' ORDER BY transcript_id, start, "end", id', params)]

    def coding_counts(self, coder: str | None = None) -> dict[str, int]:
        """Codings per code id (direct, not including sub-codes)."""
        sql = "SELECT code_id, COUNT(*) AS n FROM codings"
        params: list[Any] = []
        if coder:
            sql += " WHERE coder = ?"
            params.append(coder)
        return {r["code_id"]: r["n"] for r in self._rows(sql + " GROUP BY code_id", params)}

    # summaries and comparison notes ----------------------------------------
    def set_summary(self, case: str, kind: str, target: str, text: str, actor: str) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO summaries (case_name, kind, target, text, author, updated) VALUES (?,?,?,?,?,?) "
                "ON CONFLICT(case_name, kind, target) DO UPDATE SET text=excluded.text, "
                "author=excluded.author, updated=excluded.updated",
                (case, kind, target, text, actor, now()),
            )
            self._audit(actor, "summary", kind, f"{case}/{target}", chars=len(text))

    def delete_summary(self, case: str, kind: str, target: str, actor: str) -> bool:
        """Remove one summary; True when there was one to remove."""
        with self.transaction():
            cur = self.conn.execute("DELETE FROM summaries WHERE case_name=? AND kind=? AND target=?",
                                    (case, kind, target))
            if cur.rowcount:
                self._audit(actor, "delete-summary", kind, f"{case}/{target}")
            return bool(cur.rowcount)

    def summaries(self) -> list[dict[str, Any]]:
        return self._rows("SELECT case_name AS 'case', kind, target, text, author, updated FROM summaries "
                          "ORDER BY case_name, kind, target")

    def set_key_quote(self, case: str, theme: str, coding_id: int, marked: bool, actor: str) -> None:
        with self.transaction():
            if marked:
                self.conn.execute("INSERT OR IGNORE INTO key_quotes VALUES (?,?,?)", (case, theme, coding_id))
            else:
                self.conn.execute("DELETE FROM key_quotes WHERE case_name=? AND theme=? AND coding_id=?",
                                  (case, theme, coding_id))
            self._audit(actor, "key-quote" if marked else "unmark-key-quote", "coding", coding_id, case=case)

    def key_quotes(self) -> set[tuple[str, str, int]]:
        return {(r["case_name"], r["theme"], r["coding_id"]) for r in self._rows("SELECT * FROM key_quotes")}

    def set_comparison_note(self, category: str, likheter: str, forskjeller: str, actor: str) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO comparison_notes (category, likheter, forskjeller, author, updated) VALUES (?,?,?,?,?) "
                "ON CONFLICT(category) DO UPDATE SET likheter=excluded.likheter, "
                "forskjeller=excluded.forskjeller, author=excluded.author, updated=excluded.updated",
                (category, likheter, forskjeller, actor, now()),
            )
            self._audit(actor, "comparison-note", "category", category)

    def comparison_notes(self) -> dict[str, dict[str, str]]:
        return {r["category"]: r for r in self._rows("SELECT * FROM comparison_notes")}

    # REFI-QDA GUIDs kept from imported files ---------------------------------
    # kind (as in refi.guid_for) -> (table, key column)
    _REFI_TABLES = {"code": ("codes", "id"), "transcript": ("transcripts", "id"),
                    "user": ("coders", "name"), "case": ("cases", "name")}

    _REFI_SETTING = "refi-guid:"  # variables (attribute names) have no table: kept as settings

    def refi_guids(self) -> dict[str, str]:
        """``"kind:key" -> GUID`` for every code, transcript, coder, case and variable with one."""
        out: dict[str, str] = {}
        for kind, (table, key) in self._REFI_TABLES.items():
            for r in self._rows(f"SELECT {key} AS k, refi_guid FROM {table} WHERE refi_guid != ''"):
                out[f"{kind}:{r['k']}"] = r["refi_guid"]
        for r in self._rows("SELECT key, value FROM settings WHERE substr(key, 1, ?) = ?",
                            [len(self._REFI_SETTING), self._REFI_SETTING]):
            out[r["key"][len(self._REFI_SETTING):]] = r["value"]
        return out

    def set_refi_guid(self, kind: str, key: str, guid: str) -> None:
        if kind == "variable":
            self.conn.execute("INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)",
                              (f"{self._REFI_SETTING}variable:{key}", guid))
            return
        table, column = self._REFI_TABLES[kind]
        self.conn.execute(f"UPDATE {table} SET refi_guid = ? WHERE {column} = ?", (guid, key))

    def coding_refi_guids(self) -> dict[int, tuple[str, str]]:
        """Coding id -> (its selection's GUID, its own GUID), where an import kept them."""
        sql = "SELECT id, refi_selection, refi_guid FROM codings WHERE refi_guid != '' OR refi_selection != ''"
        return {r["id"]: (r["refi_selection"], r["refi_guid"]) for r in self._rows(sql)}

    def set_coding_refi_guids(self, coding_id: int, selection: str, guid: str) -> None:
        self.conn.execute("UPDATE codings SET refi_selection = ?, refi_guid = ? WHERE id = ?",
                          (selection, guid, coding_id))

    # analysis cache ---------------------------------------------------------
    def analysis(self, transcript_id: str, text_hash: str) -> dict[str, Any] | None:
        rows = self._rows("SELECT * FROM analysis WHERE transcript_id = ? AND text_hash = ?",
                          [transcript_id, text_hash])
        if not rows:
            return None
        return {"sentences": json.loads(rows[0]["sentences"]), "lemmas": json.loads(rows[0]["lemmas"]),
                "language": rows[0]["language"]}

    def analysis_sentences(self, transcript_id: str, text_hash: str,
                           language: str) -> list[tuple[int, int]] | None:
        """Just the cached sentence spans (the lemmas are far larger and not needed)."""
        row = self.conn.execute(
            "SELECT sentences FROM analysis WHERE transcript_id = ? AND text_hash = ? "
            "AND language = ?", (transcript_id, text_hash, language)).fetchone()
        return None if row is None else [(int(a), int(b)) for a, b in json.loads(row[0])]

    def has_analysis(self, transcript_id: str, text_hash: str, language: str) -> bool:
        return self.conn.execute(
            "SELECT 1 FROM analysis WHERE transcript_id = ? AND text_hash = ? AND language = ?",
            (transcript_id, text_hash, language)).fetchone() is not None

    def unanalysed_ids(self, language: str) -> list[str]:
        """Transcripts with no analysis in ``language`` for their current text."""
        rows = self.conn.execute(
            "SELECT t.id FROM transcripts t LEFT JOIN analysis a ON a.transcript_id = t.id "
            "AND a.text_hash = t.text_hash AND a.language = ? "
            "WHERE a.transcript_id IS NULL ORDER BY t.id", (language,)).fetchall()
        return [r[0] for r in rows]

    def set_analysis(self, transcript_id: str, text_hash: str, language: str,
                     sentences: list[Any], lemmas: list[Any]) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT OR REPLACE INTO analysis VALUES (?,?,?,?,?)",
                (transcript_id, text_hash, language, json.dumps(sentences),
                 json.dumps(lemmas, ensure_ascii=False)),
            )

    # anonymity check counts -------------------------------------------------
    def set_anon_findings(self, transcript_id: str, text_hash: str, findings: int) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT OR REPLACE INTO anon_findings (transcript_id, text_hash, findings) "
                "VALUES (?,?,?)", (transcript_id, text_hash, findings))

    def anon_findings(self) -> dict[str, int]:
        """Findings per transcript, for transcripts whose current text has been checked."""
        rows = self.conn.execute(
            "SELECT a.transcript_id, a.findings FROM anon_findings a "
            "JOIN transcripts t ON t.id = a.transcript_id AND t.text_hash = a.text_hash").fetchall()
        return {tid: n for tid, n in rows}

    # audit and maintenance --------------------------------------------------
    def audit_log(self, limit: int = 100) -> list[dict[str, Any]]:
        return self._rows("SELECT * FROM audit ORDER BY id DESC LIMIT ?", [limit])

    def integrity_ok(self) -> bool:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    def backup(self, dest: str | Path) -> Path:
        """A consistent copy through SQLite's backup API, even while others write."""
        dest = Path(dest)
        _create_private(dest)
        target = sqlite3.connect(dest)
        try:
            self.conn.backup(target)
        finally:
            target.close()
        return dest

    # search index -----------------------------------------------------------
    # One turns_fts row per turn, its rowid the turn's: the text for exact search, the
    # lemmas (one index token per word) for lemma search, and the word spans to place hits.
    def index_turns(self, t: Transcript) -> None:
        """(Re)index the transcript's turns for exact search (their lemmas come later)."""
        with self.transaction():
            self._unindex_turns(t.id)
            self.conn.execute(
                "INSERT INTO turns_fts (rowid, transcript_id, idx, speaker, role, start, content, "
                "lemmas, spans) SELECT u.rowid, u.transcript_id, u.idx, u.speaker, u.role, "
                "u.start, substr(t.text, u.start + 1, u.\"end\" - u.start), '', '' "
                "FROM turns u JOIN transcripts t ON t.id = u.transcript_id "
                "WHERE u.transcript_id = ?", (t.id,))

    def _unindex_turns(self, transcript_id: str) -> None:
        # By rowid: a filter on an UNINDEXED column would scan the whole index.
        self.conn.execute("DELETE FROM turns_fts WHERE rowid IN "
                          "(SELECT rowid FROM turns WHERE transcript_id = ?)", (transcript_id,))

    def index_lemmas(self, transcript_id: str, words: list[tuple[int, int, str]]) -> None:
        """Put each turn's word lemmas (``(start, end, index token)``, in order) in the index."""
        turns = self.conn.execute('SELECT rowid, start, "end" FROM turns WHERE transcript_id = ? '
                                  "ORDER BY idx", (transcript_id,)).fetchall()
        rows: list[tuple[str, str, int]] = []
        k = 0
        for rowid, start, end in turns:
            while k < len(words) and words[k][0] < start:
                k += 1
            tokens, spans = [], []
            while k < len(words) and words[k][1] <= end:
                s, e, token = words[k]
                tokens.append(token)
                spans.append(_pack_span(s, e))
                k += 1
            rows.append((" ".join(tokens), "".join(spans), rowid))
        with self.transaction():
            self.conn.executemany("UPDATE turns_fts SET lemmas = ?, spans = ? WHERE rowid = ?", rows)

    def search_text(self, match: str) -> Iterator[TurnHitRow]:
        """``(transcript, turn index, speaker, role, turn start, text)`` of the turns whose
        text matches an FTS5 query, in text order."""
        return self._match("SELECT transcript_id, idx, speaker, role, start, content FROM "
                           "turns_fts WHERE turns_fts MATCH ? ORDER BY transcript_id, idx",
                           f"content : ({match})")

    def search_lemmas(self, match: str) -> Iterator[TurnHitRow]:
        """The same for the turns whose word lemmas match, with the lemmas (one index token
        per word, space-separated) and the packed word spans (see :func:`word_span`)."""
        return self._match("SELECT transcript_id, idx, speaker, role, start, content, lemmas, "
                           "spans FROM turns_fts WHERE turns_fts MATCH ? "
                           "ORDER BY transcript_id, idx", f"lemmas : ({match})")

    def _match(self, sql: str, match: str) -> Iterator[TurnHitRow]:
        # A cursor, not a list: a caller that wants the first screenful stops reading there.
        try:
            return self.conn.execute(sql, (match,))
        except sqlite3.OperationalError as exc:
            raise QualcodeError(f"cannot search for {match}: {exc}") from exc

    def change_mark(self) -> tuple[int, int]:
        """Differs from an earlier mark when anything was written since, here or elsewhere."""
        return self.data_version(), self.conn.total_changes

    def data_version(self) -> int:
        """Changes when another connection commits (ours are counted by total_changes)."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def index_terms(self) -> list[str]:
        """Every distinct word of the turns' text, as the index spells it (lower case)."""
        rows = self.conn.execute("SELECT term FROM turns_vocab WHERE col = 'content'").fetchall()
        return [r[0] for r in rows]

    def transcript_cases(self) -> dict[str, str | None]:
        """Each transcript's case, without loading any text."""
        return {r[0]: r[1] for r in self.conn.execute("SELECT id, case_name FROM transcripts")}

    def reject_suggestion(self, transcript_id: str, start: int, end: int, code_id: str,
                          coder: str, text_hash: str) -> None:
        with self.transaction():
            self.conn.execute(
                'INSERT OR REPLACE INTO rejected_suggestions (transcript_id, start, "end", code_id, '
                "coder, text_hash, created) VALUES (?,?,?,?,?,?,?)",
                (transcript_id, start, end, code_id, coder, text_hash, now()),
            )
            self._audit(coder, "reject", "suggestion", f"{transcript_id}:{start}-{end}:{code_id}")

    def rejected_suggestions(self, coder: str) -> set[tuple[str, int, int, str, str]]:
        """``(transcript, start, end, code, text hash)`` of the coder's rejected suggestions."""
        rows = self._rows('SELECT transcript_id, start, "end", code_id, text_hash '
                          "FROM rejected_suggestions WHERE coder = ?", [coder])
        return {(r["transcript_id"], r["start"], r["end"], r["code_id"], r["text_hash"]) for r in rows}
