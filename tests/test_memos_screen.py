"""Memos in the workspace: a case memo written at home, the memo list, the editor's keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode import memos
from qualcode.coding import make_coding
from qualcode.project import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.dialogs.prompts import ChoicePrompt, MemoEditor
from qualcode.tui.screens.home import HomeScreen
from qualcode.tui.screens.memos import MemosScreen
from qualcode.tui.screens.transcript import TranscriptScreen
from tests.test_tui import make_project


@pytest.fixture
def project(tmp_path: Path):
    p = make_project(tmp_path)
    yield p
    p.close()


async def _home(pilot, app: QualcodeApp) -> HomeScreen:  # type: ignore[no-untyped-def]
    await pilot.pause()
    assert isinstance(app.screen, HomeScreen)
    return app.screen


async def _to_transcript_row(pilot, home: HomeScreen, tid: str) -> None:  # type: ignore[no-untyped-def]
    for _ in range(10):
        if home.selected_transcript() == tid:
            return
        await pilot.press("down")
        await pilot.pause()
    raise AssertionError(f"no row for {tid}")


@pytest.mark.parametrize("size", [(80, 24), (140, 45)])
async def test_a_case_memo_written_at_home_is_stored_with_its_lines(
    project: Project, size: tuple[int, int]
) -> None:
    app = QualcodeApp(project, "tester")
    async with app.run_test(size=size) as pilot:
        home = await _home(pilot, app)
        await _to_transcript_row(pilot, home, "liten-kommune-1")
        await pilot.press("M")
        await pilot.pause()
        assert isinstance(app.screen, ChoicePrompt)
        await pilot.press("enter")  # the first choice: the case
        await pilot.pause()
        assert isinstance(app.screen, MemoEditor)
        await pilot.press(*"Tett på", "enter", *"familien", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert project.store.memos.get("case", "Liten kommune 1") == "Tett på\nfamilien"
    listed = memos.list_memos(project.store, ("case",))
    assert [(m.target, m.author) for m in listed] == [("Liten kommune 1", "tester")]


async def test_escape_asks_before_a_changed_memo_is_lost(project: Project) -> None:
    memos.set_memo(project.store, "project", "", "gammel", "tester")
    app = QualcodeApp(project, "tester")
    async with app.run_test(size=(100, 30)) as pilot:
        await _home(pilot, app)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MemosScreen)
        await pilot.press("enter")  # a project memo opens the editor
        await pilot.pause()
        assert isinstance(app.screen, MemoEditor)
        await pilot.press("end", *" og ny", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ChoicePrompt)  # asked, not silently dropped
        await pilot.press("down", "enter")  # discard
        await pilot.pause()
        assert isinstance(app.screen, MemosScreen)
        assert project.store.memos.get("project", "project") == "gammel"
        await pilot.press("e", "end", *" og ny", "escape")
        await pilot.pause()
        await pilot.press("enter")  # save
        await pilot.pause()
    assert project.store.memos.get("project", "project") == "gammel og ny"


async def test_enter_on_a_coding_memo_opens_it_in_context_and_blind_hides_others(
    project: Project,
) -> None:
    t = project.store.transcripts.get("liten-kommune-1")
    turn = t.turns[1]
    theme = project.guide.themes[0].id
    project.store.codings.add(make_coding(t, turn.start, turn.end, theme, "other", "fremmed memo"))
    mine = project.store.codings.add(make_coding(t, turn.start, turn.start + 10, theme, "tester"))
    project.store.codings.update(mine.id, "tester", memo="mitt memo")
    app = QualcodeApp(project, "tester")
    async with app.run_test(size=(120, 40)) as pilot:
        await _home(pilot, app)
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MemosScreen)
        shown = [m.text for m in screen.memos()]
        assert shown == ["mitt memo"]  # blind: another coder's coding memo stays hidden
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TranscriptScreen)
        assert app.screen.view.selection == (turn.start, turn.start + 10)


async def test_coding_stripes_show_every_code_of_a_line_and_a_memo_mark(project: Project) -> None:
    t = project.store.transcripts.get("liten-kommune-1")
    turn = t.turns[1]
    themes = project.guide.themes
    outer = make_coding(t, turn.start, turn.end, themes[0].id, "tester")
    project.store.codings.add(outer)
    inner = project.store.codings.add(
        make_coding(t, turn.start, turn.start + 12, themes[1].id, "tester")
    )
    project.store.codings.update(inner.id, "tester", memo="se her")
    app = QualcodeApp(project, "tester", "liten-kommune-1")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TranscriptScreen)
        view = screen.view
        row = view.layout_.row_col(turn.start)[0]
        before = "".join(
            s.text for s in view._text_strip(row, *_line(view, row), False, 80, view.rich_style)
        )
        assert "┃" not in before
        await pilot.press("v")
        await pilot.pause()
        assert view.stripes
        row = view.layout_.row_col(turn.start)[0]
        strip = view._text_strip(row, *_line(view, row), False, 80, view.rich_style)
        tail = "".join(s.text for s in strip)[-7:]
        assert tail.count("┃") == 2 and tail.endswith("✎")
        colours = {s.style.color.name for s in strip if s.text == "┃" and s.style and s.style.color}
        assert len(colours) == 2  # the outer theme's bar is not hidden by the inner one
        await pilot.press("v")
        await pilot.pause()
        assert not view.stripes


def _line(view, row: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    ln = view.layout_.lines[row]
    return ln.start, ln.end
