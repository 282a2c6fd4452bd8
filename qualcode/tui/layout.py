"""Where each piece of a transcript sits on screen: display lines and offset mapping.

Pure data, no Textual: the transcript view asks it which text span a screen row
shows and which row and column a text offset lands on, both by binary search, so a
keystroke never walks the whole transcript.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Literal

from qualcode.model import INFORMANT, Transcript, Turn

INDENT = 2  # columns before the text: a coding marker and a space
_TOKEN = re.compile(r"\S+\s*")


@dataclass(frozen=True)
class DisplayLine:
    kind: Literal["header", "text", "blank"]
    start: int  # text offsets; a header's span is its turn's start
    end: int
    turn: int  # index into the layout's turns


def format_time(seconds: float | None) -> str:
    if seconds is None:
        return ""
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _wrap(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap of ``text[start:end]`` (no newlines inside) into spans."""
    spans: list[tuple[int, int]] = []
    line_start = start
    line_len = 0
    for m in _TOKEN.finditer(text, start, end):
        word_len = len(m.group().rstrip())
        if line_len and line_len + word_len > width:
            spans.append((line_start, m.start()))
            line_start, line_len = m.start(), 0
        while word_len > width:  # a word wider than the view is cut hard
            spans.append((line_start, line_start + width))
            line_start += width
            word_len -= width
        line_len = (m.end() - line_start) if word_len else 0
    if line_start < end or not spans:
        spans.append((line_start, end))
    return spans


class Layout:
    """The display lines of one transcript at one width."""

    def __init__(self, transcript: Transcript, width: int):
        self.transcript = transcript
        self.width = max(10, width - INDENT)
        text = transcript.text
        self.turns: list[Turn] = transcript.turns or [
            Turn(speaker="", start=0, end=len(text), role=INFORMANT)
        ]
        self.lines: list[DisplayLine] = []
        for i, turn in enumerate(self.turns):
            if i:
                self.lines.append(DisplayLine("blank", turn.start, turn.start, i))
            if turn.speaker:
                self.lines.append(DisplayLine("header", turn.start, turn.start, i))
            pos = turn.start
            for para in text[turn.start : turn.end].split("\n"):
                p_end = pos + len(para)
                for a, b in _wrap(text, pos, p_end, self.width):
                    self.lines.append(DisplayLine("text", a, b, i))
                pos = p_end + 1
        self.text_rows = [y for y, ln in enumerate(self.lines) if ln.kind == "text"]
        self._starts = [self.lines[y].start for y in self.text_rows]
        self._turn_starts = [t.start for t in self.turns]

    def __len__(self) -> int:
        return len(self.lines)

    # offsets <-> rows -----------------------------------------------------
    def _text_index(self, offset: int) -> int:
        return max(0, bisect_right(self._starts, offset) - 1)

    def row_col(self, offset: int) -> tuple[int, int]:
        """The display row and column (in code points) of ``offset``."""
        ln_y = self.text_rows[self._text_index(offset)]
        ln = self.lines[ln_y]
        return ln_y, max(0, min(offset, ln.end) - ln.start)

    def offset_at(self, row: int, col: int) -> int:
        """The text offset shown at display ``row`` / text column ``col`` (clamped)."""
        row = max(0, min(row, len(self.lines) - 1))
        ln = self.lines[row]
        if ln.kind != "text":
            nxt = bisect_right(self.text_rows, row)
            ln = self.lines[self.text_rows[min(nxt, len(self.text_rows) - 1)]]
            return ln.start
        return ln.start + max(0, min(col, ln.end - ln.start))

    def snap(self, offset: int, forward: bool = True) -> int:
        """The nearest offset that is on screen (text between turns is not)."""
        offset = max(0, min(offset, len(self.transcript.text)))
        k = self._text_index(offset)
        ln = self.lines[self.text_rows[k]]
        if offset < ln.start:
            return ln.start
        if offset <= ln.end:
            return offset
        if forward and k + 1 < len(self.text_rows):
            return self.lines[self.text_rows[k + 1]].start
        return ln.end

    def turn_index(self, offset: int) -> int:
        return max(0, bisect_right(self._turn_starts, offset) - 1)

    def turn_row(self, index: int) -> int:
        """The first display row of turn ``index`` (its header when it has one)."""
        return self.row_col(self.turns[index].start)[0] - (1 if self.turns[index].speaker else 0)


MEASURE = 100  # the longest line of text worth reading: wider screens give the rest away
_TEXT_CHROME = INDENT + 5  # the view's padding, scrollbar and the wrap's spare column
NARROW = 100  # below this many columns the side panel starts hidden (v shows it)


@dataclass(frozen=True)
class Panes:
    text: int  # columns of the transcript pane
    side: int  # columns of the side panel, 0 when hidden


def pane_widths(total: int, side: bool | None = None) -> Panes:
    """Split ``total`` columns between the text and the side panel.

    ``side`` is the coder's choice (``v``), None for the default: hidden below NARROW
    columns. The text keeps a readable measure on a wide terminal and the side panel,
    which lists codings and the codebook, takes what is left.
    """
    shown = total >= NARROW if side is None else side
    if not shown:
        return Panes(total, 0)
    widest_text = MEASURE + _TEXT_CHROME
    if total - widest_text >= 46:
        return Panes(widest_text, total - widest_text)
    panel = max(30, min(46, total * 3 // 10))
    return Panes(max(20, total - panel), panel)
