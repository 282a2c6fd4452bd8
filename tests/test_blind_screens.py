"""Blind means blind on every screen: with blind mode on (the default), ann sees only her
own codings on the matrix and its cells, Tabell 1's evidence, the word frequencies, the
search hit markers, the suggestions and the home counts; with it off, both coders'. One
Pilot test per screen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.widgets import DataTable

from qualcode.coding import make_coding
from qualcode.project import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.screens.comparison import ComparisonScreen
from qualcode.tui.screens.home import HomeScreen
from qualcode.tui.screens.matrix import CellEditorScreen, MatrixScreen
from qualcode.tui.screens.search import SearchScreen
from qualcode.tui.screens.suggestions import SuggestionsScreen
from qualcode.tui.screens.words import WordsScreen

SIZE = (160, 45)
STOR, LITEN = "Stor kommune 9", "Liten kommune 9"


@pytest.fixture
def project(project_dir: Path):
    p = Project.open(project_dir)
    for tid, needle, code, coder in (
        ("liten-9", "Vi har tett kontakt med pårørende.", "parorende", "ann"),
        ("stor-9", "Vi har et palliativt team og åtte palliative senger.", "organisering", "bo"),
        ("stor-9", "kreftkoordinatorer i hver sone", "kreftkoordinator", "bo"),
    ):
        t = p.store.transcripts.get(tid)
        start = t.text.index(needle)
        p.store.codings.add(make_coding(t, start, start + len(needle), code, coder))
    yield p
    p.close()


async def test_matrix_and_its_cells(project: Project, norwegian: str) -> None:
    for blind, stor in ((True, 0), (False, 1)):
        app = QualcodeApp(project, "ann")
        async with app.run_test(size=SIZE) as pilot:
            app.blind = blind
            await pilot.pause()
            app.push_screen(MatrixScreen(project, "ann"))
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, MatrixScreen) and screen.matrix is not None
            assert screen.matrix.cell(STOR, "organisering").count == stor
            assert screen.matrix.cell(LITEN, "parorende").count == 1
            title = str(screen.query_one("#matrix-title").render())
            assert ("ann (blind" in title) is blind and "kodede passasjer" in title
            screen.open_cell(STOR, "organisering")
            await pilot.pause()
            cell = app.screen
            assert isinstance(cell, CellEditorScreen)
            assert {p.coder for p in cell.cell.passages} == (set() if blind else {"bo"})


async def test_tabell_1_evidence(project: Project) -> None:
    for blind, evidence in ((True, "stor 0/1"), (False, "stor 1/1")):
        app = QualcodeApp(project, "ann")
        async with app.run_test(size=SIZE) as pilot:
            app.blind = blind
            await pilot.pause()
            app.push_screen(ComparisonScreen(project, "ann"))
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ComparisonScreen)
            row = next(r for r in screen.rows if r.id == "kreftkoordinator")
            assert row.evidence_text.startswith(evidence)
            title = str(screen.query_one("#comparison-title").render())
            assert ("blind" in title) is blind


async def test_word_frequencies(project: Project) -> None:
    for blind, groups in (
        (True, ["parorende"]),
        (False, ["kreftkoordinator", "organisering", "parorende"]),
    ):
        app = QualcodeApp(project, "ann")
        async with app.run_test(size=SIZE) as pilot:
            app.blind = blind
            await pilot.pause()
            app.push_screen(WordsScreen(project, coder="ann"))
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, WordsScreen)
            themes = sorted(screen.freqs)
            # kreftkoordinator is a code of the theme "bemanning"
            want = sorted({"kreftkoordinator": "bemanning"}.get(g, g) for g in groups)
            assert themes == want


async def test_search_marks_only_hits_in_codings_in_scope(project: Project) -> None:
    for blind, marked in ((True, set()), (False, {STOR})):
        app = QualcodeApp(project, "ann")
        async with app.run_test(size=SIZE) as pilot:
            app.blind = blind
            await pilot.pause()
            app.push_screen(SearchScreen(project, "ann", query="palliativt", mode="exact"))
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, SearchScreen) and screen.hits
            table = screen.query_one(DataTable)
            shown = {
                screen.hits[i].case
                for i in range(len(screen.hits))
                if str(table.get_row_at(i)[0]).strip()
            }
            assert shown == marked


async def test_suggestions_are_not_hidden_by_another_coders_codings(project: Project) -> None:
    app = QualcodeApp(project, "ann")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(SuggestionsScreen(project, "ann", "stor-9"))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SuggestionsScreen)
        # bo coded the team sentence; for ann it is still a suggestion to judge
        assert any(
            s.code == "palliativt-team" and "palliativt team" in s.text for s in screen.items
        )


async def test_home_counts_are_your_own(project: Project) -> None:
    app = QualcodeApp(project, "ann")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        tree = home.query_one("#home-codebook")
        labels = {n.data: str(n.label) for n in tree._tree_nodes.values()}  # type: ignore[attr-defined]

        def count(code: str) -> int:  # the label: colour, count, name
            return int(re.search(r"\d+", labels[code]).group())  # type: ignore[union-attr]

        assert count("parorende") == 1
        assert count("organisering") == 0  # bo's coding is not counted
