"""The transcript itself: a read-only text with cursor, selection and coded spans.

A Line-API widget: only the rows on screen are drawn, each from its own slice of
the text, and styles are laid per code point (so æøå never shift a colour).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from rich.segment import Segment
from rich.style import Style
from textual.events import MouseDown, MouseMove, MouseUp, Resize
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from qualcode.analysis import sentences as stored_sentences
from qualcode.model import INTERVIEWER, Coding
from qualcode.study import StudyParts
from qualcode.tui.keys import view_bindings
from qualcode.tui.layout import INDENT, Layout, format_time
from qualcode.tui.session import CodingSession

_WORD = re.compile(r"\w+", re.UNICODE)
_SELECTION = Style(bgcolor="#3b4f7a", color="#ffffff")
_CURSOR = Style(reverse=True)
_HEADER = Style(bold=True, color="#9cc3e6")
_DIM = Style(dim=True)
STRIPES = 6  # coding stripes: a column per code on the row (the last: more, or a memo mark)
MEMO_MARK = "✎"


class TranscriptView(ScrollView, can_focus=True):
    """Shows one transcript of a :class:`CodingSession`."""

    BINDINGS = view_bindings()  # built from the key contract (tui/keys.py)

    class CursorMoved(Message):
        """The cursor or the selection changed."""

    def __init__(
        self, session: CodingSession, language: str = "nb", width_hint: int = 80, **kwargs: object
    ):
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.session = session
        self.language = language
        # Laid out once at the width the screen expects; a wrong guess costs one relayout.
        self._laid_width = width_hint
        self.layout_: Layout = Layout(session.transcript, max(20, width_hint - 1))  # no stripes
        self.cursor = self.layout_.snap(0)
        self.select_from: int | None = None  # where the selection began (Widget has an anchor)
        self._dragging = False
        self._sentences: dict[int, list[tuple[int, int]]] = {}
        self._all_sentences: list[tuple[int, int]] | None = None  # the whole transcript's
        self._rows: dict[int, list[Coding]] = {}
        self.stripes = False  # NVivo-like coding stripes beside the text (toggled by a key)
        self.rebuild_codings()

    # layout and codings ---------------------------------------------------
    def on_resize(self, event: Resize) -> None:
        # Wrap to the region left after padding and the scrollbar, so no line is cut.
        width = self.scrollable_content_region.width or event.size.width
        if width != self._laid_width:
            self._relayout(width)
        else:  # laid out at the right width already: only the scroll extent is new
            self.virtual_size = Size(width, len(self.layout_))

    def _text_width(self, width: int) -> int:
        """The columns the text wraps in: the stripes, when shown, take their own."""
        return max(20, width - 1 - (STRIPES + 1 if self.stripes else 0))

    def toggle_stripes(self) -> bool:
        self.stripes = not self.stripes
        self._relayout(self._laid_width)
        return self.stripes

    def _relayout(self, width: int) -> None:
        self._laid_width = width
        self.layout_ = Layout(self.session.transcript, self._text_width(width))
        self.virtual_size = Size(width, len(self.layout_))
        self.cursor = self.layout_.snap(self.cursor)
        self.rebuild_codings()
        self.scroll_to_cursor()

    def reload_text(self) -> None:
        """Lay out the session's (new) text: after a re-import changed it under the screen."""
        self._sentences = {}
        self._all_sentences = None
        self.select_from = None
        self._relayout(self._laid_width)

    def rebuild_codings(self, changed: tuple[int, int] | None = None) -> None:
        """Index the visible codings by display row; called when codings change, not per key.

        ``changed``: the span of the one coding added or removed; only its rows are
        repainted (drawing every row in view with its codings' styles cost more than the
        coding itself). Without it, the whole view is repainted.
        """
        rows: dict[int, list[Coding]] = {}
        layout = self.layout_
        for c in sorted(self.session.visible(), key=lambda c: (-(c.end - c.start), c.id or 0)):
            first = layout.row_col(c.start)[0]
            last = layout.row_col(max(c.start, c.end - 1))[0]
            for row in range(first, last + 1):
                rows.setdefault(row, []).append(c)
        self._rows = rows
        if changed is None:
            self.refresh()
            return
        first = layout.row_col(changed[0])[0]
        last = layout.row_col(max(changed[0], changed[1] - 1))[0]
        self.refresh_lines(first, last - first + 1)

    @property
    def selection(self) -> tuple[int, int] | None:
        if self.select_from is None or self.select_from == self.cursor:
            return None
        return min(self.select_from, self.cursor), max(self.select_from, self.cursor)

    def rows_in_view(self) -> range:
        top = int(self.scroll_offset.y)
        return range(top, min(len(self.layout_), top + self.size.height))

    def codings_in_view(self) -> list[Coding]:
        seen: dict[int | None, Coding] = {}
        for row in self.rows_in_view():
            for c in self._rows.get(row, []):
                seen.setdefault(c.id, c)
        return sorted(seen.values(), key=lambda c: c.start)

    # drawing --------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.size.width
        row = int(self.scroll_offset.y) + y
        base = self.rich_style
        if row >= len(self.layout_):
            return Strip.blank(width, base)
        ln = self.layout_.lines[row]
        turn = self.layout_.turns[ln.turn]
        dim = turn.role == INTERVIEWER
        if ln.kind == "blank":
            return Strip.blank(width, base)
        if ln.kind == "header":
            label = turn.speaker + (
                f"  [{format_time(turn.timestamp)}]" if turn.timestamp is not None else ""
            )
            style = base + _HEADER + (_DIM if dim else Style())
            return Strip([Segment(label, style)]).crop_extend(0, width, base)
        return self._text_strip(row, ln.start, ln.end, dim, width, base)

    def _text_strip(
        self, row: int, start: int, end: int, dim: bool, width: int, base: Style
    ) -> Strip:
        chars = self.session.transcript.text[start:end]
        n = len(chars)
        text_style = base + (_DIM if dim else Style())
        styles = [text_style] * (n + 1)  # one extra cell for a cursor at the line's end
        segments = [Segment(" " * INDENT, base)]
        codings = self._rows.get(row, [])
        for c in codings:  # outer first, inner last: the innermost colour wins
            colour = self.session.color(c.code)
            paint = Style(bgcolor=colour, color="#000000")
            for i in range(max(c.start, start) - start, min(c.end, end) - start):
                styles[i] = styles[i] + paint
        if codings:
            marker = base + Style(color=self.session.color(codings[-1].code))
            segments = [Segment("▌", marker), Segment(" " * (INDENT - 1), base)]
        sel = self.selection
        if sel and sel[0] < end and sel[1] > start:
            for i in range(max(sel[0], start) - start, min(sel[1], end) - start):
                styles[i] = styles[i] + _SELECTION
        cur_row, cur_col = self.layout_.row_col(self.cursor)
        cells = chars + " "
        if cur_row == row and self.has_focus:
            styles[cur_col] = styles[cur_col] + _CURSOR
        run_start = 0
        for i in range(1, n + 2):
            if i == n + 1 or styles[i] != styles[run_start]:
                segments.append(Segment(cells[run_start:i], styles[run_start]))
                run_start = i
        if not self.stripes:
            return Strip(segments).crop_extend(0, width, base)
        text_part = Strip(segments).crop_extend(0, max(1, width - STRIPES - 1), base)
        return Strip.join([text_part, self._stripe_strip(codings, base)]).crop_extend(
            0, width, base
        )

    def _stripe_strip(self, codings: list[Coding], base: Style) -> Strip:
        """One coloured bar per distinct code on the row, outer codes first; ✎ when one of
        the row's codings has a memo; + when more codes than columns."""
        codes: list[str] = []
        for c in codings:
            if c.code not in codes:
                codes.append(c.code)
        cells = [Segment(" ", base)]
        room = STRIPES - 1
        for code in codes[:room]:
            cells.append(Segment("┃", base + Style(color=self.session.color(code), bold=True)))
        cells.append(Segment(" " * (room - min(room, len(codes))), base))
        last = "+" if len(codes) > room else (MEMO_MARK if any(c.memo for c in codings) else " ")
        cells.append(Segment(last, base))
        return Strip(cells)

    # cursor ---------------------------------------------------------------
    def set_cursor(self, offset: int, select: bool = False, forward: bool = True) -> None:
        old = self.cursor
        old_sel = self.selection
        if select and self.select_from is None:
            self.select_from = old
        elif not select:
            self.select_from = None
        self.cursor = self.layout_.snap(offset, forward)
        self._refresh_span(old, self.cursor, old_sel)
        self.scroll_to_cursor()
        self.post_message(self.CursorMoved())

    def select_span(self, start: int, end: int) -> None:
        old_sel = self.selection
        old = self.cursor
        self.select_from = self.layout_.snap(start)
        self.cursor = self.layout_.snap(end, False)
        self._refresh_span(old, self.cursor, old_sel)
        self._refresh_span(self.select_from, self.cursor, None)
        self.scroll_to_cursor()
        self.post_message(self.CursorMoved())

    def _refresh_span(self, a: int, b: int, extra: tuple[int, int] | None) -> None:
        # Only the rows between old and new cursor (and an old selection) can change.
        points = [a, b] + (list(extra) if extra else [])
        rows = [self.layout_.row_col(p)[0] for p in points]
        self.refresh_lines(min(rows), max(rows) - min(rows) + 1)

    def scroll_to_cursor(self) -> None:
        row = self.layout_.row_col(self.cursor)[0]
        top, height = int(self.scroll_offset.y), max(1, self.size.height)
        if row < top:
            self.scroll_to(y=max(0, row - 1), animate=False)
        elif row >= top + height:
            self.scroll_to(y=row - height + 2, animate=False)

    def scroll_row_to_top(self, row: int) -> None:
        self.scroll_to(y=max(0, row - 1), animate=False)

    def action_clear_selection(self) -> None:
        self.set_cursor(self.cursor)

    def action_move(self, unit: str, step: int, select: bool = False) -> None:
        text = self.session.transcript.text
        layout = self.layout_
        forward = step > 0
        cur = self.cursor
        if unit == "char":
            target = cur + step
        elif unit in ("line", "page"):
            row, col = layout.row_col(cur)
            delta = step if unit == "line" else step * max(1, self.size.height - 2)
            target_row = row + delta
            while 0 <= target_row < len(layout) and layout.lines[target_row].kind != "text":
                target_row += 1 if forward else -1
            if not 0 <= target_row < len(layout):
                return
            target = layout.offset_at(target_row, col)
        elif unit == "word":
            target = self._word_step(text, cur, forward)
        elif unit == "sentence":
            target = self._sentence_step(cur, forward)
        elif unit == "home":
            target = layout.offset_at(layout.row_col(cur)[0], 0)
        else:
            row = layout.row_col(cur)[0]
            target = layout.lines[row].end
        self.set_cursor(target, select, forward)

    @staticmethod
    def _word_step(text: str, cur: int, forward: bool) -> int:
        if forward:
            m = _WORD.search(text, cur)
            # land on the next word's start, skipping the rest of the current word
            if m and m.start() <= cur:
                m = _WORD.search(text, m.end())
            return m.start() if m else len(text)
        starts = [m.start() for m in _WORD.finditer(text, max(0, cur - 200), cur)]
        return starts[-1] if starts else max(0, cur - 1)

    def sentences(self, turn_index: int) -> list[tuple[int, int]]:
        """The sentences of a turn, from the project's analysis (computed once per text)."""
        if turn_index not in self._sentences:
            if self._all_sentences is None:
                self._all_sentences = sorted(
                    stored_sentences(
                        StudyParts(self.session.store, language=self.language),
                        self.session.transcript,
                    )
                )
            turn, every = self.layout_.turns[turn_index], self._all_sentences
            lo = bisect_left(every, (turn.start, -1))
            hi = bisect_left(every, (turn.end, -1))
            spans = [s for s in every[lo:hi] if s[1] <= turn.end]
            self._sentences[turn_index] = spans or [(turn.start, turn.end)]
        return self._sentences[turn_index]

    def sentence_at(self, offset: int) -> tuple[int, int]:
        spans = self.sentences(self.layout_.turn_index(offset))
        for a, b in spans:
            if a <= offset < b:
                return a, b
        after = [s for s in spans if s[0] >= offset]
        return after[0] if after else spans[-1]

    def _sentence_step(self, cur: int, forward: bool) -> int:
        ti = self.layout_.turn_index(cur)
        turns = self.layout_.turns
        if forward:
            for i in range(ti, len(turns)):
                starts = [a for a, _ in self.sentences(i)]
                k = bisect_right(starts, cur)
                if k < len(starts):
                    return starts[k]
            return cur
        for i in range(ti, -1, -1):
            starts = [a for a, _ in self.sentences(i)]
            k = bisect_left(starts, cur)
            if k > 0:
                return starts[k - 1]
        return cur

    # mouse ----------------------------------------------------------------
    def _offset_at_mouse(self, x: int, y: int) -> int:
        row = int(self.scroll_offset.y) + y
        return self.layout_.offset_at(row, x - INDENT)

    def on_mouse_down(self, event: MouseDown) -> None:
        self.focus()
        offset = self._offset_at_mouse(event.x, event.y)
        self.set_cursor(offset)
        self.select_from = self.cursor
        self._dragging = True
        self.capture_mouse()

    def on_mouse_move(self, event: MouseMove) -> None:
        if self._dragging:
            self.set_cursor(self._offset_at_mouse(event.x, event.y), select=True)

    def on_mouse_up(self, event: MouseUp) -> None:
        if self._dragging:
            self._dragging = False
            self.release_mouse()
