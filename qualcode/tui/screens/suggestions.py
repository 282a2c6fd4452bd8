"""The suggestions panel: sentences matching a code's keywords, for the coder to judge.

``a`` accepts (a coding by the current coder), ``r`` rejects (remembered, not shown
again); Enter dismisses with the suggestion so the app can show it in context.
Nothing is coded without one of these keystrokes.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from qualcode.i18n import N_, ui_n, ui_p
from qualcode.i18n import ui as _
from qualcode.model import QualcodeError
from qualcode.project import Project
from qualcode.suggest import Suggestion, accept, reject, suggest
from qualcode.tui.widgets.key_bar import KeyBar


class SuggestionsScreen(Screen[Suggestion | None]):
    BINDINGS = [
        Binding("a", "accept", N_("Accept")),
        Binding("r", "reject", N_("Reject")),
        Binding("escape,q", "back", N_("Back")),
    ]

    def __init__(self, project: Project, coder: str, transcript_id: str | None = None):
        super().__init__()
        self.project = project
        self.coder = coder
        self.transcript_id = transcript_id
        self.items: list[Suggestion] = []

    def compose(self) -> ComposeResult:
        where = self.transcript_id or _("all transcripts")
        yield Static(
            _(" Suggestions for {coder} in {where}: a accept · r reject · Enter shows it").format(
                coder=self.coder, where=where
            ),
            id="suggest-title",
            markup=False,
        )
        yield DataTable(id="suggestions", cursor_type="row", zebra_stripes=True)
        yield Static("", id="suggest-status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # Fixed widths: the sentence, what the coder must read to judge, gets the most room.
        for name, width in (
            (_("Score"), 5),
            (ui_p("column", "Code"), 26),
            (_("Matched"), 18),
            (_("Sentence"), 120),
        ):
            table.add_column(name, width=width)
        table.focus()
        self.reload()

    def reload(self) -> None:
        self.items = suggest(self.project, self.transcript_id, self.coder)
        table = self.query_one(DataTable)
        table.clear()
        for s in self.items:
            text = s.text.replace("\n", " ")
            text = text if len(text) <= 240 else text[:239] + "…"
            table.add_row(
                str(s.score),
                Text(s.code_name, overflow="ellipsis"),
                Text(", ".join(s.matched)),
                Text(text),
                key=s.id,
            )
        n = len(self.items)
        self._status(ui_n("{n} suggestion", "{n} suggestions", n).format(n=n))

    def _status(self, text: str) -> None:
        self.query_one("#suggest-status", Static).update(" " + text)

    def selected(self) -> Suggestion | None:
        row = self.query_one(DataTable).cursor_row
        return self.items[row] if self.items and row is not None and row < len(self.items) else None

    def _drop(self, s: Suggestion) -> None:
        table = self.query_one(DataTable)
        table.remove_row(s.id)
        self.items.remove(s)

    def action_accept(self) -> None:
        s = self.selected()
        if s is None:
            return
        try:
            c = accept(self.project, s.id, self.coder)
        except QualcodeError as err:
            self._status(str(err))
            return
        self._drop(s)
        self._status(
            _("coded {transcript} {start}-{end} as {code}").format(
                transcript=c.transcript, start=c.start, end=c.end, code=s.code_name
            )
        )

    def action_reject(self) -> None:
        s = self.selected()
        if s is None:
            return
        try:
            reject(self.project, s.id, self.coder)
        except QualcodeError as err:
            self._status(str(err))
            return
        self._drop(s)
        self._status(
            _("rejected: {code} will not be suggested here again").format(code=s.code_name)
        )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        found = [s for s in self.items if s.id == str(event.row_key.value)]
        self.dismiss(found[0] if found else None)

    def action_back(self) -> None:
        self.dismiss(None)
