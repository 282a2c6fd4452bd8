"""The side panel listing codings at the cursor and in view: code, coder, memo."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from qualcode.model import Coding
from qualcode.tui.session import CodingSession


class CodingsPanel(Static):
    def show(self, session: CodingSession, at_cursor: list[Coding], in_view: list[Coding]) -> None:
        out = Text()
        out.append("At the cursor\n", style="bold underline")
        self._list(out, session, at_cursor, "  (none)\n")
        out.append("\nIn view\n", style="bold underline")
        self._list(out, session, in_view[:20], "  (none)\n")
        if len(in_view) > 20:
            out.append(f"  … {len(in_view) - 20} more\n", style="dim")
        unplaced = session.unplaced()
        if unplaced:
            out.append(f"\n⚑ Not placed ({len(unplaced)})\n", style="bold underline yellow")
            out.append(
                "  the transcript changed and their words were not found;\n"
                "  select where one belongs and press p\n",
                style="dim",
            )
            for c in unplaced[:5]:
                out.append("■ ", style=session.color(c.code))
                out.append(f"{session.code_name(c.code)}\n  “{c.quote[:60]}”\n", style="italic")
        self.update(out)

    @staticmethod
    def _list(out: Text, session: CodingSession, codings: list[Coding], empty: str) -> None:
        if not codings:
            out.append(empty, style="dim")
        for c in codings:
            out.append("■ ", style=session.color(c.code))
            out.append(session.code_name(c.code) + "\n")
            out.append(f"  by {c.coder}", style="dim")
            if c.memo:
                out.append(f" · memo: {c.memo}", style="italic")
            out.append("\n")
