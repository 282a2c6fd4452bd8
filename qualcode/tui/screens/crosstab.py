"""The crosstab screen: each code's passages and cases coded per attribute value (size,
region, …) or per speaker; `a` cycles what the columns are, Enter retrieves the cell."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from qualcode import cooccurrence as co
from qualcode import crosstab as ct
from qualcode.i18n import N_, ui_language, ui_p, ui_percent
from qualcode.i18n import ui as _
from qualcode.project import Project
from qualcode.scope import Scope
from qualcode.tui import scope_choice
from qualcode.tui.widgets.key_bar import KeyBar


@dataclass(frozen=True)
class CellChoice:
    """A cell asked for: the code, and the attribute (or speaker) value of its column."""

    code: str
    by: str
    value: str
    scope: Scope


class CrosstabScreen(Screen[CellChoice | None]):
    BINDINGS = [
        Binding("enter", "open", N_("Retrieve"), show=False),
        Binding("a", "attribute", N_("Columns")),
        Binding("l", "level", N_("Level")),
        Binding(scope_choice.SCOPE_KEY, scope_choice.SCOPE_ACTION, scope_choice.SCOPE_DESCRIPTION),
        Binding("escape,q", "back", N_("Back")),
    ]

    def __init__(self, project: Project, coder: str):
        super().__init__()
        self.project = project
        self.coder = coder
        attrs = project.guide.case_attributes if project.guide else []
        self.choices = [a.id for a in attrs] + [ct.SPEAKER]
        self.by = self.choices[0]
        self.level: co.Level = "all"
        self.table: ct.Crosstab | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="title", markup=False)
        yield DataTable(id="crosstab", cursor_type="cell", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.reload()

    def reload(self) -> None:
        scope = scope_choice.current_scope(self.app, self.project, self.coder)
        table = ct.build_crosstab(self.project, scope, self.by, self.level)
        self.table = table
        grid = self.query_one(DataTable)
        grid.clear(columns=True)
        grid.add_column(ui_p("column", "Code"), width=30)
        for col in table.columns:
            n = len(table.column_cases[col])
            name = _("(no value)") if col == ct.NO_VALUE else col  # the core's is Norwegian
            grid.add_column(Text(f"{name} ({n})", no_wrap=True, overflow="ellipsis"), width=16)
        for code in table.codes:
            cells = [Text(("  " if code.parent else "") + code.name, no_wrap=True,
                          overflow="ellipsis", style="" if code.parent else "bold")]  # fmt: skip
            for col in table.columns:
                cell = table.cell(code.id, col)
                share = table.share(code.id, col)
                pct = ui_percent(share, 0) if share is not None else "–"
                cells.append(Text(f"{cell.passages} · {len(cell.cases)} ({pct})", justify="right"))
            grid.add_row(*cells, key=code.id)
        self.query_one("#title", Static).update(
            _(
                " Codes by {by} · passages · cases coded (share of the column's cases) · {scope}"
            ).format(by=table.by_name, scope=scope.label(ui_language()))
        )

    def action_open(self) -> None:
        grid = self.query_one(DataTable)
        if self.table is None or not grid.row_count:
            return
        row, col = grid.cursor_coordinate.row, grid.cursor_coordinate.column
        if col == 0:
            return
        scope = scope_choice.current_scope(self.app, self.project, self.coder)
        code = self.table.codes[row].id
        self.dismiss(CellChoice(code, self.table.by, self.table.columns[col - 1], scope))

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_open()

    def action_attribute(self) -> None:
        self.by = self.choices[(self.choices.index(self.by) + 1) % len(self.choices)]
        self.reload()

    def action_level(self) -> None:
        order = co.LEVELS
        self.level = order[(order.index(self.level) + 1) % len(order)]
        self.reload()

    def action_choose_scope(self) -> None:
        scope_choice.choose_scope(self.app, self.project, self.coder, lambda _s: self.reload())

    def action_back(self) -> None:
        self.dismiss(None)
