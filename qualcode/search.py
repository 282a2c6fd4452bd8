"""Corpus search: exact (SQLite FTS5), lemma (inflected forms) and fuzzy (typos).

All three modes ask the turn index (one FTS5 row per turn, holding its text and the
lemmas of its words) for the turns that can match, then place each hit inside those
turns only, so a search never loads whole transcripts:

- exact: the words as a phrase in the text, placed by a word-bounded pattern;
- lemma: the words' lemmas as a phrase in the lemma column, placed by word number;
- fuzzy: each word widened to the index's words within a typo or two (rapidfuzz's
  optimal string alignment on diacritic-folded forms), then searched and placed like exact.

Every mode returns keyword-in-context hits with absolute offsets into the transcript
text, so a hit can be shown, jumped to or coded directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import product
from operator import attrgetter
from typing import Any

from qualcode.analysis import ensure_all, index_token
from qualcode.i18n import ui
from qualcode.model import QualcodeError, descendants
from qualcode.store import Store, TurnHitRow, word_span
from qualcode.study import Study

MODES = ("exact", "lemma", "fuzzy")
CONTEXT = 40  # characters of context either side of a hit


class Hit:
    """One occurrence: where it is, the matched text, and its keyword-in-context sides.

    The context sides are cut only when first read: a search for a common word finds
    thousands of hits, and a screen shows a few dozen of them.
    """

    __slots__ = ("transcript", "case", "turn", "speaker", "start", "end", "match", "_sides")

    def __init__(
        self,
        transcript: str,
        case: str | None,
        turn: int,
        speaker: str,
        start: int,
        end: int,
        match: str,
        left: str = "",
        right: str = "",
        source: tuple[str, int, int, int] | None = None,  # (turn text, a, b, context)
    ):
        self.transcript, self.case, self.turn, self.speaker = transcript, case, turn, speaker
        self.start, self.end, self.match = start, end, match
        self._sides: tuple[str, str] | tuple[str, int, int, int] = (
            (left, right) if source is None else source
        )

    def _cut(self) -> tuple[str, str]:
        if len(self._sides) == 4:
            text, a, b, context = self._sides
            # Newlines (paragraph breaks inside a turn) become spaces: one line per hit.
            self._sides = (_oneline(text[max(0, a - context) : a]), _oneline(text[b : b + context]))
        return self._sides

    @property
    def left(self) -> str:
        return self._cut()[0]

    @property
    def right(self) -> str:
        return self._cut()[1]

    def to_json(self) -> dict[str, Any]:
        return {
            "transcript": self.transcript,
            "case": self.case,
            "turn": self.turn,
            "speaker": self.speaker,
            "start": self.start,
            "end": self.end,
            "match": self.match,
            "left": self.left,
            "right": self.right,
        }

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Hit) and self.to_json() == other.to_json()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Hit({', '.join(f'{k}={v!r}' for k, v in self.to_json().items())})"


@dataclass(frozen=True)
class Filters:
    code: str | None = None  # only inside codings of this code or its sub-codes
    case: str | None = None
    attrs: tuple[tuple[str, str], ...] = ()
    speaker: str | None = None  # "informant" or "interviewer"


def code_family(store: Store, code: str) -> set[str]:
    """The code and every code below it."""
    codes = store.codes.all()
    if not any(c.id == code for c in codes):
        raise QualcodeError(ui('no code "{key}" in the codebook').format(key=code))
    return descendants(codes, [code])


def coded_spans(store: Store, codes: set[str]) -> dict[str, list[tuple[int, int]]]:
    """Spans coded with any of ``codes`` (any coder), per transcript."""
    out: dict[str, list[tuple[int, int]]] = {}
    for code in sorted(codes):
        for c in store.codings.all(code=code):
            out.setdefault(c.transcript, []).append((c.start, c.end))
    return out


def _allowed(store: Store, f: Filters) -> set[str] | None:
    """Transcript ids the case filters let through (None: all), from metadata only.

    An unknown case or attribute is an error, not an empty result: a typo must not look
    like "nobody said that".
    """
    if f.case is None and not f.attrs:
        return None
    cases = store.transcripts.cases()
    wanted = None
    if f.case is not None:
        wanted = next((c for c in cases if c.casefold() == f.case.strip().casefold()), None)
        if wanted is None:
            raise QualcodeError(
                ui('no case "{case}" in this project; cases: {cases}').format(
                    case=f.case, cases=", ".join(cases)
                )
            )
    for key, value in f.attrs:
        values = {a[key] for a in cases.values() if key in a}
        if not values:
            known = sorted({k for a in cases.values() for k in a})
            raise QualcodeError(
                ui('no case has the attribute "{key}"; attributes: {known}').format(
                    key=key, known=", ".join(known)
                )
            )
        if value not in values:
            raise QualcodeError(
                ui("no case has {key}={value}; values of {key}: {values}").format(
                    key=key, value=value, values=", ".join(sorted(values))
                )
            )
    out = set()
    for tid, case in store.transcripts.cases_by_id().items():
        if wanted is not None and case != wanted:
            continue
        attributes = cases.get(case or "", {})
        if any(attributes.get(k) != v for k, v in f.attrs):
            continue
        out.add(tid)
    return out


def _words(query: str) -> list[str]:
    words = re.findall(r"\w+(?:[-']\w+)*", query)
    if not words:
        raise QualcodeError(ui('"{query}" holds no word to search for').format(query=query))
    return words


def _phrase(tokens: Iterable[str]) -> str:
    return '"' + " ".join(tokens).replace('"', '""') + '"'


def _each_one_of(alternatives: list[list[str]]) -> str:
    """An FTS5 query: every position's word, as any one of its alternatives."""
    return " AND ".join(
        "(" + " OR ".join(_phrase([t]) for t in alts) + ")" for alts in alternatives
    )


