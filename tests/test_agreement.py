"""Intercoder agreement: statistics against published values and reference libraries,
unit decisions against brute force built independently here (character by character)."""

from __future__ import annotations

import json
import math
import tracemalloc
import warnings

import krippendorff
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from nltk.metrics.agreement import AnnotationTask
from sklearn.metrics import cohen_kappa_score

from qualcode.agreement.statistics import (
    binary_stats,
    cohen_kappa,
    krippendorff_alpha,
    percent_agreement,
)
from qualcode.agreement.units import (
    AgreementReport,
    Stats,
    agreements,
    compute_agreement,
    disagreements,
    units_for,
)
from qualcode.model import INTERVIEWER, Coding, QualcodeError, Transcript, Turn, speaker_role

# --- reference helpers (independent of the code under test) ----------------------------


def ref_alpha(data: list[list[object]], level: str = "nominal") -> float | None:
    """krippendorff package; None where it is undefined (nan or refuses)."""
    arr = np.array([[np.nan if v is None else v for v in row] for row in data], dtype=float)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = krippendorff.alpha(reliability_data=arr, level_of_measurement=level)
    except (ValueError, ZeroDivisionError):
        return None
    return None if math.isnan(value) else float(value)


def ref_kappa(a: list[object], b: list[object]) -> float | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = cohen_kappa_score(a, b)
    return None if math.isnan(value) else float(value)


def close(x: float | None, y: float | None, tol: float = 1e-9) -> bool:
    if x is None or y is None:
        return x is None and y is None
    return abs(x - y) <= tol


def make_transcript(tid: str, turns: list[tuple[str, str]]) -> Transcript:
    """Text 'SPEAKER: content\\n' per turn; each turn spans its content exactly."""
    text, spans = "", []
    for speaker, content in turns:
        text += f"{speaker}: "
        spans.append(Turn(speaker, len(text), len(text) + len(content), role=speaker_role(speaker)))
        text += content + "\n"
    return Transcript(id=tid, text=text, turns=spans)


def code_at(t: Transcript, phrase: str, code: str, coder: str, nth: int = 0) -> Coding:
    start = -1
    for _ in range(nth + 1):
        start = t.text.index(phrase, start + 1)
    return Coding(t.id, start, start + len(phrase), code, coder)


def brute_units(
    t: Transcript, unit: str, sentences: list[tuple[int, int]] | None, informant_only: bool
) -> list[tuple[int, int]]:
    turns = [
        (x.start, x.end)
        for x in t.turns
        if not (informant_only and x.role == INTERVIEWER) and x.start < x.end
    ]
    if unit == "turn":
        spans = turns
    elif unit == "sentence":
        spans = []
        for s, e in sorted(sentences or []):
            for ts, te in turns:
                inside = [i for i in range(s, e) if ts <= i < te]
                if inside:
                    spans.append((inside[0], inside[-1] + 1))
    else:
        spans = [(i, i + 1) for s, e in turns for i in range(s, e)]
    return [(s, e) for s, e in spans if any(not t.text[i].isspace() for i in range(s, e))]


def brute_has(t: Transcript, codings: list[Coding], coder: str, code: str, s: int, e: int) -> int:
    for c in codings:
        if c.transcript == t.id and c.coder == coder and c.code == code:
            if any(not t.text[i].isspace() for i in range(max(s, c.start), min(e, c.end))):
                return 1
    return 0


def brute_vectors(
    transcripts: list[Transcript],
    codings: list[Coding],
    code: str,
    unit: str,
    sentences: dict[str, list[tuple[int, int]]] | None = None,
    informant_only: bool = False,
) -> tuple[list[int], list[int]]:
    a, b = [], []
    for t in transcripts:
        for s, e in brute_units(t, unit, (sentences or {}).get(t.id), informant_only):
            a.append(brute_has(t, codings, "A", code, s, e))
            b.append(brute_has(t, codings, "B", code, s, e))
    return a, b


def assert_matches_reference(stats: Stats, a: list[int], b: list[int]) -> None:
    n = len(a)
    assert stats.n_decisions == n
    assert stats.both == sum(1 for x, y in zip(a, b, strict=True) if x and y)
    assert stats.only_a == sum(1 for x, y in zip(a, b, strict=True) if x and not y)
    assert stats.only_b == sum(1 for x, y in zip(a, b, strict=True) if y and not x)
    assert stats.neither == sum(1 for x, y in zip(a, b, strict=True) if not x and not y)
    assert close(
        stats.percent_agreement, sum(x == y for x, y in zip(a, b, strict=True)) / n if n else None
    )
    assert close(stats.cohen_kappa, ref_kappa(a, b) if n else None)
    assert close(stats.krippendorff_alpha, ref_alpha([a, b]) if n else None)


