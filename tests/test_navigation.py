"""Every analysis screen is reachable from the home screen by one key, and comes back."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.coding import make_coding
from qualcode.project import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.screens.agreement import AgreementScreen
from qualcode.tui.screens.comparison import ComparisonScreen
from qualcode.tui.screens.home import HomeScreen
from qualcode.tui.screens.matrix import MatrixScreen
from qualcode.tui.screens.search import SearchScreen
from qualcode.tui.screens.suggestions import SuggestionsScreen
from qualcode.tui.screens.transcript import TranscriptScreen
from qualcode.tui.screens.words import WordsScreen

SIZE = (140, 45)


def code_phrase(project: Project, tid: str, phrase: str, code: str, coder: str) -> None:
    t = project.store.transcripts.get(tid)
    start = t.text.index(phrase)
    project.store.codings.add(make_coding(t, start, start + len(phrase), code, coder))


@pytest.fixture
def project(project_dir: Path):
    p = Project.open(project_dir)
    yield p
    p.close()


@pytest.mark.parametrize(
    ("key", "screen"),
    [
        ("s", SearchScreen),
        ("g", SuggestionsScreen),
        ("f", MatrixScreen),
        ("t", ComparisonScreen),
        ("w", WordsScreen),
    ],
)
async def test_home_key_opens_screen_and_escape_returns(
    project: Project, key: str, screen: type
) -> None:
    app = QualcodeApp(project, "ann")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, screen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_agreement_asks_for_the_two_coders(project: Project) -> None:
    code_phrase(project, "liten-9", "Vi har tett kontakt med pårørende.", "parorende", "ann")
    code_phrase(project, "liten-9", "De ringer oss når som helst.", "parorende", "bo")
    app = QualcodeApp(project, "ann")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert app.blind  # blind coding: comparing is asked for first
        await pilot.press("enter")  # "Show the agreement (turn blind mode off)"
        await pilot.pause()
        assert not app.blind
        await pilot.press("enter")  # coder A: the current coder is offered first
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        assert (screen.coder_a, screen.coder_b) == ("ann", "bo")  # the only other coder


async def test_agreement_with_one_coder_explains_instead(project: Project) -> None:
    code_phrase(project, "liten-9", "Vi har tett kontakt med pårørende.", "parorende", "ann")
    app = QualcodeApp(project, "ann")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert any("two coders" in n.message for n in app._notifications)


async def test_search_hit_opens_in_context_and_codes_are_seen_on_return(project: Project) -> None:
    app = QualcodeApp(project, "ann")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"fastlegen", "enter")
        await pilot.pause()
        search = app.screen
        assert isinstance(search, SearchScreen) and search.hits
        hit = search.hits[0]
        await pilot.press("enter")  # the first hit, in its transcript
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TranscriptScreen)
        assert screen.session.transcript.id == hit.transcript
        assert screen.view.selection == (hit.start, hit.end)
        # back from the hit: the same results, the cursor on that hit
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is search and search.hits[0] == hit
        assert search.query_one("#hits").cursor_row == 0


async def test_search_codes_the_hits_sentence_or_turn_and_shows_keys_that_work(
    project: Project,
) -> None:
    from qualcode.tui.widgets.key_bar import KeyBar

    app = QualcodeApp(project, "ann")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        search = app.screen
        assert isinstance(search, SearchScreen)
        assert "Code sentence" not in str(search.query_one(KeyBar).render())  # typing a query
        await pilot.press(*"fastlegen", "enter")
        await pilot.pause()
        assert "Code sentence" in str(search.query_one(KeyBar).render())
        # a hit in a turn of more than one sentence
        row = next(
            i
            for i, h in enumerate(search.hits)
            if search.span_of(h, "sentence") != search.span_of(h, "turn")
        )
        hit = search.hits[row]
        search.query_one("#hits").move_cursor(row=row)
        t = project.store.transcripts.get(hit.transcript)
        turn = next(u for u in t.turns if u.start <= hit.start < u.end)
        await pilot.press("t", *"organisering", "enter")
        await pilot.pause()
        (coding,) = project.store.codings.all(coder="ann")
        assert (coding.start, coding.end) == (turn.start, turn.end)
        await pilot.press("c", *"organisering", "enter")
        await pilot.pause()
        sentence = [c for c in project.store.codings.all(coder="ann") if c.id != coding.id]
        assert len(sentence) == 1 and hit.match in sentence[0].quote
        assert sentence[0].end - sentence[0].start < turn.end - turn.start
