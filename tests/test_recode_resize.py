"""Recode (e), resize ([ ] { }) and choosing among overlapping codings, in the workspace:
each change stored, audited and undoable."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.coding import make_coding
from qualcode.project import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.dialogs.picker import CodePicker
from qualcode.tui.dialogs.prompts import ChoicePrompt
from qualcode.tui.editing import step_boundary
from tests.test_tui import SIZE, TID, informant_turn, make_project, quit_all, screen


@pytest.fixture
def project(tmp_path: Path):  # type: ignore[no-untyped-def]
    p = make_project(tmp_path)
    yield p
    p.close()


def test_word_steps_of_a_boundary() -> None:
    text = "Vi har tett kontakt, med familien."
    assert step_boundary(text, 7, "start", -1) == 3  # "tett" -> "har"
    assert step_boundary(text, 7, "start", 1) == 12  # -> "kontakt,"
    assert step_boundary(text, 20, "end", 1) == 24  # after "kontakt," -> after "med"
    assert step_boundary(text, 20, "end", -1) == 11  # -> after "tett"
    assert step_boundary(text, 0, "start", -1) == 0 and step_boundary(text, 34, "end", 1) == 34


async def test_recode_widen_narrow_and_undo(project: Project) -> None:
    t, turn = informant_turn(project)
    app = QualcodeApp(project, "tester", TID)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n", "ctrl+right", "ctrl+shift+right", "1")  # one word: "har "
        await pilot.pause()
        (c,) = project.store.codings.all(coder="tester")
        assert c.quote == "har"
        await pilot.press("e", *"palliativt team", "enter")
        await pilot.pause()
        (c,) = project.store.codings.all(coder="tester")
        assert c.code == "palliativt-team" and c.quote == "har"
        await pilot.press("left_curly_bracket")  # not narrower than one word: refused
        await pilot.press("right_curly_bracket", "left_square_bracket")  # a word each way
        await pilot.pause()
        (c,) = project.store.codings.all(coder="tester")
        assert c.quote == "Vi har tett" and t.text[c.start : c.end] == c.quote
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert project.store.codings.all(coder="tester")[0].quote == "har tett"
        for _ in range(4):  # three resizes and the recode
            await pilot.press("u")
            await pilot.pause()
        (c,) = project.store.codings.all(coder="tester")
        assert (c.code, c.quote) == (project.guide.themes[0].id, "har")  # type: ignore[union-attr]
        await quit_all(app, pilot)
    actions = [r["action"] for r in project.store.audit_log() if r["entity"] == "coding"]
    assert actions.count("update") >= 8  # four changes and four undos


async def test_a_coding_never_grows_over_the_next_label(project: Project) -> None:
    t, turn = informant_turn(project)
    project.store.codings.add(make_coding(t, turn.end - 10, turn.end, "organisering", "tester"))
    app = QualcodeApp(project, "tester", TID)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen(app).view.set_cursor(turn.end - 5)
        await pilot.press("right_curly_bracket", "right_curly_bracket")
        await pilot.pause()
        await quit_all(app, pilot)
    (c,) = project.store.codings.all(coder="tester")
    assert c.end == turn.end


async def test_overlapping_codings_ask_which(project: Project) -> None:
    t, turn = informant_turn(project)
    store = project.store
    outer = store.codings.add(make_coding(t, turn.start, turn.end, "organisering", "tester"))
    inner = store.codings.add(make_coding(t, turn.start, turn.start + 10, "parorende", "tester"))
    app = QualcodeApp(project, "tester", TID)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen(app).view.set_cursor(turn.start + 2)
        await pilot.press("x")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, ChoicePrompt)
        assert "Samarbeid med pårørende" in prompt.choices[0][1]  # the innermost first
        await pilot.press("down", "enter")  # the outer one
        await pilot.pause()
        assert [c.id for c in store.codings.all(coder="tester")] == [inner.id]
        await pilot.press("u")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ChoicePrompt)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CodePicker)
        await pilot.press("escape")
        await quit_all(app, pilot)
    assert {c.code for c in store.codings.all(coder="tester")} == {"organisering", "parorende"}
    assert outer.id


def test_cli_recode_and_resize(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from qualcode.cli import main

    p = make_project(tmp_path)
    t, turn = informant_turn(p)
    c = p.store.codings.add(make_coding(t, turn.start, turn.start + 10, "organisering", "anna"))
    p.close()
    base = ["--project", str(tmp_path), "codings"]
    run = CliRunner().invoke
    out = run(main, [*base, "recode", str(c.id), "Palliativt team", "--coder", "anna"])
    assert out.exit_code == 0 and "→ Palliativt team" in out.output, out.output
    out = run(main, [*base, "recode", str(c.id), "parorende", "--coder", "bjorn"])
    assert out.exit_code != 0 and "belongs to anna" in out.output
    out = run(
        main,
        [*base, "resize", str(c.id), "--end", str(turn.end + 40), "--coder", "anna", "--json"],
    )
    assert out.exit_code == 0, out.output
    row = json.loads(out.output)
    assert (row["start"], row["end"], row["code"]) == (turn.start, turn.end, "palliativt-team")
    assert row["quote"] == t.text[turn.start : turn.end]
    out = run(main, [*base, "resize", str(c.id), "--start", str(turn.end), "--coder", "anna"])
    assert out.exit_code != 0 and "narrowed to nothing" in out.output
    assert "Traceback" not in out.output
