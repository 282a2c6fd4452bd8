"""The picker never guesses: a full name applies that code, a new name creates it, an
empty Enter does nothing, the list does not wrap, and a new code goes under the theme the
coder chooses (offered first: the theme at the cursor)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList

from qualcode.project import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.dialogs.picker import NEW, CodePicker
from qualcode.tui.dialogs.prompts import ChoicePrompt
from qualcode.tui.fuzzy import exact_match, rank_codes
from tests.test_tui import SIZE, TID, make_project, quit_all


@pytest.fixture
def project(tmp_path: Path):  # type: ignore[no-untyped-def]
    p = make_project(tmp_path)
    yield p
    p.close()


def test_an_exact_name_or_id_is_always_first(project: Project) -> None:
    codes = project.store.codes.all()
    for typed in ("palliativt team", "PALLIATIVT TEAM", "palliativt-team"):
        assert exact_match(typed, codes).id == "palliativt-team"  # type: ignore[union-attr]
        assert rank_codes(typed, codes)[0][0].id == "palliativt-team", typed
    longer = next(c for c in codes if c.name == "Palliativt team på sykehuset")
    assert exact_match(longer.name.replace("å", "a"), codes) == longer
    assert exact_match("palliativt te", codes) is None


async def _picker(app: QualcodeApp, pilot, typed: str) -> CodePicker:  # type: ignore[no-untyped-def]
    await pilot.press("n", "c", *typed)
    await pilot.pause()
    assert isinstance(app.screen, CodePicker)
    return app.screen


async def test_palliativt_team_enter_applies_palliativt_team(project: Project) -> None:
    app = QualcodeApp(project, "tester", TID)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _picker(app, pilot, "palliativt team")
        await pilot.press("enter")
        await pilot.pause()
        await quit_all(app, pilot)
    assert [c.code for c in project.store.codings.all(coder="tester")] == ["palliativt-team"]


async def test_a_new_name_enter_creates_it_under_the_chosen_theme(project: Project) -> None:
    app = QualcodeApp(project, "tester", TID)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        picker = await _picker(app, pilot, "Lav terskel for henvisning")
        options = picker.query_one("#picker-list")
        assert options.highlighted == 0
        assert options.get_option_at_index(0).id == NEW  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChoicePrompt)
        await pilot.press("down", "down", "enter")  # the third theme, not the default
        await pilot.pause()
        await quit_all(app, pilot)
    code = project.store.codes.get("lav-terskel-for-henvisning")
    assert code is not None and code.origin == "inductive"
    assert code.parent == project.guide.themes[2].id  # type: ignore[union-attr]
    assert [c.code for c in project.store.codings.all(coder="tester")] == [code.id]


async def test_enter_with_nothing_typed_does_nothing_and_no_wrap(project: Project) -> None:
    app = QualcodeApp(project, "tester", TID)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        picker = await _picker(app, pilot, "")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is picker and project.store.codings.all() == []
        await pilot.press(*"pårør")
        await pilot.pause()
        options = picker.query_one("#picker-list")
        last = options.option_count - 1  # type: ignore[attr-defined]
        await pilot.press(*["down"] * (last + 5))
        assert options.highlighted == last  # type: ignore[attr-defined]
        await pilot.press(*["up"] * (last + 5))
        assert options.highlighted == 0  # type: ignore[attr-defined]
        await pilot.press("escape")
        await pilot.pause()
        await quit_all(app, pilot)
    assert project.store.codings.all() == []


async def test_the_theme_at_the_cursor_is_offered_first(project: Project) -> None:
    theme = project.guide.themes[4].id  # type: ignore[union-attr]
    app = QualcodeApp(project, "tester", TID)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n", "5")  # the fifth theme on the first informant turn
        await pilot.pause()
        await pilot.press("c", *"noe helt nytt", "enter")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, ChoicePrompt)
        options = prompt.query_one("#choice-list")
        assert options.get_option_at_index(options.highlighted).id == theme  # type: ignore[attr-defined]
        await pilot.press("escape", "escape")
        await quit_all(app, pilot)


async def test_retrieval_picks_an_existing_code_and_never_creates_one(project: Project) -> None:
    """Home r → 'Tullekode' Enter Enter: no code is added; the picker says it knows none."""
    before = {c.id for c in project.store.codes.all()}
    app = QualcodeApp(project, "tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, CodePicker)
        await pilot.press(*"Tullekode")
        await pilot.pause()
        options = picker.query_one("#picker-list")
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]  # type: ignore[attr-defined]
        assert NEW not in ids
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert app.screen is picker  # nothing chosen, nothing made
        await pilot.press("ctrl+a", "ctrl+k", *"palliativt team", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, CodePicker)
        assert getattr(app.screen, "code_id", None) == "palliativt-team"
    assert {c.id for c in project.store.codes.all()} == before


async def test_the_preselected_theme_is_named_in_the_question_and_in_view(
    project: Project,
) -> None:
    """At 80×24 the new code's theme question says which theme Enter chooses, marks it in
    the list (order unchanged) and shows it: Enter never files a code somewhere unseen."""
    guide = project.guide
    assert guide is not None
    theme = guide.themes[5]
    app = QualcodeApp(project, "tester", TID)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n", "6")  # the sixth theme on the first informant turn
        await pilot.pause()
        await pilot.press("c", *"noe helt nytt", "enter")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, ChoicePrompt)
        assert theme.name in prompt.title_text
        options = prompt.query_one("#choice-list", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids == [t.id for t in guide.themes if t.id in ids]  # the guide's order
        assert options.highlighted == ids.index(theme.id)
        label = str(options.get_option_at_index(ids.index(theme.id)).prompt)
        assert theme.name in label and label != theme.name  # marked
        row = options.region.y + ids.index(theme.id) - options.scroll_offset.y
        assert options.region.y <= row < options.region.bottom  # on screen
        await pilot.press("enter")
        await pilot.pause()
        await quit_all(app, pilot)
    made = project.store.codes.get("noe-helt-nytt")
    assert made is not None and made.parent == theme.id
