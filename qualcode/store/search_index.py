"""The search index (turns_fts): each turn's text, word lemmas and word spans."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from qualcode.i18n import ui
from qualcode.model import QualcodeError, Transcript
from qualcode.store.connection import Connection, Repository

# A search hit's turn as the index returns it (see SearchIndex.match_text / match_lemmas).
TurnHitRow = tuple[Any, ...]

_SPAN_DIGITS = 7, 3  # hex digits of a word's start and of its length in the packed spans
_START_DIGITS, _SPAN_WIDTH = _SPAN_DIGITS[0], sum(_SPAN_DIGITS)


def pack_spans(words: list[tuple[int, int, str]]) -> str:
    """The words' ``(start, end, …)`` packed: per word its start in 7 hex digits and its
    length in 3, so the n-th word's span is a slice (no parsing a whole turn per hit)."""
    # Start (28 bits: a transcript is at most 20 MB) and length (12) make five bytes, whose
    # hex is the ten digits: one call per word, where formatting two numbers took three. A
    # "word" longer than 4,095 characters (never seen in an interview) keeps that length.
    return b"".join([((s << 12) | min(e - s, 0xFFF)).to_bytes(5, "big") for s, e, _ in words]).hex()


def word_span(packed: str, i: int) -> tuple[int, int]:
    """The ``(start, end)`` of word ``i`` in a turn's packed spans."""
    at = _SPAN_WIDTH * i
    start = int(packed[at : at + _START_DIGITS], 16)
    return start, start + int(packed[at + _START_DIGITS : at + _SPAN_WIDTH], 16)


class SearchIndex(Repository):
    """Indexing turns and their lemmas (table turns_fts), and the FTS5 queries of exact and
    lemma search."""

    def __init__(self, db: Connection):
        super().__init__(db)
        self._waiting = 0  # depth of with_lemmas_to_come()
        self._pending: set[str] = set()  # transcripts stored meanwhile, their rows not written

    # search index -----------------------------------------------------------
    # One turns_fts row per turn, its rowid the turn's: the text for exact search, the
    # lemmas (one index token per word) for lemma search, and the word spans to place hits.
    # A turn's row is written once where the analysis follows its storing (an import): FTS5
    # does an UPDATE as a delete and a re-insert of the whole row, so a row written with its
    # text and then given its lemmas had its text split into tokens three times.
    @contextmanager
    def with_lemmas_to_come(self) -> Iterator[None]:
        """Within this, a stored transcript's turns wait for :meth:`index_lemmas` to write
        their rows, text and lemmas at once; any still waiting at the end (the analysis
        stopped, failed or was not needed) are then indexed for exact search."""
        self._waiting += 1
        try:
            yield
        finally:
            self._waiting -= 1
            if not self._waiting and self._pending:
                waiting, self._pending = sorted(self._pending), set()
                self.index_unindexed(waiting)

    def index_turns(self, t: Transcript) -> None:
        """(Re)index the transcript's turns for exact search (their lemmas come later).

        Inside :meth:`with_lemmas_to_come` the old rows go, and the new ones wait."""
        with self.transaction():
            self.unindex_turns(t.id)
            if self._waiting:
                self._pending.add(t.id)
                return
            self._insert(t.id, t.text, self._turns(t.id), None)

    def unindex_turns(self, transcript_id: str) -> None:
        """Take the transcript's turns out of the index (while its turns are still stored)."""
        # By rowid: a filter on an UNINDEXED column would scan the whole index.
        self.conn.execute(
            "DELETE FROM turns_fts WHERE rowid IN "
            "(SELECT rowid FROM turns WHERE transcript_id = ?)",
            (transcript_id,),
        )

    def index_lemmas(self, t: Transcript, words: list[tuple[int, int, str]]) -> None:
        """Put each turn's word lemmas (``(start, end, index token)``, in order) in the index:
        in the turn's row, or with its text in a new row where it has none yet."""
        turns = self._turns(t.id)
        if not turns:
            return
        with self.transaction():
            if self._indexed(turns[0][0]):  # a transcript's rows are written all at once
                self.conn.executemany(
                    "UPDATE turns_fts SET lemmas = ?, spans = ? WHERE rowid = ?",
                    [
                        (lemmas, spans, turn[0])
                        for turn, (lemmas, spans) in zip(
                            turns, _per_turn(turns, words), strict=True
                        )
                    ],
                )
            else:
                self._insert(t.id, t.text, turns, words)
            self._pending.discard(t.id)

    def index_unindexed(self, transcript_ids: list[str]) -> None:
        """Index for exact search those of the transcripts whose turns have no rows yet."""
        with self.transaction():
            for tid in transcript_ids:
                turns = self._turns(tid)
                if not turns or self._indexed(turns[0][0]):
                    continue
                found = self.conn.execute(
                    "SELECT text FROM transcripts WHERE id = ?", (tid,)
                ).fetchone()
                if found is not None:
                    self._insert(tid, found[0], turns, None)

    def _turns(self, transcript_id: str) -> list[tuple[Any, ...]]:
        """``(rowid, idx, speaker, role, start, end)`` of each of the transcript's turns."""
        return self.conn.execute(
            'SELECT rowid, idx, speaker, role, start, "end" FROM turns '
            "WHERE transcript_id = ? ORDER BY idx",
            (transcript_id,),
        ).fetchall()

    def _indexed(self, turn_rowid: int) -> bool:
        found = self.conn.execute("SELECT 1 FROM turns_fts WHERE rowid = ?", (turn_rowid,))
        return found.fetchone() is not None

    def _insert(
        self,
        transcript_id: str,
        text: str,
        turns: list[tuple[Any, ...]],
        words: list[tuple[int, int, str]] | None,
    ) -> None:
        """One row per turn; without ``words`` (no analysis yet) its lemmas and spans empty."""
        # Each turn's content cut from the text here, not with SQLite's substr(): that
        # walks the UTF-8 text from its start for every turn (quadratic in text size).
        lemmas = _per_turn(turns, words) if words is not None else [("", "")] * len(turns)
        self.conn.executemany(
            "INSERT INTO turns_fts (rowid, transcript_id, idx, speaker, role, start, "
            "content, lemmas, spans) VALUES (?,?,?,?,?,?,?,?,?)",
            [
                (rowid, transcript_id, idx, speaker, role, start, text[start:end], *lemma)
                for (rowid, idx, speaker, role, start, end), lemma in zip(
                    turns, lemmas, strict=True
                )
            ],
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


def _per_turn(
    turns: list[tuple[Any, ...]], words: list[tuple[int, int, str]]
) -> list[tuple[str, str]]:
    """Each turn's index tokens (space-separated) and packed word spans, the words (in text
    order) dealt out to the turns that hold them."""
    out: list[tuple[str, str]] = []
    k, n = 0, len(words)
    for turn in turns:
        start, end = turn[-2], turn[-1]
        while k < n and words[k][0] < start:
            k += 1
        j = k
        while j < n and words[j][1] <= end:
            j += 1
        held, k = words[k:j], j
        out.append((" ".join([token for _, _, token in held]), pack_spans(held)))
    return out
