"""The side panel listing codings at the cursor and in view: code, coder, memo."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from qualcode.i18n import ui as _
from qualcode.model import Coding
from qualcode.tui.session import CodingSession


class CodingsPanel(Static):
    """Of fixed height and never scrolled: what is listed is cut to fit, so a new text is
    painted in place, without laying out the screen again on every key."""

    def show(self, session: CodingSession, at_cursor: list[Coding], in_view: list[Coding]) -> None:
        head = Text()
        head.append(_("At the cursor\n"), style="bold underline")
        self._list(head, session, at_cursor, "  (none)\n")
        tail = Text()
        unplaced = session.unplaced()
        if unplaced:
            tail.append(
                _("\n⚑ Not placed ({value})\n").format(value=len(unplaced)),
                style="bold underline yellow",
            )
            tail.append(
                _(
                    "  the transcript changed and their words were not found;\n"
                    "  select where one belongs and press p\n"
                ),
                style="dim",
            )
            for c in unplaced[:5]:
                tail.append("■ ", style=session.color(c.code))
                tail.append(f"{session.code_name(c.code)}\n  “{c.quote[:60]}”\n", style="italic")
        # Each listed coding takes two lines; what does not fit is counted, not listed.
        height = self.size.height or 44
        room = height - _lines(head) - _lines(tail) - 3
        fits = max(0, min(20, room // 2))
        if fits < len(in_view):
            fits = max(0, (room - 1) // 2)
        out = head
        out.append(_("\nIn view\n"), style="bold underline")
        self._list(out, session, in_view[:fits], "  (none)\n")
        if len(in_view) > fits:
            out.append(_("  … {value} more\n").format(value=len(in_view) - fits), style="dim")
        out.append_text(tail)
        self.update(out, layout=False)

    @staticmethod
    def _list(out: Text, session: CodingSession, codings: list[Coding], empty: str) -> None:
        if not codings:
            out.append(empty, style="dim")
        for c in codings:
            out.append("■ ", style=session.color(c.code))
            out.append(session.code_name(c.code) + "\n")
            out.append(_("  by {coder}").format(coder=c.coder), style="dim")
            if c.memo:
                out.append(_(" · memo: {memo}").format(memo=c.memo), style="italic")
            out.append("\n")


def _lines(text: Text) -> int:
    return text.plain.count("\n")
