"""The command line face of qualcode: thin click commands over the library."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.agreement_cmds import agreement, consensus, merge
from qualcode.cli.analysis_cmds import cooccurrence, crosstab, retrieve
from qualcode.cli.codebook_cmds import codebook, codes, codings
from qualcode.cli.common import QualcodeGroup, State, add_project_option
from qualcode.cli.language_cmds import anon_check, search, suggest, words
from qualcode.cli.memo_cmds import memos
from qualcode.cli.project_cmds import (
    backup,
    cases,
    import_,
    init,
    restore,
    show,
    status,
    transcripts,
)
from qualcode.cli.report_cmds import comparison, export, summaries
from qualcode.cli.tui_cmds import code


@click.group(
    cls=QualcodeGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="The project folder.",
)
@click.option("--coder", help="Who is coding, when no command is given (as for `code`).")
@click.version_option(package_name="qualcode")
@click.pass_context
def main(ctx: click.Context, project_dir: Path, coder: str | None) -> None:
    """qualcode: thematic coding of anonymised interviews.

    Run with no command to open the coding workspace.
    """
    ctx.obj = State(project_dir)
    if ctx.invoked_subcommand is None:
        from qualcode.cli.tui_cmds import open_workspace

        open_workspace(ctx.obj, None, coder)


for command in (
    init,
    import_,
    status,
    transcripts,
    cases,
    show,
    backup,
    restore,
    codebook,
    codes,
    codings,
    agreement,
    merge,
    consensus,
    export,
    summaries,
    comparison,
    search,
    words,
    suggest,
    anon_check,
    memos,
    retrieve,
    cooccurrence,
    crosstab,
    code,
):
    add_project_option(command)
    main.add_command(command)
