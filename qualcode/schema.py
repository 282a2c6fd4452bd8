"""The project database's schema, as an ordered list of sqlite-utils migrations.

Tables are STRICT and carry foreign keys; SQL here is DDL and the data a migration moves
(queries live in qualcode/store/).
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Callable
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database, Migrations

MIGRATION_SET = "qualcode"
MIGRATIONS_TABLE = "_sqlite_migrations"  # sqlite-utils' own bookkeeping table
Step = Callable[["Database"], None]


class _Migrations:
    """The ordered migrations, registered as with sqlite-utils' ``Migrations``.

    sqlite-utils itself loads only when a migration must run (see :func:`_sqlite_utils`);
    whether one must is read with one query.
    """

    def __init__(self) -> None:
        self.steps: list[tuple[str, Step]] = []

    def __call__(self, *, name: str) -> Callable[[Step], Step]:
        def register(fn: Step) -> Step:
            self.steps.append((name, fn))
            return fn

        return register

    def apply(self, db: Database, **options: Any) -> None:
        """sqlite-utils' ``Migrations.apply`` (records each one in its own table)."""
        migration_set().apply(db, **options)


migrations = _Migrations()


def pending_migrations(conn: sqlite3.Connection) -> list[str]:
    """Names of the migrations not yet applied, read with one query (sqlite-utils not loaded)."""
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [MIGRATIONS_TABLE]
    ).fetchone()
    done = (
        {
            name
            for (name,) in conn.execute(
                f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ?", [MIGRATION_SET]
            )
        }
        if has_table
        else set()
    )
    return [name for name, _ in migrations.steps if name not in done]


