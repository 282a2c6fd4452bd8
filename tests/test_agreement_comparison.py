"""NVivo's coding comparison per code × transcript against a brute-force reference: one
label per character of the stored text, NVivo's formula worked out term by term, and Cohen's
kappa from scikit-learn where it is defined."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from qualcode.agreement.comparison import comparison, nvivo_kappa
from qualcode.model import Coding, Transcript


def nvivo_reference(text: str, a_spans, b_spans) -> dict:  # type: ignore[no-untyped-def]
    a = [any(s <= i < e for s, e in a_spans) for i in range(len(text))]
    b = [any(s <= i < e for s, e in b_spans) for i in range(len(text))]
    tu = len(text)
    ta = sum(x == y for x, y in zip(a, b, strict=True))
    ef = (sum(a) * sum(b) + (tu - sum(a)) * (tu - sum(b))) / tu
    kappa = 1.0 if tu == ef else (ta - ef) / (tu - ef)
    return {
        "kappa": kappa,
        "percent_agreement": ta / tu,
        "both": sum(x and y for x, y in zip(a, b, strict=True)),
        "a_only": sum(x and not y for x, y in zip(a, b, strict=True)),
        "b_only": sum(y and not x for x, y in zip(a, b, strict=True)),
        "neither": sum(not x and not y for x, y in zip(a, b, strict=True)),
        "labels": (a, b),
    }


spans = st.lists(st.tuples(st.integers(-3, 70), st.integers(0, 12)), max_size=5).map(
    lambda xs: [(s, s + n) for s, n in xs if n > 0]
)


@settings(max_examples=150, deadline=None)
@given(st.text(min_size=1, max_size=60), spans, spans)
def test_cells_match_nvivo_formula_character_by_character(text: str, a, b) -> None:  # type: ignore[no-untyped-def]
    t = Transcript(id="t1", text=text, turns=[])
    codings = [Coding("t1", s, e, "k", "ann") for s, e in a] + [
        Coding("t1", s, e, "k", "bo") for s, e in b
    ]
    (cell,) = comparison([t], codings, "ann", "bo", ["k"])
    clipped_a = [(max(0, s), min(len(text), e)) for s, e in a]
    clipped_b = [(max(0, s), min(len(text), e)) for s, e in b]
    want = nvivo_reference(text, clipped_a, clipped_b)
    for key in ("both", "a_only", "b_only", "neither"):
        assert getattr(cell, key) == want[key], key
    assert cell.kappa == pytest.approx(want["kappa"], abs=1e-9)
    assert cell.percent_agreement == pytest.approx(want["percent_agreement"], abs=1e-12)
    labels_a, labels_b = want["labels"]
    if len(set(labels_a) | set(labels_b)) > 1:  # sklearn's kappa is defined
        assert cell.kappa == pytest.approx(cohen_kappa_score(labels_a, labels_b), abs=1e-9)


def test_neither_coded_is_one_by_nvivos_convention() -> None:
    t = Transcript(id="t1", text="Ingen koding her.", turns=[])
    (cell,) = comparison([t], [], "ann", "bo", ["k"])
    assert (cell.kappa, cell.percent_agreement, cell.neither) == (1.0, 1.0, len(t.text))
    assert cell.convention
    assert nvivo_kappa(0, 5, 0, 0) == (0.0, False)  # one coded all, the other nothing
