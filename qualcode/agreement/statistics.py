"""Intercoder reliability statistics: pure functions on values, no I/O.

Beside Cohen's kappa and Krippendorff's alpha, from the 2×2 counts (both, only_a, only_b,
neither) = (a, b, c, d) alone: positive agreement, Brennan & Prediger's kappa and Gwet's AC1,
what NVivo, MAXQDA and annotation research report.

Undefined statistics (no variation, nothing to compare) are ``None``, never NaN,
so they survive JSON and cannot poison a sum silently.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from statistics import mean, median

NO_DECISIONS = "no decisions: there are no units to compare"
NO_VARIATION = "no variation: both coders gave the same value to every unit"


def percent_agreement(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """The share of positions where ``a`` and ``b`` carry the same label; None when empty."""
    _same_length(a, b)
    if not a:
        return None
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / len(a)


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's kappa for two coders' labels; None when chance agreement is certain."""
    _same_length(a, b)
    n = len(a)
    if n == 0:
        return None
    observed = sum(1 for x, y in zip(a, b, strict=True) if x == y) / n
    count_a, count_b = Counter(a), Counter(b)
    chance = sum(count_a[label] * count_b[label] for label in count_a)
    if chance == n * n:  # both coders used one and the same label throughout
        return None
    expected = chance / (n * n)
    return (observed - expected) / (1.0 - expected)


def krippendorff_alpha(
    data: Sequence[Sequence[Hashable | None]], level: str = "nominal"
) -> float | None:
    """Krippendorff's alpha from a reliability matrix (coders x units, None = missing).

    Units with fewer than two values are not pairable and are dropped. Built on the
    coincidence matrix (Krippendorff 2011). ``level`` is ``nominal`` or ``interval``.
    None when no unit is pairable or every pairable value is the same.
    """
    if level not in ("nominal", "interval"):
        raise ValueError(f"unknown level of measurement {level!r}; use nominal or interval")
    n_units = max((len(row) for row in data), default=0)
    if any(len(row) != n_units for row in data):
        raise ValueError("every coder needs a value (or None) for every unit")
    coincidence: dict[tuple[Hashable, Hashable], float] = defaultdict(float)
    for u in range(n_units):
        values = [row[u] for row in data if row[u] is not None]
        m = len(values)
        if m < 2:
            continue
        weight = 1.0 / (m - 1)
        # Every ordered pair of values from different coders, each weighted 1/(m-1).
        for x, y in combinations(values, 2):
            coincidence[(x, y)] += weight
            coincidence[(y, x)] += weight
    marginals: dict[Hashable, float] = defaultdict(float)
    for (c, _k), o in coincidence.items():
        marginals[c] += o
    n = sum(marginals.values())
    if n <= 1 or len(marginals) < 2:
        return None
    delta = _delta(level)
    observed = sum(o * delta(c, k) for (c, k), o in coincidence.items() if c != k)
    labels = list(marginals)
    expected = sum(
        marginals[c] * marginals[k] * delta(c, k) for c in labels for k in labels if c != k
    )
    if expected == 0:
        return None
    return 1.0 - (n - 1) * observed / expected


def _delta(level: str) -> Callable[[Hashable, Hashable], float]:
    if level == "nominal":
        return lambda c, k: 0.0 if c == k else 1.0
    return lambda c, k: float(c - k) ** 2  # type: ignore[operator]


def _same_length(a: Sequence[Hashable], b: Sequence[Hashable]) -> None:
    if len(a) != len(b):
        raise ValueError(f"the two coders rated different numbers of units ({len(a)}, {len(b)})")


@dataclass
class Stats:
    """Agreement of two coders on binary decisions, with the 2x2 counts behind it."""

    percent_agreement: float | None
    cohen_kappa: float | None
    krippendorff_alpha: float | None
    n_decisions: int
    both: int
    only_a: int
    only_b: int
    neither: int
    note: str = ""
    positive_agreement: float | None = None
    brennan_prediger: float | None = None
    gwet_ac1: float | None = None
    alpha_ci: tuple[float, float] | None = None  # bootstrap 95 % interval, where computed
    # The units either coder coded (for character units: the passages, as characters of one
    # passage are not separate decisions); None where not counted.
    coded_units: int | None = None

    def to_json(self) -> dict:
        out: dict = {
            "percent_agreement": self.percent_agreement,
            "positive_agreement": self.positive_agreement,
            "cohen_kappa": self.cohen_kappa,
            "krippendorff_alpha": self.krippendorff_alpha,
            "alpha_ci": list(self.alpha_ci) if self.alpha_ci else None,
            "brennan_prediger": self.brennan_prediger,
            "gwet_ac1": self.gwet_ac1,
            "n_decisions": self.n_decisions,
            "coded_units": self.coded_units,
            "both": self.both,
            "only_a": self.only_a,
            "only_b": self.only_b,
            "neither": self.neither,
        }
        if self.note:
            out["note"] = self.note
        return out


