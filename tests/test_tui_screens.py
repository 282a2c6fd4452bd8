"""Home, codebook and retrieval screens, the coder prompt, the picker's search, the layout."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.screen import ModalScreen
from textual.widgets import DataTable, OptionList

from qualcode.coding import make_coding
from qualcode.model import Code
from qualcode.project import Project
from qualcode.tui import navigation as nav
from qualcode.tui.app import QualcodeApp
from qualcode.tui.dialogs.prompts import HelpScreen
from qualcode.tui.fuzzy import rank_codes
from qualcode.tui.layout import Layout
from qualcode.tui.screens.codebook import CodebookScreen
from qualcode.tui.screens.home import HomeScreen, group_transcripts
from qualcode.tui.screens.retrieval import RetrievalScreen
from qualcode.tui.screens.transcript import TranscriptScreen
from tests.test_tui import SIZE, TID, make_project


@pytest.fixture
def project(tmp_path: Path):
    p = make_project(tmp_path)
    yield p
    p.close()


def test_picker_folds_diacritics_both_ways(project: Project) -> None:
    codes = project.store.codes.all()
    for query in ("parorende", "pårør", "PARØRENDE", "Samarbeid med par"):
        best = rank_codes(query, codes)[0][0]
        assert best.id == "parorende", query
    assert rank_codes("xqzv", codes) == []
    assert rank_codes("hjemmedød", codes)[0][0].id == "hjemmedod"


def test_layout_maps_offsets_both_ways(project: Project) -> None:
    t = project.store.transcripts.get(TID)
    layout = Layout(t, 30)
    for turn in t.turns:
        for off in (turn.start, (turn.start + turn.end) // 2, turn.end):
            row, col = layout.row_col(off)
            assert layout.offset_at(row, col) == off
    assert all(ln.end - ln.start <= 30 for ln in layout.lines if ln.kind == "text")
    gap = t.turns[0].end + 1  # between two turns: not shown, snaps to the next turn
    assert layout.snap(gap) == t.turns[1].start


def test_home_groups_by_size_in_guide_order(project: Project) -> None:
    groups = group_transcripts(project)
    assert [g for g, _ in groups] == ["stor", "liten"]  # guide order, not alphabetical
    assert [r["id"] for r in groups[1][1]] == [TID]


async def test_home_shows_progress_and_opens_transcript(project: Project) -> None:
    t = project.store.transcripts.get(TID)
    informant = [u for u in t.turns if u.role == "informant"]
    project.store.codings.add(
        make_coding(t, informant[0].start, informant[0].end, "parorende", "tester")
    )
    app = QualcodeApp(project, "tester")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one(DataTable)
        keys = [k.value for k in table.rows]
        assert keys == ["group:stor", "stor-kommune-1", "group:liten", TID]
        row = table.get_row(TID)
        assert row[4].startswith(f"1/{len(informant)}")
        table.move_cursor(row=keys.index(TID))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TranscriptScreen)
        assert app.screen.session.transcript.id == TID
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        help_text = " ".join(str(w.render()) for w in app.screen.query("Label"))
        assert "Agreement (a at home)" in help_text and "e edit" in help_text
        await pilot.press("escape", "q")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running


async def test_coder_is_asked_once_and_remembered(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("QUALCODE_CODER", raising=False)
    assert project.resolve_coder(None) is None
    app = QualcodeApp(project, None, TID)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"kari", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TranscriptScreen)
        assert app.screen.coder == "kari"
    assert project.resolve_coder(None) == "kari"


async def test_codebook_rename_and_merge_keep_codings(project: Project) -> None:
    t = project.store.transcripts.get(TID)
    project.store.codes.upsert(
        Code(id="tillit", name="Tillit", parent="parorende", origin="inductive"), "tester"
    )
    saved = project.store.codings.add(
        make_coding(t, t.turns[1].start, t.turns[1].end, "tillit", "tester")
    )
    app = QualcodeApp(project, "tester")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, CodebookScreen)
        tree = app.screen.query_one("#codebook-tree")
        node = next(n for n in tree._tree_nodes.values() if n.data == "tillit")
        tree.move_cursor(node)
        await pilot.press("e", *" og trygghet", "enter")
        await pilot.pause()
        assert project.store.codes.get("tillit").name == "Tillit og trygghet"
        await pilot.press("M", *project.guide.themes[0].name)  # the picker, filtered
        await pilot.pause()
        await pilot.press("enter")  # the name typed in full: that theme
        await pilot.pause()
        assert project.store.codes.get("tillit") is not None  # not yet: it asks first
        await pilot.press("up", "enter")  # "Merge" (Cancel is highlighted first)
        await pilot.pause()
    target = project.guide.themes[0].id
    assert project.store.codes.get("tillit") is None
    moved = project.store.codings.get(saved.id)
    assert moved is not None and moved.code == target and moved.quote == saved.quote


async def test_retrieval_filters_and_jumps_to_context(project: Project) -> None:
    liten = project.store.transcripts.get(TID)
    stor = project.store.transcripts.get("stor-kommune-1")
    a = project.store.codings.add(
        make_coding(liten, liten.turns[1].start, liten.turns[1].end, "parorende", "tester")
    )
    project.store.codings.add(
        make_coding(stor, stor.turns[1].start, stor.turns[1].end, "parorende", "other")
    )
    app = QualcodeApp(project, "tester")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        nav.open_retrieval(app, project, "tester", "parorende")
        await pilot.pause()
        scr = app.screen
        assert isinstance(scr, RetrievalScreen)
        assert [(r.start, r.coder) for r in scr.segments()] == [(a.start, "tester")]  # blind
        await pilot.press("b")
        await pilot.pause()
        assert len(scr.segments()) == 2
        assert "tester, other" not in str(scr.query_one("#title").render())
        await pilot.press("f")  # the filter dialog: size liten
        await pilot.pause()
        prompt = app.screen
        options = prompt.query_one(OptionList)
        index = next(
            i
            for i in range(options.option_count)
            if options.get_option_at_index(i).id == "size\tliten"
        )
        options.highlighted = index
        await pilot.press("enter")
        await pilot.pause()
        assert [r.start for r in scr.segments()] == [a.start]
        assert "Kommunestørrelse: liten" in str(scr.query_one("#title").render())
        whole = liten.text[liten.turns[1].start : liten.turns[1].end]
        assert scr.segments()[0].quote == whole  # the whole quote, not a cut
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TranscriptScreen)
        assert app.screen.view.selection == (a.start, a.end)


async def test_command_palette_lists_screen_actions(project: Project) -> None:
    app = QualcodeApp(project, "tester", TID)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for wanted in ("Code", "Remove", "Undo", "Memo", "Next uncoded", "Blind", "Find"):
            assert wanted in titles
        assert "Recode" in titles and "Start a word earlier" in titles
        assert len(titles) == len({t.casefold() for t in titles})  # each command once
        await pilot.press("q")
        await pilot.pause()
        commands = list(app.get_system_commands(app.screen))  # home
        titles = [c.title for c in commands]
        assert len(titles) == len({t.casefold() for t in titles})
        helps = {c.title: c.help for c in commands}
        assert helps["Anonymity (⚠)"] == "key: !" and helps["Keys"] == "key: ?"
        assert not any("_mark" in c.help for c in commands)


async def test_previous_uncoded_turn(project: Project) -> None:
    t = project.store.transcripts.get(TID)
    informant = [u for u in t.turns if u.role == "informant"]
    app = QualcodeApp(project, "tester", TID)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n", "n", "n")
        view = app.screen.view
        assert view.cursor == informant[2].start
        await pilot.press("N")
        assert view.cursor == informant[1].start


def test_cli_resolves_transcript_by_id_or_path(project: Project) -> None:
    from qualcode.cli.tui_cmds import resolve_transcript
    from qualcode.model import QualcodeError

    assert resolve_transcript(project, TID) == TID
    assert resolve_transcript(project, f"transcripts/{TID}.md") == TID
    assert resolve_transcript(project, None) is None
    with pytest.raises(QualcodeError, match="no transcript"):
        resolve_transcript(project, "nope")


async def test_blind_mode_is_one_switch_for_every_screen(project: Project) -> None:
    t = project.store.transcripts.get(TID)
    project.store.codings.add(
        make_coding(t, t.turns[1].start, t.turns[1].end, "parorende", "tester")
    )
    theirs = project.store.codings.add(
        make_coding(t, t.turns[3].start, t.turns[3].end, "parorende", "other")
    )
    app = QualcodeApp(project, "tester")

    def labels() -> str:
        tree = app.screen.query_one("#codebook-tree")
        return " ".join(str(n.label) for n in tree._tree_nodes.values())

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("k")  # the codebook: counts of the coder's own codings only
        await pilot.pause()
        assert isinstance(app.screen, CodebookScreen)
        assert "other" not in labels()
        assert "yours only" in str(app.screen.query_one("#title").render())
        tree = app.screen.query_one("#codebook-tree")
        tree.move_cursor(next(n for n in tree._tree_nodes.values() if n.data == "parorende"))
        await pilot.press("r")  # retrieval of the highlighted code, still blind
        await pilot.pause()
        retrieval = app.screen
        assert isinstance(retrieval, RetrievalScreen)
        assert [r.coder for r in retrieval.segments()] == ["tester"]
        assert "blind" in str(retrieval.query_one("#title").render())
        await pilot.press("b")  # off here: off everywhere
        await pilot.pause()
        assert [r.coder for r in retrieval.segments()] == ["tester", "other"]  # two turns
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, CodebookScreen)
        assert "other 1" in labels()
        await pilot.press("q")
        await pilot.pause()
        app.push_screen(TranscriptScreen(project, "tester", TID))
        await pilot.pause()
        transcript = app.screen
        assert isinstance(transcript, TranscriptScreen)
        assert theirs.id in {c.id for c in transcript.session.visible()}
        await pilot.press("b")  # on again from the transcript screen
        await pilot.pause()
        assert app.blind is True
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("k")
        await pilot.pause()
        assert "other" not in labels()


async def test_codebook_add_describe_and_move_from_the_screen(project: Project) -> None:
    app = QualcodeApp(project, "tester")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("k")
        await pilot.pause()
        tree = app.screen.query_one("#codebook-tree")
        theme = next(n for n in tree._tree_nodes.values() if n.data == "parorende")
        tree.move_cursor(theme)
        await pilot.press("a", *"Nattevåk", "enter")  # under the highlighted theme
        await pilot.pause()
        code = next(c for c in project.store.codes.all() if c.name == "Nattevåk")
        assert code.parent == "parorende" and code.origin == "inductive"
        await pilot.pause()
        node = next(n for n in tree._tree_nodes.values() if n.data == code.id)
        tree.move_cursor(node)
        await pilot.press("d", *"Pårørende våker om natten", "enter")
        await pilot.pause()
        assert project.store.codes.get(code.id).description == "Pårørende våker om natten"
        await pilot.press("v", "enter")  # under the first other theme offered
        await pilot.pause()
        moved = project.store.codes.get(code.id)
        first_other = next(t.id for t in project.guide.themes if t.id != "parorende")
        assert moved.parent == first_other
        assert moved.color == project.store.codes.get(first_other).color
        guide_node = next(n for n in tree._tree_nodes.values() if n.data == "parorende")
        tree.move_cursor(guide_node)
        await pilot.press("d")  # a guide code's description lives in the guide
        await pilot.pause()
        assert not isinstance(app.screen, ModalScreen)


@pytest.mark.parametrize("key", ["0", "3", "5", "9"])
async def test_number_keys_apply_the_guides_themes(project: Project, key: str) -> None:
    app = QualcodeApp(project, "tester", TID)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n", key)
        await pilot.pause()
    index = 9 if key == "0" else int(key) - 1
    [coding] = project.store.codings.all(coder="tester")
    assert coding.code == project.guide.themes[index].id


async def test_a_palette_command_runs_its_action(project: Project) -> None:
    app = QualcodeApp(project, "tester", TID)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        blind = app.screen.session.blind
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Blind")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.screen.session.blind is (not blind)
