"""What every command shares: the project it works on, errors as sentences, JSON output."""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Callable
from functools import update_wrapper
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from qualcode.cli.texts import Group
from qualcode.i18n import ui as _
from qualcode.model import ImportInterrupted, QualcodeError

if TYPE_CHECKING:
    from qualcode.project import Project

F = TypeVar("F", bound=Callable[..., Any])


class State:
    """The ``--project`` folder and, once a command asks for it, the open project."""

    def __init__(self, root: Path):
        self.root = root
        self._project: Project | None = None
        self.as_json = False  # the command was given --json: its errors are JSON too

    def project(self, create: bool = False) -> Project:
        if self._project is None:
            from qualcode.project import Project

            self._project = Project.open(self.root, create=create, progress=stderr_progress())
            for note in self._project.notes:
                click.echo(note, err=True)
        return self._project

    def close(self) -> None:
        if self._project is not None:
            self._project.close()


def _project_after_command(
    ctx: click.Context, _param: click.Parameter, value: Path | None
) -> Path | None:
    if value is not None:
        state = ctx.find_object(State)
        if state is not None:
            state.root = value
    return value


def add_project_option(command: click.Command) -> None:
    """Accept ``--project DIR`` after the command too (``qualcode status --project demo``).

    New users type the option where they type every other one; given there, it overrides
    the one before the command. Applied to every command and sub-command.
    """
    if not any(p.name == "project" for p in command.params):
        command.params.append(
            click.Option(
                ["--project"],
                type=click.Path(file_okay=False, path_type=Path),
                expose_value=False,
                callback=_project_after_command,
                help="The project folder (default: the current folder).",
            )
        )
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            add_project_option(sub)


def report_errors_as_json(command: click.Command) -> None:
    """Make every ``--json`` option (of the command and its sub-commands) remember that it
    was given, so that the command's error is reported as JSON too."""
    for param in command.params:
        if param.name == "as_json" and param.callback is None:
            param.callback = _note_json
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            report_errors_as_json(sub)


def _note_json(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    """Remember --json, so that an error of the command is reported as JSON too."""
    state = ctx.find_object(State)
    if state is not None and value:
        state.as_json = True
    return value


def _emit_error(message: str, source: str | None = None, line: int | None = None) -> None:
    """``{"error": {"message": …, "file": …, "line": …}}``: a script's view of an error."""
    error: dict[str, Any] = {"message": message}
    if source:
        error["file"] = source
    if line:
        error["line"] = line
    emit_json({"error": error})


def pass_project(f: F) -> F:
    """Give the command the open project as its first argument."""

    @click.pass_context
    def wrapper(ctx: click.Context, *args: Any, **kwargs: Any) -> Any:
        project = ctx.obj.project()
        # The audit log names the person; the command they ran goes in its detail.
        with project.store.via(command_words(ctx)):
            return ctx.invoke(f, project, *args, **kwargs)

    return update_wrapper(wrapper, f)  # type: ignore[return-value]


def command_words(ctx: click.Context) -> str:
    """``qualcode codes add`` for the ``add`` sub-command, whatever the program was called."""
    words: list[str] = []
    while ctx.parent is not None:
        words.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(["qualcode", *reversed(words)])


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def stderr_progress() -> Callable[[int, int, str], None] | None:
    """A one-line progress report on stderr for long imports (only on a terminal)."""
    if not sys.stderr.isatty():
        return None

    def report(done: int, total: int, what: str) -> None:
        if total <= 1:
            return
        end = "\n" if done >= total else ""
        click.echo(f"\r{done}/{total} {what[:50]:<50}", err=True, nl=False)
        if end:
            click.echo("", err=True)

    return report


class QualcodeGroup(Group):
    """A click group that shows a researcher a sentence, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a closed pipe shows up here, not at exit, so it is caught below
            return result
        except BrokenPipeError:
            # The reader stopped early (``| head``): nothing went wrong, so say nothing, and
            # exit as a program stopped by SIGPIPE does.
            _silence_stdout()
            ctx.exit(141)
        except QualcodeError as err:
            if isinstance(ctx.obj, State) and ctx.obj.as_json:
                _emit_error(err.message, err.source, err.line)
            else:
                click.echo(_("Error: {message}").format(message=err), err=True)
            ctx.exit(1)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except ImportInterrupted as stop:
            click.echo("", err=True)  # off the progress line
            click.echo(_interrupted_import(stop), err=True)
            ctx.exit(130)
        except KeyboardInterrupt:
            click.echo(_("Interrupted."), err=True)
            ctx.exit(130)
        except Exception as err:  # the last line of defence: a bug, reported plainly
            if os.environ.get("QUALCODE_DEBUG"):
                traceback.print_exc()
            problem = _(
                "qualcode hit an unexpected problem ({problem}). Nothing was changed by the "
                "failed step. Set QUALCODE_DEBUG=1 to see details."
            ).format(problem=f"{type(err).__name__}: {err}")
            if isinstance(ctx.obj, State) and ctx.obj.as_json:
                _emit_error(problem)
            else:
                click.echo(_("Error: {message}").format(message=problem), err=True)
            ctx.exit(2)
        finally:
            if isinstance(ctx.obj, State):
                ctx.obj.close()


def _interrupted_import(stop: ImportInterrupted) -> str:
    """What an interrupted import kept, and how to go on."""
    if stop.analysing:
        return _(
            "Interrupted while analysing: all {total} files are imported and saved; the "
            "analysis is finished the next time the project is opened."
        ).format(total=stop.total)
    return _(
        "Interrupted after {done} of {total} files: those {done} are imported and saved, "
        "the file being read was left out. Run the same import again to go on; files "
        "already imported are skipped."
    ).format(done=stop.done, total=stop.total)


def _silence_stdout() -> None:
    """Point stdout at the null device so Python's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (a test runner's buffer)
        pass


def parse_attrs(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(
                _('"{item}" is not KEY=VALUE').format(item=item), param_hint="--attr"
            )
        out[key.strip()] = value.strip()
    return out
