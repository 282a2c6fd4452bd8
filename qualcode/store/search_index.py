"""The search index (turns_fts): each turn's text, word lemmas and word spans."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

from qualcode.i18n import ui
from qualcode.model import QualcodeError, Transcript
from qualcode.store.connection import Repository

# A search hit's turn as the index returns it (see SearchIndex.match_text / match_lemmas).
TurnHitRow = tuple[Any, ...]

_SPAN_DIGITS = 7, 3  # hex digits of a word's start and of its length in the packed spans
_START_DIGITS, _SPAN_WIDTH = _SPAN_DIGITS[0], sum(_SPAN_DIGITS)


def _pack_span(start: int, end: int) -> str:
    # Fixed width, so the n-th word's span is a slice: no parsing a whole turn per hit. A
    # "word" longer than 4,095 characters (never seen in an interview) keeps that length.
    return f"{start:07x}{min(end - start, 0xFFF):03x}"


def word_span(packed: str, i: int) -> tuple[int, int]:
    """The ``(start, end)`` of word ``i`` in a turn's packed spans."""
    at = _SPAN_WIDTH * i
    start = int(packed[at : at + _START_DIGITS], 16)
    return start, start + int(packed[at + _START_DIGITS : at + _SPAN_WIDTH], 16)


class SearchIndex(Repository):
    """Indexing turns and their lemmas (table turns_fts), and the FTS5 queries of exact and
    lemma search."""

    # search index -----------------------------------------------------------
    # One turns_fts row per turn, its rowid the turn's: the text for exact search, the
    # lemmas (one index token per word) for lemma search, and the word spans to place hits.
    def index_turns(self, t: Transcript) -> None:
        """(Re)index the transcript's turns for exact search (their lemmas come later)."""
        with self.transaction():
            self.unindex_turns(t.id)
            # Each turn's content cut from the text here, not with SQLite's substr(): that
            # walks the UTF-8 text from its start for every turn (quadratic in text size).
            rows = self.conn.execute(
                'SELECT rowid, idx, speaker, role, start, "end" FROM turns '
                "WHERE transcript_id = ? ORDER BY idx",
                (t.id,),
            ).fetchall()
            self.conn.executemany(
                "INSERT INTO turns_fts (rowid, transcript_id, idx, speaker, role, start, "
                "content, lemmas, spans) VALUES (?,?,?,?,?,?,?,'','')",
                [
                    (rowid, t.id, idx, speaker, role, start, t.text[start:end])
                    for rowid, idx, speaker, role, start, end in rows
                ],
            )

    def unindex_turns(self, transcript_id: str) -> None:
        """Take the transcript's turns out of the index (while its turns are still stored)."""
        # By rowid: a filter on an UNINDEXED column would scan the whole index.
        self.conn.execute(
            "DELETE FROM turns_fts WHERE rowid IN "
            "(SELECT rowid FROM turns WHERE transcript_id = ?)",
            (transcript_id,),
        )

    def index_lemmas(self, transcript_id: str, words: list[tuple[int, int, str]]) -> None:
        """Put each turn's word lemmas (``(start, end, index token)``, in order) in the index."""
        turns = self.conn.execute(
            'SELECT rowid, start, "end" FROM turns WHERE transcript_id = ? ORDER BY idx',
            (transcript_id,),
        ).fetchall()
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
            self.conn.executemany(
                "UPDATE turns_fts SET lemmas = ?, spans = ? WHERE rowid = ?", rows
            )

    def match_text(self, match: str) -> Iterator[TurnHitRow]:
        """``(transcript, turn index, speaker, role, turn start, text)`` of the turns whose
        text matches an FTS5 query, in index order: turn order within a transcript, and
        transcripts in the order they were imported. (Unsorted, so that reading the first
        rows does not wait for every match to be sorted.)"""
        return self._match(
            "SELECT transcript_id, idx, speaker, role, start, content FROM "
            "turns_fts WHERE turns_fts MATCH ?",
            f"content : ({match})",
        )

    def match_lemmas(self, match: str) -> Iterator[TurnHitRow]:
        """The same for the turns whose word lemmas match, with the lemmas (one index token
        per word, space-separated) and the packed word spans (see :func:`word_span`)."""
        return self._match(
            "SELECT transcript_id, idx, speaker, role, start, content, lemmas, "
            "spans FROM turns_fts WHERE turns_fts MATCH ?",
            f"lemmas : ({match})",
        )

    def _match(self, sql: str, match: str) -> Iterator[TurnHitRow]:
        # A cursor, not a list: a caller that wants the first screenful stops reading there.
        try:
            return self.conn.execute(sql, (match,))
        except sqlite3.OperationalError as exc:
            raise QualcodeError(
                ui("cannot search for {query}: {error}").format(query=match, error=exc)
            ) from exc

    def indexed_lemma(self, word: str) -> str | None:
        """The lemma token the index holds for ``word`` (lower case), where the corpus has it.

        The analysis lemmatised every word of every turn with the same chain a query word
        goes through, so for a word the corpus contains its answer is already here: read
        from one turn, a first lemma search needs no lemma tables loaded.
        """
        rows = self.conn.execute(
            "SELECT content, start, lemmas, spans FROM turns_fts WHERE turns_fts MATCH ? LIMIT 5",
            ['content : "' + word.replace('"', '""') + '"'],
        ).fetchall()
        for content, start, lemmas, spans in rows:
            if not lemmas:
                continue
            for i, token in enumerate(lemmas.split(" ")):
                a, b = word_span(spans, i)
                if content[a - start : b - start].lower() == word:
                    return str(token)
        return None

    def terms(self) -> list[str]:
        """Every distinct word of the turns' text, as the index spells it (lower case)."""
        rows = self.conn.execute("SELECT term FROM turns_vocab WHERE col = 'content'").fetchall()
        return [r[0] for r in rows]
