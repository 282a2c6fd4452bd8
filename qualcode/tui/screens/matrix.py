"""The framework matrix: cases (grouped by size) × themes, each cell its count and summary start;
Enter opens the cell's editor, with the coded segments beside the summary text. After the
themes, a column per report section holds the start of the case's section summary; Enter
there (or ``e`` anywhere in a case's row) opens the section's editor.

Every name, quote and summary goes to the screen as a ``Text``, never as markup: anonymised
transcripts are full of brackets ("[SYKEHUS]"), and a case may be called "Lund [/]"."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from qualcode import report
from qualcode.i18n import N_, ui_language, ui_n
from qualcode.i18n import ui as _
from qualcode.model import ReportSection
from qualcode.project import Project
from qualcode.tui import messages, scope_choice
from qualcode.tui.dialogs.prompts import ChoicePrompt, leave_editor
from qualcode.tui.widgets.key_bar import KeyBar

GROUP = "group:"  # row keys of the size-group header rows
SECTION = "section:"  # column keys of the report-section columns
HEADER_WIDTH = 18
NO_TEXT = "–"


def cell_text(cell: report.MatrixCell, width: int = 16) -> str:
    """``n · start of summary…`` (just ``n`` while there is no summary)."""
    if not cell.summary.strip():
        return str(cell.count)
    return f"{cell.count} · {report.summary_start(cell.summary, width)}"


class MatrixScreen(Screen[None]):
    """``coder`` writes the summaries; the counts stand on the workspace's scope (blind: the
    coder's own codings), named in the title."""

    BINDINGS = [
        Binding("escape,q", "back", N_("Back")),
        Binding("r", "reload", N_("Refresh")),
        Binding("e", "section", N_("Section summary")),
        Binding(scope_choice.SCOPE_KEY, scope_choice.SCOPE_ACTION, scope_choice.SCOPE_DESCRIPTION),
    ]

    def __init__(self, project: Project, coder: str):
        super().__init__()
        self.project = project
        self.coder = coder
        self.matrix: report.Matrix | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="matrix-title", markup=False)
        yield DataTable(id="matrix", cursor_type="cell", zebra_stripes=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.action_reload()
        self.query_one(DataTable).focus()

    @property
    def sections(self) -> list[ReportSection]:
        return list(self.project.guide.report_sections) if self.project.guide else []

    def action_reload(self) -> None:
        table = self.query_one(DataTable)
        # The first showing starts on the first case's first theme, not on a group row.
        cursor = table.cursor_coordinate if self.matrix is not None else Coordinate(1, 1)
        scope = scope_choice.current_scope(self.app, self.project, self.coder)
        self.matrix = report.build_matrix(self.project, scope)
        self.query_one("#matrix-title", Static).update(
            _(
                "Framework matrix · {scope} — Enter: open the cell · e: the section's summary "
                "(the § columns after the themes) · o: whose"
            ).format(scope=scope.line(ui_language()))
        )
        texts = {
            (r["case"], r["target"]): str(r["text"])
            for r in self.project.store.summaries.all()
            if r["kind"] == "section"
        }
        # Columns once, with their widths fixed: a table refilled while an editor covers it
        # would otherwise measure its columns as nothing wide.
        table.clear(columns=not table.columns)
        if not table.columns:
            label = self.project.guide.case_label if self.project.guide else _("Case")
            table.add_column(Text(label), key="case", width=22)
            for theme in self.matrix.themes:
                table.add_column(
                    Text(report.summary_start(theme.name, HEADER_WIDTH)),
                    key=theme.id,
                    width=HEADER_WIDTH + 2,
                )
            for section in self.sections:
                table.add_column(
                    Text("§ " + report.summary_start(section.title, HEADER_WIDTH)),
                    key=SECTION + section.id,
                    width=HEADER_WIDTH + 2,
                )
        blanks = [""] * (len(self.matrix.themes) + len(self.sections))
        for size, cases in self.matrix.groups:
            table.add_row(Text(size, style="bold"), *blanks, key=GROUP + size)
            for case in cases:
                cells = [Text(cell_text(self.matrix.cell(case, t.id))) for t in self.matrix.themes]
                cells += [
                    Text(report.summary_start(texts.get((case, s.id), ""), 16) or NO_TEXT)
                    for s in self.sections
                ]
                table.add_row(Text(case), *cells, key=case)
        if table.row_count:
            table.cursor_coordinate = table.validate_cursor_coordinate(cursor)

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        case = str(event.cell_key.row_key.value)
        column = str(event.cell_key.column_key.value)
        if case.startswith(GROUP) or column == "case" or self.matrix is None:
            return
        if column.startswith(SECTION):
            self.open_section(case, column.removeprefix(SECTION))
        else:
            self.open_cell(case, column)

    def _cursor(self) -> tuple[str, str] | None:
        """(case, column key) under the cursor, or None on a group row or an empty table."""
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate)
        case = str(key.row_key.value)
        return None if case.startswith(GROUP) else (case, str(key.column_key.value))

    def action_section(self) -> None:
        """The section of the column under the cursor; elsewhere in the row, ask which one."""
        here = self._cursor()
        if here is None or not self.sections:
            return
        case, column = here
        if column.startswith(SECTION):
            self.open_section(case, column.removeprefix(SECTION))
            return
        holding = [s for s in self.sections if column in s.themes]
        if holding:
            self.open_section(case, holding[0].id)
            return
        choices = [(s.id, s.title) for s in self.sections]

        def chosen(section_id: str | None) -> None:
            if section_id:
                self.open_section(case, section_id)

        asked = _("Which report section of {case}?").format(case=case)
        self.app.push_screen(ChoicePrompt(asked, choices), chosen)

    def open_section(self, case: str, section_id: str) -> None:
        assert self.matrix is not None
        section = next(s for s in self.sections if s.id == section_id)
        self.post_message(
            messages.OpenSectionEditor(case, section, self.matrix, self.action_reload)
        )

    def open_cell(self, case: str, theme: str) -> None:
        assert self.matrix is not None
        name = next((t.name for t in self.matrix.themes if t.id == theme), theme)
        editor = CellEditorScreen(self.project, self.coder, self.matrix.cell(case, theme), name)
        self.app.push_screen(editor, lambda _result: self.action_reload())

    def action_choose_scope(self) -> None:
        scope_choice.choose_scope(
            self.app, self.project, self.coder, lambda _scope: self.action_reload(), True
        )

    def on_screen_resume(self) -> None:
        self.action_reload()  # blind mode or the scope may have changed on another screen

    def action_back(self) -> None:
        self.app.pop_screen()


