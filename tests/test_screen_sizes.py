"""Every main screen at 80×24, 120×40 and 250×70, checked on a text capture of the screen:
nothing the coder needs is cut off, dialogs keep their right edge, the help scrolls to its
end, the side panel gives way on a small terminal and the text keeps a readable measure on
a large one."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.console import Console

from qualcode.project import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.dialogs.picker import CodePicker
from qualcode.tui.dialogs.prompts import HelpScreen
from qualcode.tui.screens.home import HomeScreen
from qualcode.tui.screens.matrix import MatrixScreen
from tests.test_tui import TID, make_project

SIZES = [(80, 24), (120, 40), (250, 70)]


def capture(app: QualcodeApp) -> list[str]:
    """The screen as lines of text, as the terminal shows them (colours dropped)."""
    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), record=True, legacy_windows=False
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text().splitlines()[:height]


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sizes")
    make_project(root).close()
    return root


@pytest.fixture
def project(study: Path):  # type: ignore[no-untyped-def]
    p = Project.open(study)
    yield p
    p.close()


def _text_rows(lines: list[str]) -> list[str]:
    """The transcript pane's text rows: indented lines left of the side panel's border."""
    return [ln.split("│")[0].rstrip() for ln in lines[1:-1] if ln.startswith("   ")]


@pytest.mark.parametrize("size", SIZES)
async def test_home(project: Project, size: tuple[int, int]) -> None:
    app = QualcodeApp(project, "ida")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        text = "\n".join(capture(app))
        assert TID in text and "stor-kommune-1" in text
        assert re.search(r"Progress\b", text)  # the last column, never cut
        assert ("Codebook (your codings)" in text) == (size[0] >= 100)
        table = app.screen.query_one("#transcripts")
        assert table.cursor_row == 1  # on the first transcript, not its group's row


@pytest.mark.parametrize("size", SIZES)
async def test_transcript(project: Project, size: tuple[int, int]) -> None:
    width, _ = size
    app = QualcodeApp(project, "ida", TID)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        lines = capture(app)
        side = any("At the cursor" in ln for ln in lines)
        assert side == (width >= 100)
        rows = _text_rows(lines)
        longest = max(len(r) for r in rows)
        if width >= 160:
            assert 80 <= longest <= 106  # a readable measure; the side panel has the rest
        else:
            assert longest >= min(width, 120) * 0.55, longest  # the text has the room
        assert "c  Code" in lines[-1]  # the key bar
        await pilot.press("i")  # the side panel toggles
        await pilot.pause()
        assert any("At the cursor" in ln for ln in capture(app)) != side


@pytest.mark.parametrize("size", SIZES)
async def test_picker(project: Project, size: tuple[int, int]) -> None:
    app = QualcodeApp(project, "ida", TID)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("n", "c", *"palliativt team")
        await pilot.pause()
        assert isinstance(app.screen, CodePicker)
        text = "\n".join(capture(app))
        assert "╮" in text and "╯" in text  # the dialog's right edge is on screen
        assert "choose another" in text  # its title whole
        assert "Palliativt team" in text


@pytest.mark.parametrize("size", SIZES)
async def test_help_scrolls_to_its_end(project: Project, size: tuple[int, int]) -> None:
    app = QualcodeApp(project, "ida", TID)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        first = "\n".join(capture(app))
        assert "╮" in first and "code the selection" in first
        await pilot.press(*["pagedown"] * 8)
        await pilot.pause()
        last = " ".join(capture(app))
        assert "which the reports use" in re.sub(r"[│\s]+", " ", last)


@pytest.mark.parametrize("size", SIZES)
async def test_matrix(project: Project, size: tuple[int, int]) -> None:
    app = QualcodeApp(project, "ida")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, MatrixScreen)
        text = "\n".join(capture(app))
        assert "Liten kommune 1" in text and "Back" in text
        table = app.screen.query_one("#matrix")
        assert tuple(table.cursor_coordinate) == (1, 1)  # a case's cell, not a group row
