"""Commands loaded when they are run, so that ``qualcode status`` starts at once.

Each command's module imports what it needs (spaCy, openpyxl, lxml, jsonschema …); loading
every module for every command cost about a second per start. The group knows each
command's module and the first paragraph of its help, which is all ``qualcode --help``
shows; a test keeps that text equal to the command's own docstring.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

import click

from qualcode.cli.texts import Command, Group
from qualcode.i18n import ui


@dataclass(frozen=True)
class LazyCommand:
    module: str  # under qualcode.cli
    attribute: str
    summary: str  # the first paragraph of the command's help, as --help lists it


class LazyGroup(Group):
    """A group whose commands are imported by name, on first use."""

    def __init__(self, *args: object, lazy: dict[str, LazyCommand], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = self.commands.get(cmd_name)
        if command is None and cmd_name in self.lazy:
            entry = self.lazy[cmd_name]
            module = importlib.import_module(f"qualcode.cli.{entry.module}")
            command = getattr(module, entry.attribute)
            self.add_command(command, cmd_name)
        if command is not None:
            self.prepare(command)  # also for one added by hand (tests do)
        return command

    def prepare(self, command: click.Command) -> None:
        """Called on a command each time it is looked up; must be idempotent."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from the summaries, without importing any command."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            loaded = self.commands.get(name)
            if loaded is not None:
                if loaded.hidden:
                    continue
                rows.append((name, loaded.get_short_help_str(limit)))
            else:
                stub = Command(name, help=self.lazy[name].summary)
                rows.append((name, stub.get_short_help_str(limit)))
        with formatter.section(ui("Commands")):
            formatter.write_dl(rows)