class SegmentList(OptionList):
    """The cell's coded segments; ``k`` marks or unmarks the highlighted one as a key quote."""

    BINDINGS = [Binding("k", "toggle_key", N_("Key quote"))]

    def action_toggle_key(self) -> None:
        screen = self.screen
        if isinstance(screen, CellEditorScreen):
            screen.toggle_key(self.highlighted)


class CellEditorScreen(Screen[None]):
    """One (case, theme) cell: its segments on the left, its summary on the right."""

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save")),
        Binding("escape", "leave", N_("Back")),
        Binding("tab", "switch", N_("Passages / summary")),
    ]

    def __init__(self, project: Project, coder: str, cell: report.MatrixCell, theme_name: str = ""):
        super().__init__()
        self.project = project
        self.coder = coder
        self.cell = cell
        self.theme_name = theme_name or cell.theme
        self.keys = {s.coding_id for s in cell.passages if s.key}
        self.saved_text = cell.summary

    def compose(self) -> ComposeResult:
        n = len(self.cell.passages)
        said = ui_n("{n} coded passage", "{n} coded passages", n).format(n=n)
        yield Static(
            f"{self.cell.case} — {self.theme_name} ({said})", id="cell-title", markup=False
        )
        with Horizontal():
            with Vertical(id="cell-segments"):
                yield Static(_("Coded passages · k: key quote"))
                yield SegmentList(*self._options(), id="segments")
            with Vertical(id="cell-summary"):
                yield Static(_("Summary · ctrl+s: save"))
                yield TextArea(self.cell.summary, id="summary", tab_behavior="focus")
        yield KeyBar()

    def _options(self) -> list[Option]:
        # one option per passage, naming the coders whose codings merged into it
        return [
            Option(
                Text(
                    f"{'★ ' if s.coding_id in self.keys else ''}«{s.quote}»\n"
                    f"  — {s.source} · {s.coder}"
                ),
                id=str(s.coding_id),
            )
            for s in self.cell.passages
        ]

    def on_mount(self) -> None:
        # The segments first: there `k` marks a key quote; a letter typed into the summary
        # is always meant as text, and the summary is one Tab away.
        segments = self.query_one(SegmentList)
        if self.cell.segments:
            segments.highlighted = 0
            segments.focus()
        else:
            self.query_one(TextArea).focus()

    def action_switch(self) -> None:
        area = self.query_one(TextArea)
        (self.query_one(SegmentList) if area.has_focus else area).focus()

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    def toggle_key(self, index: int | None) -> None:
        if index is None or not 0 <= index < len(self.cell.passages):
            return
        passage = self.cell.passages[index]
        marked = passage.coding_id not in self.keys
        # every coding of the passage goes with it: the report quotes the passage once, so
        # a ★ left on one of its codings would keep a quote the analyst just unmarked
        store = self.project.store
        ids = set(passage.codings)
        if not marked:  # a mark on any coding of these words, by any coder, comes off
            here = (self.cell.case, self.cell.theme)
            for case, theme, coding_id in store.summaries.key_quotes():
                c = store.codings.get(coding_id) if (case, theme) == here else None
                if c and c.transcript == passage.transcript and c.start < passage.end:
                    if c.end > passage.start:
                        ids.add(coding_id)
        with store.transaction():
            for coding_id in sorted(ids):
                store.summaries.set_key_quote(
                    self.cell.case, self.cell.theme, coding_id, marked, self.coder
                )
        if marked:
            self.keys.add(passage.coding_id)
        else:
            self.keys.discard(passage.coding_id)
        segments = self.query_one(SegmentList)
        segments.clear_options()
        segments.add_options(self._options())
        segments.highlighted = index

    def action_save(self) -> None:
        if self.text != self.saved_text:  # unchanged text is not written (no audit noise)
            self.project.store.summaries.set(
                self.cell.case, "theme", self.cell.theme, self.text, self.coder
            )
            self.saved_text = self.text
            self.notify(_("The summary is saved"))

    def unsaved(self) -> bool:
        return self.text != self.saved_text

    def save_unsaved(self) -> None:
        self.action_save()

    def action_leave(self) -> None:
        leave_editor(self, self.unsaved(), self.action_save)
