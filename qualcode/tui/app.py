"""The Textual app: asks for the coder once, then home, optionally a transcript on top."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.screen import Screen

from qualcode.i18n import N_
from qualcode.i18n import ui as _
from qualcode.project import Project
from qualcode.tui.screens.home import HomeScreen
from qualcode.tui.screens.prompts import CoderPrompt

# Textual's system commands, for the catalogs (shown through _ above)
TEXTUAL_COMMANDS = [
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
]


class QualcodeApp(App[None]):
    CSS_PATH = Path(__file__).with_name("qualcode.tcss")
    TITLE = _("qualcode")
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
                title=_("{value} files in transcripts/ were not imported").format(
                    value=len(refused)
                ),
                severity="warning",
                timeout=60,
            )

    def _open(self) -> None:
        assert self.coder is not None
        if self.start_transcript:
            # Straight to the transcript; home is built when the coder first goes back.
            from qualcode.tui.screens.transcript import TranscriptScreen

            self.push_screen(TranscriptScreen(self.project, self.coder, self.start_transcript))
        else:
            self.push_screen(HomeScreen(self.project, self.coder))

    def back_from(self, screen: Screen) -> None:
        """Leave ``screen``: to the screen below, or to home when nothing is below it."""
        if len(self.screen_stack) > 2 or not self.coder:
            self.pop_screen()
        else:
            self.switch_screen(HomeScreen(self.project, self.coder))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette offers every action of the current screen, not only the footer's."""
        for command in super().get_system_commands(screen):
            # Textual's own (Theme, Quit, Keys, …) in the workspace's language too
            yield SystemCommand(_(command.title), _(command.help), command.callback)
        for binding in screen.BINDINGS:
            if not hasattr(binding, "action") or not binding.description:  # type: ignore[union-attr]
                continue
            action = binding.action  # type: ignore[union-attr]
            key = binding.key  # type: ignore[union-attr]

            def run(action: str = action) -> None:
                self.call_later(screen.run_action, action)

            yield SystemCommand(_(binding.description), _("key: {key}").format(key=key), run)  # type: ignore[union-attr]
