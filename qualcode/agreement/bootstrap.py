"""A bootstrap interval for Krippendorff's alpha on two coders' binary decisions, by
resampling units (Hayes & Krippendorff 2007).

A unit contributes a vector of counts (both, only A, only B, neither): one decision for a
unit of one code, or a unit's decisions on every code for the pooled figure, so the codes
of one unit are resampled together. Units with the same vector are interchangeable, so
drawing N units with replacement is one multinomial draw over the distinct vectors: exact,
and fast even for a million characters.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

SAMPLES = 10_000  # resamples per interval
SEED = 2007  # fixed, so the same data give the same interval in every report
LEVEL = 0.95

Cells = tuple[int, int, int, int]  # (both, only A, only B, neither)

CELLS_OF_ONE_DECISION: list[Cells] = [(1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 0), (0, 0, 0, 1)]


def alpha_interval(
    kinds: Sequence[Cells],
    counts: Sequence[int],
    *,
    samples: int = SAMPLES,
    seed: int = SEED,
    level: float = LEVEL,
) -> tuple[float, float] | None:
    """Percentile interval of alpha over ``samples`` resamples of the units, where
    ``counts[i]`` units contribute ``kinds[i]``. Resamples in which alpha is undefined (no
    variation) are left out; None when nothing is left or there are no units."""
    weights = np.asarray(counts, dtype=np.float64)
    n_units = int(weights.sum())
    if n_units == 0 or len(kinds) == 0:
        return None
    # A fresh generator per interval: one code's interval does not depend on which other
    # codes were computed before it.
    rng = np.random.default_rng(seed)
    drawn = rng.multinomial(n_units, weights / weights.sum(), size=samples)
    totals = drawn @ np.asarray(kinds, dtype=np.float64)  # (samples, 4) summed cells
    values = alpha_of_cells(totals)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return None
    tail = (1.0 - level) / 2 * 100
    lo, hi = np.percentile(values, [tail, 100 - tail])
    return float(lo), float(hi)


def alpha_of_cells(cells: np.ndarray) -> np.ndarray:
    """Binary alpha for each row of (both, only A, only B, neither); NaN where undefined."""
    both, only_a, only_b, neither = (cells[:, i] for i in range(4))
    n = both + only_a + only_b + neither
    disagree = only_a + only_b
    ones = 2 * both + disagree
    zeros = 2 * neither + disagree
    product = ones * zeros
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(product > 0, 1.0 - (2 * n - 1) * disagree / product, np.nan)
