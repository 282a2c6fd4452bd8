"""The co-occurrence screen: code × code, how many stretches (or turns) carry both codes.

Columns are numbered (the row labels give each number its code), so the table fits a
narrow terminal; Enter on a cell lists the stretches behind it, and choosing one opens it
in context.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from qualcode import cooccurrence as co
from qualcode.i18n import N_, ui_language, ui_p
from qualcode.i18n import ui as _
from qualcode.project import Project
from qualcode.scope import Passage
from qualcode.tui import scope_choice
from qualcode.tui.dialogs.prompts import ChoicePrompt
from qualcode.tui.widgets.key_bar import KeyBar

# the title's name for each level the table can count at
LEVEL_NAMES = {"code": N_("codes"), "theme": N_("themes"), "all": N_("codes and themes")}


class CooccurrenceScreen(Screen[Passage | None]):
    """Dismisses with a stretch to open in context, or None."""

    BINDINGS = [
        Binding("enter", "open", N_("Stretches"), show=False),
        Binding("l", "level", N_("Level")),
        Binding("w", "within", N_("Passage/turn")),
        Binding(scope_choice.SCOPE_KEY, scope_choice.SCOPE_ACTION, scope_choice.SCOPE_DESCRIPTION),
        Binding("escape,q", "back", N_("Back")),
    ]

    def __init__(self, project: Project, coder: str):
        super().__init__()
        self.project = project
        self.coder = coder
        self.level: co.Level = "code"
        self.within: co.Within = "passage"
        self.result: co.Cooccurrence | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="title", markup=False)
        yield DataTable(id="cooccurrence", cursor_type="cell", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.reload()

    def reload(self) -> None:
        scope = scope_choice.current_scope(self.app, self.project, self.coder)
        result = co.build_cooccurrence(self.project.store, scope, self.within, self.level)
        self.result = result
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_column(ui_p("column", "Code"), width=28)
        for i in range(1, len(result.codes) + 1):
            table.add_column(str(i), width=max(3, len(str(i))))
        for i, a in enumerate(result.codes, 1):
            cells: list[Text] = [Text(f"{i:>2} {a.name}", no_wrap=True, overflow="ellipsis")]
            for b in result.codes:
                n = result.count(a.id, b.id)
                style = "bold" if a.id == b.id else ""
                cells.append(Text(str(n) if n else "·", style=style, justify="right"))
            table.add_row(*cells, key=a.id)
        unit = _("stretches coded with both") if self.within == "passage" else _("turns with both")
        level = _(LEVEL_NAMES.get(self.level, self.level))
        self.query_one("#title", Static).update(
            _(" Co-occurrence · {unit} · {level} · {scope} · Enter lists the stretches").format(
                unit=unit, level=level, scope=scope.label(ui_language())
            )
        )

    def _cell(self) -> tuple[str, str] | None:
        table = self.query_one(DataTable)
        if self.result is None or not table.row_count:
            return None
        row, col = table.cursor_coordinate.row, table.cursor_coordinate.column
        if col == 0:
            return None
        codes = self.result.codes
        return codes[row].id, codes[col - 1].id

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        cell = self._cell()
        if cell is None or self.result is None:
            return
        found = self.result.passages(*cell)
        if not found:
            self.notify(_("No stretch carries both codes"), timeout=3)
            return
        names = {c.id: c.name for c in self.result.codes}
        texts = {p.transcript: self.project.store.transcripts.get(p.transcript).text for p in found}
        choices = [
            (
                str(i),
                f"{p.transcript}: «{' '.join(texts[p.transcript][p.start : p.end].split())[:90]}»",
            )
            for i, p in enumerate(found)
        ]

        def chosen(key: str | None) -> None:
            if key is not None:
                self.dismiss(found[int(key)])

        a, b = cell
        self.app.push_screen(ChoicePrompt(f"{names[a]} × {names[b]}:", choices), chosen)

    def action_level(self) -> None:
        order = co.LEVELS
        self.level = order[(order.index(self.level) + 1) % len(order)]
        self.reload()

    def action_within(self) -> None:
        self.within = "turn" if self.within == "passage" else "passage"
        self.reload()

    def action_choose_scope(self) -> None:
        scope_choice.choose_scope(self.app, self.project, self.coder, lambda _s: self.reload())

    def action_back(self) -> None:
        self.dismiss(None)