def binary_stats(both: int, only_a: int, only_b: int, neither: int) -> Stats:
    """All statistics for two coders' binary decisions from the 2x2 counts alone.

    This is the fast path: millions of character decisions need four integers,
    not millions of Python objects.
    """
    n = both + only_a + only_b + neither
    if n == 0:
        return Stats(None, None, None, 0, both, only_a, only_b, neither, NO_DECISIONS)
    cells = (both, only_a, only_b, neither)
    others = {
        "positive_agreement": positive_agreement(both, only_a, only_b),
        "brennan_prediger": brennan_prediger(*cells),
        "gwet_ac1": gwet_ac1(*cells),
        "coded_units": both + only_a + only_b,
    }
    disagree = only_a + only_b
    percent = (both + neither) / n
    # Chance agreement from each coder's own marginals.
    pa, pb = (both + only_a) / n, (both + only_b) / n
    expected = pa * pb + (1 - pa) * (1 - pb)
    # Coincidence marginals: every unit contributes both coders' values.
    ones = 2 * both + disagree
    zeros = 2 * neither + disagree
    if ones == 0 or zeros == 0:
        return Stats(percent, None, None, n, *cells, NO_VARIATION, **others)  # type: ignore[arg-type]
    kappa = None if expected >= 1.0 else (percent - expected) / (1.0 - expected)
    alpha = 1.0 - (2 * n - 1) * disagree / (ones * zeros)
    return Stats(percent, kappa, alpha, n, *cells, **others)  # type: ignore[arg-type]


def positive_agreement(both: int, only_a: int, only_b: int) -> float | None:
    """2a / (2a + b + c): agreement among the units either coder coded (the share a unit one
    coder coded is coded by the other too), blind to the many units neither coded.
    None when neither coded anything."""
    coded = 2 * both + only_a + only_b
    return None if coded == 0 else 2 * both / coded


def brennan_prediger(both: int, only_a: int, only_b: int, neither: int) -> float | None:
    """Brennan & Prediger's (1981) kappa (MAXQDA's choice): chance agreement is 1/q for q
    categories, here q = 2 (coded, not coded), so κ_n = (p_o − ½) / ½."""
    n = both + only_a + only_b + neither
    if n == 0:
        return None
    observed = (both + neither) / n
    return (observed - 0.5) / 0.5


def gwet_ac1(both: int, only_a: int, only_b: int, neither: int) -> float | None:
    """Gwet's (2008) AC1: chance agreement p_e = Σ_k π_k (1 − π_k) / (q − 1), π_k the mean of
    the two coders' shares of category k; for q = 2, p_e = 2π(1 − π) with π the share of
    'coded' over both coders' decisions."""
    n = both + only_a + only_b + neither
    if n == 0:
        return None
    observed = (both + neither) / n
    share = (2 * both + only_a + only_b) / (2 * n)
    chance = 2 * share * (1 - share)  # at most ½, so 1 − chance > 0
    return (observed - chance) / (1 - chance)


@dataclass
class Spread:
    """The spread of one coefficient over codes: the codes where it is defined."""

    mean: float | None
    median: float | None
    min: float | None
    max: float | None
    n_codes: int

    def to_json(self) -> dict:
        return {
            "mean": self.mean,
            "median": self.median,
            "min": self.min,
            "max": self.max,
            "n_codes": self.n_codes,
        }


def spread(values: Iterable[float | None]) -> Spread:
    defined = [v for v in values if v is not None]
    if not defined:
        return Spread(None, None, None, None, 0)
    return Spread(mean(defined), median(defined), min(defined), max(defined), len(defined))