# --- the statistics themselves ----------------------------------------------------------

N = None
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]


def test_krippendorff_published_example() -> None:
    alpha = krippendorff_alpha(KRIPPENDORFF_2011)
    assert alpha is not None and round(alpha, 3) == 0.743


def test_interval_alpha_against_package() -> None:
    assert close(
        krippendorff_alpha(KRIPPENDORFF_2011, level="interval"),
        ref_alpha(KRIPPENDORFF_2011, "interval"),
    )


@st.composite
def reliability_data(draw: st.DrawFn) -> list[list[int | None]]:
    coders = draw(st.integers(2, 4))
    units = draw(st.integers(2, 30))
    labels = draw(st.integers(2, 4))
    value = st.one_of(st.none(), st.integers(0, labels - 1))
    return [[draw(value) for _ in range(units)] for _ in range(coders)]


@settings(max_examples=300, deadline=None)
@given(reliability_data())
def test_alpha_against_krippendorff_and_nltk(data: list[list[int | None]]) -> None:
    ours = krippendorff_alpha(data)
    expected = ref_alpha(data)
    if expected is None:
        assert ours is None
        return
    assert close(ours, expected)
    triples = [(c, u, v) for c, row in enumerate(data) for u, v in enumerate(row) if v is not None]
    assert close(ours, AnnotationTask(triples).alpha())


@settings(max_examples=150, deadline=None)
@given(reliability_data())
def test_interval_alpha_against_krippendorff(data: list[list[int | None]]) -> None:
    assert close(krippendorff_alpha(data, level="interval"), ref_alpha(data, "interval"))


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 40).flatmap(
        lambda n: st.tuples(*[st.tuples(st.sampled_from("xyz"), st.sampled_from("xyz"))] * n)
    )
)
def test_kappa_and_percent_against_sklearn(pairs: tuple[tuple[str, str], ...]) -> None:
    a, b = [p[0] for p in pairs], [p[1] for p in pairs]
    assert close(cohen_kappa(a, b), ref_kappa(a, b))
    assert percent_agreement(a, b) == sum(1 for x, y in pairs if x == y) / len(pairs)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 1)), min_size=1, max_size=40))
def test_binary_fast_path_equals_general_functions(pairs: list[tuple[int, int]]) -> None:
    a, b = [p[0] for p in pairs], [p[1] for p in pairs]
    counts = [pairs.count(x) for x in ((1, 1), (1, 0), (0, 1), (0, 0))]
    stats = binary_stats(*counts)
    assert close(stats.percent_agreement, percent_agreement(a, b))
    assert close(stats.cohen_kappa, cohen_kappa(a, b))
    assert close(stats.krippendorff_alpha, krippendorff_alpha([a, b]))


def test_undefined_statistics_are_none_not_nan() -> None:
    assert cohen_kappa([1, 1, 1], [1, 1, 1]) is None
    assert krippendorff_alpha([[2, 2, N], [2, N, 2]]) is None
    assert krippendorff_alpha([[1, N], [N, 2]]) is None  # nothing pairable
    assert percent_agreement([], []) is None
    stats = binary_stats(0, 0, 0, 5)
    assert stats.cohen_kappa is None and stats.krippendorff_alpha is None
    assert stats.note.startswith("no variation")
    json.dumps(stats.to_json(), allow_nan=False)
    assert "note" not in binary_stats(2, 1, 0, 3).to_json()


# --- units and decisions on hand-built transcripts --------------------------------------


