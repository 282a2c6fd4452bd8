"""Project settings, and the REFI-QDA GUIDs kept from imported files."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from qualcode.store.connection import Connection

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


class Settings(Connection):
    """Key/value settings and the GUIDs a REFI-QDA export gives back unchanged."""

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

    # REFI-QDA GUIDs kept from imported files ---------------------------------
    # kind (as in refi.guid_for) -> (table, key column)
    _REFI_TABLES = {
        "code": ("codes", "id"),
        "transcript": ("transcripts", "id"),
        "user": ("coders", "name"),
        "case": ("cases", "name"),
    }

    # Variables (attribute names), memo notes (keyed by their coding's GUID) and sets have no
    # table with a GUID column: theirs are kept as settings.
    _REFI_SETTING = "refi-guid:"
    _REFI_AS_SETTING = ("variable", "memo", "set")
    _REFI_TYPE = "refi-variable-type:"  # a variable's typeOfVariable, where not Text

    def refi_guids(self) -> dict[str, str]:
        """``"kind:key" -> GUID`` for every code, transcript, coder, case and variable with one."""
        out: dict[str, str] = {}
        for kind, (table, key) in self._REFI_TABLES.items():
            for r in self._rows(f"SELECT {key} AS k, refi_guid FROM {table} WHERE refi_guid != ''"):
                out[f"{kind}:{r['k']}"] = r["refi_guid"]
        for r in self._rows(
            "SELECT key, value FROM settings WHERE substr(key, 1, ?) = ?",
            [len(self._REFI_SETTING), self._REFI_SETTING],
        ):
            out[r["key"][len(self._REFI_SETTING) :]] = r["value"]
        return out

    def set_refi_guid(self, kind: str, key: str, guid: str) -> None:
        if kind in self._REFI_AS_SETTING:
            self.conn.execute(
                "INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)",
                (f"{self._REFI_SETTING}{kind}:{key}", guid),
            )
            return
        table, column = self._REFI_TABLES[kind]
        self.conn.execute(f"UPDATE {table} SET refi_guid = ? WHERE {column} = ?", (guid, key))

    def refi_variable_types(self) -> dict[str, str]:
        """Attribute name -> the REFI-QDA type (Integer, Date…) its imported variable had."""
        rows = self._rows(
            "SELECT key, value FROM settings WHERE substr(key, 1, ?) = ?",
            [len(self._REFI_TYPE), self._REFI_TYPE],
        )
        return {r["key"][len(self._REFI_TYPE) :]: r["value"] for r in rows}

    def set_refi_variable_type(self, name: str, kind: str) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)",
            (f"{self._REFI_TYPE}{name}", kind),
        )

    def coding_refi_guids(self) -> dict[int, tuple[str, str]]:
        """Coding id -> (its selection's GUID, its own GUID), where an import kept them."""
        sql = "SELECT id, refi_selection, refi_guid FROM codings WHERE refi_guid != '' OR refi_selection != ''"
        return {r["id"]: (r["refi_selection"], r["refi_guid"]) for r in self._rows(sql)}

    def set_coding_refi_guids(self, coding_id: int, selection: str, guid: str) -> None:
        self.conn.execute(
            "UPDATE codings SET refi_selection = ?, refi_guid = ? WHERE id = ?",
            (selection, guid, coding_id),
        )

    def coding_refi_meta(self) -> dict[int, dict[str, Any]]:
        """Coding id -> the users and dates its REFI-QDA selection and coding had, if kept."""
        rows = self._rows("SELECT id, refi_meta FROM codings WHERE refi_meta != ''")
        return {r["id"]: json.loads(r["refi_meta"]) for r in rows}

    def set_coding_refi_meta(self, coding_id: int, meta: dict[str, Any]) -> None:
        self.conn.execute(
            "UPDATE codings SET refi_meta = ? WHERE id = ?",
            (json.dumps(meta, ensure_ascii=False, sort_keys=True) if meta else "", coding_id),
        )

    # What REFI-QDA files carry and qualcode has no field for, kept to be written back:
    # descriptions of the project, cases and transcripts, a set's description, a code that is
    # not codable. Keyed "kind:key" under one settings prefix.
    _REFI_EXTRA = "refi-extra:"

    def refi_extras(self) -> dict[str, str]:
        """``"kind:key" -> value`` of everything kept this way."""
        rows = self._rows(
            "SELECT key, value FROM settings WHERE substr(key, 1, ?) = ?",
            [len(self._REFI_EXTRA), self._REFI_EXTRA],
        )
        return {r["key"][len(self._REFI_EXTRA) :]: r["value"] for r in rows}

    def set_refi_extra(self, kind: str, key: str, value: str) -> None:
        """Keep one value; an existing one is left as it is (the first file that said it wins)."""
        self.conn.execute(
            "INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)",
            (f"{self._REFI_EXTRA}{kind}:{key}", value),
        )
