"""Project settings, and the REFI-QDA GUIDs kept from imported files."""

from __future__ import annotations

from qualcode.store.connection import Connection


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
