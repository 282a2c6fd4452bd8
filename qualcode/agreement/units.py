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

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from qualcode.agreement.results import AgreementReport as AgreementReport  # re-exported
from qualcode.agreement.results import UnitTally, add_intervals
from qualcode.agreement.spans import (
    EMPTY,
    Coverage,
    NonSpaceIndex,
    intersect,
    length,
    merge,
    subtract,
)
from qualcode.agreement.statistics import Stats as Stats  # re-exported: part of this module's API
from qualcode.agreement.statistics import binary_stats
from qualcode.agreement.statistics import cohen_kappa as cohen_kappa
from qualcode.agreement.statistics import krippendorff_alpha as krippendorff_alpha
from qualcode.agreement.statistics import percent_agreement as percent_agreement
from qualcode.i18n import ui
from qualcode.model import INTERVIEWER, Coding, QualcodeError, Transcript

UNITS = ("turn", "sentence", "character")
NO_CODES = "no decisions: neither coder used a code in scope"

Span = tuple[int, int]


@dataclass
class Disagreement:
    """A unit span where exactly one coder has ``code``, with each coder's codings of it
    (``agreements`` returns the same shape for the spans where both coders have it)."""

    transcript: str
    start: int
    end: int
    code: str
    a_codings: list[Coding] = field(default_factory=list)
    b_codings: list[Coding] = field(default_factory=list)


@dataclass
class _Prepared:
    transcript: Transcript
    index: NonSpaceIndex | None  # character units only
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


def turn_spans(transcript: Transcript, informant_only: bool) -> list[Span]:
    """The turns in scope as text spans, in order."""
    n = len(transcript.text)
    spans = [
        (max(0, t.start), min(n, t.end))
        for t in transcript.turns
        if not (informant_only and t.role == INTERVIEWER)
    ]
    return sorted(s for s in spans if s[0] < s[1])


def _clip_to_turns(spans: list[Span], turns: list[Span]) -> list[Span]:
    """Each span cut to the turns it overlaps (sentences never cross a turn's edge).

    ``spans`` sorted by start, ``turns`` sorted and not overlapping: one sweep over both.
    """
    out: list[Span] = []
    j, n = 0, len(turns)
    for s, e in spans:
        while j < n and turns[j][1] <= s:  # the first turn ending after ``s``
            j += 1
        k = j
        while k < n and turns[k][0] < e:
            ts, te = turns[k]
            lo, hi = (s if s > ts else ts), (e if e < te else te)
            if lo < hi:
                out.append((lo, hi))
            k += 1
    return out


def _check_unit(unit: str) -> None:
    if unit not in UNITS:
        raise QualcodeError(
            ui("unknown unit {unit}; choose one of {units}").format(
                unit=repr(unit), units=", ".join(UNITS)
            )
        )


def _prepare(
    transcript: Transcript,
    unit: str,
    sentence_spans: list[Span] | None,
    informant_only: bool,
) -> _Prepared:
    turns = turn_spans(transcript, informant_only)
    if unit == "character":
        index = NonSpaceIndex(transcript.text)
        regions = merge([index.compress(s, e) for s, e in turns], join_adjacent=False)
        return _Prepared(transcript, index, [], [], regions)
    if unit == "sentence":
        if sentence_spans is None:
            raise QualcodeError(ui("sentence units need the sentence spans"), source=transcript.id)
        spans = _clip_to_turns(sorted(sentence_spans), turns)
    else:
        spans = turns
    text = transcript.text
    units = sorted(spans)
    tunits = [
        (s, e)  # most units (sentences) are trimmed already
        if s < e and not text[s].isspace() and not text[e - 1].isspace()
        else _trim(text, s, e)
        for s, e in units
    ]
    if any(s >= e for s, e in tunits):  # whitespace-only units cannot be coded
        kept = [i for i, (s, e) in enumerate(tunits) if s < e]
        units, tunits = [units[i] for i in kept], [tunits[i] for i in kept]
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
        for s, e in turn_spans(transcript, informant_only)
        for i in range(s, e)
        if not text[i].isspace()
    ]


def _counts(p: _Prepared, a: Coverage, b: Coverage, tally: UnitTally) -> tuple[int, ...]:
    """(both, only_a, only_b, neither, coded units) for one transcript and one code; the
    coded units of character units are the passages either coder coded."""
    tid = p.transcript.id
    if p.regions:
        in_a = intersect(a.spans, p.regions)
        in_b = intersect(b.spans, p.regions)
        shared = intersect(in_a, in_b)
        tally.add_runs(tid, shared, subtract(in_a, in_b), subtract(in_b, in_a))
        both = length(shared)
        only_a, only_b = length(in_a) - both, length(in_b) - both
        passages = len(merge(in_a + in_b))
        return both, only_a, only_b, p.n_units - both - only_a - only_b, passages
    hit_a, hit_b = p.hit_units(a.spans), p.hit_units(b.spans)
    tally.add_units(tid, hit_a & hit_b, hit_a - hit_b, hit_b - hit_a)
    both = len(hit_a & hit_b)
    only_a, only_b = len(hit_a) - both, len(hit_b) - both
    return both, only_a, only_b, len(p.units) - both - only_a - only_b, len(hit_a | hit_b)


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
        raise QualcodeError(
            ui("agreement needs two different coders, not {coder} twice").format(
                coder=repr(coder_a)
            )
        )
    prepared: list[_Prepared] = []
    for t in transcripts:
        spans = (sentences or {}).get(t.id) if unit == "sentence" else None
        prepared.append(_prepare(t, unit, spans, informant_only))
    ids = {p.transcript.id for p in prepared}
    if len(ids) != len(prepared):
        raise QualcodeError(ui("the same transcript was given twice"))
    grouped: dict[tuple[str, str, str], list[Coding]] = defaultdict(list)
    for c in codings:
        if c.coder in (coder_a, coder_b) and c.transcript in ids:
            grouped[(c.transcript, c.coder, c.code)].append(c)
    return prepared, grouped


