"""The co-occurrence and crosstab screens, driven with Pilot at 80×24 and at 140×45."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from qualcode.coding import make_coding
from qualcode.project import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.dialogs.prompts import ChoicePrompt
from qualcode.tui.screens.cooccurrence import CooccurrenceScreen
from qualcode.tui.screens.crosstab import CrosstabScreen
from qualcode.tui.screens.home import HomeScreen
from qualcode.tui.screens.retrieval import RetrievalScreen
from qualcode.tui.screens.transcript import TranscriptScreen
from tests.test_tui import TID, make_project

SIZES = [(80, 24), (140, 45)]


@pytest.fixture
def project(tmp_path: Path):
    p = make_project(tmp_path)
    t = p.store.transcripts.get(TID)
    turn = t.turns[1]
    # tester: kreftkoordinator and palliativt-team on overlapping words of one turn;
    # other: the same codes elsewhere (hidden while blind)
    p.store.codings.add(make_coding(t, turn.start, turn.start + 30, "kreftkoordinator", "tester"))
    p.store.codings.add(make_coding(t, turn.start + 10, turn.end, "palliativt-team", "tester"))
    far = t.turns[3]
    p.store.codings.add(make_coding(t, far.start, far.end, "kreftkoordinator", "other"))
    p.store.codings.add(make_coding(t, far.start, far.end, "palliativt-team", "other"))
    yield p
    p.close()


def _cell(screen: CooccurrenceScreen, a: str, b: str) -> tuple[int, int]:
    assert screen.result is not None
    ids = [c.id for c in screen.result.codes]
    return ids.index(a), ids.index(b) + 1


@pytest.mark.parametrize("size", SIZES)
async def test_cooccurrence_screen_counts_blind_then_all_and_opens_a_stretch(
    project: Project, size: tuple[int, int]
) -> None:
    app = QualcodeApp(project, "tester")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CooccurrenceScreen) and screen.result is not None
        assert screen.result.count("kreftkoordinator", "palliativt-team") == 1  # blind: own
        assert "blind" in str(screen.query_one("#title").render())
        app.blind = False  # as `b` does on any screen
        screen.reload()
        assert screen.result.count("kreftkoordinator", "palliativt-team") == 2
        assert screen.result.count("kreftkoordinator", "kreftkoordinator") == 2
        table = screen.query_one(DataTable)
        table.move_cursor(row=_cell(screen, "kreftkoordinator", "palliativt-team")[0],
                          column=_cell(screen, "kreftkoordinator", "palliativt-team")[1])  # fmt: skip
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChoicePrompt)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TranscriptScreen)
        t = project.store.transcripts.get(TID)
        start = t.turns[1].start
        assert app.screen.view.selection == (start + 10, start + 30)  # the common stretch


async def test_cooccurrence_within_turns_and_levels(project: Project) -> None:
    app = QualcodeApp(project, "tester")
    app.blind = False
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CooccurrenceScreen) and screen.result is not None
        await pilot.press("w")
        await pilot.pause()
        assert screen.result.within == "turn"
        assert screen.result.count("kreftkoordinator", "palliativt-team") == 2  # two turns
        await pilot.press("l")
        await pilot.pause()
        assert screen.result.level == "theme"
        assert all(c.parent is None for c in screen.result.codes)


@pytest.mark.parametrize("size", SIZES)
async def test_crosstab_screen_by_size_then_retrieves_a_cell(
    project: Project, size: tuple[int, int]
) -> None:
    app = QualcodeApp(project, "tester")
    app.blind = False
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CrosstabScreen) and screen.table is not None
        assert screen.table.columns == ["stor", "liten"]  # the guide's order, no empty ones
        cell = screen.table.cell("kreftkoordinator", "liten")
        assert cell.passages == 2 and cell.cases == {"Liten kommune 1"}
        assert screen.table.share("kreftkoordinator", "liten") == 1.0
        assert screen.table.cell("kreftkoordinator", "stor").passages == 0
        row = [c.id for c in screen.table.codes].index("kreftkoordinator")
        col = screen.table.columns.index("liten") + 1
        screen.query_one(DataTable).move_cursor(row=row, column=col)
        await pilot.press("enter")
        await pilot.pause()
        retrieval = app.screen
        assert isinstance(retrieval, RetrievalScreen)
        assert ("size", "liten") in retrieval.filters
        assert len(retrieval.segments()) == 2
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("x", "a")  # columns by region
        await pilot.pause()
        assert isinstance(app.screen, CrosstabScreen) and app.screen.by == "region"


async def test_retrieval_exports_its_passages_to_a_word_file_and_never_overwrites(
    project: Project,
) -> None:
    import docx

    app = QualcodeApp(project, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CrosstabScreen) and screen.table is not None
        row = [c.id for c in screen.table.codes].index("kreftkoordinator")
        col = screen.table.columns.index("liten") + 1
        screen.query_one(DataTable).move_cursor(row=row, column=col)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RetrievalScreen)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("end", *["backspace"] * 40, *"liten.docx", "enter")
        await pilot.pause()
        written = project.root / "liten.docx"
        assert written.exists()
        text = "\n".join(p.text for p in docx.Document(str(written)).paragraphs)
        assert "Liten kommune 1" in text and "tester" in text
        before = written.read_bytes()
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("end", *["backspace"] * 40, *"liten.docx", "enter")  # again
        await pilot.pause()
        assert written.read_bytes() == before  # refused, not overwritten
        assert isinstance(app.screen, RetrievalScreen)
