"""The corpus search screen: type a query, pick exact, lemma or fuzzy, code hits directly.

Enter on a hit dismisses the screen with that ``Hit`` so the app can open it in context;
``c`` codes the sentence around the hit (with the given code, or one chosen in the picker).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Input, Select, Static

from qualcode.analysis import sentences
from qualcode.coding import make_coding
from qualcode.i18n import N_
from qualcode.i18n import ui as _
from qualcode.model import Coding, QualcodeError
from qualcode.project import Project
from qualcode.search import MODES, Hit, search
from qualcode.tui.screens.picker import CodePicker
from qualcode.tui.widgets.key_bar import KeyBar

SHOWN = 500  # hits listed at once: a screenful many times over, and quick to draw


class SearchScreen(Screen[Hit | None]):
    BINDINGS = [
        Binding("c", "code_hit", N_("Code hit")),
        Binding("ctrl+t", "cycle_mode", N_("Mode")),
        Binding("slash", "focus_query", N_("Query")),
        Binding("escape", "back", N_("Back")),
    ]

    def __init__(
        self,
        project: Project,
        coder: str,
        code: str | None = None,
        query: str = "",
        mode: str = "lemma",
    ):
        super().__init__()
        self.project = project
        self.coder = coder
        self.code = code  # when given, `c` codes with it without asking
        self.query_text = query
        self.mode = mode
        self.hits: list[Hit] = []
        self.coded: list[Coding] = []

    def compose(self) -> ComposeResult:
        yield Static(
            _(" Search: Enter runs it · ctrl+t mode · c codes a hit · Enter on a hit opens it"),
            id="search-title",
        )
        with Horizontal(id="search-bar"):
            yield Input(value=self.query_text, placeholder=_("word or phrase"), id="query")
            yield Select([(m, m) for m in MODES], value=self.mode, allow_blank=False, id="mode")
        yield DataTable(id="hits", cursor_type="row", zebra_stripes=True)
        yield Static("", id="search-status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(
            "", _("Case"), _("Turn"), _("Speaker"), _("In context")
        )
        self.query_one("#query", Input).focus()
        if self.query_text:
            self.run_search()

    def _status(self, text: str) -> None:
        self.query_one("#search-status", Static).update(" " + text)

    def run_search(self) -> None:
        query = self.query_one("#query", Input).value.strip()
        table = self.query_one(DataTable)
        table.clear()
        self.hits = []
        if not query:
            return
        try:
            # One more than is shown, to know whether there are more.
            self.hits = search(self.project, query, self.mode, limit=SHOWN + 1)
        except QualcodeError as err:
            self._status(str(err))
            return
        more = len(self.hits) > SHOWN
        self.hits = self.hits[:SHOWN]
        for i, h in enumerate(self.hits):
            # A Text, not markup: transcripts hold brackets such as "[KOMMUNE]".
            context = Text.assemble(
                h.left[-35:] + " ", (h.match, "bold reverse"), " " + h.right[:35]
            )
            table.add_row(
                "", Text(h.case or h.transcript), str(h.turn), Text(h.speaker), context, key=str(i)
            )
        self._status(
            (
                f"the first {SHOWN} hits ({self.mode}); narrow the search, or use "
                "`qualcode search` for all"
                if more
                else f"{len(self.hits)} hits ({self.mode})"
            )
            + f" in {len({h.transcript for h in self.hits})} transcripts"
        )
        if self.hits:
            table.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.run_search()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.value is not Select.BLANK and event.value != self.mode:
            self.mode = str(event.value)
            self.run_search()

    def action_cycle_mode(self) -> None:
        self.query_one("#mode", Select).value = MODES[(MODES.index(self.mode) + 1) % len(MODES)]

    def action_focus_query(self) -> None:
        self.query_one("#query", Input).focus()

    def selected(self) -> Hit | None:
        table = self.query_one(DataTable)
        if not self.hits or table.cursor_row is None or table.cursor_row >= len(self.hits):
            return None
        return self.hits[table.cursor_row]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.dismiss(self.hits[int(str(event.row_key.value))])

    def code_hit(self, hit: Hit, code: str) -> Coding:
        """Code the sentence holding ``hit`` (the hit alone if no sentence holds it)."""
        store = self.project.store
        t = store.transcript(hit.transcript)
        spans = sentences(store, t, self.project.language)
        start, end = next(
            ((s, e) for s, e in spans if s <= hit.start and hit.end <= e), (hit.start, hit.end)
        )
        coding = store.add_coding(make_coding(t, start, end, code, self.coder))
        self.coded.append(coding)
        return coding

    def action_code_hit(self) -> None:
        if isinstance(self.focused, Input):
            return
        hit = self.selected()
        if hit is None:
            return
        row = self.query_one(DataTable).cursor_row

        def apply(code: str | None) -> None:
            if code:
                c = self.code_hit(hit, code)
                self.query_one(DataTable).update_cell_at((row, 0), "✓")
                self._status(f"coded {c.transcript} {c.start}-{c.end} as {code}")

        if self.code:
            apply(self.code)
        else:
            self.app.push_screen(CodePicker(self.project.store, self.coder, hit.match), apply)

    def action_back(self) -> None:
        self.dismiss(None)
