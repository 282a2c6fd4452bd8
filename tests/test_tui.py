"""Pilot tests of the transcript screen's key contract, asserting the database rows."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from qualcode.coding import make_coding
from qualcode.model import INFORMANT
from qualcode.nlp import sentence_spans
from qualcode.project import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.screens.transcript import TranscriptScreen

REPO = Path(__file__).resolve().parent.parent
TID = "liten-kommune-1"
SIZE = (140, 45)

TRANSCRIPT = """---
case: Liten kommune 1
size: liten
region: Nord
informants: [Kreftkoordinator, Hjemmesykepleier]
---
[00:00:04] Intervjuer: Hvordan samarbeider dere med pårørende?
[00:00:21] Kreftkoordinator: Vi har tett kontakt med familien. Pårørende blir kalt inn til et \
møte tidlig i forløpet. Det gjør at de føler seg trygge på å ha pasienten hjemme.
[00:01:02] Intervjuer: Og legene?
[00:01:10] Kreftkoordinator: Fastlegen er viktig for oss. Han kommer på hjemmebesøk når det trengs.
[00:01:40] Hjemmesykepleier: Vi har også et palliativt team. Teamet møtes hver uke.
"""

STOR = """---
case: Stor kommune 1
size: stor
region: Vest
informants: [Leder]
---
[00:00:01] Intervjuer: Hvordan er tilbudet organisert?
[00:00:09] Leder: Vi har et palliativt team med lege og sykepleier.
"""


def make_project(root: Path) -> Project:
    shutil.copy(REPO / "interview_guide.yaml", root / "interview_guide.yaml")
    (root / "transcripts").mkdir()
    (root / "transcripts" / f"{TID}.md").write_text(TRANSCRIPT, encoding="utf-8")
    (root / "transcripts" / "stor-kommune-1.md").write_text(STOR, encoding="utf-8")
    return Project.open(root)


@pytest.fixture
def project(tmp_path: Path):
    p = make_project(tmp_path)
    yield p
    p.close()


async def quit_all(app: QualcodeApp, pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(6):
        if not app.is_running:
            break
        await pilot.press("q")
        await pilot.pause()


def screen(app: QualcodeApp) -> TranscriptScreen:
    assert isinstance(app.screen, TranscriptScreen)
    return app.screen


async def test_done_when_n_c_parorende_enter(project: Project) -> None:
    app = QualcodeApp(project, "tester", TID)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n", "c")
        await pilot.pause()
        await pilot.press(*"pårør")
        await pilot.pause()
        # no code is named "pårør": the first choice creates it, the best match is next
        await pilot.press("down", "enter")
        await pilot.pause()
        await quit_all(app, pilot)
    assert not app.is_running
    codings = project.store.codings.all(coder="tester")
    assert len(codings) == 1
    c = codings[0]
    assert c.code == "parorende"
    t = project.store.transcripts.get(TID)
    assert t.text[c.start : c.end] == c.quote
    turns = [u for u in t.turns if u.start <= c.start and c.end <= u.end]
    assert len(turns) == 1 and turns[0].role == INFORMANT
    assert (c.start, c.end) in sentence_spans(t.text, "nb", turns[0].start, turns[0].end)


async def test_theme_key_undo_redo_remove(project: Project) -> None:
    app = QualcodeApp(project, "tester", TID)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n", "1")
        await pilot.pause()
        first_theme = project.guide.themes[0].id
        rows = project.store.codings.all(coder="tester")
        assert [r.code for r in rows] == [first_theme]
        await pilot.press("u")
        await pilot.pause()
        assert project.store.codings.all(coder="tester") == []
        await pilot.press("U")
        await pilot.pause()
        rows = project.store.codings.all(coder="tester")
        assert [r.code for r in rows] == [first_theme]
        await pilot.press("x")
        await pilot.pause()
        assert project.store.codings.all(coder="tester") == []
        await pilot.press("u")  # undoing the removal brings the coding back
        await pilot.pause()
        assert [r.code for r in project.store.codings.all(coder="tester")] == [first_theme]
    actions = [r["action"] for r in project.store.audit_log() if r["entity"] == "coding"]
    assert actions.count("add") == 3 and actions.count("remove") == 2


def informant_turn(project: Project, n: int = 0):  # type: ignore[no-untyped-def]
    t = project.store.transcripts.get(TID)
    return t, [u for u in t.turns if u.role == INFORMANT][n]


async def test_memo_blind_and_reopen(project: Project) -> None:
    t, turn = informant_turn(project)
    other = project.store.codings.add(
        __import__("qualcode.coding", fromlist=["make_coding"]).make_coding(
            t, turn.start, turn.end, "bemanning", "other"
        )
    )
    app = QualcodeApp(project, "tester", TID)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        s = screen(app)
        assert other.id not in {c.id for c in s.session.visible()}  # blind by default
        await pilot.press("b")
        await pilot.pause()
        assert other.id in {c.id for c in s.session.visible()}
        assert other in s.view.codings_in_view()
        await pilot.press("b", "n", "t", "2")  # whole turn, second theme
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        await pilot.press(*"viktig sitat", "ctrl+s")  # the memo editor: Enter is a new line
        await pilot.pause()
        await quit_all(app, pilot)
    mine = project.store.codings.all(coder="tester")
    assert len(mine) == 1
    assert (mine[0].start, mine[0].end, mine[0].code) == (
        turn.start,
        turn.end,
        project.guide.themes[1].id,
    )
    assert mine[0].memo == "viktig sitat"
    # reopening shows the same codings, and `n` now skips the coded turn
    app2 = QualcodeApp(project, "tester", TID)
    async with app2.run_test(size=SIZE) as pilot:
        await pilot.pause()
        s = screen(app2)
        assert [c.id for c in s.session.visible()] == [mine[0].id]
        await pilot.press("n")
        await pilot.pause()
        assert s.view.cursor == informant_turn(project, 1)[1].start


async def test_picker_creates_inductive_code(project: Project) -> None:
    app = QualcodeApp(project, "tester", TID)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n", "c", *"tillit til teamet", "enter")
        await pilot.pause()
        # "create «tillit til teamet»" is highlighted; choose the first theme for it
        await pilot.press("enter")
        await pilot.pause()
    code = project.store.codes.get("tillit-til-teamet")
    assert code is not None and code.origin == "inductive"
    assert code.parent == project.guide.themes[0].id
    assert [c.code for c in project.store.codings.all(coder="tester")] == ["tillit-til-teamet"]


async def test_find_word_and_sentence_steps_and_drag(project: Project) -> None:
    app = QualcodeApp(project, "tester", TID)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        s = screen(app)
        text = s.session.transcript.text
        await pilot.press("slash", *"FORLOPET", "enter")  # case and diacritics ignored
        await pilot.pause()
        a, b = s.view.selection
        assert text[a:b] == "forløpet"
        await pilot.press("ctrl+right")
        assert s.view.selection is None
        assert text[s.view.cursor :].startswith("Det gjør")
        _, turn = informant_turn(project)
        s.view.set_cursor(turn.start)
        await pilot.press("ctrl+down")
        assert text[s.view.cursor :].startswith("Pårørende blir")
        await pilot.press("shift+right", "shift+right", "shift+right")
        a, b = s.view.selection
        assert text[a:b] == "Pår"
        # a mouse drag across the first informant line selects what it covers
        row, _ = s.view.layout_.row_col(turn.start)
        y = row - int(s.view.scroll_offset.y)
        await pilot.mouse_down(s.view, offset=(2 + 3, y))
        await pilot.hover(s.view, offset=(2 + 10, y))
        await pilot.mouse_up(s.view, offset=(2 + 10, y))
        a, b = s.view.selection
        assert text[a:b] == text[turn.start + 3 : turn.start + 10]
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*"identifisering", "enter")
        await pilot.pause()
    rows = project.store.codings.all(coder="tester")
    assert [(r.start, r.end, r.code) for r in rows] == [
        (turn.start + 3, turn.start + 10, "identifisering")
    ]


async def test_undo_redo_undo_does_not_hang(project: Project) -> None:
    # SQLite hands a re-added coding the id it had; the id map must not loop on itself.
    app = QualcodeApp(project, "tester", TID)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n", "1", "u", "U", "u")
        await pilot.pause()
        assert project.store.codings.all(coder="tester") == []
        await pilot.press("U", "x", "u", "U")
        await pilot.pause()
        assert project.store.codings.all(coder="tester") == []


def test_word_steps_land_on_word_starts() -> None:
    from qualcode.tui.widgets.transcript_view import TranscriptView

    text = "Og hva gjør dere nå?"
    cur, seen = 0, []
    for _ in range(4):
        cur = TranscriptView._word_step(text, cur, True)
        seen.append(cur)
    assert seen == [3, 7, 12, 17]


async def test_an_unplaced_coding_is_flagged_and_placed_by_hand(
    project: Project, tmp_path: Path
) -> None:
    t = project.store.transcripts.get(TID)
    phrase = "Teamet møtes hver uke."
    start = t.text.index(phrase)
    project.store.codings.add(
        make_coding(t, start, start + len(phrase), "palliativt-team", "tester")
    )
    changed = TRANSCRIPT.replace(phrase, "Teamet samles ofte.")
    path = tmp_path / f"{TID}.md"
    path.write_text(changed, encoding="utf-8")
    [result] = project.import_paths([path], replace=True)
    assert result.unresolved == 1  # its words are gone: kept, flagged, not dropped
    app = QualcodeApp(project, "tester", TID)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TranscriptScreen)
        assert "⚑ 1 to place" in str(screen.query_one("#title").render())
        assert screen.view._rows == {}  # a stale span is not drawn on the new text
        new = screen.session.transcript.text.index("Teamet samles ofte.")
        screen.view.select_span(new, new + len("Teamet samles ofte."))
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
    [coding] = project.store.codings.all(coder="tester")
    assert coding.status == "ok" and coding.quote == "Teamet samles ofte."
    text = project.store.transcripts.get(TID).text
    assert text[coding.start : coding.end] == coding.quote


async def test_remove_undo_chains_never_hang(project: Project) -> None:
    """The reviewer's freeze: two codings, removals and undos crossing each other."""
    app = QualcodeApp(project, "tester", TID)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n", "1", "right", ")", "2")  # two codings, A and B
        await pilot.pause()
        for keys in (
            ["(", "x", "u"],
            [")", "x", "("],
            ["x", "u", "u", "u", "u", "U", "U"],
            ["n", "n", "n", "1", ")", "2", "(", "x", "u", ")", "x", "(", "x", "u", "u", "u", "u"],
        ):  # the last: the sequence that froze the app in review
            await asyncio.wait_for(pilot.press(*keys), timeout=30)
            await pilot.pause()
        ids = [c.id for c in project.store.codings.all(coder="tester")]
        assert len(ids) == len(set(ids))


def test_coding_ids_are_never_reused(project: Project) -> None:
    t = project.store.transcripts.get(TID)
    first = project.store.codings.add(make_coding(t, 0, 5, "parorende", "tester"))
    assert first.id is not None
    project.store.codings.remove(first.id, "tester")
    again = project.store.codings.add(make_coding(t, 0, 5, "parorende", "tester"))
    assert again.id is not None and again.id > first.id
