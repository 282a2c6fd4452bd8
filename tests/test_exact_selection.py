"""A coding's quote is always the text of its span, inside one turn's words: never a
speaker label, a timestamp or the preamble, whatever keys made the selection."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode.coding import make_coding, turn_pieces
from qualcode.model import QualcodeError
from qualcode.project import Project
from qualcode.tui.app import QualcodeApp
from tests.test_tui import SIZE, TID, make_project, quit_all, screen

KEYS = [
    "up",
    "down",
    "left",
    "right",
    "shift+up",
    "shift+down",
    "shift+left",
    "shift+right",
    "ctrl+shift+right",
    "ctrl+shift+left",
    "ctrl+shift+down",
    "n",
    "t",
    "escape",
    ")",
    "pagedown",
    "end",
]


def inside_one_turn(project: Project, start: int, end: int) -> bool:
    t = project.store.transcripts.get(TID)
    return any(turn.start <= start and end <= turn.end for turn in t.turns)


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("exact")
    make_project(root).close()
    return root


@settings(max_examples=60, deadline=None)
@given(a=st.integers(0, 700), length=st.integers(1, 400))
def test_pieces_lie_inside_turn_content(study: Path, a: int, length: int) -> None:
    project = Project.open(study)
    try:
        t = project.store.transcripts.get(TID)
        pieces = turn_pieces(t, a, min(len(t.text), a + length))
        for s, e in pieces:
            assert inside_one_turn(project, s, e)
            c = make_coding(t, s, e, "x", "tester")
            assert c.quote == t.text[s:e] and c.quote == c.quote.strip()
    finally:
        project.close()


async def _code_after(project: Project, keys: list[str]) -> None:
    app = QualcodeApp(project, "tester", TID)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.press("1")
        await pilot.pause()
        assert screen(app)
        await quit_all(app, pilot)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(keys=st.lists(st.sampled_from(KEYS), min_size=1, max_size=12))
def test_any_key_sequence_stores_quotes_inside_turns(tmp_path: Path, keys: list[str]) -> None:
    root = tmp_path / f"p{abs(hash(tuple(keys)))}"
    root.mkdir()
    project = make_project(root)
    try:
        asyncio.run(_code_after(project, keys))
        text = project.store.transcripts.get(TID).text
        for c in project.store.codings.all(transcript=TID):
            assert c.quote == text[c.start : c.end]
            assert inside_one_turn(project, c.start, c.end), (keys, c)
    finally:
        project.close()


async def test_shift_down_past_a_turn_stores_only_the_informants_words(
    project: Project,
) -> None:
    """The issue's sequence: n, shift+Down runs into the next speaker's label."""
    app = QualcodeApp(project, "tester", TID)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n", "end", "shift+down", "shift+down", "shift+down", "1")
        await pilot.pause()
        await quit_all(app, pilot)
    t = project.store.transcripts.get(TID)
    codings = project.store.codings.all(transcript=TID)
    assert codings, "the selection was coded"
    for c in codings:
        assert "Intervjuer" not in c.quote and "[00:" not in c.quote
        assert inside_one_turn(project, c.start, c.end)
        assert c.quote == t.text[c.start : c.end]


def test_a_selection_across_turns_is_split_one_coding_per_turn(project: Project) -> None:
    from qualcode.tui.session import CodingSession

    t = project.store.transcripts.get(TID)
    first, second = t.turns[1], t.turns[2]
    session = CodingSession(project.store, t, "tester")
    made = session.add(first.start + 3, second.end, "organisering")
    assert [(c.start, c.end) for c in made] == [
        turn_pieces(t, first.start + 3, first.end)[0],
        (second.start, second.end),
    ]
    assert session.undo() is not None
    assert project.store.codings.all(transcript=TID) == []
    label_only = (first.end, second.start)
    with pytest.raises(QualcodeError, match="no words of a turn"):
        session.add(*label_only, "organisering")


@pytest.fixture
def project(tmp_path: Path):  # type: ignore[no-untyped-def]
    p = make_project(tmp_path)
    yield p
    p.close()