@pytest.fixture
def interview() -> tuple[list[Transcript], list[Coding]]:
    t1 = make_transcript(
        "t1",
        [
            ("I", "How is work going?"),
            ("P", "Work is hard. My boss is kind."),
            ("I", "Tell me about money."),
            ("P", "Money is tight.   We cope."),
        ],
    )
    t2 = make_transcript("t2", [("Intervjuer", "Og familien?"), ("P2", "Familien er alt. Ja.")])
    codings = [
        code_at(t1, "Work is hard", "work", "A"),
        code_at(t1, "hard. My boss", "work", "B"),
        code_at(t1, "My boss is kind", "boss", "A"),
        code_at(t1, "money", "money", "A"),  # only in the interviewer's question
        code_at(t1, "Money is tight", "money", "A"),
        code_at(t1, "Money is tight", "money", "B"),
        code_at(t1, "We cope", "money", "B"),
        code_at(t1, "Work", "work", "C"),  # another coder: ignored
        code_at(t2, "Familien er alt", "family", "A"),
        Coding("t2", *_span(t2, "Ja"), "family", "B", status="unresolved"),
    ]
    return [t1, t2], codings


def _span(t: Transcript, phrase: str) -> tuple[int, int]:
    start = t.text.index(phrase)
    return start, start + len(phrase)


def sentence_spans(transcripts: list[Transcript]) -> dict[str, list[tuple[int, int]]]:
    """Split each turn on '. ' by hand, as a sentencizer would."""
    out: dict[str, list[tuple[int, int]]] = {}
    for t in transcripts:
        spans = []
        for turn in t.turns:
            start = turn.start
            for i in range(turn.start, turn.end):
                if t.text[i] in ".?" and (i + 1 == turn.end or t.text[i + 1] == " "):
                    spans.append((start, i + 1))
                    start = i + 1
            if start < turn.end:
                spans.append((start, turn.end))
        out[t.id] = spans
    return out


@pytest.mark.parametrize("unit", ["turn", "sentence", "character"])
@pytest.mark.parametrize("informant_only", [False, True])
def test_compute_agreement_matches_brute_force(
    interview: tuple[list[Transcript], list[Coding]], unit: str, informant_only: bool
) -> None:
    transcripts, codings = interview
    sentences = sentence_spans(transcripts)
    report = compute_agreement(
        transcripts,
        codings,
        "A",
        "B",
        unit=unit,
        informant_only=informant_only,
        sentences=sentences,
    )
    assert isinstance(report, AgreementReport)
    n_units = sum(len(brute_units(t, unit, sentences[t.id], informant_only)) for t in transcripts)
    assert report.n_units == n_units
    all_a: list[int] = []
    all_b: list[int] = []
    for code, stats in report.per_code.items():
        a, b = brute_vectors(transcripts, codings, code, unit, sentences, informant_only)
        assert_matches_reference(stats, a, b)
        all_a += a
        all_b += b
    assert_matches_reference(report.overall, all_a, all_b)
    for t in transcripts:
        ta: list[int] = []
        tb: list[int] = []
        for code in report.per_code:
            a, b = brute_vectors([t], codings, code, unit, sentences, informant_only)
            ta += a
            tb += b
        assert_matches_reference(report.per_transcript[t.id], ta, tb)
    json.dumps(report.to_json(), allow_nan=False)


def test_scope_informant_only_and_other_coders(
    interview: tuple[list[Transcript], list[Coding]],
) -> None:
    transcripts, codings = interview
    full = compute_agreement(transcripts, codings, "A", "B")
    assert full.n_units == 6
    assert sorted(full.per_code) == ["boss", "family", "money", "work"]
    # "money" in turns: A has the question and the answer turn, B the answer turn.
    assert (full.per_code["money"].both, full.per_code["money"].only_a) == (1, 1)
    # The unresolved coding of "Ja" still counts: both coders coded that turn.
    assert full.per_code["family"].both == 1
    informants = compute_agreement(transcripts, codings, "A", "B", informant_only=True)
    assert informants.n_units == 3
    assert informants.per_code["money"].only_a == 0
    # Coder C's coding changes nothing: the same report with C's codings removed.
    without_c = [c for c in codings if c.coder != "C"]
    assert compute_agreement(transcripts, without_c, "A", "B").to_json() == full.to_json()
    assert full.to_json()["coders"] == ["A", "B"]


def test_whitespace_only_overlap_does_not_count() -> None:
    t = make_transcript("w", [("P", "one  two"), ("P", "   three")])
    first, second = t.turns
    codings = [
        # A's span covers "two" plus the next turn's leading blanks only.
        Coding("w", first.start + 5, second.start + 3, "k", "A"),
        # B codes the blanks between "one" and "two": no non-whitespace character at all.
        Coding("w", first.start + 3, first.start + 5, "k", "B"),
    ]
    report = compute_agreement([t], codings, "A", "B", codes=["k"])
    stats = report.per_code["k"]
    assert (stats.both, stats.only_a, stats.only_b, stats.neither) == (0, 1, 0, 1)
    chars = compute_agreement([t], codings, "A", "B", unit="character", codes=["k"])
    assert chars.n_units == len("onetwothree")
    assert chars.per_code["k"].only_a == 3 and chars.per_code["k"].only_b == 0


