"""Keys a fresh-eyes tester missed: Esc goes back from every screen it can leave (unless a
text field has focus and uses it), and ? starts with the keys of the screen it is on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qualcode.project import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.dialogs.picker import CodePicker
from qualcode.tui.dialogs.prompts import HelpScreen
from qualcode.tui.screens.home import HomeScreen
from tests.test_screen_sizes import capture
from tests.test_tui import make_project


@pytest.fixture
def project(tmp_path: Path):  # type: ignore[no-untyped-def]
    p = make_project(tmp_path)
    yield p
    p.close()


@pytest.mark.parametrize("key", ["k", "r", "s", "g", "f", "t", "w", "c", "x", "m", "!"])
async def test_escape_goes_back_home_from_every_screen(project: Project, key: str) -> None:
    app = QualcodeApp(project, "ida")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press(key)
        await pilot.pause()
        if isinstance(app.screen, CodePicker):  # retrieval asks for the code first
            await pilot.press(*"palliativt team", "enter")
            await pilot.pause()
        opened = app.screen
        assert not isinstance(opened, HomeScreen), key
        await pilot.press("escape")
        await pilot.pause()
        if app.screen is opened and opened.focused is not None:
            await pilot.press("escape")  # a query field let go of the focus first
            await pilot.pause()
        assert isinstance(app.screen, HomeScreen), f"{key}: {type(opened).__name__}"


def _flat(lines: list[str]) -> str:
    return re.sub(r"[│\s]+", " ", " ".join(lines))


@pytest.mark.parametrize("size", [(80, 24), (180, 50)])
async def test_help_starts_with_the_keys_of_the_screen_it_is_on(
    project: Project, size: tuple[int, int]
) -> None:
    app = QualcodeApp(project, "ida")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        first = _flat(capture(app))
        assert "Keys of the home screen" in first and "Enter opens a transcript" in first
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")  # a transcript
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        first = _flat(capture(app))
        assert "Keys of the transcript screen" in first and "code the selection" in first
        assert "Enter opens a transcript" not in first or size[1] > 40
        await pilot.press(*["pagedown"] * 8)
        await pilot.pause()
        assert "Enter opens a transcript" in _flat(capture(app))  # the rest follows


async def test_the_codebook_names_an_inductive_code_in_norwegian(
    project: Project, norwegian: str
) -> None:
    from qualcode.codebook import add_code
    from qualcode.tui.widgets.codebook_tree import CodebookTree

    add_code(project.store, "Lav terskel", "organisering", "ida")
    app = QualcodeApp(project, "ida")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("k")
        await pilot.pause()
        tree = app.screen.query_one(CodebookTree)
        labels = []
        stack = [tree.root]
        while stack:
            node = stack.pop()
            labels.append(str(node.label))
            stack.extend(node.children)
        ours = [label for label in labels if "Lav terskel" in label]
        assert ours and "(induktiv)" in ours[0] and "inductive" not in ours[0]
