"""What an agreement report says beside its figures: the pooling, the per-code spread, the
units the pooled interval resamples, and "too few units" instead of a verdict."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.agreement import verdicts
from qualcode.agreement.results import UnitTally
from qualcode.agreement.units import _counts, _coverage, _setup, compute_agreement
from qualcode.model import Coding, Transcript, Turn, speaker_role


def make_transcript(tid: str, turns: list[str]) -> Transcript:
    text, spans = "", []
    for i, content in enumerate(turns):
        speaker = "Intervjuer" if i % 2 == 0 else "Leder"
        text += f"{speaker}: "
        spans.append(Turn(speaker, len(text), len(text) + len(content), role=speaker_role(speaker)))
        text += content + "\n"
    return Transcript(id=tid, text=text, turns=spans)


TURNS = [f"Ord nummer {i} og litt mer tekst her." for i in range(40)]


@st.composite
def codings(draw, t: Transcript):  # type: ignore[no-untyped-def]
    out = []
    for _ in range(draw(st.integers(0, 25))):
        start = draw(st.integers(0, len(t.text) - 1))
        end = draw(st.integers(start + 1, min(len(t.text), start + 90)))
        out.append(
            Coding(
                t.id, start, end, draw(st.sampled_from("xyz")), draw(st.sampled_from(["ann", "bo"]))
            )
        )
    return out


T1 = make_transcript("t1", TURNS[:20])
T2 = make_transcript("t2", TURNS[20:])


@settings(max_examples=40, deadline=None)
@given(codings(T1), codings(T2), st.sampled_from(["turn", "character"]), st.booleans())
def test_tally_of_units_adds_up_to_the_pooled_table(c1, c2, unit, informant_only) -> None:  # type: ignore[no-untyped-def]
    # What the pooled interval resamples (each unit with its decisions on every code) must
    # be the pooled 2×2 table split by unit, and nothing else.
    report = compute_agreement(
        [T1, T2], c1 + c2, "ann", "bo", unit=unit, informant_only=informant_only
    )
    prepared, grouped = _setup([T1, T2], c1 + c2, "ann", "bo", unit, informant_only, None)
    tally = UnitTally()
    for p in prepared:
        for code in report.per_code:
            a = _coverage(p, grouped.get((p.transcript.id, "ann", code), []))
            b = _coverage(p, grouped.get((p.transcript.id, "bo", code), []))
            _counts(p, a, b, tally)
    kinds, counts = tally.kinds(len(report.per_code), report.n_units)
    assert sum(counts) == report.n_units
    assert all(n >= 0 for n in counts)
    totals = (np.asarray(counts)[:, None] * np.asarray(kinds)).sum(axis=0)
    o = report.overall
    assert tuple(int(x) for x in totals) == (o.both, o.only_a, o.only_b, o.neither)


def test_code_on_two_units_says_too_few_units() -> None:
    t = make_transcript("t1", TURNS[:30])
    cs = []
    for phrase in ["nummer 1 ", "nummer 3 "]:  # two units, both coders agree
        start = t.text.index(phrase)
        cs += [Coding("t1", start, start + 8, "rare", c) for c in ("ann", "bo")]
    for phrase in [f"nummer {i} " for i in range(5, 29, 1)]:  # a frequent code, 24 units
        start = t.text.index(phrase)
        cs += [Coding("t1", start, start + 8, "common", c) for c in ("ann", "bo")]
    report = compute_agreement([t], cs, "ann", "bo")
    rare, common = report.per_code["rare"], report.per_code["common"]
    assert rare.krippendorff_alpha == pytest.approx(1.0)
    assert rare.coded_units == 2 < verdicts.MIN_CODED_UNITS
    assert verdicts.verdict(rare) == "too few units"
    assert verdicts.verdict(rare, "nb") == "for få enheter"
    assert report.to_json()["per_code"]["rare"]["verdict"] == "too_few"
    assert common.coded_units == 24 and verdicts.verdict(common) == "reliable"
    # The spread beside the pooled figure covers both codes.
    spread = report.spread()["krippendorff_alpha"]
    assert spread.n_codes == 2 and spread.min == pytest.approx(1.0)
    assert "pooled" in report.pooling() and "2 codes × 30 units" in report.pooling()
    assert "2 koder × 30 enheter" in report.pooling("nb")


def test_character_units_count_passages_as_coded_units() -> None:
    t = make_transcript("t1", TURNS[:6])
    first = t.text.index("nummer 1")
    second = t.text.index("nummer 3")
    cs = [
        Coding("t1", first, first + 10, "k", "ann"),
        Coding("t1", first + 5, first + 20, "k", "bo"),  # overlaps ann's: one passage
        Coding("t1", second, second + 6, "k", "bo"),  # a second passage
    ]
    stats = compute_agreement([t], cs, "ann", "bo", unit="character").per_code["k"]
    assert stats.coded_units == 2
    assert stats.both + stats.only_a + stats.only_b > 20  # characters, not passages


def test_thresholds_live_once() -> None:
    import qualcode.cli.agreement_render as cli
    import qualcode.exporters.agreement as export
    import qualcode.tui.screens.agreement as screen

    for module in (cli, export, screen):
        assert module.RELIABLE is verdicts.RELIABLE and module.TENTATIVE is verdicts.TENTATIVE
    # Bloch & Kraemer's bound as p -> 0 for the lowest acceptable alpha at p = .05.
    z, a = 1.6448536269514722, verdicts.TENTATIVE
    bound = 2 * z**2 * (1 + a) * (3 - a) / (4 * (1 - a))
    assert verdicts.MIN_CODED_UNITS == int(np.ceil(bound))


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_methods_paragraph_names_its_choices_in_either_language(lang: str) -> None:
    from qualcode.agreement import bootstrap, methods

    facts = methods.Facts(
        unit="character",
        n_units=12345,
        coders=("ann", "bo"),
        transcripts=["t1", "t2"],
        informant_only=True,
        codes_given=False,
        n_codes=7,
        unitizing=True,
        comparison=True,
    )
    text = methods.paragraph(facts, lang)
    refs = "\n".join(methods.references(facts))
    english = lang == "en"
    for want in (
        "12,345" if english else "12\u00a0345",
        "(t1, t2)",
        "informant turns only" if english else "bare informantenes replikker",
        "pooled" if english else "pooling",
        "7 codes" if english else "7 koder",
        "Gwet",
        "Brennan",
        f"({bootstrap.SEED})",
        "0.800" if english else "0,800",
        str(verdicts.MIN_CODED_UNITS),
        "too narrow" if english else "for smalt",  # the caveat of character units
        "NVivo",
        "Cu-α",
    ):
        assert want in text, want
    for cited in ("Cohen", "Hayes", "Brennan", "Gwet", "Cicchetti", "Bloch", "Widlöcher"):
        assert cited in refs
