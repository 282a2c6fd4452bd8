"""The command line speaks the user's language (#19): its help and click's own words through
qualcode's catalogs, chosen when the text is shown, not when a module is imported.

Click's help texts are given where the command is defined (docstrings, ``help=``) and shown
much later; :class:`Command` and :class:`Group` translate them as ``--help`` draws them, so a
``QUALCODE_LANG`` set for one run (or one test) decides the words. ``scripts/catalogs.py``
extracts them by walking the command tree (:func:`help_texts`), so the catalogs have them
without a ``_()`` around each one.

Click writes its own words ("Usage:", "Options", "Error: …", "Missing argument …") through
the standard library's ``gettext``, in a domain qualcode does not own. :func:`speak` points
click's modules at qualcode's catalogs instead, so a Norwegian screen does not say
"Usage:" above Norwegian options; the click messages a researcher meets are listed below for
the catalogs. A click message not listed stays English, as it was.
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Iterator
from typing import Any

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types

from qualcode.i18n import N_, ui, ui_n
from qualcode.i18n import ui_n as n_

# click's own messages a user of qualcode meets, as click spells them (a test checks that
# click still does); qualcode's catalogs translate them
CLICK_MESSAGES = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
    N_("%(prog)s, version %(version)s"),
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Aborted!"),
    N_("No such command {name!r}."),
    N_("No such option {name!r}."),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing {param_type}"),
    N_("Missing command."),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Invalid value: {message}"),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is a file."),
    N_("file"),
    N_("directory"),
    N_("path"),
    N_("default: {default}"),
    N_("required"),
    N_("Option {name!r} does not take a value."),
    N_("Repeat for confirmation"),
    N_("Error: invalid input"),
    N_("Do you want to continue?"),
)
_CLICK_MODULES = (
    click.core,
    click.decorators,
    click.exceptions,
    click.formatting,
    click.parser,
    click.termui,
    click.types,
)


def _plurals_for_the_catalogs() -> None:  # never called: marks click's plurals for the catalogs
    n = 0
    n_("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", n)
    n_("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments.", n)
    n_("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", n)
    n_("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", n)


def speak() -> None:
    """Let click's own words come from qualcode's catalogs (idempotent)."""
    for module in _CLICK_MODULES:
        if hasattr(module, "_"):
            module._ = ui  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ui_n  # type: ignore[attr-defined]


def short_help(text: str, limit: int) -> str:
    """The first sentence of a help text, shortened to ``limit`` as click does it."""
    words = text.partition("\n\n")[0].split()
    if words and words[0] == "\b":
        words = words[1:]
    for i, word in enumerate(words):  # a period before a lowercase word is an abbreviation
        if word.endswith(".") and (i == len(words) - 1 or not words[i + 1][0].islower()):
            words = words[: i + 1]
            break
    text = " ".join(words)
    if len(text) <= limit:
        return text
    return textwrap.shorten(text, max(limit, 4), placeholder="...", break_on_hyphens=False)


def help_text(text: str | None) -> str:
    """A help text (a docstring or ``help=``) in the user's language."""
    return ui(inspect.cleandoc(text)) if text else ""


class Command(click.Command):
    """A click command whose help, short help and options' help are translated when shown."""

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        text = help_text(self.help).partition("\f")[0]
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(text)

    def get_short_help_str(self, limit: int = 45) -> str:
        if self.short_help:
            return help_text(self.short_help).strip()
        return short_help(help_text(self.help), limit)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:  # click wrote its help in the language of its first use
            option.help = N_("Show this message and exit.")
        return option

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for param in self.get_params(ctx):
            if isinstance(param, click.Argument):
                continue
            given = getattr(param, "help", None)
            try:
                if given:
                    param.help = help_text(given)
                row = param.get_help_record(ctx)
            finally:
                if given:
                    param.help = given
            if row is not None:
                rows.append(row)
        if rows:
            with formatter.section(ui("Options")):
                formatter.write_dl(rows)


class Group(click.Group, Command):
    """A click group translated as :class:`Command`; its sub-commands and groups are too."""

    command_class = Command
    group_class = type  # a sub-group is of the group's own class


def walk(command: click.Command, ctx: click.Context | None = None) -> Iterator[click.Command]:
    """``command`` and every command under it (lazy ones loaded)."""
    yield command
    if isinstance(command, click.Group):
        ctx = ctx or click.Context(command)
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None:
                yield from walk(sub, click.Context(sub, parent=ctx, info_name=name))


def help_texts(root: click.Command) -> Iterator[tuple[str, str]]:
    """(where, text) of each help text under ``root``, as the catalogs hold it."""
    for command in walk(root):
        where = command.name or "qualcode"
        for text in (command.help, command.short_help):
            if text:
                yield where, inspect.cleandoc(text)
        for param in command.params:
            given: Any = getattr(param, "help", None)
            if given:
                yield f"{where} {param.name}", inspect.cleandoc(given)
    summaries = getattr(root, "lazy", {})
    for name, entry in summaries.items():
        yield name, inspect.cleandoc(entry.summary)
