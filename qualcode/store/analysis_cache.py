"""Results computed from a transcript's text, kept until the text changes."""

from __future__ import annotations

import json
from typing import Any

from qualcode.store.connection import Repository


class AnalysisCache(Repository):
    """Sentence and lemma analyses per language (table analysis), and anonymity-check counts
    (anon_findings)."""

    # analysis cache ---------------------------------------------------------
    def get(self, transcript_id: str, text_hash: str) -> dict[str, Any] | None:
        rows = self._rows(
            "SELECT * FROM analysis WHERE transcript_id = ? AND text_hash = ?",
            [transcript_id, text_hash],
        )
        if not rows:
            return None
        return {
            "sentences": json.loads(rows[0]["sentences"]),
            "lemmas": json.loads(rows[0]["lemmas"]),
            "language": rows[0]["language"],
        }

    def sentences(
        self, transcript_id: str, text_hash: str, language: str
    ) -> list[tuple[int, int]] | None:
        """Just the cached sentence spans (the lemmas are far larger and not needed)."""
        row = self.conn.execute(
            "SELECT sentences FROM analysis WHERE transcript_id = ? AND text_hash = ? "
            "AND language = ?",
            (transcript_id, text_hash, language),
        ).fetchone()
        return None if row is None else [(int(a), int(b)) for a, b in json.loads(row[0])]

    def has(self, transcript_id: str, text_hash: str, language: str) -> bool:
        return (
            self.conn.execute(
                "SELECT 1 FROM analysis WHERE transcript_id = ? AND text_hash = ? AND language = ?",
                (transcript_id, text_hash, language),
            ).fetchone()
            is not None
        )

    def unanalysed_ids(self, language: str) -> list[str]:
        """Transcripts with no analysis in ``language`` for their current text."""
        rows = self.conn.execute(
            "SELECT t.id FROM transcripts t LEFT JOIN analysis a ON a.transcript_id = t.id "
            "AND a.text_hash = t.text_hash AND a.language = ? "
            "WHERE a.transcript_id IS NULL ORDER BY t.id",
            (language,),
        ).fetchall()
        return [r[0] for r in rows]

    def set(
        self,
        transcript_id: str,
        text_hash: str,
        language: str,
        sentences: list[Any],
        lemmas: list[Any],
    ) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT OR REPLACE INTO analysis VALUES (?,?,?,?,?)",
                (
                    transcript_id,
                    text_hash,
                    language,
                    json.dumps(sentences),
                    json.dumps(lemmas, ensure_ascii=False),
                ),
            )

    def forget(self, transcript_id: str) -> None:
        """Drop the transcript's analysis (its text is being replaced)."""
        self.conn.execute("DELETE FROM analysis WHERE transcript_id = ?", (transcript_id,))

    # anonymity check counts -------------------------------------------------
    def set_anon_findings(self, transcript_id: str, text_hash: str, findings: int) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT OR REPLACE INTO anon_findings (transcript_id, text_hash, findings) "
                "VALUES (?,?,?)",
                (transcript_id, text_hash, findings),
            )

    def anon_findings(self) -> dict[str, int]:
        """Findings per transcript, for transcripts whose current text has been checked."""
        rows = self.conn.execute(
            "SELECT a.transcript_id, a.findings FROM anon_findings a "
            "JOIN transcripts t ON t.id = a.transcript_id AND t.text_hash = a.text_hash"
        ).fetchall()
        return {tid: n for tid, n in rows}