_START = r"(?<!\w)"  # a hit starts a word


def _pattern(
    alternatives: list[list[str]], ignore_case: bool = True, bounded: bool = True
) -> re.Pattern[str]:
    """Consecutive words, each one of its alternatives, bounded by non-word characters
    (without ``bounded``, the start is left to the caller to check)."""
    parts = [
        "(?:" + "|".join(re.escape(a) for a in sorted(alts, key=len, reverse=True)) + ")"
        for alts in alternatives
    ]
    flags = re.IGNORECASE if ignore_case else 0
    return re.compile((_START if bounded else "") + r"\W+".join(parts) + r"(?!\w)", flags)


class _Needle:
    """A word pattern matched against lower-cased text.

    Case-insensitive matching makes the regular expression engine compare every character
    of every turn; on lower-cased text with a lower-cased pattern it skips ahead to the
    literal instead (several times faster on a common word). A turn whose lower-casing
    changes its length (rare letters such as "İ") is matched case-insensitively instead,
    so offsets always stay the text's own.

    The lower-case pattern leaves out the look-behind that says a hit starts a word: with
    it, the engine cannot skip ahead to the literal and tries every position of the turn
    (a search for a common word spent most of its time there). Each candidate's start is
    checked here instead, and a refused one searched on from the next position, which
    finds exactly the matches the bounded pattern finds.
    """

    def __init__(self, alternatives: list[list[str]]):
        self.lower = _pattern([[a.lower() for a in alts] for alts in alternatives], False, False)
        self.folding = _pattern(alternatives)

    def finditer(self, text: str) -> Iterator[tuple[int, int]]:
        """``(start, end)`` of each match, left to right, not overlapping."""
        low = text.lower()
        if len(low) != len(text):
            for found in self.folding.finditer(text):
                yield found.span()
            return
        search = self.lower.search
        m: re.Match[str] | None = search(low)
        while m is not None:
            start = m.start()
            if start and (low[start - 1].isalnum() or low[start - 1] == "_"):  # inside a word
                m = search(low, start + 1)
                continue
            yield start, m.end()
            m = search(low, m.end())


# Each mode yields (row, start, end): the index row of the turn (transcript, turn index,
# speaker, role, turn start, text, ...) and the hit's absolute offsets.
Found = Iterable[tuple[TurnHitRow, int, int]]


def _in_text(rows: Iterable[TurnHitRow], pattern: _Needle) -> Found:
    for row in rows:
        offset = row[4]
        for start, end in pattern.finditer(row[5]):
            yield row, offset + start, offset + end


def _exact(store: Store, words: list[str]) -> Found:
    # The index's own words for the query: it splits "kreft-koordinator" in two, too.
    tokens = [t for w in words for t in re.findall(r"\w+", w)]
    return _in_text(store.search.match_text(_phrase(tokens)), _Needle([[w] for w in words]))


def _lemma(study: Study, words: list[str]) -> Found:
    """Consecutive words whose lemmas are those of the query's words.

    Each query word may also stand for itself as a lemma: a dictionary form the
    lemmatiser reads as another word ("sykepleier" as a form of "sykepleie") still finds
    the words whose lemma it is ("sykepleiere").
    """
    from qualcode.lemmas import lemmatize_word, word_parts

    parts = [p for w in words for p in word_parts(w)]

    def lemma_of(part: str) -> str:
        # A word the corpus has: its lemma as the analysis stored it (no tables to load).
        known = study.store.search.indexed_lemma(part.lower())
        return known if known is not None else index_token(lemmatize_word(part, study.language))

    options = [sorted({lemma_of(p), index_token(p.lower())}) for p in parts]
    match = _each_one_of(options)
    # Each way of reading the query as lemmas, as a space-bounded needle: str.find does the
    # scanning, and a needle's word number is the number of spaces before it.
    needles = {" " + " ".join(combo) + " " for combo in product(*options)}
    last = len(parts) - 1
    for row in study.store.search.match_lemmas(match):
        lemmas, spans = " " + row[6] + " ", row[7]
        places = set()
        for needle in needles:
            at = lemmas.find(needle)
            while at >= 0:
                places.add(at)
                at = lemmas.find(needle, at + 1)
        # A place's word number is the spaces before it, counted on from the previous
        # place (counting from the turn's start for each hit grew with hits × length).
        word, counted = 0, 0
        for at in sorted(places):
            word += lemmas.count(" ", counted, at)
            counted = at
            start, end = word_span(spans, word)
            yield row, start, end if not last else word_span(spans, word + last)[1]


