"""Sentences and lemmas per transcript, computed once per text and cached in the store.

The analysis runs turn by turn (a sentence never crosses a speaker change) and stores
absolute spans: sentences as ``[start, end]`` and lemmas as ``[start, end, lemma]``.
The cache is keyed by the text's hash and language, so a changed transcript or a
different language is analysed afresh. Search and suggestions read the same cache.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from qualcode.model import Transcript
from qualcode.nlp_chunks import nlp_pieces
from qualcode.study import Study

Span = tuple[int, int]
Progress = Callable[[int, int, str], None]  # (done, total, what)


def index_token(lemma: str) -> str:
    """A lemma as one token of the search index: its letters and digits only.

    The index splits words at other characters ("kreft-koordinator"); squeezing them out
    keeps one index token per word, so a hit's token number is its word number.
    """
    return "".join(ch for ch in lemma if ch.isalnum()).lower() or "0"


def _cached(study: Study, transcript: Transcript) -> dict[str, Any] | None:
    found = study.store.analysis.get(transcript.id, transcript.hash)
    if found is None or found.get("language") != study.language:
        return None
    return found


def _pieces(transcript: Transcript) -> Iterator[tuple[int, str]]:
    """Each turn's content with its offset (turns that hold only whitespace are skipped)."""
    text = transcript.text
    for turn in transcript.turns:
        # a very long turn goes in pieces cut at boundaries: spaCy has a length limit
        for offset, piece in nlp_pieces(text[turn.start : turn.end], turn.start):
            if piece.strip():
                yield offset, piece


# Finished transcripts are written together, about once a second: each commit waits for
# the disk (synchronous=FULL) and adds a segment to the search index, so one commit per
# transcript was a fifth of an import. A stopped run loses at most that second's work.
FLUSH_SECONDS = 1.0


def ensure_analysis(
    study: Study, transcripts: list[Transcript], progress: Progress | None = None
) -> int:
    """Analyse every transcript whose cached analysis is missing or stale; returns how many.

    All turns of all such transcripts go through one ``nlp.pipe`` stream (fast); finished
    transcripts are written in one short transaction about once a second (see
    ``FLUSH_SECONDS``), so a stopped run keeps nearly all of its work.
    """
    store, lang = study.store, study.language
    todo = [t for t in transcripts if not store.analysis.has(t.id, t.hash, lang)]
    if not todo:
        return 0
    from qualcode.nlp import analyse_texts  # spaCy loads only when something needs analysing

    # One flat stream of turn texts; remember which transcript and offset each came from.
    plan: list[tuple[int, int]] = []  # (index into todo, offset)
    texts: list[str] = []
    for i, t in enumerate(todo):
        for offset, piece in _pieces(t):
            plan.append((i, offset))
            texts.append(piece)
    # Absolute (start, end) and (start, end, lemma) tuples: stored as JSON arrays.
    sentences: list[list[tuple[int, int]]] = [[] for _ in todo]
    lemmas: list[list[tuple[int, int, str]]] = [[] for _ in todo]
    remaining = [0] * len(todo)
    for i, _ in plan:
        remaining[i] += 1
    done = 0
    tokens: dict[str, str] = {}  # lemma -> index token: a few thousand lemmas, many words
    finished: list[int] = []
    flushed = time.monotonic()

    def flush() -> None:
        nonlocal done, flushed
        if not finished:
            return
        with store.transaction():  # the cache and the lemma index agree, or neither changed
            for i in finished:
                t, words = todo[i], lemmas[i]
                for lemma in {lemma for _, _, lemma in words} - tokens.keys():
                    tokens[lemma] = index_token(lemma)
                store.analysis.set(t.id, t.hash, lang, sentences[i], words)
                store.search.index_lemmas(t, [(s, e, tokens[lemma]) for s, e, lemma in words])
        for i in finished:
            sentences[i], lemmas[i] = [], []  # written: no need to keep them
            done += 1
            if progress:
                progress(done, len(todo), todo[i].id)
        finished.clear()
        flushed = time.monotonic()

    def finish(i: int) -> None:
        finished.append(i)
        if time.monotonic() - flushed >= FLUSH_SECONDS:
            flush()

    try:
        for i, n in enumerate(remaining):
            if n == 0:  # nothing to analyse: cache the empty result all the same
                finish(i)
        offsets = [offset for _, offset in plan]
        for (i, _), result in zip(plan, analyse_texts(texts, lang, offsets), strict=True):
            sentences[i].extend(result.sentences)
            lemmas[i].extend(result.lemmas)
            remaining[i] -= 1
            if remaining[i] == 0:
                finish(i)
    finally:
        flush()  # what is finished is kept, also when the analysis stops half-way
    return len(todo)


def ensure_all(study: Study, progress: Progress | None = None) -> int:
    """Analyse every transcript of the project that has no fresh analysis; returns how many.

    Asks the store which ones first, so a project that is up to date costs one query.
    """
    store = study.store
    stale = store.analysis.unanalysed_ids(study.language)
    if not stale:
        return 0
    return ensure_analysis(study, [store.transcripts.get(tid) for tid in stale], progress)


def sentences(study: Study, transcript: Transcript) -> list[Span]:
    """The transcript's sentences (inside turns) as absolute ``(start, end)`` spans."""
    cache, lang = study.store.analysis, study.language
    found = cache.sentences(transcript.id, transcript.hash, lang)
    if found is None:
        ensure_analysis(study, [transcript])
        found = cache.sentences(transcript.id, transcript.hash, lang)
        assert found is not None
    return found


def lemmas(study: Study, transcript: Transcript) -> list[tuple[int, int, str]]:
    """The transcript's word tokens as ``(start, end, lemma)``, from the same cache."""
    found = _cached(study, transcript)
    if found is None:
        ensure_analysis(study, [transcript])
        found = _cached(study, transcript)
        assert found is not None
    return [(int(s), int(e), str(lemma)) for s, e, lemma in found["lemmas"]]


def sentence_map(
    study: Study, transcripts: list[Transcript], progress: Progress | None = None
) -> dict[str, list[Span]]:
    """Sentences of many transcripts by id, analysing the missing ones in one pass."""
    ensure_analysis(study, transcripts, progress)
    return {t.id: sentences(study, t) for t in transcripts}
