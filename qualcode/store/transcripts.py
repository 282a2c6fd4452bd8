"""Cases (with their attributes) and transcripts (with their turns) in the database."""

from __future__ import annotations

import json
from typing import Any

from qualcode.i18n import ui
from qualcode.model import QualcodeError, Transcript, Turn
from qualcode.store.analysis_cache import AnalysisCache
from qualcode.store.connection import Connection, Repository, now
from qualcode.store.search_index import SearchIndex


def _no_transcript(transcript_id: str) -> str:
    return ui('no transcript "{id}" in this project').format(id=transcript_id)


class Transcripts(Repository):
    """Cases and transcripts (tables cases, case_attributes, transcripts, turns); storing a
    transcript also (re)indexes it for search and forgets the analysis of its old text."""

    def __init__(self, db: Connection, search: SearchIndex, analysis: AnalysisCache):
        super().__init__(db)
        self._search = search
        self._analysis = analysis

    # cases ------------------------------------------------------------------
    def upsert_case(
        self, name: str, attributes: dict[str, str], actor: str = "import"
    ) -> list[tuple[str, str, str]]:
        """Add the case if new and set its attributes, audited.

        Returns ``(key, old value, new value)`` for each stored value this changed, so the
        caller can warn: a later file disagreeing about a case is worth a researcher's look.
        """
        with self.transaction():
            added = (
                self.conn.execute("INSERT OR IGNORE INTO cases (name) VALUES (?)", (name,)).rowcount
                == 1
            )
            stored = {
                r["key"]: r["value"]
                for r in self._rows(
                    "SELECT key, value FROM case_attributes WHERE case_name = ?", [name]
                )
            }
            values = {key: str(value) for key, value in attributes.items()}
            new = {k: v for k, v in values.items() if k not in stored}
            changed = [
                (k, stored[k], v) for k, v in values.items() if k in stored and stored[k] != v
            ]
            for key, value in [*new.items(), *((k, v) for k, _, v in changed)]:
                self.conn.execute(
                    "INSERT INTO case_attributes (case_name, key, value) VALUES (?,?,?) "
                    "ON CONFLICT(case_name, key) DO UPDATE SET value = excluded.value",
                    (name, key, value),
                )
            if added:
                self._audit(actor, "add", "case", name, attributes=values)
            elif new or changed:
                self._audit(
                    actor,
                    "update",
                    "case",
                    name,
                    added=new,
                    changed={k: {"from": old, "to": v} for k, old, v in changed},
                )
            return changed

    def set_case(
        self, transcript_id: str, case: str, attributes: dict[str, str], actor: str
    ) -> tuple[str | None, dict[str, str], dict[str, str]]:
        """Put a transcript in ``case`` (added if new) and set the case's ``attributes``.

        Returns ``(the case it was in, the case's attributes before, after)``, all audited.
        A case left with no transcripts and no summaries is removed, so a mistyped case
        corrected this way does not linger as an empty one in every count.
        """
        with self.transaction():
            rows = self._rows("SELECT case_name FROM transcripts WHERE id = ?", [transcript_id])
            if not rows:
                raise QualcodeError(_no_transcript(transcript_id))
            old = rows[0]["case_name"]
            before = self.case_attributes(case)
            self.upsert_case(case, attributes, actor)
            if old != case:
                self.conn.execute(
                    "UPDATE transcripts SET case_name = ? WHERE id = ?", (case, transcript_id)
                )
                self._audit(
                    actor, "update", "transcript", transcript_id, case={"from": old, "to": case}
                )
                if old is not None:
                    self._drop_case_if_unused(old, actor)
            return old, before, self.case_attributes(case)

    def _drop_case_if_unused(self, name: str, actor: str) -> None:
        used = self.conn.execute(
            "SELECT (SELECT COUNT(*) FROM transcripts WHERE case_name = ?) + "
            "(SELECT COUNT(*) FROM summaries WHERE case_name = ?) + "
            "(SELECT COUNT(*) FROM key_quotes WHERE case_name = ?)",
            (name, name, name),
        ).fetchone()[0]
        if not used:
            attributes = self.case_attributes(name)
            self.conn.execute("DELETE FROM cases WHERE name = ?", (name,))
            self._audit(
                actor, "remove", "case", name, attributes=attributes, why="no transcripts left"
            )

    def cases(self) -> dict[str, dict[str, str]]:
        """Every case with its attributes, in name order."""
        out: dict[str, dict[str, str]] = {
            r["name"]: {} for r in self._rows("SELECT name FROM cases ORDER BY name")
        }
        for row in self._rows("SELECT case_name, key, value FROM case_attributes ORDER BY key"):
            out[row["case_name"]][row["key"]] = row["value"]
        return out

    def case_attributes(self, name: str) -> dict[str, str]:
        rows = self.conn.execute(
            "SELECT key, value FROM case_attributes WHERE case_name = ? ORDER BY key", (name,)
        ).fetchall()
        return {k: v for k, v in rows}

    # transcripts ------------------------------------------------------------
    def hash(self, transcript_id: str) -> str | None:
        rows = self._rows("SELECT text_hash FROM transcripts WHERE id = ?", [transcript_id])
        return rows[0]["text_hash"] if rows else None

    def add(
        self, t: Transcript, actor: str = "import", replace: bool = False
    ) -> list[tuple[str, str, str]]:
        """Store a transcript with its turns (and its case), in one transaction.

        Returns the case attribute values it changed, as :meth:`upsert_case` does.
        """
        changed: list[tuple[str, str, str]] = []
        with self.transaction():
            if t.case:
                changed = self.upsert_case(t.case, t.attributes, actor)
            exists = self.hash(t.id) is not None
            if exists and not replace:
                raise QualcodeError(
                    ui('a transcript with id "{id}" is already in the project').format(id=t.id),
                    t.source,
                )
            if exists:
                self._search.unindex_turns(t.id)  # by the turns' rowids: before they go
                self.conn.execute("DELETE FROM turns WHERE transcript_id = ?", (t.id,))
                self._analysis.forget(t.id)
                self.conn.execute(
                    "UPDATE transcripts SET case_name=?, source=?, text=?, text_hash=?, preamble=?, "
                    "meta=?, words=?, imported=? WHERE id=?",
                    (
                        t.case,
                        t.source,
                        t.text,
                        t.hash,
                        t.preamble,
                        json.dumps(t.meta, default=str, ensure_ascii=False),
                        t.words,
                        now(),
                        t.id,
                    ),
                )
            else:
                self.conn.execute(
                    "INSERT INTO transcripts (id, case_name, source, text, text_hash, preamble, meta, "
                    "words, imported) VALUES (?,?,?,?,?,?,?,?,?)",
                    (
                        t.id,
                        t.case,
                        t.source,
                        t.text,
                        t.hash,
                        t.preamble,
                        json.dumps(t.meta, default=str, ensure_ascii=False),
                        t.words,
                        now(),
                    ),
                )
            self.conn.executemany(
                'INSERT INTO turns (transcript_id, idx, speaker, role, start, "end", timestamp, end_time) '
                "VALUES (?,?,?,?,?,?,?,?)",
                [
                    (t.id, i, u.speaker, u.role, u.start, u.end, u.timestamp, u.end_time)
                    for i, u in enumerate(t.turns)
                ],
            )
            self._audit(
                actor,
                "replace" if exists else "import",
                "transcript",
                t.id,
                source=t.source,
                hash=t.hash,
            )
            # the search index follows every stored text
            self._search.index_turns(t)
        return changed

    def remove(self, transcript_id: str, actor: str) -> str | None:
        """Take a transcript out, with its turns, search rows and analysis; it must hold no
        codings any more (the codings repository removes them first). Returns its case,
        which is removed too when nothing else is left in it."""
        with self.transaction():
            rows = self._rows(
                "SELECT case_name, source, text_hash FROM transcripts WHERE id = ?",
                [transcript_id],
            )
            if not rows:
                raise QualcodeError(_no_transcript(transcript_id))
            self._search.unindex_turns(transcript_id)  # by the turns' rowids: before they go
            self._analysis.forget(transcript_id)
            self.conn.execute("DELETE FROM transcripts WHERE id = ?", (transcript_id,))
            case = rows[0]["case_name"]
            self._audit(
                actor,
                "remove",
                "transcript",
                transcript_id,
                source=rows[0]["source"],
                hash=rows[0]["text_hash"],
                case=case,
            )
            if case is not None:
                self._drop_case_if_unused(case, actor)
        return case

    def source(self, transcript_id: str) -> str | None:
        rows = self._rows("SELECT source FROM transcripts WHERE id = ?", [transcript_id])
        return rows[0]["source"] if rows else None

    def ids(self) -> list[str]:
        return [r["id"] for r in self._rows("SELECT id FROM transcripts ORDER BY id")]

    def get(self, transcript_id: str) -> Transcript:
        rows = self._rows("SELECT * FROM transcripts WHERE id = ?", [transcript_id])
        if not rows:
            raise QualcodeError(_no_transcript(transcript_id))
        return self._transcript(rows[0])

    def all(self) -> list[Transcript]:
        return [self._transcript(r) for r in self._rows("SELECT * FROM transcripts ORDER BY id")]

    def _transcript(self, row: dict[str, Any]) -> Transcript:
        turns = [
            Turn(
                speaker=r["speaker"],
                start=r["start"],
                end=r["end"],
                timestamp=r["timestamp"],
                end_time=r["end_time"],
                role=r["role"],
            )
            for r in self._rows(
                "SELECT * FROM turns WHERE transcript_id = ? ORDER BY idx", [row["id"]]
            )
        ]
        attributes = self.case_attributes(row["case_name"]) if row["case_name"] else {}
        return Transcript(
            id=row["id"],
            text=row["text"],
            turns=turns,
            case=row["case_name"],
            attributes=attributes,
            meta=json.loads(row["meta"]),
            preamble=row["preamble"],
            source=row["source"],
        )

    def overview(self) -> list[dict[str, Any]]:
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

    def cases_by_id(self) -> dict[str, str | None]:
        """Each transcript's case, without loading any text."""
        return {r[0]: r[1] for r in self.conn.execute("SELECT id, case_name FROM transcripts")}

    # REFI-QDA GUIDs kept from an imported file (see store/refi_kept.py) -----------
    def set_refi_guid(self, transcript_id: str, guid: str) -> None:
        self.conn.execute(
            "UPDATE transcripts SET refi_guid = ? WHERE id = ?", (guid, transcript_id)
        )

    def set_case_refi_guid(self, name: str, guid: str) -> None:
        self.conn.execute("UPDATE cases SET refi_guid = ? WHERE name = ?", (guid, name))
