"""Pilot tests of the agreement screen and the consensus walk, asserting the store's codings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import DataTable, Input, Label

from qualcode.agreement.inputs import agreement_report, comparison_for
from qualcode.coding import make_coding
from qualcode.consensus import coding_set as cset
from qualcode.consensus import walk as cons
from qualcode.model import Coding, QualcodeError
from qualcode.project import Project
from qualcode.study import StudyParts
from qualcode.tui.agreement_words import COLUMNS, colour
from qualcode.tui.navigation import Navigator
from qualcode.tui.screens.agreement import AgreementScreen
from qualcode.tui.screens.consensus import ConsensusScreen

COUNTS = slice(COLUMNS.index("both"), COLUMNS.index("neither") + 1)  # both … neither

REPO = Path(__file__).resolve().parent.parent
TID = "liten-5"
TEXT = """---
case: Liten kommune 5
size: liten
region: Nord
---
[00:00:01] Intervjuer: Har dere et palliativt team?

[00:00:05] Leder: Ja, teamet har to sykepleiere.

[00:00:20] Leder: Teamet møtes hver uke på kontoret.

[00:00:40] Leder: Vi ringer teamet når det trengs.

[00:00:50] Leder: Legen er med i teamet av og til.

[00:01:00] Leder: Teamet reiser hjem til pasientene.
"""

# (coder, phrase) for code palliativt-team: turns 0, 1, 2, 3 and 5 disagree, 4 agrees.
CODINGS = [
    ("bo", "Har dere et palliativt team?"),
    ("ann", "teamet har to sykepleiere"),
    ("ann", "Teamet møtes hver uke"),
    ("bo", "Vi ringer teamet"),
    ("ann", "Legen er med i teamet"),
    ("bo", "Legen er med i teamet av og til."),
    ("ann", "reiser hjem til pasientene"),
]


@pytest.fixture
def project(tmp_path: Path):  # type: ignore[no-untyped-def]
    shutil.copy(REPO / "interview_guide.yaml", tmp_path / "interview_guide.yaml")
    (tmp_path / "transcripts").mkdir()
    (tmp_path / "transcripts" / f"{TID}.md").write_text(TEXT, encoding="utf-8")
    p = Project.open(tmp_path)
    t = p.store.transcripts.get(TID)
    for coder, phrase in CODINGS:
        start = t.text.index(phrase)
        p.store.codings.add(make_coding(t, start, start + len(phrase), "palliativt-team", coder))
    yield p
    p.close()


class Host(Navigator):
    """The agreement screen in an app that opens what it asks for (Enter: the walk)."""

    def __init__(self, project: Project):
        super().__init__()
        self.project = project
        self.coder = "ann"

    def on_mount(self) -> None:
        # every turn: the walks here decide bo's coding of the interviewer's question
        self.push_screen(AgreementScreen(self.project, "ann", "bo", "turn", informant_only=False))


def walk(project: Project) -> list[cons.Item]:
    return cons.walk(StudyParts(project.store), "ann", "bo", "palliativt-team", all_turns=True)


def test_colour_thresholds() -> None:
    assert colour(0.8) == "green" and colour(0.7) == "yellow" and colour(0.5) == "red"
    assert colour(None) == "grey50"


async def test_walk_turns_disagreements_into_consensus_codings(project: Project) -> None:
    items = walk(project)
    assert len(items) == 5
    unit = {i: (it.disagreement.start, it.disagreement.end) for i, it in enumerate(items)}
    text = project.store.transcripts.get(TID).text
    app = Host(project)
    async with app.run_test(size=(130, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#agreement-codes", DataTable)
        assert table.row_count == 2  # the code and the overall row
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConsensusScreen)
        assert "0 / 5 decided" in str(app.screen.query_one("#consensus-progress", Label).render())
        await pilot.press("b", "a", "k")  # units 0, 1 and 2
        await pilot.pause()
        assert "3 / 5 decided" in str(app.screen.query_one("#consensus-progress", Label).render())
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, AgreementScreen)
        assert len(cons.remaining(walk(project))) == 2
        # Resume: the walk opens at the first undecided unit, the decided ones stay decided.
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConsensusScreen) and screen.index == 3 and screen.decided == 3
        await pilot.press("d")  # unit 3: bo alone coded it; dropped
        await pilot.pause()
        assert screen.index == 4
        await pilot.press("e")
        await pilot.pause()
        edit = app.screen.query_one(Input)
        # The edit starts from the words the one coder coded, not from offsets.
        assert edit.value == "reiser hjem til pasientene"
        edit.value = "til sykehuset"  # not in the passage: refused, still undecided
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and screen.decided == 4
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one(Input).value = "hjem  til"  # found despite the double space
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and screen.decided == 5
        await pilot.press("q")
        await pilot.pause()

    after = walk(project)
    assert cons.remaining(after) == []
    assert [i.decision["choice"] for i in after] == ["b", "a", "both", "drop", "edit"]  # type: ignore[index]
    made = project.store.codings.all(coder="consensus")
    spans = sorted((c.start, c.end) for c in made)
    hjem = text.index("hjem til")

    def span_of(phrase: str) -> tuple[int, int]:
        s = text.index(phrase)
        return s, s + len(phrase)

    # b on unit 0: bo's coding; a on 1: ann's; both on 2: ann's (bo had none); drop on 3:
    # none; the edit on 5; and turn 4, where both coded the code, as ann coded it.
    assert spans == sorted(
        [
            span_of("Har dere et palliativt team?"),
            span_of("teamet har to sykepleiere"),
            span_of("Teamet møtes hver uke"),
            (hjem, hjem + len("hjem til")),
            span_of("Legen er med i teamet"),
        ]
    )
    assert "agreed by A (ann) and B (bo)" in memos_of(made)[span_of("Legen er med i teamet")]
    assert f"edited to {hjem}-{hjem + 8}" in memos_of(made)[(hjem, hjem + 8)]
    assert all(c.code == "palliativt-team" for c in made)
    memos = memos_of(made)
    assert memos[span_of("teamet har to sykepleiere")].startswith("consensus: accepted A (ann)")
    assert f"unit {unit[0][0]}-{unit[0][1]}" in memos[span_of("Har dere et palliativt team?")]
    # The consensus codings never touch the two coders' own codings.
    assert len(project.store.codings.all(coder="ann")) == 4


def memos_of(codings: list[Coding]) -> dict[tuple[int, int], str]:
    return {(c.start, c.end): c.memo for c in codings}


def decided_codings(project: Project) -> list[Coding]:
    """The consensus codings written by decisions (not the agreed units)."""
    return [c for c in project.store.codings.all(coder="consensus") if "agreed by" not in c.memo]


async def test_redeciding_replaces_the_earlier_consensus_coding(project: Project) -> None:
    item = walk(project)[1]  # ann alone coded it
    t = project.store.transcripts.get(TID)
    first = cons.decide(StudyParts(project.store), t, item, "a")
    assert len(first) == 1
    cons.decide(StudyParts(project.store), t, walk(project)[1], "b")  # bo had none: no coding now
    assert decided_codings(project) == []
    assert walk(project)[1].decision["choice"] == "b"  # type: ignore[index]
    cons.undecide(project.store, walk(project)[1])
    assert len(cons.remaining(walk(project))) == 5


async def test_consensus_coder_name_is_configurable(project: Project) -> None:
    with pytest.raises(QualcodeError, match="already has codings of their own"):
        cset.set_consensus_coder(project.store, "ann")
    project.store.settings.set(cset.SETTING, "ann")  # as an older project could have it
    with pytest.raises(QualcodeError, match="one of the two coders"):
        cons.decide(
            StudyParts(project.store), project.store.transcripts.get(TID), walk(project)[1], "a"
        )
    cset.set_consensus_coder(project.store, "fasit")
    item = walk(project)[0]
    cons.decide(StudyParts(project.store), project.store.transcripts.get(TID), item, "b")
    # bo's coding of unit 0 and the agreed turn 4, both as "fasit".
    assert len(project.store.codings.all(coder="fasit")) == 2
    with pytest.raises(QualcodeError, match="one of the two coders of the consensus"):
        cset.set_consensus_coder(project.store, "bo")


async def test_unknown_coder_is_shown_not_a_crash(project: Project) -> None:
    class Bad(App[None]):
        def on_mount(self) -> None:
            self.push_screen(AgreementScreen(project, "ann", "zed"))

    app = Bad()
    async with app.run_test() as pilot:
        await pilot.pause()
        notes = str(app.screen.query_one("#agreement-notes").render())
        assert 'no coder "zed"' in notes


def _add(project: Project, coder: str, phrase: str, code: str) -> None:
    t = project.store.transcripts.get(TID)
    start = t.text.index(phrase)
    project.store.codings.add(make_coding(t, start, start + len(phrase), code, coder))


def _screen_text(app: App[None]) -> str:
    """What the terminal shows, as plain text (the screenshot's SVG without markup)."""
    import html
    import re

    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


async def test_table_keeps_its_columns_and_cursor_after_a_walk(project: Project) -> None:
    _add(project, "ann", "to sykepleiere", "fastlege-legevakt")
    _add(project, "bo", "to sykepleiere", "fastlege-legevakt")
    _add(project, "bo", "hver uke", "fastlege-legevakt")
    app = Host(project)
    async with app.run_test(size=(130, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#agreement-codes", DataTable)
        # Codebook order (a sub-code of the first theme before a later theme), not by id.
        assert [k.value for k in table.rows] == [
            "palliativt-team",
            "fastlege-legevakt",
            "__overall__",
        ]
        table.move_cursor(row=1)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConsensusScreen) and app.screen.code == "fastlege-legevakt"
        await pilot.press("d", "q")
        await pilot.pause()
        assert app.screen is screen
        # The names and the figures are still readable (re-adding the columns while the
        # screen was hidden used to squeeze the name column to nothing).
        shown = _screen_text(app)
        assert "Samarbeid med fastlege og legevakt" in shown and "Palliativt team" in shown
        assert "1 of 6 disagreements decided" in shown  # the consensus line
        assert table.cursor_row == 1 and len(table.columns) == len(COLUMNS)
        await pilot.press("enter")  # the code just left, not the first row
        await pilot.pause()
        assert isinstance(app.screen, ConsensusScreen) and app.screen.code == "fastlege-legevakt"


async def test_unit_and_informant_only_are_chosen_on_the_screen(project: Project) -> None:
    app = Host(project)
    async with app.run_test(size=(130, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AgreementScreen)

        def title() -> str:
            return str(screen.query_one("#agreement-title", Label).render())

        def overall() -> list[str]:
            table = screen.query_one("#agreement-codes", DataTable)
            return [str(cell) for cell in table.get_row("__overall__")]

        assert "turn units" in title() and overall()[COUNTS] == ["1", "3", "2", "0"]
        await pilot.press("i")  # the interviewer's question (bo alone) drops out
        await pilot.pause()
        assert "informant turns only" in title() and overall()[COUNTS] == ["1", "3", "1", "0"]
        await pilot.press("u", "u")  # sentence, then character units
        await pilot.pause()
        assert "character units" in title()
        want = agreement_report(
            StudyParts(project.store), "ann", "bo", unit="character", informant_only=True
        ).overall
        assert overall()[COUNTS] == [
            str(want.both),
            str(want.only_a),
            str(want.only_b),
            str(want.neither),
        ]
        await pilot.press("enter")  # the walk opens on the screen's unit and scope
        await pilot.pause()
        walk_screen = app.screen
        assert isinstance(walk_screen, ConsensusScreen)
        assert (walk_screen.unit, walk_screen.informant_only) == ("character", True)
        assert all(
            i.disagreement.start > project.store.transcripts.get(TID).turns[0].end
            for i in walk_screen.items
        )


async def test_v_shows_nvivos_comparison_and_the_unitizing_alphas(project: Project) -> None:
    app = Host(project)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        shown = _screen_text(app)
        # The pooling, the per-code spread and the verdict for a code on six turns.
        assert "Overall is pooled" in shown and "median" in shown
        row = [
            str(c)
            for c in screen.query_one("#agreement-codes", DataTable).get_row("palliativt-team")
        ]
        assert row[COLUMNS.index("verdict")] == "too few units"
        assert row[COLUMNS.index("coded")] == "6"
        await pilot.press("v")
        await pilot.pause()
        comparison = screen.query_one("#agreement-comparison", DataTable)
        assert comparison.display and not screen.query_one("#agreement-transcripts").display
        want = {
            c.code: c
            for c in comparison_for(
                project.store, agreement_report(StudyParts(project.store), "ann", "bo")
            )
        }
        cells = [str(c) for c in comparison.get_row_at(0)]
        assert cells[2] == f"{want['palliativt-team'].kappa:.3f}"
        assert "NVivo" in str(screen.query_one("#agreement-view", Label).render())
        await pilot.press("v")
        await pilot.pause()
        unitizing = screen.query_one("#agreement-unitizing", DataTable)
        assert unitizing.display and unitizing.row_count >= 3  # code, theme, Cu-alpha
        labels = [str(unitizing.get_row_at(i)[0]) for i in range(unitizing.row_count)]
        assert labels[-1] == "Cu-alpha, across themes"
        await pilot.press("v")
        await pilot.pause()
        assert screen.query_one("#agreement-transcripts").display