def test_whitespace_only_units_are_not_units() -> None:
    t = Transcript("e", "P: a\nP:    \n", [Turn("P", 3, 4), Turn("P", 8, 11)])
    assert units_for(t, "turn") == [(3, 4)]
    assert units_for(t, "character") == [(3, 4)]


def test_undefined_stats_get_a_note(interview: tuple[list[Transcript], list[Coding]]) -> None:
    transcripts, codings = interview
    report = compute_agreement(transcripts, codings, "A", "B", codes=["work", "unused"])
    unused = report.per_code["unused"]
    assert unused.cohen_kappa is None and unused.krippendorff_alpha is None
    assert unused.percent_agreement == 1.0
    assert unused.note == "no variation: both coders gave the same value to every unit"
    assert "note" in report.to_json()["per_code"]["unused"]
    nobody = compute_agreement(transcripts, codings, "A", "Z")
    # Z coded nothing, but A did: variation exists, so the numbers are defined.
    assert nobody.overall.krippendorff_alpha is not None
    empty = compute_agreement(transcripts, [], "A", "B")
    assert empty.per_code == {} and empty.overall.n_decisions == 0
    assert empty.overall.percent_agreement is None and empty.overall.note


def test_errors_are_for_the_user(interview: tuple[list[Transcript], list[Coding]]) -> None:
    transcripts, codings = interview
    with pytest.raises(QualcodeError):
        compute_agreement(transcripts, codings, "A", "B", unit="paragraph")
    with pytest.raises(QualcodeError):
        compute_agreement(transcripts, codings, "A", "B", unit="sentence")
    with pytest.raises(QualcodeError):
        compute_agreement(transcripts, codings, "A", "A")


def test_units_for_sentences_are_clipped_to_kept_turns(
    interview: tuple[list[Transcript], list[Coding]],
) -> None:
    transcripts, _ = interview
    t1 = transcripts[0]
    spans = sentence_spans(transcripts)["t1"]
    assert units_for(t1, "sentence", sentences=spans) == brute_units(t1, "sentence", spans, False)
    kept = units_for(t1, "sentence", sentences=spans, informant_only=True)
    assert [t1.text[s:e].strip() for s, e in kept] == [
        "Work is hard.",
        "My boss is kind.",
        "Money is tight.",
        "We cope.",
    ]
    # A span running over two turns is cut in two.
    whole = [(0, len(t1.text))]
    assert units_for(t1, "sentence", sentences=whole) == units_for(t1, "turn")


# --- disagreements ------------------------------------------------------------------------


def brute_disagreements(
    transcripts: list[Transcript],
    codings: list[Coding],
    unit: str,
    code: str,
    both: bool = False,
) -> list[tuple[str, int, int, str]]:
    """Units (character runs) where exactly one coder has ``code``; with ``both``, where
    both coders have it."""

    def wanted(a: int, b: int) -> bool:
        return bool(a and b) if both else a != b

    out = []
    for t in transcripts:
        if unit != "character":
            for s, e in brute_units(t, unit, None, False):
                if wanted(
                    brute_has(t, codings, "A", code, s, e), brute_has(t, codings, "B", code, s, e)
                ):
                    out.append((t.id, s, e, code))
            continue
        for turn in t.turns:
            run: list[int] = []
            side = None
            for i in range(turn.start, turn.end):
                if t.text[i].isspace():
                    continue
                a = brute_has(t, codings, "A", code, i, i + 1)
                b = brute_has(t, codings, "B", code, i, i + 1)
                now = ("a" if a else "b") if wanted(a, b) else None
                if now != side and run:
                    out.append((t.id, run[0], run[-1] + 1, code))
                    run = []
                if now:
                    run.append(i)
                side = now
            if run:
                out.append((t.id, run[0], run[-1] + 1, code))
    return sorted(out)


