"""Quitting never loses an unsaved text: ctrl+q (and the palette's Quit) asks first while a
memo, summary or Table 1 note has unsaved changes, as Esc does."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import TextArea

from qualcode import memos
from qualcode.project import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.dialogs.prompts import ChoicePrompt, MemoEditor
from qualcode.tui.screens.home import HomeScreen
from qualcode.tui.screens.memos import MemosScreen
from tests.test_tui import make_project


@pytest.fixture
def project(tmp_path: Path):
    p = make_project(tmp_path)
    yield p
    p.close()


async def _editing_project_memo(app: QualcodeApp, pilot) -> MemoEditor:  # type: ignore[no-untyped-def]
    await pilot.pause()
    assert isinstance(app.screen, HomeScreen)
    await pilot.press("m")
    await pilot.pause()
    assert isinstance(app.screen, MemosScreen)
    await pilot.press("enter")  # the project memo opens the editor
    await pilot.pause()
    assert isinstance(app.screen, MemoEditor)
    return app.screen


async def test_ctrl_q_after_keep_editing_asks_and_saves_the_memo(project: Project) -> None:
    memos.set_memo(project.store, "project", "", "gammel", "tester")
    app = QualcodeApp(project, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await _editing_project_memo(app, pilot)
        await pilot.press("end", *" og ny", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ChoicePrompt)  # "The memo has changed. Save it?"
        await pilot.press("down", "down", "enter")  # keep editing
        await pilot.pause()
        assert isinstance(app.screen, MemoEditor)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, ChoicePrompt)  # asked, not quit
        assert app.screen.highlight is None  # the first choice, saving, is highlighted
        await pilot.press("enter")  # save and quit
        await pilot.pause()
        assert not app.is_running
    assert memos.memo_text(project.store, "project", "") == "gammel og ny"


async def test_the_palettes_quit_asks_too_and_stay_keeps_the_text(project: Project) -> None:
    memos.set_memo(project.store, "project", "", "gammel", "tester")
    app = QualcodeApp(project, "tester")
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await _editing_project_memo(app, pilot)
        await pilot.press("end", *" ny tanke")
        await app.action_quit()  # what the palette's Quit runs
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, ChoicePrompt)
        await pilot.press("escape")  # stay
        await pilot.pause()
        assert app.screen is editor and editor.text == "gammel ny tanke"
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("down", "enter")  # quit without saving
        await pilot.pause()
        assert not app.is_running
    assert memos.memo_text(project.store, "project", "") == "gammel"


async def test_a_summary_with_changes_asks_and_one_without_quits_at_once(
    project: Project,
) -> None:
    from qualcode import report
    from qualcode.tui.screens.matrix import CellEditorScreen

    matrix = report.build_matrix(project)
    cell = next(iter(matrix.cells.values()))
    app = QualcodeApp(project, "tester")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.push_screen(CellEditorScreen(project, "tester", cell))
        await pilot.pause()
        app.screen.query_one(TextArea).focus()
        await pilot.press(*"Oppsummert")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ChoicePrompt)
        await pilot.press("enter")  # save and quit
        await pilot.pause()
        assert not app.is_running
    saved = [s["text"] for s in project.store.summaries.all() if s["kind"] == "theme"]
    assert saved == ["Oppsummert"]

    app = QualcodeApp(project, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+q")  # nothing unsaved: quits as before
        await pilot.pause()
        assert not app.is_running
