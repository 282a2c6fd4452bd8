"""The Textual app: asks for the coder once, then home, optionally a transcript on top."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.app import SystemCommand
from textual.screen import Screen

from qualcode.project import Project
from qualcode.tui import navigation as nav
from qualcode.tui.dialogs.prompts import CoderPrompt
from qualcode.tui.exporting import start_export


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
                "\n".join([*lines, "Fix them and run: qualcode import transcripts/"]),
                title=f"{len(refused)} files in transcripts/ were not imported",
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

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette offers every action of the current screen, not only the footer's."""
        yield from super().get_system_commands(screen)
        if self.coder:
            yield SystemCommand(
                "Export…",
                "write the summaries, matrix, Tabell 1, codings or a REFI-QDA file",
                lambda: start_export(self, self.project),
            )
        for binding in screen.BINDINGS:
            if not hasattr(binding, "action") or not binding.description:  # type: ignore[union-attr]
                continue
            action = binding.action  # type: ignore[union-attr]
            key = binding.key  # type: ignore[union-attr]

            def run(action: str = action) -> None:
                self.call_later(screen.run_action, action)

            yield SystemCommand(binding.description, f"key: {key}", run)  # type: ignore[union-attr]
