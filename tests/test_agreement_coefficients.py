"""Brennan & Prediger's κ, Gwet's AC1, positive agreement, the per-code spread and the
bootstrap interval for α, each against an independent reference: irrCAC (Gwet's own
formulas, test-only), scikit-learn, numpy, and a bootstrap that resamples unit by unit with
the `krippendorff` package."""

from __future__ import annotations

import krippendorff
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from irrCAC.raw import CAC as RawCAC
from irrCAC.table import CAC as TableCAC
from sklearn.metrics import f1_score

from qualcode.agreement import bootstrap
from qualcode.agreement.statistics import (
    binary_stats,
    brennan_prediger,
    gwet_ac1,
    positive_agreement,
    spread,
)

# irrCAC divides by a zero standard error where agreement is perfect; its coefficient, all we
# compare, is still right.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

counts = st.tuples(*(st.integers(0, 40) for _ in range(4))).filter(lambda t: sum(t) >= 2)


def _ratings(both: int, only_a: int, only_b: int, neither: int) -> pd.DataFrame:
    rows = [(1, 1)] * both + [(1, 0)] * only_a + [(0, 1)] * only_b + [(0, 0)] * neither
    return pd.DataFrame(rows, columns=["A", "B"])


@settings(max_examples=60, deadline=None)
@given(counts)
def test_ac1_and_brennan_prediger_match_irrcac_on_raw_ratings(cells) -> None:
    reference = RawCAC(_ratings(*cells), categories=[0, 1], digits=15)
    assert gwet_ac1(*cells) == pytest.approx(reference.gwet()["est"]["coefficient_value"], abs=1e-9)
    assert brennan_prediger(*cells) == pytest.approx(
        reference.bp()["est"]["coefficient_value"], abs=1e-9
    )


@settings(max_examples=100, deadline=None)
@given(st.tuples(*(st.integers(0, 2_000_000) for _ in range(4))).filter(lambda t: sum(t) > 0))
def test_ac1_and_brennan_prediger_match_irrcac_on_large_tables(cells) -> None:
    # Character units: millions of decisions, given to irrCAC as the 2×2 table.
    both, only_a, only_b, neither = cells
    reference = TableCAC(pd.DataFrame([[both, only_a], [only_b, neither]]), digits=15)
    stats = binary_stats(*cells)
    assert stats.gwet_ac1 == pytest.approx(reference.gwet()["est"]["coefficient_value"], abs=1e-9)
    assert stats.brennan_prediger == pytest.approx(
        reference.bp()["est"]["coefficient_value"], abs=1e-9
    )


@settings(max_examples=100, deadline=None)
@given(counts)
def test_positive_agreement_is_the_f1_of_one_coder_against_the_other(cells) -> None:
    both, only_a, only_b, _ = cells
    ratings = _ratings(*cells)
    got = positive_agreement(both, only_a, only_b)
    if both + only_a + only_b == 0:
        assert got is None
    else:
        assert got == pytest.approx(f1_score(ratings["B"], ratings["A"]), abs=1e-12)
    assert binary_stats(*cells).positive_agreement == got


@given(st.lists(st.one_of(st.none(), st.floats(-1, 1)), max_size=40))
def test_spread_matches_numpy(values) -> None:
    got = spread(values)
    defined = np.array([v for v in values if v is not None])
    assert got.n_codes == defined.size
    if defined.size == 0:
        assert (got.mean, got.median, got.min, got.max) == (None, None, None, None)
        return
    assert got.mean == pytest.approx(defined.mean(), abs=1e-12)
    assert got.median == pytest.approx(float(np.median(defined)), abs=1e-12)
    assert (got.min, got.max) == (defined.min(), defined.max())


def _unit_by_unit(cells, samples: int, seed: int) -> tuple[float, float]:
    """The textbook bootstrap: draw units with replacement, alpha of each resample from the
    reliability matrix by the `krippendorff` package."""
    both, only_a, only_b, neither = cells
    a = np.array([1] * both + [1] * only_a + [0] * only_b + [0] * neither)
    b = np.array([1] * both + [0] * only_a + [1] * only_b + [0] * neither)
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(samples):
        pick = rng.integers(0, a.size, a.size)
        if len(set(a[pick]) | set(b[pick])) < 2:
            continue  # no variation: alpha undefined, left out as qualcode does
        values.append(
            krippendorff.alpha(reliability_data=[a[pick], b[pick]], level_of_measurement="nominal")
        )
    lo, hi = np.percentile(values, [2.5, 97.5])
    return float(lo), float(hi)


@settings(max_examples=8, deadline=None)
@given(st.tuples(st.integers(5, 40), st.integers(1, 10), st.integers(1, 10), st.integers(20, 120)))
def test_bootstrap_interval_agrees_with_resampling_unit_by_unit(cells) -> None:
    got = bootstrap.alpha_interval(bootstrap.CELLS_OF_ONE_DECISION, cells, samples=4000)
    want = _unit_by_unit(cells, samples=1500, seed=1)
    assert got is not None
    # Two Monte Carlo estimates of the same percentiles: close, not equal.
    assert got[0] == pytest.approx(want[0], abs=0.06)
    assert got[1] == pytest.approx(want[1], abs=0.06)


def test_bootstrap_is_reproducible_and_brackets_the_estimate() -> None:
    cells = (30, 4, 3, 400)
    first = bootstrap.alpha_interval(bootstrap.CELLS_OF_ONE_DECISION, cells)
    assert first == bootstrap.alpha_interval(bootstrap.CELLS_OF_ONE_DECISION, cells)
    alpha = binary_stats(*cells).krippendorff_alpha
    assert first is not None and alpha is not None
    assert first[0] < alpha < first[1]
    # Another seed gives a close interval: the seed fixes the noise, not the answer.
    other = bootstrap.alpha_interval(bootstrap.CELLS_OF_ONE_DECISION, cells, seed=1)
    assert other == pytest.approx(first, abs=0.05)


def test_no_units_or_no_variation_has_no_interval() -> None:
    assert bootstrap.alpha_interval(bootstrap.CELLS_OF_ONE_DECISION, (0, 0, 0, 0)) is None
    assert bootstrap.alpha_interval(bootstrap.CELLS_OF_ONE_DECISION, (0, 0, 0, 50)) is None
