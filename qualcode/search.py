"""Corpus search: exact (SQLite FTS5), lemma (inflected forms) and fuzzy (typos).

Every mode returns keyword-in-context hits with absolute offsets into the transcript
text, so a hit can be shown, jumped to or coded directly.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from qualcode.analysis import ensure_analysis, lemmas
from qualcode.model import QualcodeError, Transcript
from qualcode.store import Store

MODES = ("exact", "lemma", "fuzzy")
CONTEXT = 40  # characters of context either side of a hit


class ProjectLike(Protocol):
    store: Store

    @property
    def guide(self) -> Any: ...


@dataclass(frozen=True)
class Hit:
    transcript: str
    case: str | None
    turn: int
    speaker: str
    start: int
    end: int
    match: str
    left: str
    right: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Filters:
    code: str | None = None  # only inside codings of this code or its sub-codes
    case: str | None = None
    attrs: tuple[tuple[str, str], ...] = ()
    speaker: str | None = None  # "informant" or "interviewer"


def project_language(project: ProjectLike) -> str:
    guide = getattr(project, "guide", None)
    return guide.language if guide is not None and guide.language else "nb"


def code_family(store: Store, code: str) -> set[str]:
    """The code and every code below it."""
    codes = store.codes()
    if not any(c.id == code for c in codes):
        raise QualcodeError(f'no code "{code}" in the codebook')
    family, grew = {code}, True
    while grew:
        more = {c.id for c in codes if c.parent in family} - family
        family |= more
        grew = bool(more)
    return family


def coded_spans(store: Store, codes: set[str]) -> dict[str, list[tuple[int, int]]]:
    """Spans coded with any of ``codes`` (any coder), per transcript."""
    out: dict[str, list[tuple[int, int]]] = {}
    for c in store.codings():
        if c.code in codes:
            out.setdefault(c.transcript, []).append((c.start, c.end))
    return out


def _selected(store: Store, f: Filters) -> list[Transcript]:
    out = []
    for t in store.transcripts():
        if f.case is not None and t.case != f.case:
            continue
        if any(t.attributes.get(k) != v for k, v in f.attrs):
            continue
        out.append(t)
    return out


def _hit(t: Transcript, start: int, end: int, context: int) -> Hit | None:
    starts = [u.start for u in t.turns]
    i = bisect.bisect_right(starts, start) - 1
    if i < 0 or end > t.turns[i].end:
        return None  # outside any turn's content (preamble, labels)
    turn = t.turns[i]
    left = t.text[max(turn.start, start - context):start]
    right = t.text[end:min(turn.end, end + context)]
    return Hit(t.id, t.case, i, turn.speaker, start, end, t.text[start:end],
               " ".join(left.split()), " ".join(right.split()))


def _keep(t: Transcript, h: Hit, f: Filters, spans: dict[str, list[tuple[int, int]]] | None) -> bool:
    if f.speaker is not None and t.turns[h.turn].role != f.speaker:
        return False
    if spans is not None:
        return any(s <= h.start and h.end <= e for s, e in spans.get(t.id, ()))
    return True


def _words(query: str) -> list[str]:
    words = re.findall(r"\w+(?:[-']\w+)*", query)
    if not words:
        raise QualcodeError(f'"{query}" holds no word to search for')
    return words


# exact ------------------------------------------------------------------------


def _exact(store: Store, transcripts: list[Transcript], query: str) -> Iterable[tuple[Transcript, int, int]]:
    words = _words(query)
    # The FTS5 phrase finds candidate turns; a word-bounded pattern then gives exact offsets.
    phrase = '"' + " ".join(words).replace('"', '""') + '"'
    by_id = {t.id: t for t in transcripts}
    pattern = re.compile(r"(?<!\w)" + r"\W+".join(re.escape(w) for w in words) + r"(?!\w)",
                         re.IGNORECASE)
    for tid, idx in store.fts_turns(phrase):
        t = by_id.get(tid)
        if t is None or idx >= len(t.turns):
            continue
        turn = t.turns[idx]
        for m in pattern.finditer(t.text, turn.start, turn.end):
            yield t, m.start(), m.end()


# lemma and fuzzy: runs of consecutive tokens ---------------------------------------


def _token_runs(tokens: list[tuple[int, int, str]], text: str,
                accept: list[Callable[[str, str], bool]]) -> Iterable[tuple[int, int]]:
    """Spans of ``len(accept)`` consecutive tokens each accepted by its predicate."""
    n = len(accept)
    for i in range(len(tokens) - n + 1):
        ok = True
        for j, pred in enumerate(accept):
            s, e, lemma = tokens[i + j]
            if not pred(text[s:e], lemma):
                ok = False
                break
        if ok:
            yield tokens[i][0], tokens[i + n - 1][1]


def _lemma_accept(words: list[str], lang: str) -> list[Callable[[str, str], bool]]:
    from qualcode.nlp import lemmatize_word

    preds = []
    for w in words:
        low, lemma = w.lower(), lemmatize_word(w, lang)
        preds.append(lambda text, lem, low=low, lemma=lemma: lem == lemma or text.lower() == low)
    return preds


def max_typos(word: str) -> int:
    """Edits allowed for a fuzzy word: none for short words, two only for very long ones."""
    return 0 if len(word) <= 3 else 1 if len(word) <= 10 else 2


def _fuzzy_accept(words: list[str], vocabulary: set[str]) -> list[Callable[[str, str], bool]]:
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    from qualcode.nlp import fold

    preds = []
    vocab = sorted(vocabulary)
    for w in words:
        key = fold(w)
        found = process.extract(key, vocab, scorer=Levenshtein.distance,
                                score_cutoff=max_typos(key), limit=None)
        near = {match for match, _, _ in found} | {key}
        preds.append(lambda text, lem, near=near: _fold_cached(text) in near)
    return preds


_FOLDED: dict[str, str] = {}


def _fold_cached(word: str) -> str:
    from qualcode.nlp import fold

    if word not in _FOLDED:
        _FOLDED[word] = fold(word)
    return _FOLDED[word]


def search(project: ProjectLike, query: str, mode: str = "exact", filters: Filters | None = None,
           context: int = CONTEXT) -> list[Hit]:
    """Every occurrence of ``query`` in the project's turns, in transcript and text order."""
    if mode not in MODES:
        raise QualcodeError(f'unknown search mode "{mode}" (use {", ".join(MODES)})')
    store, f = project.store, filters or Filters()
    transcripts = _selected(store, f)
    spans = coded_spans(store, code_family(store, f.code)) if f.code else None
    if spans is not None:
        transcripts = [t for t in transcripts if t.id in spans]
    found: list[tuple[Transcript, int, int]] = []
    if mode == "exact":
        found = list(_exact(store, transcripts, query))
    else:
        lang = project_language(project)
        ensure_analysis(store, transcripts, lang)
        tokens = {t.id: lemmas(store, t, lang) for t in transcripts}
        words = _words(query)
        if mode == "lemma":
            accept = _lemma_accept(words, lang)
        else:
            vocab = {_fold_cached(t.text[s:e]) for t in transcripts for s, e, _ in tokens[t.id]}
            accept = _fuzzy_accept(words, vocab)
        for t in transcripts:
            found += [(t, s, e) for s, e in _token_runs(tokens[t.id], t.text, accept)]
    hits = []
    for t, s, e in found:
        h = _hit(t, s, e, context)
        if h is not None and _keep(t, h, f, spans):
            hits.append(h)
    return hits


def kwic_line(h: Hit, width: int = CONTEXT) -> str:
    """One keyword-in-context line: right-aligned left context, the match, the right."""
    return f"{h.left[-width:]:>{width}} [{h.match}] {h.right[:width]}"