def _coverage(p: _Prepared, found: list[Coding]) -> Coverage:
    if not found:
        return EMPTY
    return Coverage([p.span(c.start, c.end) for c in found])


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
    table: dict[tuple[str, str], tuple[int, ...]] = {}
    tally = UnitTally()
    for p in prepared:
        tid = p.transcript.id
        for code in candidates:
            found_a = grouped.get((tid, coder_a, code), [])
            found_b = grouped.get((tid, coder_b, code), [])
            if not found_a and not found_b:  # most cells: every unit is "neither"
                table[(tid, code)] = (0, 0, 0, p.n_units, 0)
                continue
            cover_a, cover_b = _coverage(p, found_a), _coverage(p, found_b)
            table[(tid, code)] = _counts(p, cover_a, cover_b, tally)
    if codes is None:
        used = {code for (_, code), n in table.items() if n[0] + n[1] + n[2] > 0}
        candidates = [code for code in candidates if code in used]

    def stats(keys: list[tuple[str, str]]) -> Stats:
        sums = [sum(column) for column in zip(*(table[k] for k in keys), strict=True)] or [0] * 5
        result = binary_stats(*sums[:4])
        result.coded_units = sums[4]
        if not candidates:
            result.note = NO_CODES
        return result

    tids = [p.transcript.id for p in prepared]
    report = AgreementReport(
        unit=unit,
        coders=(coder_a, coder_b),
        n_units=sum(p.n_units for p in prepared),
        overall=stats([(t, c) for t in tids for c in candidates]),
        per_code={c: stats([(t, c) for t in tids]) for c in candidates},
        per_transcript={t: stats([(t, c) for c in candidates]) for t in tids},
        informant_only=informant_only,
        codes_given=codes is not None,
    )
    add_intervals(report, tally)
    return report


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
    return _unit_codings(prepared, grouped, coder_a, coder_b, code, _disagreeing_spans)


def agreements(
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
    """Units where both coders have the code, with each coder's codings touching them.

    For character units, the maximal runs of characters both coders coded (never across
    a turn's edge). Ordered like ``disagreements``.
    """
    prepared, grouped = _setup(
        transcripts, codings, coder_a, coder_b, unit, informant_only, sentences
    )
    return _unit_codings(prepared, grouped, coder_a, coder_b, code, _agreeing_spans)


def _unit_codings(
    prepared: list[_Prepared],
    grouped: dict[tuple[str, str, str], list[Coding]],
    coder_a: str,
    coder_b: str,
    code: str | None,
    spans_of: Callable[[_Prepared, Coverage, Coverage], list[Span]],
) -> list[Disagreement]:
    codes = [code] if code is not None else sorted({c for _, _, c in grouped})
    out: list[Disagreement] = []
    for p in prepared:
        tid = p.transcript.id
        found: list[Disagreement] = []
        for c in codes:
            raw_a = grouped.get((tid, coder_a, c), [])
            raw_b = grouped.get((tid, coder_b, c), [])
            a, b = _coverage(p, raw_a), _coverage(p, raw_b)
            for s, e in spans_of(p, a, b):
                found.append(
                    Disagreement(tid, s, e, c, _touching(p, raw_a, s, e), _touching(p, raw_b, s, e))
                )
        found.sort(key=lambda d: (d.start, d.end, d.code))
        out.extend(found)
    return out


def _disagreeing_spans(p: _Prepared, a: Coverage, b: Coverage) -> list[Span]:
    if not p.regions:
        return [p.units[i] for i in sorted(p.hit_units(a.spans) ^ p.hit_units(b.spans))]
    runs: list[Span] = []
    for one in (subtract(a.spans, b.spans), subtract(b.spans, a.spans)):
        for region in p.regions:  # one region at a time, so runs stop at a turn's edge
            runs.extend(intersect(one, [region]))
    return _to_text(p, runs)


def _agreeing_spans(p: _Prepared, a: Coverage, b: Coverage) -> list[Span]:
    if not p.regions:
        return [p.units[i] for i in sorted(p.hit_units(a.spans) & p.hit_units(b.spans))]
    both = intersect(a.spans, b.spans)
    runs: list[Span] = []
    for region in p.regions:
        runs.extend(intersect(both, [region]))
    return _to_text(p, runs)


def _to_text(p: _Prepared, runs: list[Span]) -> list[Span]:
    """Runs in non-whitespace coordinates back to text positions: first to last character."""
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
