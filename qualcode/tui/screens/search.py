"""The corpus search screen: type a query, pick exact, lemma or fuzzy, code hits directly.

Enter on a hit opens it in context above this screen (``open_hit``), so ``q`` there comes
back to the same results with the cursor on that hit; without ``open_hit`` the screen
dismisses with the hit. ``c`` codes the sentence around the hit, ``t`` its whole turn (with
the given code, or one chosen in the picker, which shows the words to be coded).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Input, Select, Static

from qualcode import codings
from qualcode.analysis import sentences
from qualcode.i18n import N_, ui_n
from qualcode.i18n import ui as _
from qualcode.model import Coding, QualcodeError
from qualcode.project import Project
from qualcode.scope import codings_in
from qualcode.search import MODES, Hit, search
from qualcode.tui import scope_choice
from qualcode.tui.dialogs.picker import CodePicker
from qualcode.tui.widgets.key_bar import KeyBar

SHOWN = 500  # hits listed at once: a screenful many times over, and quick to draw
# the search modes as the mode list and the status line name them
MODE_NAMES = {"exact": N_("exact"), "lemma": N_("lemma"), "fuzzy": N_("fuzzy")}


class SearchScreen(Screen[Hit | None]):
    BINDINGS = [
        Binding("c", "code_hit('sentence')", N_("Code sentence")),
        Binding("t", "code_hit('turn')", N_("Code turn")),
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
        open_hit: Callable[[Hit], None] | None = None,
    ):
        super().__init__()
        self.open_hit = open_hit
        self.project = project
        self.coder = coder
        self.code = code  # when given, `c` codes with it without asking
        self.query_text = query
        self.mode = mode
        self.hits: list[Hit] = []
        self.coded: list[Coding] = []

    def compose(self) -> ComposeResult:
        yield Static(
            _(
                " Search: Enter runs it · ctrl+t mode · on a hit: Enter opens it, "
                "c codes its sentence, t its turn · ● in a coding (blind: yours)"
            ),
            id="search-title",
        )
        with Horizontal(id="search-bar"):
            yield Input(value=self.query_text, placeholder=_("word or phrase"), id="query")
            modes = [(_(MODE_NAMES.get(m, m)), m) for m in MODES]
            yield Select(modes, value=self.mode, allow_blank=False, id="mode")
        yield DataTable(id="hits", cursor_type="row", zebra_stripes=True)
        yield Static("", id="search-status", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#query", Input).focus()
        if self.query_text:
            self.run_search()

    def _status(self, text: str) -> None:
        self.query_one("#search-status", Static).update(" " + text)

    def run_search(self) -> None:
        query = self.query_one("#query", Input).value.strip()
        self.hits = []
        if not query:
            self._show_hits()
            return
        try:
            # One more than is shown, to know whether there are more.
            self.hits = search(self.project, query, self.mode, limit=SHOWN + 1)
        except QualcodeError as err:
            self._show_hits()
            self._status(str(err))
            return
        more = len(self.hits) > SHOWN
        self.hits = self.hits[:SHOWN]
        self._show_hits()
        mode = _(MODE_NAMES.get(self.mode, self.mode))
        transcripts = len({h.transcript for h in self.hits})
        hits = len(self.hits)
        self._status(
            (
                _(
                    "the first {n} hits ({mode}); narrow the search, or use "
                    "`qualcode search` for all"
                ).format(n=SHOWN, mode=mode)
                if more
                else ui_n("{n} hit ({mode})", "{n} hits ({mode})", hits).format(n=hits, mode=mode)
            )
            + ui_n(" in {n} transcript", " in {n} transcripts", transcripts).format(n=transcripts)
        )
        if self.hits:
            self.query_one(DataTable).focus()

    def on_resize(self) -> None:
        if self.hits:  # the context column takes the room the terminal gives now
            self._show_hits()

    def _show_hits(self) -> None:
        """The hits as rows whose keyword-in-context column gets the room left by the other
        columns (their widths capped on a narrow terminal), centred on the match, so the
        match is in view on every row at any width."""
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        width = self.size.width or self.app.size.width
        narrow = width < 120
        cases = [h.case or h.transcript for h in self.hits]
        case_w = min(max((len(c) for c in cases), default=4), 16 if narrow else 30)
        speaker_w = min(max((len(h.speaker) for h in self.hits), default=4), 10 if narrow else 24)
        turn_w = max(len(_("Turn")), *(len(str(h.turn)) for h in self.hits)) if self.hits else 4
        # every column has a cell's padding of 1 either side; 2 more for the scroll bar
        room = max(20, width - (1 + case_w + turn_w + speaker_w) - 5 * 2 - 2)
        table.add_column("", width=1)
        table.add_column(_("Case"), width=case_w)
        table.add_column(_("Turn"), width=turn_w)
        table.add_column(_("Speaker"), width=speaker_w)
        table.add_column(_("In context"), width=room)
        coded = self._coded_spans()
        for i, h in enumerate(self.hits):
            # A Text, not markup: transcripts hold brackets such as "[KOMMUNE]".
            match = h.match.replace("\n", " ")[:room]
            side = max(0, (room - len(match)) // 2)
            # the context is stored without the spaces that part it from the match
            left, right = h.left.replace("\n", " "), h.right.replace("\n", " ")
            before = "" if not left or left[-1] in "([{«“‘\"'/" else " "
            after = "" if not right or right[0] in ".,;:!?)]}»”’\"'…/" else " "
            left = (left + before)[-side:] if side else ""
            right = (after + right)[: room - side - len(match)]
            # Keyword in context: the matches line up in the middle of the column.
            context = Text.assemble(left.rjust(side), (match, "bold reverse"), right)
            # ● marks a hit inside a coding in scope (blind: only the coder's own)
            mark = (
                "●"
                if any(s < h.end and e > h.start for s, e in coded.get(h.transcript, []))
                else ""
            )
            table.add_row(
                mark,
                Text(_cut(cases[i], case_w)),
                str(h.turn),
                Text(_cut(h.speaker, speaker_w)),
                context,
                key=str(i),
            )
        if row and row < len(self.hits):
            table.move_cursor(row=row)

    def _coded_spans(self) -> dict[str, list[tuple[int, int]]]:
        """The spans coded by the coders in scope, per transcript of the hits shown."""
        scope = scope_choice.current_scope(self.app, self.project, self.coder)
        out: dict[str, list[tuple[int, int]]] = {}
        for tid in {h.transcript for h in self.hits}:
            for c in codings_in(self.project.store, scope, tid):
                out.setdefault(tid, []).append((c.start, c.end))
        return out

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
        hit = self.hits[int(str(event.row_key.value))]
        if self.open_hit is not None:
            self.open_hit(hit)  # above this screen: back comes here, on this hit
        else:
            self.dismiss(hit)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Coding keys work on a hit, not while the query is being typed: not shown then.
        if action == "code_hit" and (isinstance(self.focused, Input) or not self.hits):
            return False
        return True

    def on_descendant_focus(self) -> None:
        self.query_one(KeyBar).redraw()

    def span_of(self, hit: Hit, unit: str) -> tuple[int, int]:
        """The sentence holding ``hit`` (the hit alone if none does), or its whole turn."""
        store = self.project.store
        t = store.transcripts.get(hit.transcript)
        turn = next((u for u in t.turns if u.start <= hit.start < u.end), None)
        if unit == "turn" and turn is not None:
            return turn.start, turn.end
        spans = sentences(self.project, t)
        return next(
            ((s, e) for s, e in spans if s <= hit.start and hit.end <= e), (hit.start, hit.end)
        )

    def code_hit(self, hit: Hit, code: str, unit: str = "sentence") -> Coding:
        """Code the sentence (or turn) holding ``hit``."""
        store = self.project.store
        start, end = self.span_of(hit, unit)
        t = store.transcripts.get(hit.transcript)
        coding = codings.add(store, t, start, end, code, self.coder)
        self.coded.append(coding)
        return coding

    def action_code_hit(self, unit: str = "sentence") -> None:
        hit = self.selected()
        if hit is None or isinstance(self.focused, Input):
            return
        row = self.query_one(DataTable).cursor_row

        def apply(code: str | None) -> None:
            if not code:
                return
            try:
                self.code_hit(hit, code, unit)
            except QualcodeError as err:
                self._status(str(err))
                return
            self.query_one(DataTable).update_cell_at(Coordinate(row, 0), "✓")
            name = next((c.name for c in self.project.store.codes.all() if c.id == code), code)
            where = hit.case or hit.transcript
            said = (
                _("coded the turn in {where} as {code}")
                if unit == "turn"
                else _("coded the sentence in {where} as {code}")
            )
            self._status(said.format(where=where, code=name))

        if self.code:
            apply(self.code)
        else:
            start, end = self.span_of(hit, unit)
            words = self.project.store.transcripts.get(hit.transcript).text[start:end]
            self.app.push_screen(CodePicker(self.project.store, self.coder, words), apply)

    def action_back(self) -> None:
        self.dismiss(None)


def _cut(text: str, width: int) -> str:
    """``text`` in ``width`` characters, an ellipsis where it was cut."""
    return text if len(text) <= width else text[: width - 1] + "…"