@pytest.mark.parametrize("unit", ["turn", "character"])
def test_disagreements_are_the_units_where_one_coder_has_the_code(
    interview: tuple[list[Transcript], list[Coding]], unit: str
) -> None:
    transcripts, codings = interview
    found = disagreements(transcripts, codings, "A", "B", unit=unit, code="money")
    got = sorted((d.transcript, d.start, d.end, d.code) for d in found)
    assert got == brute_disagreements(transcripts, codings, unit, "money")
    for d in found:
        a = [
            c
            for c in codings
            if c.coder == "A" and c.code == "money" and c.transcript == d.transcript
        ]
        b = [
            c
            for c in codings
            if c.coder == "B" and c.code == "money" and c.transcript == d.transcript
        ]
        assert all(c in a for c in d.a_codings) and all(c in b for c in d.b_codings)
        assert bool(d.a_codings) != bool(d.b_codings)  # exactly one side has it


def test_disagreements_character_runs_span_words_but_not_sides() -> None:
    t = make_transcript("r", [("P", "alpha beta gamma")])
    codings = [
        Coding("r", *_span(t, "alpha beta"), "k", "A"),
        Coding("r", *_span(t, "gamma"), "k", "B"),
    ]
    found = disagreements([t], codings, "A", "B", unit="character")
    assert [(t.text[d.start : d.end], len(d.a_codings), len(d.b_codings)) for d in found] == [
        ("alpha beta", 1, 0),
        ("gamma", 0, 1),
    ]


# --- the fast character path against brute force on random spans ------------------------


@st.composite
def random_case(draw: st.DrawFn) -> tuple[Transcript, list[Coding]]:
    text = draw(st.text(alphabet="ab \n\t", min_size=1, max_size=60))
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=8))))
    turns = []
    for s, e in zip(cuts, cuts[1:], strict=False):
        role = draw(st.sampled_from([INTERVIEWER, "informant"]))
        turns.append(Turn("X", s, e, role=role))
    span = st.tuples(st.integers(0, len(text)), st.integers(0, len(text))).map(sorted)
    codings = [
        Coding("r", s, e, draw(st.sampled_from(["k1", "k2"])), draw(st.sampled_from("ABC")))
        for s, e in draw(st.lists(span, max_size=8))
    ]
    return Transcript("r", text, turns), codings


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_case(), st.sampled_from(["turn", "character"]), st.booleans())
def test_random_spans_equal_brute_force(
    case: tuple[Transcript, list[Coding]], unit: str, informant_only: bool
) -> None:
    t, codings = case
    report = compute_agreement(
        [t], codings, "A", "B", unit=unit, codes=["k1", "k2"], informant_only=informant_only
    )
    assume(report.n_units > 0 or unit == "turn")
    assert report.n_units == len(brute_units(t, unit, None, informant_only))
    for code in ("k1", "k2"):
        a, b = brute_vectors([t], codings, code, unit, informant_only=informant_only)
        assert_matches_reference(report.per_code[code], a, b)
        if not informant_only:
            got = sorted(
                (d.transcript, d.start, d.end, d.code)
                for d in disagreements([t], codings, "A", "B", unit=unit, code=code)
            )
            assert got == brute_disagreements([t], codings, unit, code)
            agreed = agreements([t], codings, "A", "B", unit=unit, code=code)
            got = sorted((d.transcript, d.start, d.end, d.code) for d in agreed)
            assert got == brute_disagreements([t], codings, unit, code, both=True)
            assert all(d.a_codings and d.b_codings for d in agreed)


def test_character_units_scale_without_per_character_objects() -> None:
    words = ["informant", "says", "that", "work", "is", "hard"]
    text = " ".join(words[i % len(words)] for i in range(400_000))  # about 2 million characters
    turn_len = 10_000
    turns = [Turn("P", s, min(s + turn_len, len(text))) for s in range(0, len(text), turn_len)]
    t = Transcript("big", text, turns)
    codings = [Coding("big", s, s + 700, "k", "A") for s in range(0, len(text), 5_000)]
    codings += [Coding("big", s + 300, s + 900, "k", "B") for s in range(0, len(text), 5_000)]
    tracemalloc.start()
    report = compute_agreement([t], codings, "A", "B", unit="character")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert report.n_units == sum(1 for ch in text if not ch.isspace())
    stats = report.per_code["k"]
    assert stats.both + stats.only_a + stats.only_b + stats.neither == report.n_units
    # A per-character list would need well over 50 MB here; the run index needs far less.
    assert peak < 20_000_000
