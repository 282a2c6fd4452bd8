"""What an imported REFI-QDA file carried that a later export gives back unchanged: the GUIDs
of its codes, sources, users, cases and variables, its variables' types, and what qualcode has
no field for. Kept on the rows themselves where they have a GUID column, else as settings;
written through the repository that owns each table."""

from __future__ import annotations

from collections.abc import Callable

from qualcode.store.coders import Coders
from qualcode.store.codes import Codes
from qualcode.store.connection import Connection, Repository
from qualcode.store.settings import Settings
from qualcode.store.transcripts import Transcripts

# kind (as in refi.guid_for) -> (table, key column) of the rows with a refi_guid column
_TABLES = {
    "code": ("codes", "id"),
    "transcript": ("transcripts", "id"),
    "user": ("coders", "name"),
    "case": ("cases", "name"),
}
# Variables (attribute names), memo notes (keyed by their coding's GUID) and sets have no
# table with a GUID column: theirs are kept as settings.
_GUID_SETTING = "refi-guid:"
_AS_SETTING = ("variable", "memo", "set")
_TYPE_SETTING = "refi-variable-type:"  # a variable's typeOfVariable, where not Text
# What REFI-QDA files carry and qualcode has no field for, kept to be written back:
# descriptions of the project, cases and transcripts, a set's description, a code that is
# not codable. Keyed "kind:key" under one settings prefix.
_EXTRA_SETTING = "refi-extra:"


class RefiKept(Repository):
    """The REFI-QDA identities and extras kept from imported files (owns no table)."""

    def __init__(
        self,
        db: Connection,
        settings: Settings,
        codes: Codes,
        transcripts: Transcripts,
        coders: Coders,
    ):
        super().__init__(db)
        self._settings = settings
        self._setters: dict[str, Callable[[str, str], None]] = {
            "code": codes.set_refi_guid,
            "transcript": transcripts.set_refi_guid,
            "user": coders.set_refi_guid,
            "case": transcripts.set_case_refi_guid,
        }

    def guids(self) -> dict[str, str]:
        """``"kind:key" -> GUID`` for every code, transcript, coder, case and variable with one."""
        out: dict[str, str] = {}
        for kind, (table, key) in _TABLES.items():
            for r in self._rows(f"SELECT {key} AS k, refi_guid FROM {table} WHERE refi_guid != ''"):
                out[f"{kind}:{r['k']}"] = r["refi_guid"]
        out.update(self._settings.with_prefix(_GUID_SETTING))
        return out

    def set_guid(self, kind: str, key: str, guid: str) -> None:
        if kind in _AS_SETTING:
            self._settings.set_if_absent(f"{_GUID_SETTING}{kind}:{key}", guid)
        else:
            self._setters[kind](key, guid)

    def variable_types(self) -> dict[str, str]:
        """Attribute name -> the REFI-QDA type (Integer, Date…) its imported variable had."""
        return self._settings.with_prefix(_TYPE_SETTING)

    def set_variable_type(self, name: str, kind: str) -> None:
        self._settings.set_if_absent(f"{_TYPE_SETTING}{name}", kind)

    def extras(self) -> dict[str, str]:
        """``"kind:key" -> value`` of everything kept that qualcode has no field for."""
        return self._settings.with_prefix(_EXTRA_SETTING)

    def set_extra(self, kind: str, key: str, value: str) -> None:
        """Keep one value; an existing one is left as it is (the first file that said it wins)."""
        self._settings.set_if_absent(f"{_EXTRA_SETTING}{kind}:{key}", value)
