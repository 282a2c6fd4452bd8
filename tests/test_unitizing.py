"""Krippendorff's alpha for unitized continua (Krippendorff, Mathet, Bouvry & Widlöcher 2016):
worked examples computed by hand from the paper's equations, and uα against the independent
implementation `krippendorff-unitized-alpha` where it is installed.

That package pins pytest<8, so it cannot be in the test extras beside pytest>=8; install it
with `pip install --no-deps krippendorff-unitized-alpha` to run the comparison (it needs only
numpy). We read its source before trusting it: it computes the 2016 uα over every value, gaps
included, from segments that tile the continuum (half-open [start, end)); its helper
`impute_empty_segments` drops a character either side of each gap, so the tests give it the
gaps themselves.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.agreement.unitizing import (
    GAP,
    Continuum,
    Unit,
    binary_alpha,
    coincidences,
    cu_alpha,
    partition,
    u_alpha,
)

try:
    from krippendorff_unitized_alpha.krippendorffs_unitized_alpha import (
        EMPTY_TAG,
        KrippendorffUnitizedAlpha,
        Segment,
    )
except ImportError:  # pragma: no cover - the reference is optional, see the docstring
    KrippendorffUnitizedAlpha = None


def test_u_alpha_worked_by_hand() -> None:
    # A continuum of 10 characters; A has x on [2, 6), B on [3, 7).
    c = coincidences([Continuum(10, [[Unit(2, 6, "x")], [Unit(3, 7, "x")]])])
    # Observed coincidences (eq. 1, m = 2): each ordered pair of coders counts once.
    assert c.observed == {("x", "x"): 6, ("x", GAP): 2, (GAP, "x"): 2, (GAP, GAP): 10}
    # Self-pairing: units by their length squared, gaps by their length (eq. 4).
    assert c.length_correction == {"x": 4**2 + 4**2, GAP: 2 + 4 + 3 + 3}
    total, corr = 20, 32 + 12
    e_xx = Fraction(total * (8 * 8 - 32), total**2 - corr)
    e_gg = Fraction(total * (12 * 12 - 12), total**2 - corr)
    want = 1 - Fraction(total - 16) / (total - e_xx - e_gg)
    assert want == Fraction(151, 240)
    assert u_alpha(c) == pytest.approx(float(want), abs=1e-12)
    # One value besides the gaps: |uα (ATLAS.ti's α-binary) is uα.
    assert binary_alpha(c) == pytest.approx(float(want), abs=1e-12)


def test_cu_alpha_worked_by_hand() -> None:
    # A: x on [0, 4), y on [4, 8); B: x on [0, 3), y on [3, 8); both leave [8, 10) open.
    a = [Unit(0, 4, "x"), Unit(4, 8, "y")]
    b = [Unit(0, 3, "x"), Unit(3, 8, "y")]
    c = coincidences([Continuum(10, [a, b])])
    observed = {k: v for k, v in c.observed.items() if GAP not in k}
    assert observed == {("x", "x"): 6, ("x", "y"): 1, ("y", "x"): 1, ("y", "y"): 8}
    # Each unit's length paired with the other coder's units, squared (eq. 10).
    assert c.pairable_correction == {"x": 4**2 + 3**2, "y": 4**2 + 5**2}
    total = Fraction(16)
    denominator = total - Fraction(25 + 41) / total
    e_xx = (7 * 7 - 25) / denominator
    e_yy = (9 * 9 - 41) / denominator
    want = 1 - (total - 14) / (total - e_xx - e_yy)
    assert want == Fraction(409, 504)
    assert cu_alpha(c) == pytest.approx(float(want), abs=1e-12)


def test_perfect_agreement_and_degenerate_cases() -> None:
    same = [Unit(1, 4, "x"), Unit(6, 9, "y")]
    c = coincidences([Continuum(12, [same, same])])
    assert u_alpha(c) == pytest.approx(1.0)
    assert cu_alpha(c) == pytest.approx(1.0)
    assert binary_alpha(c) == pytest.approx(1.0)
    nothing = coincidences([Continuum(12, [[], []])])
    assert u_alpha(nothing) is None and cu_alpha(nothing) is None
    one_value = coincidences([Continuum(12, [[Unit(1, 4, "x")], [Unit(2, 5, "x")]])])
    assert cu_alpha(one_value) is None  # nothing to choose between
    with pytest.raises(ValueError):
        partition([Unit(1, 4, "x"), Unit(3, 5, "y")], 12)


@st.composite
def unitizations(draw, coders: int = 2):  # type: ignore[no-untyped-def]
    length = draw(st.integers(4, 80))
    out = []
    for _ in range(coders):
        units, at = [], 0
        while True:
            start = at + draw(st.integers(0, 9))
            end = start + draw(st.integers(1, 12))
            if end > length or draw(st.integers(0, 5)) == 0:
                break
            units.append(Unit(start, end, draw(st.sampled_from("xyz"))))
            at = end + draw(st.integers(0, 2))
        out.append(units)
    return Continuum(length, out)


def _reference(cont: Continuum) -> float:
    data = {
        str(i): [
            Segment(EMPTY_TAG if u.value is GAP else str(u.value), u.start, u.end)
            for u in partition(units, cont.length)
        ]
        for i, units in enumerate(cont.coders)
    }
    return KrippendorffUnitizedAlpha(data).result


needs_reference = pytest.mark.skipif(
    KrippendorffUnitizedAlpha is None, reason="krippendorff-unitized-alpha not installed"
)


@needs_reference
@settings(max_examples=150, deadline=None)
@given(st.one_of(unitizations(2), unitizations(3)))
def test_u_alpha_matches_the_reference_implementation(cont: Continuum) -> None:
    got = u_alpha(coincidences([cont]))
    with np.errstate(divide="ignore", invalid="ignore"):
        want = _reference(cont)
    if got is None:
        assert want != want or abs(want) == float("inf") or want == pytest.approx(1.0)
    else:
        assert got == pytest.approx(want, abs=1e-9)


@settings(max_examples=80, deadline=None)
@given(unitizations(2), unitizations(2))
def test_continua_add_up_like_one_long_one(first: Continuum, second: Continuum) -> None:
    # Two transcripts are two continua; placing the second after the first gives the same
    # coefficients, since gaps pair with themselves linearly and units stay apart.
    shift = first.length
    joined = Continuum(
        first.length + second.length,
        [
            list(a) + [Unit(u.start + shift, u.end + shift, u.value) for u in b]
            for a, b in zip(first.coders, second.coders, strict=True)
        ],
    )
    apart, together = coincidences([first, second]), coincidences([joined])
    for f in (u_alpha, cu_alpha, binary_alpha):
        x, y = f(apart), f(together)
        assert (x is None) == (y is None)
        if x is not None:
            assert x == pytest.approx(y, abs=1e-9)


def _cu_alpha_by_the_equations(cont: Continuum) -> float | None:
    """cuα written out for two coders straight from eqs. 10–11 of the 2016 paper, one
    ordered pair of coders at a time: l_ck from the intersections of valued units, and the
    expected coincidences corrected by each unit's intersected length squared."""
    a, b = (list(units) for units in cont.coders)
    pairs = [(a, b), (b, a)]
    coincide: dict[tuple[object, object], float] = {}
    square: dict[object, float] = {}
    for mine, theirs in pairs:
        for g in mine:
            paired = 0
            for h in theirs:
                n = max(0, min(g.end, h.end) - max(g.start, h.start))
                if n:
                    coincide[(g.value, h.value)] = coincide.get((g.value, h.value), 0) + n
                    paired += n
            square[g.value] = square.get(g.value, 0) + paired**2
    values = sorted({v for pair in coincide for v in pair})
    if len(values) < 2:
        return None
    margin = {c: sum(coincide.get((c, k), 0) for k in values) for c in values}
    total = sum(margin.values())
    denominator = total - sum(square.values()) / total
    e = {c: (margin[c] ** 2 - square.get(c, 0)) / denominator for c in values}
    d_e = total - sum(e.values())
    if d_e <= 1e-12 * total:
        return None
    return 1 - (total - sum(coincide.get((c, c), 0) for c in values)) / d_e


@settings(max_examples=150, deadline=None)
@given(unitizations(2))
def test_cu_alpha_matches_the_equations_written_out(cont: Continuum) -> None:
    got = cu_alpha(coincidences([cont]))
    want = _cu_alpha_by_the_equations(cont)
    assert (got is None) == (want is None)
    if got is not None:
        assert got == pytest.approx(want, abs=1e-9)


@needs_reference
@settings(max_examples=100, deadline=None)
@given(unitizations(2))
def test_binary_alpha_is_u_alpha_with_every_value_as_one(cont: Continuum) -> None:
    # Where no two of a coder's units touch, making every value one value changes no unit,
    # and |uα must be the reference's uα of that data.
    touching = any(
        x.end == y.start for units in cont.coders for x, y in zip(units, units[1:], strict=False)
    )
    if touching:
        return
    one = Continuum(
        cont.length, [[Unit(u.start, u.end, "coded") for u in units] for units in cont.coders]
    )
    got = binary_alpha(coincidences([cont]))
    with np.errstate(divide="ignore", invalid="ignore"):
        want = _reference(one)
    if got is None:
        assert want != want or want == pytest.approx(1.0)
    else:
        assert got == pytest.approx(want, abs=1e-9)
