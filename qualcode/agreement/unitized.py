"""Krippendorff's unitizing alphas for two coders' codings, as ATLAS.ti reports them: uα per
code, cu-α per theme (a theme and its codes as one semantic domain) and Cu-α across themes.

The continuum of a transcript is the non-whitespace characters of its turns in scope, end to
end: the same characters the character unit counts, so whitespace never decides agreement
and a coding that runs across a left-out interviewer turn stays one unit. Each transcript is
a continuum of its own. A coder's codings of a code are merged where they overlap or touch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field

from qualcode.agreement.spans import NonSpaceIndex, intersect, merge
from qualcode.agreement.unitizing import (
    Continuum,
    Unit,
    binary_alpha,
    coincidences,
    cu_alpha,
    u_alpha,
)
from qualcode.agreement.units import turn_spans
from qualcode.i18n import ui
from qualcode.model import Code, Coding, QualcodeError, Transcript

Span = tuple[int, int]


@dataclass
class UnitizingReport:
    per_code: dict[str, float | None]  # uα
    per_theme: dict[str, dict]  # cu_alpha, binary_alpha, codes, overlap_characters
    Cu_alpha: float | None
    characters: int  # the length of the continua together
    overlap_characters: dict[str, int] = field(default_factory=dict)  # coder -> chars

    def to_json(self) -> dict:
        return {
            "per_code": {c: {"u_alpha": a} for c, a in self.per_code.items()},
            "per_theme": self.per_theme,
            "Cu_alpha": self.Cu_alpha,
            "characters": self.characters,
        }


class _Kept:
    """A transcript's kept characters, renumbered end to end."""

    def __init__(self, transcript: Transcript, informant_only: bool):
        self.index = NonSpaceIndex(transcript.text)
        n = len(transcript.text)
        regions = [
            self.index.compress(max(0, s), min(n, e))
            for s, e in turn_spans(transcript, informant_only)
        ]
        self.regions = merge(regions)
        self.before: list[int] = []
        total = 0
        for s, e in self.regions:
            self.before.append(total)
            total += e - s
        self.length = total
        self.text_length = n

    def spans(self, codings: list[Coding]) -> list[Span]:
        """Codings as merged spans in kept coordinates."""
        raw = [self.index.compress(max(0, c.start), min(self.text_length, c.end)) for c in codings]
        out: list[Span] = []
        for s, e in intersect(merge(raw), self.regions):
            i = _region_of(self.regions, s)
            rs = self.regions[i][0]
            out.append((self.before[i] + s - rs, self.before[i] + e - rs))
        return merge(out)  # pieces either side of a left-out turn join up


def _region_of(regions: list[Span], pos: int) -> int:
    lo, hi = 0, len(regions) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if regions[mid][0] <= pos:
            lo = mid
        else:
            hi = mid - 1
    return lo


def themes_of(codes: list[Code]) -> dict[str, str]:
    """Each code's theme: the top of its branch of the code tree."""
    parent = {c.id: c.parent for c in codes}
    out: dict[str, str] = {}
    for code in parent:
        at, seen = code, set()
        while parent.get(at) and at not in seen:
            seen.add(at)
            at = parent[at]  # type: ignore[assignment]
        out[code] = at
    return out


def _units(coverage: dict[Hashable, list[Span]]) -> tuple[list[Unit], int]:
    """One coder's units when each value covers its spans: where values overlap, the
    combination is the value; and how many characters carry more than one value."""
    events: dict[int, list[tuple[int, Hashable]]] = defaultdict(list)
    for value, spans in coverage.items():
        for s, e in spans:
            events[s].append((1, value))
            events[e].append((-1, value))
    active: dict[Hashable, int] = defaultdict(int)
    units: list[Unit] = []
    overlap = 0
    points = sorted(events)
    for here, there in zip(points, points[1:], strict=False):
        for step, value in events[here]:
            active[value] += step
        now = tuple(sorted((v for v, n in active.items() if n > 0), key=str))
        if not now:
            continue
        if len(now) > 1:
            overlap += there - here
        value = now[0] if len(now) == 1 else now
        if units and units[-1].end == here and units[-1].value == value:
            units[-1] = Unit(units[-1].start, there, value)
        else:
            units.append(Unit(here, there, value))
    return units, overlap


def unitizing(
    transcripts: list[Transcript],
    codings: list[Coding],
    coder_a: str,
    coder_b: str,
    codebook: list[Code],
    *,
    codes: list[str] | None = None,
    informant_only: bool = False,
) -> UnitizingReport:
    """uα per code, cu-α per theme and Cu-α across themes for two coders (codes in the order
    given, else every code either coder used, in the order of ``codebook``)."""
    if coder_a == coder_b:
        raise QualcodeError(
            ui("agreement needs two different coders, not {coder} twice").format(
                coder=repr(coder_a)
            )
        )
    kept = {t.id: _Kept(t, informant_only) for t in transcripts}
    grouped: dict[tuple[str, str, str], list[Coding]] = defaultdict(list)
    for c in codings:
        if c.coder in (coder_a, coder_b) and c.transcript in kept:
            grouped[(c.transcript, c.coder, c.code)].append(c)
    cover: dict[tuple[str, str, str], list[Span]] = {}
    for (tid, coder, code), found in grouped.items():
        spans = kept[tid].spans(found)
        if spans:
            cover[(tid, coder, code)] = spans
    used = {code for _, _, code in cover}
    order = [c.id for c in codebook]
    if codes is not None:
        chosen = list(codes)
    else:
        chosen = [c for c in order if c in used] + sorted(used - set(order))
    theme = themes_of(codebook)
    coders = (coder_a, coder_b)

    def continua(value_of: dict[str, Hashable]) -> tuple[list[Continuum], dict[str, int]]:
        out: list[Continuum] = []
        overlap = {coder: 0 for coder in coders}
        for tid, k in kept.items():
            if k.length == 0:
                continue
            per_coder: list[list[Unit]] = []
            for coder in coders:
                coverage: dict[Hashable, list[Span]] = defaultdict(list)
                for code, value in value_of.items():
                    coverage[value].extend(cover.get((tid, coder, code), []))
                units, n = _units({v: merge(s) for v, s in coverage.items() if s})
                overlap[coder] += n
                per_coder.append(units)
            out.append(Continuum(k.length, per_coder))
        return out, overlap

    per_code = {code: u_alpha(coincidences(continua({code: code})[0])) for code in chosen}
    per_theme: dict[str, dict] = {}
    for t in dict.fromkeys(theme.get(c, c) for c in chosen):
        members = [c for c in chosen if theme.get(c, c) == t]
        conts, overlap = continua({c: c for c in members})
        co = coincidences(conts)
        per_theme[t] = {
            "cu_alpha": cu_alpha(co),
            "binary_alpha": binary_alpha(co),
            "codes": len(members),
            "overlap_characters": sum(overlap.values()),
        }
    conts, overlap = continua({c: theme.get(c, c) for c in chosen})
    return UnitizingReport(
        per_code,
        per_theme,
        cu_alpha(coincidences(conts)),
        sum(k.length for k in kept.values()),
        overlap,
    )
