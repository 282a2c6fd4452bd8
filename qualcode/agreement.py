"""Intercoder agreement between two coders' codings, on turn, sentence or character units.

A coder has code k on a unit when any of that coder's codings of k overlaps the unit
by at least one non-whitespace character; each (unit, code) pair is one binary
decision per coder.

Turn and sentence units: two spans share a non-whitespace character exactly when their
whitespace-trimmed forms overlap (the later trimmed start is a non-whitespace character
inside both), so units and codings are trimmed once and compared as plain intervals;
each coding finds the units it touches by binary search, and the counts follow from
those sets, never from a pass over every (unit, code) pair. Character units work in
"non-whitespace coordinates" (the rank of a position among the text's non-whitespace
characters), where they reduce to interval arithmetic.

Units without a single non-whitespace character are left out: nobody can code them,
so counting them would only inflate agreement.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field

from qualcode.model import INTERVIEWER, Coding, QualcodeError, Transcript
from qualcode.reliability import Stats as Stats  # re-exported: part of this module's API
from qualcode.reliability import binary_stats
from qualcode.reliability import cohen_kappa as cohen_kappa
from qualcode.reliability import krippendorff_alpha as krippendorff_alpha
from qualcode.reliability import percent_agreement as percent_agreement

UNITS = ("turn", "sentence", "character")
NO_CODES = "no decisions: neither coder used a code in scope"

Span = tuple[int, int]
_NON_SPACE = re.compile(r"\S+")  # \S is exactly "not str.isspace()"


@dataclass
class AgreementReport:
    unit: str
    coders: tuple[str, str]
    n_units: int
    overall: Stats
    per_code: dict[str, Stats]
    per_transcript: dict[str, Stats]

    def to_json(self) -> dict:
        return {
            "unit": self.unit,
            "coders": list(self.coders),
            "n_units": self.n_units,
            "overall": self.overall.to_json(),
            "per_code": {code: s.to_json() for code, s in self.per_code.items()},
            "per_transcript": {tid: s.to_json() for tid, s in self.per_transcript.items()},
        }


@dataclass
class Disagreement:
    """A unit span where exactly one coder has ``code``, with each coder's codings of it."""

    transcript: str
    start: int
    end: int
    code: str
    a_codings: list[Coding] = field(default_factory=list)
    b_codings: list[Coding] = field(default_factory=list)


class _NonSpaceIndex:
    """Rank/select over a text's non-whitespace characters, stored per word, not per char."""

    def __init__(self, text: str):
        # Packed int arrays: a few bytes per word, no Python object per character.
        self.starts = array("q")
        self.ends = array("q")
        self.before = array("q")  # non-whitespace characters before each run
        total = 0
        for m in _NON_SPACE.finditer(text):
            self.starts.append(m.start())
            self.ends.append(m.end())
            self.before.append(total)
            total += m.end() - m.start()

    def rank(self, pos: int) -> int:
        """How many non-whitespace characters lie before ``pos``."""
        i = bisect_right(self.starts, pos) - 1
        if i < 0:
            return 0
        return self.before[i] + min(pos, self.ends[i]) - self.starts[i]

    def select(self, j: int) -> int:
        """The text position of the ``j``-th (0-based) non-whitespace character."""
        i = bisect_right(self.before, j) - 1
        return self.starts[i] + j - self.before[i]

    def compress(self, start: int, end: int) -> Span:
        return self.rank(start), self.rank(end)


@dataclass
class _Prepared:
    transcript: Transcript
    index: _NonSpaceIndex | None  # character units only
    units: list[Span]  # turn/sentence units in text positions (empty for character units)
    tunits: list[Span]  # the same, whitespace-trimmed, in text order
    regions: list[Span]  # character units: kept turns in non-whitespace coordinates, merged

    def __post_init__(self) -> None:
        self.starts = [s for s, _ in self.tunits]
        self.ends = [e for _, e in self.tunits]

    @property
    def n_units(self) -> int:
        if self.units or not self.regions:
            return len(self.units)
        return sum(e - s for s, e in self.regions)

    def span(self, start: int, end: int) -> Span:
        """A coding's span in this transcript's unit coordinates."""
        text = self.transcript.text
        start, end = max(0, start), min(len(text), end)
        if self.index is not None:
            return self.index.compress(start, end)
        return _trim(text, start, end)

    def hit_units(self, spans: list[Span]) -> set[int]:
        """Indexes of the units that (merged, trimmed) coverage ``spans`` touch."""
        hits: set[int] = set()
        n = len(self.tunits)
        for s, e in spans:
            i = bisect_right(self.ends, s)  # the first unit ending after ``s``
            while i < n and self.starts[i] < e:
                hits.add(i)
                i += 1
        return hits


