"""The workspace at 80×24, as a fresh-eyes tester saw it in Norwegian: the search's mode
selector on one line and its keyword-in-context column wide enough to show the match, the
home key bar without a bare key, and toasts that leave the coded text in view."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qualcode.project import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.screens.home import HomeScreen
from qualcode.tui.screens.search import SearchScreen
from tests.test_screen_sizes import capture
from tests.test_tui import TID, make_project


@pytest.fixture
def project(tmp_path: Path):  # type: ignore[no-untyped-def]
    p = make_project(tmp_path)
    yield p
    p.close()


@pytest.mark.parametrize("size", [(80, 24), (180, 50)])
async def test_search_shows_the_mode_whole_and_every_match_in_context(
    project: Project, size: tuple[int, int], norwegian: str
) -> None:
    app = QualcodeApp(project, "ida")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"team", "enter")
        await pilot.pause()
        assert len(app.screen.hits) >= 2
        lines = capture(app)
        assert any(re.search(r"grunnform +▼", line) for line in lines)  # on one line
        rows = [line for line in lines if "kommune 1" in line]
        assert len(rows) == len(app.screen.hits)
        for row in rows:
            assert "team" in row.casefold(), row  # the match is in view on every row


@pytest.mark.parametrize("size", [(80, 24), (180, 50)])
async def test_the_key_bar_shows_no_key_without_its_words(
    project: Project, size: tuple[int, int], norwegian: str
) -> None:
    app = QualcodeApp(project, "ida")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        bar = capture(app)[-1].rstrip()
        assert bar.endswith("^p  palett"), bar  # the way to every action, always whole
        shown = re.findall(r"(?:^| )(\S{1,2})  (\S+)", bar)
        assert shown and all(said not in {"", "^p"} for _key, said in shown), bar
        assert "…" not in bar
        assert " ?  Taster " in bar  # how to learn every key, kept at any width
        if size[0] >= 180:
            assert "Avslutt" in bar  # room for every key of home


async def test_moving_to_the_next_turn_says_where_in_the_title_not_over_the_text(
    project: Project, norwegian: str
) -> None:
    """n (next uncoded informant turn) said «Kreftkoordinator ved 00:00:21» in a toast that
    covered the turn's text at 80 columns; the title line says it now."""
    app = QualcodeApp(project, "ida", TID)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert not app._notifications
        title = capture(app)[0]
        assert "Kreftkoordinator ved 00:00:21" in title, title
        await pilot.press("v")  # coding stripes on: said in the title as well
        await pilot.pause()
        assert not app._notifications
        assert "stripe" in capture(app)[0]


async def test_a_toast_takes_no_more_rows_than_its_words(project: Project, norwegian: str) -> None:
    app = QualcodeApp(project, "ida", TID)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("x")  # nothing of ida's to remove: a warning toast
        await pilot.pause()
        toast = app.screen.query_one("Toast")
        assert toast.region.height == toast.content_region.height  # no padding rows
