"""Opening the project database: pragmas, transactions, the audit trail, backups and checks.

SQLite through sqlite-utils, WAL, foreign keys on every connection, a busy timeout so
two writers (two coders, or the TUI and the CLI) wait for each other instead of failing,
and short ``BEGIN IMMEDIATE`` transactions so each change is durable when it returns.
"""

from __future__ import annotations

import functools
import json
import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from qualcode.i18n import ui
from qualcode.model import QualcodeError
from qualcode.output_file import private_folder
from qualcode.schema import apply_migrations, pending_migrations, sqlite_utils_database
from qualcode.store.restore import ProjectLock, checked_copy

if TYPE_CHECKING:
    from sqlite_utils import Database

DB_NAME = "qualcode.db"
BACKUP_DIR = ".qualcode-backups"  # beside the database: backups before risky changes
BUSY_TIMEOUT_MS = 30_000


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _create_private(path: Path) -> None:
    """Create ``path`` readable by its owner only: transcripts are sensitive."""
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def rows(conn: sqlite3.Connection, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
    """The query's rows as dicts keyed by column name."""
    cursor = conn.execute(sql, list(params))
    keys = [d[0] for d in cursor.description]
    return [dict(zip(keys, row, strict=True)) for row in cursor]


class Connection:
    """The open connection every part of :class:`~qualcode.store.Store` writes through."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        _create_private(self.path)
        self._lock = ProjectLock(self.path)  # restore waits for every other holder to close
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        self.conn = conn
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA recursive_triggers=ON")  # as sqlite-utils set it, when it opened us
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")  # acknowledged == durable, even on power loss
        self._depth = 0
        self._via = ""  # the mechanism (command, import, TUI) audit rows record beside the person
        self.migrate()

    def migrate(self) -> list[str]:
        """Apply pending migrations; returns their names.

        A database that already holds data is backed up first (beside it, in
        ``.qualcode-backups/``), so a migration can never cost a study its codings.
        """
        pending = pending_migrations(self.conn)
        if pending:
            if self.conn.execute(  # not a brand-new, empty database
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'transcripts'"
            ).fetchone():
                self.safety_backup("before-migration")
            apply_migrations(self.conn)
        return pending

    def close(self) -> None:
        self.conn.close()
        self._lock.release()

    def __enter__(self) -> Self:
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
                            ui(
                                "another program has been writing to this project for {s} s "
                                "without a pause; nothing was changed, try again when it has "
                                "finished"
                            ).format(s=BUSY_TIMEOUT_MS // 1000),
                            str(self.path),
                        ) from None
                    time.sleep(random.uniform(0.0002, 0.002))
        finally:
            self.conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")

    @functools.cached_property
    def db(self) -> Database:
        """sqlite-utils over the same connection (loaded on first use; queries need not)."""
        return sqlite_utils_database(self.conn)

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        return rows(self.conn, sql, params)

    @property
    def in_transaction(self) -> bool:
        """Whether a :meth:`transaction` is open (an inner one joins it)."""
        return self._depth > 0

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

    def audit(self, actor: str, action: str, entity: str, entity_id: object, **detail: Any) -> None:
        """One row of the audit trail: who did what to which thing, and how (see :meth:`via`)."""
        if self._via:
            detail.setdefault("via", self._via)
        self.conn.execute(
            "INSERT INTO audit (at, actor, action, entity, entity_id, detail) VALUES (?,?,?,?,?,?)",
            (now(), actor, action, entity, str(entity_id), json.dumps(detail, ensure_ascii=False)),
        )

    # audit and maintenance --------------------------------------------------
    def audit_log(self, limit: int = 100) -> list[dict[str, Any]]:
        return self._rows("SELECT * FROM audit ORDER BY id DESC LIMIT ?", [limit])

    def integrity_ok(self) -> bool:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    def safety_backup(self, reason: str) -> Path:
        """A backup in the private ``.qualcode-backups/`` folder beside the database, named
        by time and ``reason`` (e.g. ``before-codes-merge``)."""
        folder = private_folder(self.path.parent / BACKUP_DIR)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        return self.backup(folder / f"qualcode-{stamp}-{reason}.db")

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

    @classmethod
    def open_copy(cls, source: Path, dest: Path) -> Self:
        """Open a consistent private copy, made at ``dest`` through SQLite's backup API, of
        another project's database (read, never written); refused when it is not one."""
        try:
            src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            try:
                _create_private(dest)
                target = sqlite3.connect(dest)
                try:
                    src.backup(target)
                finally:
                    target.close()
            finally:
                src.close()
            return cls(dest)
        except sqlite3.DatabaseError as err:
            raise QualcodeError(
                ui("not a qualcode database ({error})").format(error=err), str(source)
            ) from None

    def restore_from(self, source: Path, before: Callable[[], object]) -> None:
        """Replace the whole database with the backup ``source``: checked whole first
        (integrity, qualcode's schema), refused while another qualcode has the project
        open, then ``before()`` (a backup of the current state) and the swap, through
        SQLite's backup API on this open connection, so nothing is copied over an open
        file and the WAL stays consistent for everyone."""
        copy = checked_copy(source)
        try:
            if not self._lock.alone():
                raise QualcodeError(
                    ui(
                        "another qualcode (a workspace or a command) has this project open; "
                        "close it and run restore again. Nothing was restored."
                    ),
                    str(self.path.parent),
                )
            try:
                before()
                copy.backup(self.conn)
            finally:
                self._lock.share()
        finally:
            copy.close()
        self.migrate()

    def change_mark(self) -> tuple[int, int]:
        """Differs from an earlier mark when anything was written since, here or elsewhere."""
        return self.data_version(), self.conn.total_changes

    def data_version(self) -> int:
        """Changes when another connection commits (ours are counted by total_changes)."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])


class Repository:
    """One kind of data in the database: the tables it owns, written by nobody else, on the
    connection every repository of a :class:`~qualcode.store.Store` shares."""

    def __init__(self, db: Connection):
        self._db = db
        self.conn = db.conn

    def transaction(self) -> AbstractContextManager[None]:
        return self._db.transaction()

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        return rows(self.conn, sql, params)

    def _audit(
        self, actor: str, action: str, entity: str, entity_id: object, **detail: Any
    ) -> None:
        self._db.audit(actor, action, entity, entity_id, **detail)
