"""How the benchmark measures, so that it cannot flatter.

- Each operation runs interleaved with its own floor (A B A B …): a burst of load from
  elsewhere on a shared machine hits both sides of a pair, and the ratio is taken pair by
  pair, then its median (of at least five pairs unless a row says otherwise).
- A floor does the same work minus qualcode: the same query on the raw index, the same
  text through spaCy's own components, the same vocabulary through rapidfuzz.
- Growth: operations that depend on the corpus run at three sizes; the slope of
  log(time) against log(size) is printed, and above 1.15 it is flagged super-linear.
"""

from __future__ import annotations

import gc
import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

SMALLEST = 0.020  # seconds: below this at the largest size, a slope says nothing


@dataclass
class Row:
    name: str
    budget: float | None  # seconds (or MB for memory)
    value: float | None  # median of the operation
    floor_name: str = ""
    floor: float | None = None  # median of the floor
    ratio: float | None = None  # median of the pairwise ratios
    unit: str = "s"
    note: str = ""
    pairs: int = 0
    key: str = ""  # the same operation across sizes (for the slope)


@dataclass
class Pairs:
    values: list[float] = field(default_factory=list)
    floors: list[float] = field(default_factory=list)

    @property
    def value(self) -> float:
        return statistics.median(self.values)

    @property
    def floor(self) -> float | None:
        return statistics.median(self.floors) if self.floors else None

    @property
    def ratio(self) -> float | None:
        if not self.floors:
            return None
        return statistics.median(v / f for v, f in zip(self.values, self.floors, strict=True))

    def row(self, name: str, budget: float | None, floor_name: str = "", **kw: object) -> Row:
        return Row(
            name,
            budget,
            self.value,
            floor_name,
            self.floor,
            self.ratio,
            pairs=len(self.values),
            **kw,  # type: ignore[arg-type]
        )


def settled() -> None:
    """Collect, then freeze what the benchmark itself holds (its corpora, earlier rows), so
    the cyclic garbage collector does not rescan the harness's heap inside a timed call: a
    `qualcode` command is a fresh process without it. At 300 transcripts that heap made small
    exports look 1.3x super-linear in the benchmark while they grew linearly in a fresh
    process. What the timed call itself allocates is collected as usual."""
    gc.collect()
    gc.freeze()


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def interleaved(
    op: Callable[[], object],
    floor: Callable[[], object] | None,
    n: int = 5,
    setup: Callable[[], object] | None = None,
    floor_setup: Callable[[], object] | None = None,
) -> Pairs:
    """``n`` pairs, operation then floor, each after its own (untimed) setup."""
    out = Pairs()
    settled()
    for _ in range(n):
        if setup:
            setup()
        out.values.append(timed(op))
        if floor is not None:
            if floor_setup:
                floor_setup()
            out.floors.append(timed(floor))
    return out


def from_samples(values: list[float], floors: list[float] | None = None) -> Pairs:
    return Pairs(list(values), list(floors or []))


def fmt(value: float | None, unit: str = "s") -> str:
    if value is None:
        return "—"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def print_table(rows: list[Row]) -> None:
    head = (
        "operation",
        "budget",
        "median",
        "floor (interleaved)",
        "floor",
        "ratio",
        "n",
        "verdict",
    )
    lines: list[tuple[str, ...]] = [head]
    for r in rows:
        if r.value is None:
            lines.append((r.name, fmt(r.budget, r.unit), r.note or "n/a", "", "", "", "", ""))
            continue
        ratio = f"{r.ratio:.1f}×" if r.ratio is not None else "—"
        verdict = "—" if r.budget is None else ("ok" if r.value <= r.budget else "MISS")
        lines.append(
            (
                r.name,
                fmt(r.budget, r.unit),
                fmt(r.value, r.unit),
                r.floor_name,
                fmt(r.floor, r.unit),
                ratio,
                str(r.pairs or ""),
                verdict,
            )
        )
    _print(lines)


def slope(sizes: list[int], values: list[float]) -> float | None:
    """The least-squares slope of log(value) on log(size): 1 is linear, 2 quadratic."""
    points = [(math.log(s), math.log(v)) for s, v in zip(sizes, values, strict=True) if v > 0]
    if len(points) < 2:
        return None
    mx = statistics.fmean(x for x, _ in points)
    my = statistics.fmean(y for _, y in points)
    den = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / den if den else None


def print_growth(sizes: list[int], by_size: list[list[Row]], what: str) -> None:
    """One line per operation measured at every size: its medians and their slope."""
    keyed = [{r.key: r for r in rows if r.key and r.value is not None} for rows in by_size]
    head = ("operation", *(f"{s:,} {what}" for s in sizes), "slope", "growth")
    lines: list[tuple[str, ...]] = [head]
    for key in keyed[-1]:
        if not all(key in k for k in keyed):
            continue
        values = [k[key].value or 0.0 for k in keyed]
        s = slope(sizes, values)
        if s is None:
            growth = "—"
        elif max(values) < SMALLEST:
            growth = "too fast to tell"  # timer noise swamps a few milliseconds
        else:
            growth = "SUPER-LINEAR" if s > 1.15 else "linear or better"
        lines.append((key, *(fmt(v) for v in values), "—" if s is None else f"{s:.2f}", growth))
    _print(lines)


def _print(lines: list[tuple[str, ...]]) -> None:
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    for i, line in enumerate(lines):
        print("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))
