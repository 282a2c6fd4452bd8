"""The retrieval screen: every segment of one code across transcripts, filterable by a
case attribute; Enter opens the segment in context."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Select, Static

from qualcode import scope as sc
from qualcode.model import Coding, Transcript
from qualcode.project import Project
from qualcode.tui import scope_choice
from qualcode.tui.screens.picker import CodePicker
from qualcode.tui.session import app_blind, set_app_blind
from qualcode.tui.widgets.key_bar import KeyBar

ALL = "__all__"


class RetrievalScreen(Screen[None]):
    BINDINGS = [
        Binding("c", "pick", "Choose code"),
        Binding("s", "subcodes", "With sub-codes"),
        Binding("b", "blind", "Blind"),
        Binding("q", "back", "Back"),
        Binding(scope_choice.SCOPE_KEY, scope_choice.SCOPE_ACTION, scope_choice.SCOPE_DESCRIPTION),
    ]

    def __init__(self, project: Project, coder: str, code_id: str | None):
        super().__init__()
        self.project = project
        self.coder = coder
        self.code_id = code_id
        self.with_children = True
        self.attr = (
            project.guide.case_attributes[0]
            if project.guide and project.guide.case_attributes
            else None
        )
        self.filter_value: str = ALL
        self._transcripts: dict[str, Transcript] = {}
        self._rows: dict[str, Coding] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="title", markup=False)
        with Horizontal(id="retrieval-filters"):
            values = list(self.attr.values) if self.attr else []
            yield Select(
                [(v, v) for v in values],
                prompt=f"{self.attr.name if self.attr else ''}: all",
                id="case-filter",
            )
        yield DataTable(id="segments", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # Fixed widths, added once: refilling a table a picker covered squashed its columns.
        for name, width in (
            ("Quote", 72),
            ("Case", 22),
            ("Speaker", 18),
            ("Coder", 12),
            ("Code", 24),
        ):
            table.add_column(name, width=width)
        table.focus()
        if self.code_id is None:
            self.action_pick()
        self.reload()

    def segments(self) -> list[Coding]:
        """The code's codings (and its sub-codes') in scope (blind: only the coder's own),
        kept to the chosen case attribute value."""
        if not self.code_id:
            return []
        store = self.project.store
        ids = {self.code_id}
        if self.with_children:
            ids |= {c.id for c in store.codes() if c.parent == self.code_id}
        cases = store.cases()
        coders = set(scope_choice.current_scope(self.app, self.project, self.coder).coders)
        out = []
        for code_id in sorted(ids):
            for c in store.codings(code=code_id):
                if c.coder not in coders:
                    continue
                t = self._transcript(c.transcript)
                value = cases.get(t.case or "", {}).get(self.attr.id, "") if self.attr else ""
                if self.filter_value in (ALL, value):
                    out.append(c)
        return sorted(out, key=lambda c: (c.transcript, c.start))

    def _transcript(self, tid: str) -> Transcript:
        if tid not in self._transcripts:
            self._transcripts[tid] = self.project.store.transcript(tid)
        return self._transcripts[tid]

    def _speaker(self, c: Coding) -> str:
        for turn in self._transcript(c.transcript).turns:
            if turn.start <= c.start < turn.end:
                return turn.speaker
        return ""

    def reload(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self._rows = {}
        rows = self.segments()
        for c in rows:
            key = str(c.id)
            self._rows[key] = c
            quote = c.quote.replace("\n", " ")
            quote = quote if len(quote) <= 70 else quote[:69] + "…"
            # Text, not markup: quotes hold "[SYKEHUS]", a case may be "Lund [/]"
            cells = (
                quote,
                self._transcript(c.transcript).case or c.transcript,
                self._speaker(c),
                c.coder,
                c.code,
            )
            table.add_row(*(Text(cell) for cell in cells), key=key)
        code = self.project.store.code(self.code_id) if self.code_id else None
        name = code.name if code else "(no code chosen: press c)"
        subs = " and its sub-codes" if self.with_children else ""
        scope = scope_choice.current_scope(self.app, self.project, self.coder)
        passages = len(sc.merge_passages(rows))
        blind = " (b shows all)" if scope.blind else ""
        self.query_one("#title", Static).update(
            f" Retrieval: {name}{subs} · {len(rows)} codings, {passages} passages · "
            f"{scope.line(self.project.language)}{blind} · Enter opens in context · ctrl+o whose"
        )

    def on_select_changed(self, event: Select.Changed) -> None:
        self.filter_value = ALL if event.value is Select.BLANK else str(event.value)
        self.reload()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        coding = self._rows.get(str(event.row_key.value))
        if coding:
            from qualcode.tui.screens.transcript import TranscriptScreen

            self.app.push_screen(
                TranscriptScreen(
                    self.project, self.coder, coding.transcript, span=(coding.start, coding.end)
                )
            )

    def action_pick(self) -> None:
        def chosen(code_id: str | None) -> None:
            if code_id:
                self.code_id = code_id
                self.reload()

        self.app.push_screen(CodePicker(self.project.store, self.coder), chosen)

    def action_blind(self) -> None:
        set_app_blind(self.app, not app_blind(self.app))
        self.reload()

    def action_choose_scope(self) -> None:
        scope_choice.choose_scope(self.app, self.project, self.coder, self.reload)

    def on_screen_resume(self) -> None:
        self.reload()  # blind mode or the codings may have changed on another screen

    def action_subcodes(self) -> None:
        self.with_children = not self.with_children
        self.reload()

    def action_back(self) -> None:
        self.app.pop_screen()
