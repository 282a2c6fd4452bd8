"""Quitting asks first while a text is unsaved, so no key pressed out of habit loses it.

An editor (a memo, a summary, Table 1's notes) says whether it holds unsaved changes and
can save them where it stands; the app's quit (ctrl+q, the palette's Quit, q at home) asks
save / discard / stay when any screen on the stack does, as Esc does in one editor.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from textual.app import App

from qualcode.i18n import ui as _
from qualcode.i18n import ui_n
from qualcode.tui.dialogs.prompts import ChoicePrompt


@runtime_checkable
class HoldsText(Protocol):
    """A screen whose text can be changed and not yet saved."""

    def unsaved(self) -> bool: ...

    def save_unsaved(self) -> None:
        """Write the text now, without leaving the screen."""


class QuitPrompt(ChoicePrompt):
    """The question quitting asks; one at a time (a second ctrl+q does not stack another)."""


def quit_asking(app: App[None]) -> None:
    """Quit, after asking whether to save the texts of any editor with unsaved changes."""
    if isinstance(app.screen, QuitPrompt):
        return
    editors = [s for s in reversed(app.screen_stack) if isinstance(s, HoldsText) and s.unsaved()]
    if not editors:
        app.exit()
        return

    def answered(choice: str | None) -> None:
        if choice == "save":
            for editor in editors:  # the topmost first, as the coder sees them
                editor.save_unsaved()
            app.exit()
        elif choice == "discard":
            app.exit()

    app.push_screen(
        QuitPrompt(
            ui_n(
                "{n} text has unsaved changes. Save before quitting?",
                "{n} texts have unsaved changes. Save before quitting?",
                len(editors),
            ).format(n=len(editors)),
            [
                ("save", _("Save and quit")),
                ("discard", _("Quit without saving")),
                ("stay", _("Don't quit: keep writing")),
            ],
        ),
        answered,
    )
