"""The Textual app: asks for the coder once, then home, optionally a transcript on top."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.app import SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen

from qualcode.i18n import N_, ui_n
from qualcode.i18n import ui as _
from qualcode.project import Project
from qualcode.tui import navigation as nav
from qualcode.tui.dialogs.prompts import CoderPrompt
from qualcode.tui.exporting import start_export
from qualcode.tui.unsaved import quit_asking
from qualcode.tui.widgets.key_bar import key_label


class QualcodeApp(nav.Navigator):
    CSS_PATH = Path(__file__).with_name("qualcode.tcss")
    TITLE = "qualcode"
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, project: Project, coder: str | None = None, transcript: str | None = None):
        super().__init__()
        self.project = project
        self.coder = coder
        self.start_transcript = transcript
        self.blind = True  # one switch for every screen (see session.app_blind)

    def on_mount(self) -> None:
        self._tell_what_the_first_open_refused()
        if self.coder:
            self._open()
            return

        def named(name: str | None) -> None:
            if name:
                self.project.remember_coder(name)
                self.coder = name
                self._open()

        self.push_screen(CoderPrompt(), named)

    def _tell_what_the_first_open_refused(self) -> None:
        # The messages also went to stderr, but the workspace covers the terminal at once.
        refused = [r for r in self.project.first_import if r.status == "refused"]
        if refused:
            lines = [r.message for r in refused[:5]] + (["…"] if len(refused) > 5 else [])
            self.notify(
                "\n".join([*lines, _("Fix them and run: qualcode import transcripts/")]),
                title=ui_n(
                    "{n} file in transcripts/ was not imported",
                    "{n} files in transcripts/ were not imported",
                    len(refused),
                ).format(n=len(refused)),
                severity="warning",
                timeout=60,
            )

    def _open(self) -> None:
        assert self.coder is not None
        if self.start_transcript:
            # Straight to the transcript; home is built when the coder first goes back.
            nav.open_transcript(self, self.project, self.coder, self.start_transcript)
        else:
            nav.open_home(self, self.project, self.coder)

    def back_from(self, screen: Screen) -> None:
        """Leave ``screen``: to the screen below, or to home when nothing is below it."""
        if len(self.screen_stack) > 2 or not self.coder:
            self.pop_screen()
        else:
            self.switch_screen(nav.home_screen(self.project, self.coder))

    async def action_quit(self) -> None:
        """ctrl+q and the palette's Quit: ask first while an editor holds unsaved text."""
        quit_asking(self)

    def action_command_palette(self) -> None:
        """Textual's palette, its prompt in the workspace's language."""
        if self.use_command_palette and not self.screen.has_class("--textual-command-palette"):
            palette = CommandPalette(placeholder=_("Search for commands…"), id="--command-palette")
            self.push_screen(palette)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette offers every action of the current screen, not only the footer's,
        each once, with the key as it is typed; Textual's own commands follow, less those
        the screen already names (its Keys is the ? help, its Quit the q key)."""
        ours: list[SystemCommand] = []
        for binding in screen.BINDINGS:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            title = _(binding.description)  # an English message id, shown translated
            if any(c.title == title for c in ours):
                continue

            def run(action: str = binding.action) -> None:
                self.call_later(screen.run_action, action)

            keys = _(" or ").join(key_label(k.strip()) for k in binding.key.split(","))
            ours.append(SystemCommand(title, _("key: {keys}").format(keys=keys), run))
        if self.coder:
            ours.append(
                SystemCommand(
                    _("Export…"),
                    _("write the summaries, matrix, Table 1, codings or a REFI-QDA file"),
                    lambda: start_export(self, self.project),
                )
            )
        yield from ours
        titles = {c.title.casefold() for c in ours}
        for command in super().get_system_commands(screen):
            # Textual's own commands, in the workspace's language too (TEXTUAL_COMMANDS)
            shown = command._replace(title=_(command.title), help=_(command.help))
            if shown.title.casefold() not in titles and command.title.casefold() not in titles:
                yield shown


# Textual's own palette commands, marked for the catalogs so they are shown translated
TEXTUAL_COMMANDS = (
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
)
