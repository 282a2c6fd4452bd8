"""Intercoder reliability statistics: pure functions on values, no I/O.

Undefined statistics (no variation, nothing to compare) are ``None``, never NaN,
so they survive JSON and cannot poison a sum silently.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from itertools import combinations

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

    def to_json(self) -> dict:
        out: dict = {
            "percent_agreement": self.percent_agreement,
            "cohen_kappa": self.cohen_kappa,
            "krippendorff_alpha": self.krippendorff_alpha,
            "n_decisions": self.n_decisions,
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
    disagree = only_a + only_b
    percent = (both + neither) / n
    # Chance agreement from each coder's own marginals.
    pa, pb = (both + only_a) / n, (both + only_b) / n
    expected = pa * pb + (1 - pa) * (1 - pb)
    # Coincidence marginals: every unit contributes both coders' values.
    ones = 2 * both + disagree
    zeros = 2 * neither + disagree
    if ones == 0 or zeros == 0:
        return Stats(percent, None, None, n, both, only_a, only_b, neither, NO_VARIATION)
    kappa = None if expected >= 1.0 else (percent - expected) / (1.0 - expected)
    alpha = 1.0 - (2 * n - 1) * disagree / (ones * zeros)
    return Stats(percent, kappa, alpha, n, both, only_a, only_b, neither)