def max_typos(word: str) -> int:
    """Edits allowed for a fuzzy word: none for short words, two only for very long ones."""
    return 0 if len(word) <= 3 else 1 if len(word) <= 10 else 2


_VOCABULARY: dict[tuple[str, int, int], dict[str, list[str]]] = {}


def _vocabulary(store: Store) -> dict[str, list[str]]:
    """The index's words by their folded form, kept until the database changes."""
    from qualcode.folding import fold

    key = (str(store.path), store.data_version(), store.conn.total_changes)
    if key not in _VOCABULARY:
        _VOCABULARY.clear()
        folded: dict[str, list[str]] = {}
        for term in store.search.terms():
            folded.setdefault(fold(term), []).append(term)
        _VOCABULARY[key] = folded
    return _VOCABULARY[key]


def _fuzzy(store: Store, words: list[str]) -> Found:
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    from qualcode.folding import fold

    vocab = _vocabulary(store)
    keys = list(vocab)
    alternatives: list[list[str]] = []
    for w in words:
        folded = fold(w)
        # OSA counts swapped neighbours ("fastelgene") as one edit, the commonest typo.
        near = process.extract(
            folded, keys, scorer=OSA.distance, score_cutoff=max_typos(folded), limit=None
        )
        terms = sorted({term for key, _, _ in near for term in vocab[key]})
        if not terms:
            return
        alternatives.append(terms)
    match = _each_one_of(alternatives)
    yield from _in_text(store.search.match_text(match), _Needle(alternatives))


def search(
    project: Study,
    query: str,
    mode: str = "exact",
    filters: Filters | None = None,
    context: int = CONTEXT,
    limit: int | None = None,
) -> list[Hit]:
    """Every occurrence of ``query`` in the project's turns, in transcript and text order.

    With a ``limit``, the first that many in the index's order (transcripts as imported),
    sorted the same way: a screenful without waiting for every hit of a common word.
    """
    if mode not in MODES:
        raise QualcodeError(
            ui('unknown search mode "{mode}" (use {modes})').format(
                mode=mode, modes=", ".join(MODES)
            )
        )
    store, f = project.store, filters or Filters()
    words = _words(query)
    allowed = _allowed(store, f)
    spans = coded_spans(store, code_family(store, f.code)) if f.code else None
    if mode == "exact":
        found = _exact(store, words)
    elif mode == "lemma":
        ensure_all(project)  # lemmas of any transcript not analysed yet
        found = _lemma(project, words)
    else:
        found = _fuzzy(store, words)
    cases = store.transcripts.cases_by_id()
    hits: list[Hit] = []
    for row, start, end in found:
        tid = row[0]
        if allowed is not None and tid not in allowed:
            continue
        if f.speaker is not None and row[3] != f.speaker:
            continue
        if spans is not None and not any(s <= start and end <= e for s, e in spans.get(tid, ())):
            continue
        hits.append(_hit(row, cases.get(tid), start, end, context))
        if limit is not None and len(hits) >= limit:
            break  # the first ``limit`` in index order, which is import order
    hits.sort(key=_ORDER)
    return hits


_ORDER = attrgetter("transcript", "start")  # transcript and text order


def _hit(row: TurnHitRow, case: str | None, start: int, end: int, context: int) -> Hit:
    tid, idx, speaker, _, offset, text = row[:6]
    a, b = start - offset, end - offset
    return Hit(tid, case, idx, speaker, start, end, text[a:b], source=(text, a, b, context))


def _oneline(text: str) -> str:
    return " ".join(text.split())


def kwic_line(h: Hit, width: int = CONTEXT) -> str:
    """One keyword-in-context line: right-aligned left context, the match, the right.

    No space between the match and punctuation that hugs it ("[pårørende].", "«[hjemme]»"),
    and the brackets stay in one column from line to line.
    """
    left, right = h.left[-width:], h.right[:width]
    before = "" if not left or left[-1] in "([{«“‘\"'/" else " "
    after = "" if not right or right[0] in ".,;:!?)]}»”’\"'…/" else " "
    return f"{left + before:>{width + 1}}[{h.match}]{after}{right}"
