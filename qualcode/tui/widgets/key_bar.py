"""A one-line key bar: the screen's shown bindings as text, drawn once.

Textual's Footer builds a widget per key and rebuilds them whenever focus moves; on the
transcript screen that was a third of the time to open a transcript. The keys of a screen
do not change while it is open, so a line of text says the same for a fraction of the cost.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static

from qualcode.i18n import ui as _

# How a key is written in the bar, where Textual's name for it is not what a user types.
_SHOWN = {
    "question_mark": "?",
    "slash": "/",
    "exclamation_mark": "!",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "left_curly_bracket": "{",
    "right_curly_bracket": "}",
    "left_parenthesis": "(",
    "right_parenthesis": ")",
    "escape": "esc",
    "enter": "⏎",
    "ctrl+s": "^s",
    "ctrl+t": "^t",
    "ctrl+p": "^p",
    "ctrl+l": "^l",
}


def key_label(key: str) -> str:
    first = key.split(",")[0].strip()
    return _SHOWN.get(first, first)


class KeyBar(Static):
    """The common keys of the screen it sits on; ctrl+p (the palette) lists every action."""

    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; background: $panel; color: $text-muted; }
    """

    def on_mount(self) -> None:
        self.redraw()

    def on_resize(self) -> None:
        self.redraw()

    def redraw(self) -> None:
        """Draw the keys that work now (a screen's check_action may rule some out): each
        with its description, or not at all where the line has no room for both (a bare key
        says nothing); ^p, which lists every action, always has its place at the end."""
        keys: list[tuple[str, str]] = []
        for binding in self.screen.BINDINGS:
            if not isinstance(binding, Binding) or not binding.show or not binding.description:
                continue
            action = binding.action.split("(")[0]
            if self.screen.check_action(action, ()) is not False:
                # descriptions are English message ids (marked N_ where the keys are bound),
                # shown in the workspace's language
                keys.append((f" {key_label(binding.key)} ", f" {_(binding.description)}  "))
        palette = (" ^p ", " " + _("palette"))
        room = (self.size.width or self.app.size.width) - len("".join(palette))
        # ? (every key explained) keeps its place too; the rest fill the room in order
        kept = [k for k in keys if k[0] == " ? "]
        room -= sum(len(key) + len(said) for key, said in kept)
        for entry in keys:
            if entry not in kept and len(entry[0]) + len(entry[1]) <= room:
                room -= len(entry[0]) + len(entry[1])
                kept.append(entry)
        text = Text(no_wrap=True, overflow="ellipsis")
        for key, said in keys:
            if (key, said) in kept:
                text.append(key, style="bold reverse")
                text.append(said)
        text.append(palette[0], style="bold reverse")
        text.append(palette[1])
        self.update(text)
