"""The transcript screen: read, select and code one transcript with the keyboard."""

from __future__ import annotations

from bisect import bisect_right

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from qualcode.folding import fold
from qualcode.i18n import ui as _
from qualcode.i18n import ui_n
from qualcode.model import QualcodeError, TextChanged
from qualcode.project import Project
from qualcode.suggest import Suggestion
from qualcode.tui import messages
from qualcode.tui.dialogs.picker import CodePicker
from qualcode.tui.dialogs.prompts import ChoicePrompt, HelpScreen, TextPrompt
from qualcode.tui.editing import CodingEdits
from qualcode.tui.keys import screen_bindings
from qualcode.tui.layout import format_time, pane_widths
from qualcode.tui.session import CodingSession, app_blind, set_app_blind
from qualcode.tui.widgets.codebook_tree import CodebookTree
from qualcode.tui.widgets.codings_panel import CodingsPanel
from qualcode.tui.widgets.key_bar import KeyBar
from qualcode.tui.widgets.transcript_view import TranscriptView


class TranscriptScreen(CodingEdits, Screen[None]):
    BINDINGS = screen_bindings()  # built from the key contract (tui/keys.py)

    def __init__(
        self,
        project: Project,
        coder: str,
        transcript_id: str,
        offset: int | None = None,
        span: tuple[int, int] | None = None,
    ):
        super().__init__()
        self.project = project
        self.coder = coder
        transcript = project.store.transcripts.get(transcript_id)
        self.session = CodingSession(project.store, transcript, coder)
        self.language = project.language
        self._start_offset = offset
        self._start_span = span
        self._find = ""
        self._folded: tuple[str, list[int]] | None = None
        self._drawn_at: tuple[int, int] | None = None
        self._side: bool | None = None  # the side panel: None = by the terminal's width
        self._counts: dict[str, int] | None = None  # the codebook's counts, as shown
        self._said = ""  # the confirmation shown in the title line
        self._said_timer: Timer | None = None
        self.confirmations: list[str] = []  # every confirmation shown (tests read them)

    # building -------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(id="title", markup=False)  # the case name may hold brackets
        with Horizontal():
            # Laid out at once at the width the panes will have (see _fit_panes).
            yield TranscriptView(
                self.session,
                self.language,
                id="transcript",
                width_hint=max(20, pane_widths(self.app.size.width, self._side).text - 4),
            )
            with Vertical(id="side"):
                yield CodingsPanel(id="codings-panel")
                yield CodebookTree(id="side-codebook")
        yield KeyBar()

    @property
    def view(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    def on_mount(self) -> None:
        self.session.blind = app_blind(self.app)
        self.view.focus()
        if self._start_span:
            self.call_after_refresh(self.view.select_span, *self._start_span)
        elif self._start_offset is not None:
            self.call_after_refresh(self.view.set_cursor, self._start_offset)
        self._fit_panes()
        # The text first; the codebook tree (the costliest widget to build) right after it.
        self.refresh_all(tree=False)
        self.call_after_refresh(self._fill_tree)
        self.call_after_refresh(self._update_panel)  # "In view" once the view has a size

    def on_resize(self) -> None:
        self._fit_panes()
        self._show_title()
        self.call_after_refresh(self._update_panel)

    def _fit_panes(self) -> None:
        panes = pane_widths(self.size.width or self.app.size.width, self._side)
        self.view.styles.width = panes.text
        side = self.query_one("#side")
        side.display = panes.side > 0
        side.styles.width = max(panes.side, 1)

    def action_side_panel(self) -> None:
        shown = self.query_one("#side").display
        self._side = not shown
        self._fit_panes()
        self.call_after_refresh(self._update_panel)

    def refresh_all(
        self,
        tree: bool = True,
        counted: dict[str, int] | None = None,
        changed: tuple[int, int] | None = None,
        panel: bool = True,
    ) -> None:
        """After a change to the codings: styles, side panel, counts, title.

        ``counted`` is the change in codings per code when the caller knows it (one coding
        added or removed): the codebook's counts are then updated in place instead of
        being counted again from the store and the tree rebuilt; ``changed`` is its span,
        and only the rows it covers are repainted.
        """
        self._drawn_at = self.project.store.change_mark()
        self.view.rebuild_codings(changed)
        if panel:
            self._update_panel()
        if tree and counted is not None and self._counts is not None:
            for code_id, change in counted.items():
                self._counts[code_id] = self._counts.get(code_id, 0) + change
            self.query_one(CodebookTree).set_counts(list(self.session.codes.values()), self._counts)
        elif tree:
            self._fill_tree()
        self._show_title()

    def _show_title(self) -> None:
        t = self.session.transcript
        mine = sum(1 for c in self.session.codings if c.coder == self.coder)
        unplaced = len(self.session.unplaced())
        blind = _("blind: only your codings") if self.session.blind else _("all coders' codings")
        parts = [  # (text, priority: lower goes first when short of room)
            (self._said, 10),
            (t.id, 9),
            (t.case or "", 3),
            (ui_n("{n} word", "{n} words", t.words).format(n=t.words), 1),
            (_("coder {coder}").format(coder=self.coder), 6),
            (ui_n("{n} coding", "{n} codings", mine).format(n=mine), 7),
            (_("⚑ {n} to place (p)").format(n=unplaced) if unplaced else "", 8),
            (blind, 5),
            (_("? keys"), 4),
        ]
        parts = [(text, rank) for text, rank in parts if text]
        width = self.size.width or self.app.size.width
        while len(parts) > 1 and len(" " + " · ".join(p for p, _ in parts)) > width:
            parts.remove(min(parts, key=lambda p: p[1]))
        # One line of fixed height: its text changes without laying out the screen again.
        self.query_one("#title", Static).update(" " + " · ".join(p for p, _ in parts), layout=False)

    def confirm(self, message: str, show: bool = True, mark: str = "✓") -> None:
        """Say what a key did, at the start of the title line, for three seconds.

        A toast would be mounted as a new widget, and laying out and painting the whole
        screen again for it cost more than the coding itself; on a narrow terminal it also
        covered the very text being coded.
        """
        self._said = f"{mark} {message}"
        self.confirmations.append(message)
        if show:  # else the caller redraws the title itself
            self._show_title()
        if self._said_timer is not None:
            self._said_timer.stop()
        self._said_timer = self.set_timer(3, self._unsay)

    def _unsay(self) -> None:
        self._said, self._said_timer = "", None
        self._show_title()

    def _fill_tree(self) -> None:
        counts = self.project.store.codings.counts(None if not self.session.blind else self.coder)
        self._counts = dict(counts)
        self.query_one(CodebookTree).fill(list(self.session.codes.values()), counts)

    def _update_panel(self) -> None:
        view = self.view
        self.query_one(CodingsPanel).show(
            self.session, self.session.at(view.cursor), view.codings_in_view()
        )

    def on_transcript_view_cursor_moved(self, _: TranscriptView.CursorMoved) -> None:
        self._update_panel()

    # coding ---------------------------------------------------------------
    def target_span(self) -> tuple[int, int]:
        """The selection, else the sentence under the cursor (spaCy, within its turn)."""
        return self.view.selection or self.view.sentence_at(self.view.cursor)

    def apply_code(self, code_id: str, span: tuple[int, int]) -> None:
        try:
            codings = self.session.add(span[0], span[1], code_id)
        except TextChanged:
            self.show_text_change()
            return
        except QualcodeError as err:
            self.notify(str(err), severity="warning", markup=False)
            return
        name = self.session.code_name(code_id)
        n = len(codings)
        split = _(" (split at turns: {n} codings)").format(n=n) if n > 1 else ""
        short = name[:40] + "…" if len(name) > 40 else name
        self.confirm(_("Coded: {code}").format(code=short) + split, show=False)
        # Moving the cursor clears the selection (the new coding is "here") and updates the
        # side panel; the rest is repainted once, where it changed.
        self.view.set_cursor(codings[0].start)
        self.refresh_all(
            counted={code_id: len(codings)},
            changed=(codings[0].start, codings[-1].end),
            panel=False,
        )

    def action_code(self) -> None:
        span = self.target_span()
        quote = self.session.transcript.text[span[0] : span[1]]

        def chosen(code_id: str | None) -> None:
            if code_id:
                self.session.reload()
                self.apply_code(code_id, span)

        if self.session.text_changed():  # seen before the picker, not after the choice
            self.show_text_change()
            return
        theme = self.session.theme_at(self.view.cursor)
        self.app.push_screen(CodePicker(self.project.store, self.coder, quote, theme), chosen)

    def action_theme(self, index: int) -> None:
        themes = self.project.guide.themes if self.project.guide else ()
        if index >= len(themes):
            self.notify(
                _("the guide has no theme {value}").format(value=index + 1), severity="warning"
            )
            return
        self.apply_code(themes[index].id, self.target_span())

    def action_select_turn(self) -> None:
        turn = self.view.layout_.turns[self.view.layout_.turn_index(self.view.cursor)]
        self.view.select_span(turn.start, turn.end)

    def action_undo(self) -> None:
        try:
            self._history(self.session.undo(), _("Nothing to undo"))
        except TextChanged:
            self.show_text_change()

    def action_redo(self) -> None:
        try:
            self._history(self.session.redo(), _("Nothing to redo"))
        except TextChanged:
            self.show_text_change()

    def show_text_change(self) -> None:
        """The transcript was re-imported while open: show the new text at its first change,
        with its re-anchored codings, and say that nothing was saved on the old one."""
        at = self.session.reload_text()
        self.view.reload_text()
        self.view.set_cursor(at)
        self.refresh_all()
        self.notify(
            _(
                "{transcript} was changed (re-imported) while it was open. Nothing was saved on "
                "the old text; the new text is shown at its first change, with the codings "
                "re-anchored (undo history cleared). Code that passage again."
            ).format(transcript=self.session.transcript.id),
            severity="warning",
            timeout=12,
            markup=False,
        )

    def _history(self, message: str | None, empty: str) -> None:
        if message is None:
            self.notify(empty, severity="warning")
            return
        self.refresh_all()
        self.confirm(message)

    def action_stripes(self) -> None:
        on = self.view.toggle_stripes()
        self.confirm(
            _("Coding stripes on: one bar per code (✎ memo)") if on else _("Coding stripes off")
        )

    def action_transcript_memo(self) -> None:
        tid = self.session.transcript.id
        self.post_message(messages.EditMemo("transcript", tid, tid))

    def action_place(self) -> None:
        """Put one of the coder's unplaced codings on the selection (or the sentence)."""
        unplaced = self.session.unplaced()
        if not unplaced:
            self.notify(_("No unplaced codings of yours in this transcript"), severity="warning")
            return
        span = self.target_span()
        choices = [
            (str(c.id), f"{self.session.code_name(c.code)}: “{c.quote[:70]}”") for c in unplaced
        ]

        def chosen(coding_id: str | None) -> None:
            coding = next((c for c in unplaced if str(c.id) == coding_id), None)
            if coding is None:
                return
            try:
                self.session.place(coding, *span)
            except TextChanged:
                self.show_text_change()
                return
            except QualcodeError as err:
                self.notify(str(err), severity="error", markup=False)
                return
            self.view.set_cursor(span[0])
            self.refresh_all()
            self.confirm(_("Placed: {code}").format(code=self.session.code_name(coding.code)))

        self.app.push_screen(
            ChoicePrompt(_("Place which coding on the selected text?"), choices), chosen
        )

    # moving ---------------------------------------------------------------
    def action_next_uncoded(self, forward: bool) -> None:
        layout = self.view.layout_
        index = self.session.next_uncoded(
            layout.turns, layout.turn_index(self.view.cursor), forward
        )
        if index is None:
            self.notify(
                _("No more informant turns without your codings")
                if forward
                else _("No more informant turns without your codings above"),
                timeout=3,
            )
            return
        turn = layout.turns[index]
        self.view.set_cursor(turn.start)
        self.view.scroll_row_to_top(layout.turn_row(index))
        when = (
            _(" at {time}").format(time=format_time(turn.timestamp))
            if turn.timestamp is not None
            else ""
        )
        self.confirm(f"{turn.speaker}{when}", mark="→")  # in the title line: no toast over the text

    def action_find(self) -> None:
        def search(query: str | None) -> None:
            if query:
                self._find = query
                self.find_next(query)

        self.app.push_screen(
            TextPrompt(_("Find (case and diacritics ignored):"), self._find, select_all=True),
            search,
        )

    def find_next(self, query: str) -> bool:
        if self._folded is None:  # folded text with a map back to code points, built once
            parts: list[str] = []
            owners: list[int] = []
            for i, ch in enumerate(self.session.transcript.text):
                f = fold(ch)
                parts.append(f)
                owners.extend([i] * len(f))
            self._folded = ("".join(parts), owners)
        folded, owners = self._folded
        q = fold(query)
        here = self.view.cursor
        start = bisect_right(owners, here)
        k = folded.find(q, start)
        if k < 0:
            k = folded.find(q)  # wrap around
        if k < 0 or not q:
            self.notify(
                _("“{query}” not found").format(query=query), severity="warning", markup=False
            )
            return False
        a, b = owners[k], owners[k + len(q) - 1] + 1
        self.view.select_span(a, b)
        return True

    def action_blind(self) -> None:
        self.session.blind = not self.session.blind
        set_app_blind(self.app, self.session.blind)  # the other screens follow
        self.refresh_all()
        self.notify(
            _("Blind mode on: only your codings")
            if self.session.blind
            else _("Blind mode off: every coder's codings"),
            timeout=3,
        )

    def action_retrieve(self) -> None:
        here = self.session.at(self.view.cursor)
        self.post_message(messages.OpenRetrieval(here[-1].code if here else None))

    def action_suggestions(self) -> None:
        def shown(s: Suggestion | None) -> None:
            if s is not None:
                self.call_after_refresh(self.view.select_span, s.start, s.end)

        self.post_message(messages.OpenSuggestions(self.session.transcript.id, shown))

    def action_search(self) -> None:
        self.post_message(messages.OpenSearch())

    def on_screen_resume(self) -> None:
        # Blind mode may have been switched on another screen, and codings added elsewhere
        # (search, suggestions, another process); when neither changed since this screen
        # last drew, there is nothing to do.
        blind = app_blind(self.app)
        if self.session.text_changed():
            self.session.blind = blind
            self.show_text_change()
            return
        if blind != self.session.blind or self.project.store.change_mark() != self._drawn_at:
            self.session.blind = blind
            self.session.reload()
            self.refresh_all()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    def action_back(self) -> None:
        back = getattr(self.app, "back_from", None)  # the qualcode app knows where home is
        if back is not None:
            back(self)
        else:
            self.app.pop_screen()
