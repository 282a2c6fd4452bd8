"""Krippendorff's alpha for unitized continua: uα, |uα and cuα (Krippendorff, Mathet, Bouvry
& Widlöcher 2016, "On the reliability of unitizing textual continua: Further developments",
Quality & Quantity 50: 2347–2364; Krippendorff 2019, section 12.6).

Each coder partitions a continuum (here: characters) into units, each carrying a value, and
the gaps between them. ATLAS.ti reports three members of the family for codes grouped into
semantic domains (a theme and its codes, here):

- per code, uα with the values "this code" and gap: does a coder put the code where the other
  does (ATLAS.ti's α-binary);
- per semantic domain, cuα with the domain's codes as values, on the stretches both coders
  coded with some code of the domain: given that both coded there, did they choose the same
  code (ATLAS.ti's cu-α);
- across domains, cuα with the domains as values (ATLAS.ti's Cu-α).

Pure functions on numbers: no text, no store. Undefined coefficients are None.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

GAP: Hashable = None  # the value of the stretches between a coder's units


@dataclass(frozen=True)
class Unit:
    start: int
    end: int
    value: Hashable


@dataclass
class Continuum:
    """One continuum (a transcript's text in scope) and each coder's units on it, sorted and
    not overlapping within a coder; the gaps are implied."""

    length: int
    coders: Sequence[Sequence[Unit]]


def partition(units: Sequence[Unit], length: int) -> list[Unit]:
    """A coder's units with the gaps between them filled in: the whole continuum, in order."""
    out: list[Unit] = []
    at = 0
    for u in sorted(units, key=lambda u: u.start):
        if u.start < at or u.end > length or u.start >= u.end:
            raise ValueError(f"units must be non-empty, inside the continuum, apart: {u}")
        if u.start > at:
            out.append(Unit(at, u.start, GAP))
        out.append(u)
        at = u.end
    if at < length:
        out.append(Unit(at, length, GAP))
    return out


def _overlaps(p: list[Unit], q: list[Unit]) -> dict[tuple[Hashable, Hashable], int]:
    """Characters where coder p has value c and coder q value k, for every (c, k)."""
    out: dict[tuple[Hashable, Hashable], int] = defaultdict(int)
    i = j = 0
    while i < len(p) and j < len(q):
        lo, hi = max(p[i].start, q[j].start), min(p[i].end, q[j].end)
        if lo < hi:
            out[(p[i].value, q[j].value)] += hi - lo
        if p[i].end <= q[j].end:
            i += 1
        else:
            j += 1
    return out


@dataclass
class Coincidences:
    """Observed coincidences of values in characters (eq. 1 of the 2016 paper), the two
    self-pairing corrections the expected coincidences need, and the totals."""

    observed: dict[tuple[Hashable, Hashable], float]
    length_correction: dict[Hashable, float]  # Σ ℓ² over units of a value (ℓ for gaps)
    pairable_correction: dict[Hashable, float]  # Σ (ℓ paired with the others' units)²


def coincidences(continua: Sequence[Continuum]) -> Coincidences:
    observed: dict[tuple[Hashable, Hashable], float] = defaultdict(float)
    length_corr: dict[Hashable, float] = defaultdict(float)
    pairable_corr: dict[Hashable, float] = defaultdict(float)
    for cont in continua:
        m = len(cont.coders)
        if m < 2:
            raise ValueError("unitizing agreement needs at least two coders")
        parts = [partition(units, cont.length) for units in cont.coders]
        for i, p in enumerate(parts):
            for j, q in enumerate(parts):
                if i != j:
                    for key, n in _overlaps(p, q).items():
                        observed[key] += n / (m - 1)
            for u in p:
                n = u.end - u.start
                # A gap has no inner structure: any of its parts is again a gap, so it pairs
                # with itself by its length, a unit by its length squared.
                length_corr[u.value] += n if u.value is GAP else n * n
        for i, p in enumerate(parts):
            others = _valued_union(parts, skip=i)
            for u in p:
                if u.value is not GAP:
                    paired = _covered(others, u.start, u.end)
                    pairable_corr[u.value] += paired * paired
    return Coincidences(dict(observed), dict(length_corr), dict(pairable_corr))


def _valued_union(parts: list[list[Unit]], skip: int) -> list[tuple[int, int]]:
    spans = sorted(
        (u.start, u.end) for k, p in enumerate(parts) if k != skip for u in p if u.value is not GAP
    )
    merged: list[list[int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def _covered(spans: list[tuple[int, int]], start: int, end: int) -> int:
    return sum(max(0, min(e, end) - max(s, start)) for s, e in spans if s < end and e > start)


def _alpha(
    observed: dict[tuple[Hashable, Hashable], float],
    values: list[Hashable],
    correction: dict[Hashable, float],
    expected_scale: str,
) -> float | None:
    """1 − D_o / D_e for the nominal metric over ``values``, from observed coincidences and
    the self-pairing correction of each value."""
    margin = {c: sum(observed.get((c, k), 0.0) for k in values) for c in values}
    total = sum(margin.values())
    corr = sum(correction.get(c, 0.0) for c in values)
    if total <= 0:
        return None
    if expected_scale == "full":  # eq. 4: e_ck = l·· (l_c· l_·k − [c=k] Σ) / (l··² − Σ)
        denominator = total * total - corr
        scale = total
    else:  # cuα, eq. 10: e_ck = (l_c l_k − [c=k] Σ) / (l − Σ / l)
        denominator = total - corr / total
        scale = 1.0
    if denominator <= 0:
        return None
    agree_expected = sum(
        scale * (margin[c] * margin[c] - correction.get(c, 0.0)) / denominator for c in values
    )
    disagree_expected = total - agree_expected
    disagree_observed = total - sum(observed.get((c, c), 0.0) for c in values)
    if disagree_expected <= 1e-12 * total:
        return None  # no variation to speak of: every value is the same
    return 1.0 - disagree_observed / disagree_expected


def u_alpha(c: Coincidences) -> float | None:
    """uα over every value and the gaps (eq. 5a): agreement on where units lie and what they
    are. With one value besides the gaps it is |uα, ATLAS.ti's α-binary."""
    values = sorted({v for pair in c.observed for v in pair}, key=_order)
    return _alpha(c.observed, values, c.length_correction, "full")


def binary_alpha(c: Coincidences) -> float | None:
    """|uα (eq. 6): every value other than the gap taken as one, "coded" against "not
    coded", with the expected coincidences of the full matrix."""
    values = sorted({v for pair in c.observed for v in pair}, key=_order)
    margin = {x: sum(c.observed.get((x, y), 0.0) for y in values) for x in values}
    total = sum(margin.values())
    denominator = total * total - sum(c.length_correction.values())
    if total <= 0 or denominator <= 0 or GAP not in margin:
        return None
    gap = margin[GAP]
    # e_∅· − e_∅∅: the gap row's expected coincidences with every coded value.
    expected = total * gap * (total - gap) / denominator
    if expected <= 1e-12 * total:
        return None
    observed = gap - c.observed.get((GAP, GAP), 0.0)
    return 1.0 - observed / expected


def cu_alpha(c: Coincidences) -> float | None:
    """cuα (eqs. 10–11): agreement on the values of the stretches both coders put units on,
    ignoring where units begin and end. None when fewer than two values were used there."""
    values = sorted({v for pair in c.observed for v in pair if v is not GAP}, key=_order)
    if len(values) < 2:
        return None
    restricted = {(x, y): n for (x, y), n in c.observed.items() if x is not GAP and y is not GAP}
    return _alpha(restricted, values, c.pairable_correction, "restricted")


def _order(value: Hashable) -> tuple[int, str]:
    return (0, "") if value is GAP else (1, repr(value))