def _sqlite_utils() -> ModuleType:
    """sqlite-utils, imported only when a migration needs it.

    It imports pandas and numpy when they are installed, for data-frame support qualcode
    never uses (about a second at each start): they are hidden while it loads (None in
    sys.modules reads as "not installed").
    """
    hidden = [name for name in ("pandas", "numpy") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        import sqlite_utils
    finally:
        for name in hidden:
            del sys.modules[name]
    return sqlite_utils


def sqlite_utils_database(conn: sqlite3.Connection) -> Database:
    """sqlite-utils over ``conn``, without its plugins (none may touch the project's data)."""
    database: Database = _sqlite_utils().Database(conn, execute_plugins=False)
    return database


@cache
def migration_set() -> Migrations:
    """The migrations as sqlite-utils' Migrations (which records them in its own table)."""
    steps: Migrations = _sqlite_utils().Migrations(MIGRATION_SET)
    for name, fn in migrations.steps:
        steps(name=name)(fn)
    return steps


def apply_migrations(conn: sqlite3.Connection) -> None:
    migration_set().apply(sqlite_utils_database(conn))


@migrations(name="0001_initial")
def initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) STRICT;

        CREATE TABLE cases (
            name TEXT PRIMARY KEY
        ) STRICT;

        CREATE TABLE case_attributes (
            case_name TEXT NOT NULL REFERENCES cases(name) ON DELETE CASCADE ON UPDATE CASCADE,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (case_name, key)
        ) STRICT;

        CREATE TABLE transcripts (
            id TEXT PRIMARY KEY,
            case_name TEXT REFERENCES cases(name) ON UPDATE CASCADE,
            source TEXT NOT NULL,
            text TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            preamble TEXT NOT NULL DEFAULT '',
            meta TEXT NOT NULL DEFAULT '{}',
            words INTEGER NOT NULL,
            imported TEXT NOT NULL
        ) STRICT;

        CREATE TABLE turns (
            transcript_id TEXT NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            speaker TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('interviewer', 'informant')),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            timestamp REAL,
            end_time REAL,
            PRIMARY KEY (transcript_id, idx)
        ) STRICT;

        CREATE TABLE codes (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            parent TEXT REFERENCES codes(id) ON UPDATE CASCADE,
            description TEXT NOT NULL DEFAULT '',
            keywords TEXT NOT NULL DEFAULT '[]',
            origin TEXT NOT NULL CHECK (origin IN ('guide', 'inductive')),
            color TEXT NOT NULL DEFAULT '',
            position INTEGER NOT NULL DEFAULT 0
        ) STRICT;

        CREATE TABLE coders (
            name TEXT PRIMARY KEY,
            created TEXT NOT NULL
        ) STRICT;

        CREATE TABLE codings (
            id INTEGER PRIMARY KEY,
            transcript_id TEXT NOT NULL REFERENCES transcripts(id),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            code_id TEXT NOT NULL REFERENCES codes(id) ON UPDATE CASCADE,
            coder TEXT NOT NULL REFERENCES coders(name),
            quote TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            memo TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'unresolved')),
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            CHECK (start >= 0 AND "end" > start)
        ) STRICT;
        CREATE INDEX codings_by_transcript ON codings(transcript_id, start);
        CREATE INDEX codings_by_code ON codings(code_id);

        CREATE TABLE summaries (
            case_name TEXT NOT NULL REFERENCES cases(name) ON UPDATE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('theme', 'section')),
            target TEXT NOT NULL,
            text TEXT NOT NULL,
            author TEXT NOT NULL DEFAULT '',
            updated TEXT NOT NULL,
            PRIMARY KEY (case_name, kind, target)
        ) STRICT;

        CREATE TABLE key_quotes (
            case_name TEXT NOT NULL REFERENCES cases(name) ON UPDATE CASCADE,
            theme TEXT NOT NULL,
            coding_id INTEGER NOT NULL REFERENCES codings(id) ON DELETE CASCADE,
            PRIMARY KEY (case_name, theme, coding_id)
        ) STRICT;

        CREATE TABLE comparison_notes (
            category TEXT PRIMARY KEY,
            likheter TEXT NOT NULL DEFAULT '',
            forskjeller TEXT NOT NULL DEFAULT '',
            author TEXT NOT NULL DEFAULT '',
            updated TEXT NOT NULL
        ) STRICT;

        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '{}'
        ) STRICT;
        """
    )


@migrations(name="0002_analysis_cache")
def analysis_cache(db: Database) -> None:
    # Sentences and lemmas per transcript text, keyed by its hash so a changed text
    # never reuses a stale analysis.
    db.executescript(
        """
        CREATE TABLE analysis (
            transcript_id TEXT PRIMARY KEY REFERENCES transcripts(id) ON DELETE CASCADE,
            text_hash TEXT NOT NULL,
            language TEXT NOT NULL,
            sentences TEXT NOT NULL,
            lemmas TEXT NOT NULL
        ) STRICT;
        """
    )


@migrations(name="0003_search")
def search_index(db: Database) -> None:
    # Full-text index over each turn's content for exact search; diacritics are kept so
    # "for" and "før" stay different words. Filled from the turns already stored.
    db.executescript(
        """
        CREATE VIRTUAL TABLE turns_fts USING fts5(
            transcript_id UNINDEXED, idx UNINDEXED, content,
            tokenize = "unicode61 remove_diacritics 0"
        );
        INSERT INTO turns_fts (transcript_id, idx, content)
            SELECT u.transcript_id, u.idx, substr(t.text, u.start + 1, u."end" - u.start)
            FROM turns u JOIN transcripts t ON t.id = u.transcript_id;
        """
    )


@migrations(name="0004_suggestions")
def rejected_suggestions(db: Database) -> None:
    # A rejected suggestion is remembered per coder, for that exact text (its hash).
    db.executescript(
        """
        CREATE TABLE rejected_suggestions (
            transcript_id TEXT NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            code_id TEXT NOT NULL,
            coder TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            created TEXT NOT NULL,
            PRIMARY KEY (transcript_id, start, "end", code_id, coder)
        ) STRICT;
        """
    )


@migrations(name="0005_turn_index")
def turn_index(db: Database) -> None:
    # One search row per turn, keyed by the turn's rowid: its text (exact search) and the
    # lemmas of its words (lemma search) side by side, with what a hit needs to show itself
    # (speaker, role, where the turn starts, each word's span) so no search loads whole
    # transcripts. Lemmas arrive with the analysis, which is therefore recomputed.
    db.executescript(
        """
        DROP TABLE turns_fts;
        CREATE VIRTUAL TABLE turns_fts USING fts5(
            transcript_id UNINDEXED, idx UNINDEXED, speaker UNINDEXED, role UNINDEXED,
            start UNINDEXED, content, lemmas, spans UNINDEXED,
            tokenize = "unicode61 remove_diacritics 0"
        );
        INSERT INTO turns_fts (rowid, transcript_id, idx, speaker, role, start, content,
                               lemmas, spans)
            SELECT u.rowid, u.transcript_id, u.idx, u.speaker, u.role, u.start,
                   substr(t.text, u.start + 1, u."end" - u.start), '', ''
            FROM turns u JOIN transcripts t ON t.id = u.transcript_id;
        CREATE VIRTUAL TABLE turns_vocab USING fts5vocab(turns_fts, col);
        DELETE FROM analysis;
        CREATE INDEX codings_by_coder ON codings(coder, code_id);
        """
    )


@migrations(name="0006_refi_guid")
def refi_guid(db: Database) -> None:
    # The GUID an object had in the REFI-QDA file it was imported from, when that is not the
    # one qualcode would derive itself: exporting it again then gives the other tool back the
    # GUIDs it knows. A coding keeps its <Coding> GUID and its <PlainTextSelection> GUID.
    db.executescript(
        """
        ALTER TABLE codes ADD COLUMN refi_guid TEXT NOT NULL DEFAULT '';
        ALTER TABLE transcripts ADD COLUMN refi_guid TEXT NOT NULL DEFAULT '';
        ALTER TABLE coders ADD COLUMN refi_guid TEXT NOT NULL DEFAULT '';
        ALTER TABLE cases ADD COLUMN refi_guid TEXT NOT NULL DEFAULT '';
        ALTER TABLE codings ADD COLUMN refi_guid TEXT NOT NULL DEFAULT '';
        ALTER TABLE codings ADD COLUMN refi_selection TEXT NOT NULL DEFAULT '';
        """
    )


@migrations(name="0007_anon_findings")
def anon_findings(db: Database) -> None:
    # How many possible identifying details the anonymity check found in each transcript's
    # text (its hash), so the TUI can mark flagged transcripts without checking again.
    db.executescript(
        """
        CREATE TABLE anon_findings (
            transcript_id TEXT PRIMARY KEY REFERENCES transcripts(id) ON DELETE CASCADE,
            text_hash TEXT NOT NULL,
            findings INTEGER NOT NULL CHECK (findings >= 0)
        ) STRICT;
        """
    )


@migrations(name="0008_new_lemmas")
def new_lemmas(db: Database) -> None:
    # The Norwegian lemmatizer changed (simplemma's dictionary first, core verbs, compound
    # tails): cached lemmas and the search index's lemma column are recomputed on next use,
    # so a lemma search never compares old lemmas in the index with new ones in the query.
    db.executescript("DELETE FROM analysis;")


@migrations(name="0009_word_parts")
def word_parts(db: Database) -> None:
    # Lemma index words are now letter-and-digit runs: "e-melding" is "e" and "melding", the
    # full stop of "plan B." is not part of "B"; and three more core verbs. Recomputed on
    # the next open, with progress.
    db.executescript("DELETE FROM analysis;")


@migrations(name="0010_memos")
def memos(db: Database) -> None:
    # One memo per project, case, transcript or code (a coding's memo stays on the coding).
    # No foreign key on target: it names rows of different tables, checked by the service.
    db.executescript(
        """
        CREATE TABLE memos (
            kind TEXT NOT NULL CHECK (kind IN ('project', 'case', 'transcript', 'code')),
            target TEXT NOT NULL,
            text TEXT NOT NULL,
            author TEXT NOT NULL DEFAULT '',
            updated TEXT NOT NULL,
            PRIMARY KEY (kind, target)
        ) STRICT;
        """
    )


@migrations(name="0011_refi_meta")
def refi_meta(db: Database) -> None:
    # What a REFI-QDA file said of a coding beyond qualcode's own fields: the users and
    # dates of its <PlainTextSelection> and its <Coding> as they were (JSON), so an export
    # gives them back unchanged instead of making the selection's user the coding's.
    db.executescript(
        """
        ALTER TABLE codings ADD COLUMN refi_meta TEXT NOT NULL DEFAULT '';
        """
    )


@migrations(name="0012_no_duplicate_codings")
def no_duplicate_codings(db: Database) -> None:
    # The same coder could code the same span with the same code twice (t 5 t 5), and every
    # count doubled. Each set of duplicates becomes its oldest coding, holding every
    # different memo of the set and every key-quote mark; then the index refuses new ones.
    rows = db.execute(
        'SELECT id, transcript_id, coder, code_id, start, "end", memo FROM codings ORDER BY id'
    ).fetchall()
    kept: dict[tuple[object, ...], tuple[int, list[str]]] = {}
    for cid, tid, coder, code, start, end, memo in rows:
        key = (tid, coder, code, start, end)
        if key not in kept:
            kept[key] = (cid, [memo] if memo else [])
            continue
        keep, memos = kept[key]
        if memo and memo not in memos:
            memos.append(memo)
        db.execute("UPDATE OR IGNORE key_quotes SET coding_id = ? WHERE coding_id = ?", [keep, cid])
        db.execute("DELETE FROM codings WHERE id = ?", [cid])
    for keep, memos in kept.values():
        if len(memos) > 1:
            db.execute("UPDATE codings SET memo = ? WHERE id = ?", ["\n\n".join(memos), keep])
    db.executescript(
        'CREATE UNIQUE INDEX IF NOT EXISTS codings_once ON codings(transcript_id, coder, code_id, start, "end");'
    )


@migrations(name="0012_consensus_tables")
def consensus_tables(db: Database) -> None:
    # The consensus walk's state leaves the settings (JSON under composed keys) for tables
    # of its own: the basis (A, B, unit), the agreed units it seeded, and the decisions.
    db.executescript(
        """
        CREATE TABLE consensus_basis (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            coder_a TEXT NOT NULL,
            coder_b TEXT NOT NULL,
            unit TEXT NOT NULL
        ) STRICT;
        CREATE TABLE consensus_seeds (
            seed TEXT PRIMARY KEY,  -- the agreed unit: JSON [code, transcript, start, end]
            spans TEXT NOT NULL,  -- JSON [[start, end], ...] of the codings written for it
            codings TEXT NOT NULL  -- JSON [id, ...]
        ) STRICT;
        CREATE TABLE consensus_decisions (
            key TEXT PRIMARY KEY,  -- consensus:A:B:unit:code:transcript:start:end
            decision TEXT,  -- JSON (choice, codings, coder, ...); NULL: taken back
            in_basis INTEGER NOT NULL DEFAULT 0,
            position INTEGER  -- its place among the basis's decisions
        ) STRICT;
        """
    )
    conn = db.conn
    for key, value in conn.execute(
        "SELECT key, value FROM settings WHERE key LIKE 'consensus:%'"
    ).fetchall():
        if value:
            conn.execute(
                "INSERT INTO consensus_decisions (key, decision) VALUES (?, ?)", (key, value)
            )
    row = conn.execute("SELECT value FROM settings WHERE key = 'consensus_basis'").fetchone()
    if row and row[0]:
        data = json.loads(row[0])
        coder_a, coder_b = data["coders"]
        conn.execute(
            "INSERT INTO consensus_basis (id, coder_a, coder_b, unit) VALUES (1, ?, ?, ?)",
            (coder_a, coder_b, data["unit"]),
        )
        for seed, kept in data.get("agreed", {}).items():
            conn.execute(
                "INSERT INTO consensus_seeds (seed, spans, codings) VALUES (?, ?, ?)",
                (seed, json.dumps(kept["spans"]), json.dumps(kept["codings"])),
            )
        for position, key in enumerate(data.get("decided", [])):
            conn.execute(
                "INSERT INTO consensus_decisions (key, in_basis, position) VALUES (?, 1, ?) "
                "ON CONFLICT(key) DO UPDATE SET in_basis = 1, position = excluded.position",
                (key, position),
            )
    conn.execute("DELETE FROM settings WHERE key = 'consensus_basis' OR key LIKE 'consensus:%'")


@migrations(name="0013_comparison_links")
def comparison_links(db: Database) -> None:
    # A Tabell 1 note's likhet or forskjell linked to the coded passages that support it, so
    # the table can say which cases support it (beside the coverage it always shows).
    db.executescript(
        """
        CREATE TABLE comparison_links (
            category TEXT NOT NULL,
            side TEXT NOT NULL CHECK (side IN ('likheter', 'forskjeller')),
            coding_id INTEGER NOT NULL REFERENCES codings(id) ON DELETE CASCADE,
            author TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (category, side, coding_id)
        ) STRICT;
        """
    )
