"""Restoring a backup safely: nobody else has the project open, the file is checked whole
before anything is touched, and the swap goes through SQLite's backup API (never a copy
over an open file, never deleting the -wal/-shm another program still uses).

Every open project holds a shared ``flock`` on its database file; restore needs it alone.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from qualcode.i18n import ui
from qualcode.model import QualcodeError
from qualcode.schema import MIGRATION_SET, MIGRATIONS_TABLE, migrations

try:  # POSIX; elsewhere the check that nobody else has the project open is skipped
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

# what any qualcode database has, whatever its age
REQUIRED_TABLES = {"settings", "transcripts", "turns", "codes", "codings", "audit"}


class ProjectLock:
    """A shared lock on the database file for as long as the project is open."""

    def __init__(self, db_path: Path):
        self.fd: int | None = None
        if fcntl is None:
            return
        self.fd = os.open(db_path, os.O_RDONLY)
        fcntl.flock(self.fd, fcntl.LOCK_SH)

    def alone(self) -> bool:
        """Whether this is the only open project on the file (the lock becomes exclusive);
        :meth:`share` gives it back."""
        if self.fd is None:
            return True
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fcntl.flock(self.fd, fcntl.LOCK_SH)  # a failed upgrade may have dropped it
            return False
        return True

    def share(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_SH)

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing drops the lock
            self.fd = None


def checked_copy(source: Path) -> sqlite3.Connection:
    """An in-memory copy of the backup ``source``, refused with a sentence unless it is a
    whole, intact qualcode database that this qualcode knows how to read."""
    where = str(source)
    try:
        info = os.stat(source)
    except OSError:
        raise QualcodeError(ui("no such backup file"), where) from None
    if not stat.S_ISREG(info.st_mode):
        raise QualcodeError(ui("is not a regular file, so not a backup"), where)
    with open(source, "rb") as fh:
        head = fh.read(16)
    if head != b"SQLite format 3\x00":
        raise QualcodeError(ui("is not a qualcode backup (not an SQLite database)"), where)
    copy = sqlite3.connect(":memory:")
    try:
        src = sqlite3.connect(f"file:{source.resolve()}?mode=ro", uri=True)
        try:
            src.backup(copy)
        finally:
            src.close()
        problems = [row[0] for row in copy.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise QualcodeError(
                ui("is damaged ({problem}); nothing was restored").format(problem=problems[0]),
                where,
            )
        _check_schema(copy, where)
    except sqlite3.DatabaseError as err:
        copy.close()
        raise QualcodeError(
            ui("is not a usable backup ({error}); nothing was restored").format(error=err), where
        ) from None
    except BaseException:
        copy.close()
        raise
    return copy


def _check_schema(copy: sqlite3.Connection, where: str) -> None:
    tables = {r[0] for r in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = REQUIRED_TABLES - tables
    if missing or MIGRATIONS_TABLE not in tables:
        raise QualcodeError(
            ui(
                "is an SQLite database but not a qualcode project "
                "(it lacks {tables}); nothing was restored"
            ).format(tables=", ".join(sorted(missing or {MIGRATIONS_TABLE}))),
            where,
        )
    applied = {
        r[0]
        for r in copy.execute(
            f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ?", (MIGRATION_SET,)
        )
    }
    known = {name for name, _ in migrations.steps}
    newer = sorted(applied - known)
    if newer:
        raise QualcodeError(
            ui(
                "was made by a newer qualcode (its database has {migration}); update qualcode "
                "first; nothing was restored"
            ).format(migration=newer[-1]),
            where,
        )
