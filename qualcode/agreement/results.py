"""An agreement report: the statistics per code, per transcript and overall, what "overall"
pools, the spread of the per-code figures, and the bootstrap intervals for alpha.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from qualcode.agreement import bootstrap
from qualcode.agreement.bootstrap import Cells
from qualcode.agreement.coverage import Coverage
from qualcode.agreement.statistics import Spread, Stats, spread
from qualcode.agreement.verdicts import reading

Span = tuple[int, int]

POOLING = {
    "en": "Overall is pooled: one 2×2 table summed over every decision of every code on "
    "every unit ({codes} codes × {units} units), as if the codes of a unit were independent; frequent "
    "codes weigh most. The per-code spread is given beside it.",
    "nb": "«Samlet» bygger på én 2×2-tabell summert over alle beslutninger for alle koder "
    "på alle enheter ({codes} koder × {units} enheter), som om kodene for en enhet var uavhengige; hyppige "
    "koder veier mest. Spredningen per kode står ved siden av.",
}


@dataclass
class AgreementReport:
    unit: str
    coders: tuple[str, str]
    n_units: int
    overall: Stats
    per_code: dict[str, Stats]
    per_transcript: dict[str, Stats]
    informant_only: bool = False
    codes_given: bool = False  # True: the codes in scope were chosen, not "every code used"
    notes: list[str] = field(default_factory=list)  # what was left out, in plain words
    coverage: Coverage | None = None  # which transcripts and turns, and why

    def pooling(self, lang: str = "en") -> str:
        """How "overall" is pooled, in words (English, or Norwegian for nb/nn/no)."""
        words = POOLING["nb" if lang in ("nb", "nn", "no") else "en"]
        return words.format(codes=len(self.per_code), units=self.n_units)

    def spread(self) -> dict[str, Spread]:
        """Mean, median, minimum and maximum of the per-code kappa and alpha."""
        codes = self.per_code.values()
        return {
            "cohen_kappa": spread(s.cohen_kappa for s in codes),
            "krippendorff_alpha": spread(s.krippendorff_alpha for s in codes),
        }

    def to_json(self) -> dict:
        out = {
            "unit": self.unit,
            "coders": list(self.coders),
            "n_units": self.n_units,
            "pooling": self.pooling(),
            "overall": _with_reading(self.overall),
            "per_code_spread": {k: s.to_json() for k, s in self.spread().items()},
            "per_code": {code: _with_reading(s) for code, s in self.per_code.items()},
            "per_transcript": {tid: s.to_json() for tid, s in self.per_transcript.items()},
        }
        if self.coverage is not None:
            out["scope"] = self.coverage.to_json()
        if self.notes:  # like a statistic's "note": only there when there is something to say
            out["notes"] = list(self.notes)
        return out


def _with_reading(s: Stats) -> dict:
    out = s.to_json()
    out["verdict"] = reading(s)  # reliable, tentative, unreliable, too_few, undefined
    return out


class UnitTally:
    """Per unit, on how many codes both coders, A only and B only coded it: what the pooled
    figure stands on, so its interval can resample units with all their codes together."""

    def __init__(self) -> None:
        self._units: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0, 0])
        self._runs: dict[str, list[tuple[int, int, int]]] = defaultdict(list)

    def add_units(self, tid: str, both: set[int], only_a: set[int], only_b: set[int]) -> None:
        """Turn or sentence units, by index."""
        for kind, units in enumerate((both, only_a, only_b)):
            for i in units:
                self._units[(tid, i)][kind] += 1

    def add_runs(self, tid: str, *kinds: list[Span]) -> None:
        """Character units, as runs of characters (both, only A, only B)."""
        for kind, runs in enumerate(kinds):
            for s, e in runs:
                self._runs[tid] += [(s, kind, 1), (e, kind, -1)]

    def kinds(self, n_codes: int, n_units: int) -> tuple[list[Cells], list[int]]:
        """The distinct per-unit cells (both, only A, only B, neither) and how many units
        have each."""
        counts: dict[tuple[int, int, int], int] = defaultdict(int)
        for vector in self._units.values():
            counts[(vector[0], vector[1], vector[2])] += 1
        for events in self._runs.values():
            events.sort()
            now = [0, 0, 0]
            for (pos, kind, step), (nxt, _, _) in zip(events, events[1:], strict=False):
                now[kind] += step
                if nxt > pos and any(now):
                    counts[(now[0], now[1], now[2])] += nxt - pos
        counts[(0, 0, 0)] = n_units - sum(n for k, n in counts.items() if k != (0, 0, 0))
        kinds = [(b, a, c, n_codes - b - a - c) for b, a, c in counts]
        return kinds, list(counts.values())


def add_intervals(report: AgreementReport, tally: UnitTally) -> None:
    """Bootstrap intervals for alpha per code (its units resampled) and overall (units
    resampled with every code's decision on them)."""
    for s in report.per_code.values():
        if s.krippendorff_alpha is not None:
            cells = (s.both, s.only_a, s.only_b, s.neither)
            s.alpha_ci = bootstrap.alpha_interval(bootstrap.CELLS_OF_ONE_DECISION, cells)
    if report.overall.krippendorff_alpha is not None:
        kinds, counts = tally.kinds(len(report.per_code), report.n_units)
        report.overall.alpha_ci = bootstrap.alpha_interval(kinds, counts)
