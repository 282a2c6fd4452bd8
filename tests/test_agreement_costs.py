"""What agreement repeats, counted rather than timed: the project's codings are read from
the store once per report (the coverage read them three times, then the inputs a fourth),
and sentences are clipped to turns in one sweep, with the same units as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualcode.agreement.inputs import agreement_report
from qualcode.agreement.units import _clip_to_turns
from qualcode.project import Project
from qualcode.store.codings import Codings
from tests.test_export_kinds import _code_both


def test_an_agreement_report_reads_the_codings_once(
    cli, project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _code_both(cli, project_dir)
    reads: list[tuple[object, ...]] = []
    original = Codings.all

    def counting(self: Codings, *args: object, **kw: object) -> object:
        reads.append((*args, *kw.values()))
        return original(self, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Codings, "all", counting)
    with Project.open(project_dir) as project:
        report = agreement_report(project, "ann", "bo", unit="sentence")
    assert report.overall.both + report.overall.only_a + report.overall.only_b > 0
    assert len(reads) == 1


def test_an_agreement_export_reads_the_codings_once_per_part(
    cli, project_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report, then the comparison and the unitizing alphas from one shared read."""
    _code_both(cli, project_dir)
    reads = [0]
    original = Codings.all

    def counting(self: Codings, *args: object, **kw: object) -> object:
        reads[0] += 1
        return original(self, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Codings, "all", counting)
    out = tmp_path / "a.md"
    result = cli("export", "agreement", "--coders", "ann", "bo", "--out", str(out))
    assert result.exit_code == 0 and out.stat().st_size > 0
    assert reads[0] == 2


def _clip_by_search(spans: list[tuple[int, int]], turns: list[tuple[int, int]]) -> list:
    """The definition: every (span, turn) pair that overlaps, cut to the turn."""
    out = []
    for s, e in spans:
        for ts, te in turns:
            lo, hi = max(s, ts), min(e, te)
            if lo < hi:
                out.append((lo, hi))
    return out


@pytest.mark.parametrize("seed", range(20))
def test_clipping_sentences_to_turns_in_one_sweep_cuts_as_the_definition(seed: int) -> None:
    import random

    rng = random.Random(seed)
    edges = sorted(rng.sample(range(1, 400), 12))
    turns = [(edges[i], edges[i + 1]) for i in range(0, len(edges) - 1, 2)]
    spans = sorted((s, s + rng.randint(0, 120)) for s in rng.sample(range(0, 420), 25))
    assert _clip_to_turns(spans, turns) == _clip_by_search(spans, turns)


def test_space_characters_are_exactly_what_isspace_says() -> None:
    from qualcode.agreement.spans import SPACE_CHARACTERS

    assert SPACE_CHARACTERS == "".join(chr(c) for c in range(0x110000) if chr(c).isspace())


@given(
    st.text(alphabet=st.sampled_from("aæ\U0001f600 \t\n\xa0\u2009\u3000\x1c\ud800"), max_size=60)
)
def test_non_space_index_ranks_and_selects_as_the_definition_says(text: str) -> None:
    """Built with numpy over code points; checked against counting characters one by one."""
    from qualcode.agreement.spans import NonSpaceIndex

    index = NonSpaceIndex(text)
    solid = [i for i, ch in enumerate(text) if not ch.isspace()]
    for pos in range(-1, len(text) + 2):
        assert index.rank(pos) == sum(1 for i in solid if i < pos)
    assert [index.select(j) for j in range(len(solid))] == solid
