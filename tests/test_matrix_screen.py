"""The matrix, cell editor and comparison screens, driven with Textual's Pilot."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.screen import Screen
from textual.widgets import DataTable, TextArea

from qualcode import report
from qualcode.coding import make_coding
from qualcode.project import Project
from qualcode.tui.dialogs.prompts import ChoicePrompt
from qualcode.tui.navigation import Navigator
from qualcode.tui.screens.comparison import ComparisonScreen
from qualcode.tui.screens.matrix import (
    GROUP,
    SECTION,
    CellEditorScreen,
    MatrixScreen,
    SegmentList,
)
from qualcode.tui.screens.section_editor import SectionEditorScreen


class Host(Navigator):
    """A tiny app that shows one screen, and opens what it asks for as the workspace does."""

    def __init__(self, screen: Screen):
        super().__init__()
        self.first = screen
        self.project = screen.project  # type: ignore[attr-defined]
        self.coder = getattr(screen, "coder", None)

    def on_mount(self) -> None:
        self.push_screen(self.first)


@pytest.fixture
def project(project_dir: Path):
    p = Project.open(project_dir)
    store = p.store
    for tid, needle, code in (
        ("stor-9", "palliativt team", "palliativt-team"),
        ("stor-9", "åtte palliative senger", "palliative-senger"),
        ("liten-9", "Vi har tett kontakt med pårørende.", "parorende"),
    ):
        t = store.transcripts.get(tid)
        start = t.text.index(needle)
        store.codings.add(make_coding(t, start, start + len(needle), code, "ann"))
    store.summaries.set(
        "Stor kommune 9", "theme", "organisering", "Et palliativt team og åtte senger.", "ann"
    )
    yield p
    p.close()


def _row_texts(table: DataTable) -> list[tuple[str, list[str]]]:
    return [(str(key.value), [str(c) for c in table.get_row(key)]) for key in table.rows]


async def test_matrix_rows_grouped_by_size_with_counts_and_summary_start(project):
    app = Host(MatrixScreen(project, "ann"))
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        rows = _row_texts(table)
        assert [key for key, _ in rows] == [
            GROUP + "stor",
            "Stor kommune 9",
            GROUP + "liten",
            "Liten kommune 9",
        ]
        themes = [t.id for t in project.guide.themes]
        sections = [s.id for s in project.guide.report_sections]
        assert len(rows[1][1]) == 1 + len(themes) + len(sections)  # § columns after the themes
        stor = dict(zip(themes, rows[1][1][1 : 1 + len(themes)], strict=True))
        assert stor["organisering"].startswith("2 · Et palliativt")
        assert stor["organisering"].endswith("…")  # only the start of a long summary
        assert stor["bemanning"] == "0"
        liten = dict(zip(themes, rows[3][1][1 : 1 + len(themes)], strict=True))
        assert liten["parorende"] == "1"


async def test_enter_opens_cell_editor_then_k_marks_and_ctrl_s_saves(project):
    app = Host(MatrixScreen(project, "ann"))
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        organisering = 1 + [t.id for t in project.guide.themes].index("organisering")
        table.cursor_coordinate = table.validate_cursor_coordinate((1, organisering))
        table.focus()
        await pilot.press("enter")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, CellEditorScreen)
        assert editor.cell.case == "Stor kommune 9" and editor.cell.count == 2
        # k on the segment list marks the highlighted segment as a key quote
        segments = editor.query_one(SegmentList)
        segments.focus()
        segments.highlighted = 0
        await pilot.press("k")
        await pilot.pause()
        first = editor.cell.segments[0].coding_id
        assert project.store.summaries.key_quotes() == {("Stor kommune 9", "organisering", first)}
        await pilot.press("k")
        await pilot.pause()
        assert project.store.summaries.key_quotes() == set()
        await pilot.press("k")  # marked again: the report check at the end relies on it
        # the summary: typed, then ctrl+s
        area = editor.query_one(TextArea)
        area.focus()
        area.load_text("Ny oppsummering.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        texts = {
            (r["case"], r["kind"], r["target"]): r["text"] for r in project.store.summaries.all()
        }
        assert texts[("Stor kommune 9", "theme", "organisering")] == "Ny oppsummering."
        # leaving a changed text asks first; "save" saves, and the matrix shows the new start
        area.load_text("Endret igjen.")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ChoicePrompt)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MatrixScreen)
        texts = {
            (r["case"], r["kind"], r["target"]): r["text"] for r in project.store.summaries.all()
        }
        assert texts[("Stor kommune 9", "theme", "organisering")] == "Endret igjen."
        row = _row_texts(app.screen.query_one(DataTable))[1][1]
        assert row[organisering] == "2 · Endret igjen."
    chapters = report.build_summaries(project)
    block = chapters[0].sections[0].themes[0]
    assert [s.coding_id for s in block.key_quotes] == [first]


async def test_enter_on_a_group_row_does_nothing(project):
    app = Host(MatrixScreen(project, "ann"))
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        table.cursor_coordinate = table.validate_cursor_coordinate((0, 1))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MatrixScreen)


async def test_comparison_screen_shows_evidence_and_saves_notes(project, norwegian):
    app = Host(ComparisonScreen(project, "ann"))
    async with app.run_test(size=(160, 60)) as pilot:
        await pilot.pause()
        screen = app.screen
        categories = [c.id for c in project.guide.comparison_categories]
        assert [r.id for r in screen.rows] == categories
        evidence = str(screen.query_one("#evidence-tilgang-ressurser").render())
        assert "stor 1/1 · liten 0/1" in evidence
        assert "Stor kommune 9" in evidence
        # each text box says what it holds
        assert screen.query_one("#likheter-kreftkoordinator", TextArea).border_title == "Likheter"
        assert (
            screen.query_one("#forskjeller-kreftkoordinator", TextArea).border_title
            == "Forskjeller"
        )
        screen.query_one("#likheter-parorendes-rolle", TextArea).load_text("Pårørende er viktige.")
        screen.query_one("#forskjeller-parorendes-rolle", TextArea).load_text("Ulik støtte.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        note = project.store.summaries.comparison_notes()["parorendes-rolle"]
        assert (note["likheter"], note["forskjeller"]) == ("Pårørende er viktige.", "Ulik støtte.")
        screen.query_one("#likheter-dokumentasjon", TextArea).load_text("Tidkrevende.")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ChoicePrompt)
        await pilot.press("enter")
        await pilot.pause()
    assert project.store.summaries.comparison_notes()["dokumentasjon"]["likheter"] == "Tidkrevende."


def _sections(project) -> dict[tuple[str, str], str]:
    return {
        (r["case"], r["target"]): r["text"]
        for r in project.store.summaries.all()
        if r["kind"] == "section"
    }


async def test_enter_on_a_section_column_writes_the_case_section_summary(project):
    app = Host(MatrixScreen(project, "ann"))
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        keys = [str(c.value) for c in table.columns]
        column = keys.index(SECTION + "samhandling")
        table.cursor_coordinate = table.validate_cursor_coordinate((3, column))  # Liten kommune 9
        table.focus()
        await pilot.press("enter")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, SectionEditorScreen)
        assert (editor.case, editor.section.id) == ("Liten kommune 9", "samhandling")
        editor.query_one(TextArea).load_text("Samhandlingen med fastlegene fungerer godt.")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")  # "save and go back"
        await pilot.pause()
        assert isinstance(app.screen, MatrixScreen)
        assert _sections(project) == {
            ("Liten kommune 9", "samhandling"): "Samhandlingen med fastlegene fungerer godt."
        }
        row = _row_texts(app.screen.query_one(DataTable))[3][1]
        assert row[column].startswith("Samhandlingen")
    chapters = report.build_summaries(project)
    liten = next(c for c in chapters if c.case == "Liten kommune 9")
    samhandling = next(s for s in liten.sections if s.id == "samhandling")
    assert samhandling.summary == "Samhandlingen med fastlegene fungerer godt."


async def test_e_on_a_theme_cell_opens_the_section_holding_that_theme(project, norwegian):
    project.store.summaries.set("Stor kommune 9", "section", "organisering", "Gammel tekst.", "ann")
    app = Host(MatrixScreen(project, "ann"))
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        bemanning = 1 + [t.id for t in project.guide.themes].index("bemanning")
        table.cursor_coordinate = table.validate_cursor_coordinate((1, bemanning))
        table.focus()
        await pilot.press("e")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, SectionEditorScreen)
        # bemanning belongs to the guide's "organisering" section; its text is loaded
        assert editor.section.id == "organisering" and editor.text == "Gammel tekst."
        # the section's theme cells stand beside the text: organisering has a summary
        material = str(editor.query_one("#section-material Static").render())
        assert "Et palliativt team og åtte senger." in material
        assert "Bemanning og kompetanse (0 kodede passasjer)" in material
        editor.query_one(TextArea).load_text("Ny tekst.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert _sections(project)[("Stor kommune 9", "organisering")] == "Ny tekst."
        await pilot.press("escape")
        await pilot.pause()
        table.cursor_coordinate = table.validate_cursor_coordinate((0, bemanning))  # a group row
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, MatrixScreen)


async def test_k_marks_every_coders_coding_of_the_same_words(project):
    t = project.store.transcripts.get("stor-9")
    start = t.text.index("palliativt team")
    bob = project.store.codings.add(
        make_coding(t, start, start + len("palliativt team"), "palliativt-team", "bob")
    )
    app = Host(MatrixScreen(project, "ann"))
    app.blind = False  # both coders' codings
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        matrix = app.screen
        matrix.open_cell("Stor kommune 9", "organisering")
        await pilot.pause()
        editor = app.screen
        # ann's and bob's codings of the same words are one passage
        assert isinstance(editor, CellEditorScreen) and editor.cell.count == 2
        assert len(editor.cell.segments) == 3
        index = next(i for i, s in enumerate(editor.cell.passages) if bob.id in s.codings)
        assert editor.cell.passages[index].coder == "ann, bob"
        segments = editor.query_one(SegmentList)
        segments.focus()
        segments.highlighted = index
        await pilot.press("k")
        await pilot.pause()
        ann = next(
            s.coding_id
            for s in editor.cell.segments
            if s.coder == "ann" and s.quote == "palliativt team"
        )
        assert project.store.summaries.key_quotes() == {
            ("Stor kommune 9", "organisering", bob.id),
            ("Stor kommune 9", "organisering", ann),
        }
        await pilot.press("k")
        await pilot.pause()
        assert project.store.summaries.key_quotes() == set()


async def test_cell_editor_keys_cannot_write_into_the_summary_and_esc_asks(project):
    project.store.summaries.set("Stor kommune 9", "theme", "organisering", "Gammel.", "ann")
    app = Host(MatrixScreen(project, "ann"))
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        app.screen.open_cell("Stor kommune 9", "organisering")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, CellEditorScreen)
        assert editor.query_one(SegmentList).has_focus  # k marks, it does not type
        await pilot.press("k", "j", "x")
        await pilot.pause()
        assert editor.text == "Gammel."
        await pilot.press("tab", *"Ny", "escape")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, ChoicePrompt)
        await pilot.press("down", "enter")  # discard
        await pilot.pause()
        assert isinstance(app.screen, MatrixScreen)
    texts = {(r["case"], r["kind"], r["target"]): r["text"] for r in project.store.summaries.all()}
    assert texts[("Stor kommune 9", "theme", "organisering")] == "Gammel."
