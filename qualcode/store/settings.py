"""Project settings: one value per key."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from qualcode.store.connection import Repository

GUIDE_CHECKED = "guide-schema-checked"  # the fingerprint of the last guide that passed


def peek_setting(db_path: Path, key: str) -> str | None:
    """A setting read without opening the project for writing (None if there is none yet).

    Read before the project is opened, so that what it decides (e.g. that the guide needs no
    schema check again) is known before anything is written.
    """
    if not db_path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return None if row is None else str(row[0])


class Settings(Repository):
    """Key/value settings (table settings)."""

    def get(self, key: str, default: str | None = None) -> str | None:
        rows = self._rows("SELECT value FROM settings WHERE key = ?", [key])
        return rows[0]["value"] if rows else default

    def set(self, key: str, value: str) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def set_if_absent(self, key: str, value: str) -> None:
        """Keep ``value`` unless the key has one already (the first one given wins)."""
        self.conn.execute("INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)", (key, value))

    def with_prefix(self, prefix: str) -> dict[str, str]:
        """``key without the prefix -> value`` of every setting whose key starts with it."""
        rows = self._rows(
            "SELECT key, value FROM settings WHERE substr(key, 1, ?) = ?", [len(prefix), prefix]
        )
        return {r["key"][len(prefix) :]: r["value"] for r in rows}