def _trim(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _turn_spans(transcript: Transcript, informant_only: bool) -> list[Span]:
    n = len(transcript.text)
    spans = [
        (max(0, t.start), min(n, t.end))
        for t in transcript.turns
        if not (informant_only and t.role == INTERVIEWER)
    ]
    return sorted(s for s in spans if s[0] < s[1])


def _clip_to_turns(spans: list[Span], turns: list[Span]) -> list[Span]:
    """Each span cut to the turns it overlaps (sentences never cross a turn's edge)."""
    turn_ends = [e for _, e in turns]  # turns are sorted and do not overlap
    out: list[Span] = []
    for s, e in spans:
        i = bisect_right(turn_ends, s)
        while i < len(turns) and turns[i][0] < e:
            lo, hi = max(s, turns[i][0]), min(e, turns[i][1])
            if lo < hi:
                out.append((lo, hi))
            i += 1
    return out


def _check_unit(unit: str) -> None:
    if unit not in UNITS:
        raise QualcodeError(f"unknown unit {unit!r}; choose one of {', '.join(UNITS)}")


def _prepare(
    transcript: Transcript,
    unit: str,
    sentence_spans: list[Span] | None,
    informant_only: bool,
) -> _Prepared:
    turns = _turn_spans(transcript, informant_only)
    if unit == "character":
        index = _NonSpaceIndex(transcript.text)
        regions = _merge([index.compress(s, e) for s, e in turns], join_adjacent=False)
        return _Prepared(transcript, index, [], [], regions)
    if unit == "sentence":
        if sentence_spans is None:
            raise QualcodeError("sentence units need the sentence spans", source=transcript.id)
        spans = _clip_to_turns(sorted(sentence_spans), turns)
    else:
        spans = turns
    units, tunits = [], []
    for s, e in sorted(spans):
        ts, te = _trim(transcript.text, s, e)
        if ts < te:  # whitespace-only units cannot be coded
            units.append((s, e))
            tunits.append((ts, te))
    return _Prepared(transcript, None, units, tunits, [])


def units_for(
    transcript: Transcript,
    unit: str,
    *,
    sentences: list[Span] | None = None,
    informant_only: bool = False,
) -> list[Span]:
    """The units of one transcript as ``[start, end)`` spans (one per character for
    ``character``; every unit holds at least one non-whitespace character)."""
    _check_unit(unit)
    if unit != "character":
        return _prepare(transcript, unit, sentences, informant_only).units
    text = transcript.text
    return [
        (i, i + 1)
        for s, e in _turn_spans(transcript, informant_only)
        for i in range(s, e)
        if not text[i].isspace()
    ]


# --- interval arithmetic on sorted, disjoint span lists ---------------------------------


def _merge(spans: list[Span], join_adjacent: bool = True) -> list[Span]:
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if s >= e:
            continue
        if out and (s < out[-1][1] or (join_adjacent and s == out[-1][1])):
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _intersect(a: list[Span], b: list[Span]) -> list[Span]:
    out: list[Span] = []
    i = j = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if lo < hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def _subtract(a: list[Span], b: list[Span]) -> list[Span]:
    out: list[Span] = []
    j = 0
    for s, e in a:
        while j < len(b) and b[j][1] <= s:
            j += 1
        k, cur = j, s
        while k < len(b) and b[k][0] < e:
            if b[k][0] > cur:
                out.append((cur, b[k][0]))
            cur = max(cur, b[k][1])
            k += 1
        if cur < e:
            out.append((cur, e))
    return out


def _length(spans: list[Span]) -> int:
    return sum(e - s for s, e in spans)


class _Coverage:
    """One coder's merged coverage of one code in non-whitespace coordinates."""

    def __init__(self, spans: list[Span]):
        self.spans = _merge(spans)


_EMPTY = _Coverage([])


def _counts(p: _Prepared, a: _Coverage, b: _Coverage) -> tuple[int, int, int, int]:
    """(both, only_a, only_b, neither) for one transcript and one code."""
    if p.regions:
        in_a = _intersect(a.spans, p.regions)
        in_b = _intersect(b.spans, p.regions)
        both = _length(_intersect(in_a, in_b))
        only_a, only_b = _length(in_a) - both, _length(in_b) - both
        return both, only_a, only_b, p.n_units - both - only_a - only_b
    in_a, in_b = p.hit_units(a.spans), p.hit_units(b.spans)
    both = len(in_a & in_b)
    only_a, only_b = len(in_a) - both, len(in_b) - both
    return both, only_a, only_b, len(p.units) - both - only_a - only_b


def _setup(
    transcripts: list[Transcript],
    codings: list[Coding],
    coder_a: str,
    coder_b: str,
    unit: str,
    informant_only: bool,
    sentences: dict[str, list[Span]] | None,
) -> tuple[list[_Prepared], dict[tuple[str, str, str], list[Coding]]]:
    """Prepared transcripts and the two coders' codings by (transcript, coder, code)."""
    _check_unit(unit)
    if coder_a == coder_b:
        raise QualcodeError(f"agreement needs two different coders, not {coder_a!r} twice")
    prepared: list[_Prepared] = []
    for t in transcripts:
        spans = (sentences or {}).get(t.id) if unit == "sentence" else None
        prepared.append(_prepare(t, unit, spans, informant_only))
    ids = {p.transcript.id for p in prepared}
    if len(ids) != len(prepared):
        raise QualcodeError("the same transcript was given twice")
    grouped: dict[tuple[str, str, str], list[Coding]] = defaultdict(list)
    for c in codings:
        if c.coder in (coder_a, coder_b) and c.transcript in ids:
            grouped[(c.transcript, c.coder, c.code)].append(c)
    return prepared, grouped


def _coverage(p: _Prepared, found: list[Coding]) -> _Coverage:
    if not found:
        return _EMPTY
    return _Coverage([p.span(c.start, c.end) for c in found])


def compute_agreement(
    transcripts: list[Transcript],
    codings: list[Coding],
    coder_a: str,
    coder_b: str,
    *,
    unit: str = "turn",
    codes: list[str] | None = None,
    informant_only: bool = False,
    sentences: dict[str, list[Span]] | None = None,
) -> AgreementReport:
    """Agreement of ``coder_a`` and ``coder_b`` per code, per transcript and overall.

    Without ``codes``, the codes in scope are those either coder gave to at least one unit.
    """
    prepared, grouped = _setup(
        transcripts, codings, coder_a, coder_b, unit, informant_only, sentences
    )
    candidates = codes if codes is not None else sorted({code for _, _, code in grouped})
    table: dict[tuple[str, str], tuple[int, int, int, int]] = {}
    for p in prepared:
        tid = p.transcript.id
        for code in candidates:
            found_a = grouped.get((tid, coder_a, code), [])
            found_b = grouped.get((tid, coder_b, code), [])
            if not found_a and not found_b:  # most cells: every unit is "neither"
                table[(tid, code)] = (0, 0, 0, p.n_units)
                continue
            table[(tid, code)] = _counts(p, _coverage(p, found_a), _coverage(p, found_b))
    if codes is None:
        used = {code for (_, code), n in table.items() if n[0] + n[1] + n[2] > 0}
        candidates = [code for code in candidates if code in used]

    def stats(keys: list[tuple[str, str]]) -> Stats:
        sums = [sum(table[k][i] for k in keys) for i in range(4)]
        result = binary_stats(*sums)
        if not candidates:
            result.note = NO_CODES
        return result

    tids = [p.transcript.id for p in prepared]
    return AgreementReport(
        unit=unit,
        coders=(coder_a, coder_b),
        n_units=sum(p.n_units for p in prepared),
        overall=stats([(t, c) for t in tids for c in candidates]),
        per_code={c: stats([(t, c) for t in tids]) for c in candidates},
        per_transcript={t: stats([(t, c) for c in candidates]) for t in tids},
    )


def disagreements(
    transcripts: list[Transcript],
    codings: list[Coding],
    coder_a: str,
    coder_b: str,
    *,
    unit: str = "turn",
    code: str | None = None,
    informant_only: bool = False,
    sentences: dict[str, list[Span]] | None = None,
) -> list[Disagreement]:
    """Units where exactly one coder has the code (one code, or every code either used).

    For character units, adjacent characters only one coder coded are merged into
    maximal runs (never across a turn's edge; an A-only run and a B-only run stay apart).
    Ordered by transcript as given, then position, then code.
    """
    prepared, grouped = _setup(
        transcripts, codings, coder_a, coder_b, unit, informant_only, sentences
    )
    codes = [code] if code is not None else sorted({c for _, _, c in grouped})
    out: list[Disagreement] = []
    for p in prepared:
        tid = p.transcript.id
        found: list[Disagreement] = []
        for c in codes:
            raw_a = grouped.get((tid, coder_a, c), [])
            raw_b = grouped.get((tid, coder_b, c), [])
            a, b = _coverage(p, raw_a), _coverage(p, raw_b)
            for s, e in _disagreeing_spans(p, a, b):
                found.append(
                    Disagreement(tid, s, e, c, _touching(p, raw_a, s, e), _touching(p, raw_b, s, e))
                )
        found.sort(key=lambda d: (d.start, d.end, d.code))
        out.extend(found)
    return out


def _disagreeing_spans(p: _Prepared, a: _Coverage, b: _Coverage) -> list[Span]:
    if not p.regions:
        return [p.units[i] for i in sorted(p.hit_units(a.spans) ^ p.hit_units(b.spans))]
    runs: list[Span] = []
    for one in (_subtract(a.spans, b.spans), _subtract(b.spans, a.spans)):
        for region in p.regions:  # one region at a time, so runs stop at a turn's edge
            runs.extend(_intersect(one, [region]))
    # Back from non-whitespace coordinates to text positions: first to last character.
    assert p.index is not None
    return sorted((p.index.select(s), p.index.select(e - 1) + 1) for s, e in runs)


def _touching(p: _Prepared, found: list[Coding], start: int, end: int) -> list[Coding]:
    """The codings overlapping [start, end) by at least one non-whitespace character."""
    cs, ce = p.span(start, end)
    out = []
    for c in found:
        s, e = p.span(c.start, c.end)
        if max(s, cs) < min(e, ce):
            out.append(c)
    return out
