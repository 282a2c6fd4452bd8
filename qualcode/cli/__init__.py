"""The command line face of qualcode: thin click commands over the library."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import QualcodeGroup, State, add_project_option, report_errors_as_json
from qualcode.cli.lazy import LazyCommand, LazyGroup
from qualcode.cli.texts import speak
from qualcode.i18n import N_

speak()  # click's own words (Usage:, Error:) from qualcode's catalogs

# name: (module, attribute, the first paragraph of its help). Loaded when run.
COMMANDS = {
    name: LazyCommand(*entry)
    for name, entry in {
        "agreement": ("agreement_cmds", "agreement", N_("Intercoder agreement of two coders: kappa, alpha and its interval, B-P, AC1.")),
        "anon-check": ("language_cmds", "anon_check", N_("Look for phone numbers, e-mails, fødselsnummer, names and addresses left in text.")),
        "backup": ("project_cmds", "backup", N_("Take a consistent backup of the project database.")),
        "cases": ("project_cmds", "cases", N_("The cases (municipalities): list them, put transcripts in one.")),
        "code": ("tui_cmds", "code", N_("Open the coding workspace, optionally on TRANSCRIPT (an id or a file path).")),
        "codebook": ("codebook_cmds", "codebook", N_("The code tree: themes, their codes and how often each is used.")),
        "codes": ("codebook_cmds", "codes", N_("Add, rename, describe, move and merge codes.")),
        "codings": ("codings_cmds", "codings", N_("Import and export codings.")),
        "comparison": ("comparison_cmds", "comparison", N_("The cross-case comparison (Tabell 1): notes per category and the evidence.")),
        "cooccurrence": ("analysis_cmds", "cooccurrence", N_("Code × code: how many stretches of text (or turns) carry both codes.")),
        "crosstab": ("analysis_cmds", "crosstab", N_("Code × attribute: passages and cases coded per value (e.g. stor / mellomstor / liten).")),
        "consensus": ("agreement_cmds", "consensus", N_("List two coders' disagreements on a code with their consensus decisions.")),
        "export": ("report_cmds", "export", N_("Export KIND for the report or for another tool.")),
        "import": ("project_cmds", "import_", N_("Import transcripts (txt, md, docx, vtt, srt) or folders of them, or a REFI-QDA file.")),
        "init": ("project_cmds", "init", N_("Create the project database here (and import transcripts/ if present).")),
        "memos": ("memo_cmds", "memos", N_("Memos on the project, its cases, transcripts, codes and codings.")),
        "merge": ("agreement_cmds", "merge", N_("Bring another copy's codings, codes, summaries and notes into this project.")),
        "restore": ("project_cmds", "restore", N_("Restore the project database from a backup (the current one is backed up first).")),
        "retrieve": ("analysis_cmds", "retrieve", N_("Every passage of CODE, whole, with case, speaker, time and coders.")),
        "search": ("language_cmds", "search", N_("Find QUERY in every transcript, as keyword-in-context lines.")),
        "show": ("project_cmds", "show", N_("Show one transcript with its turns.")),
        "status": ("project_cmds", "status", N_("What the project holds.")),
        "suggest": ("language_cmds", "suggest", N_("Sentences whose words match a code's keywords. Nothing is coded until you accept one.")),
        "summaries": ("report_cmds", "summaries", N_("Case summaries per theme and per report section: import and export them.")),
        "transcripts": ("project_cmds", "transcripts", N_("List the transcripts with their case, words, turns and speakers.")),
        "words": ("language_cmds", "words", N_("The most frequent words (lemmas, no stop words) in each group's coded passages.")),
    }.items()
}  # fmt: skip


class MainGroup(LazyGroup, QualcodeGroup):
    """qualcode's top-level group: commands load on use and accept --project after them."""

    def prepare(self, command: click.Command) -> None:
        add_project_option(command)
        report_errors_as_json(command)


@click.group(
    cls=MainGroup,
    lazy=COMMANDS,
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
@click.version_option(package_name="qualcode", help=N_("Show the version and exit."))
@click.pass_context
def main(ctx: click.Context, project_dir: Path, coder: str | None) -> None:
    """qualcode: thematic coding of anonymised interviews.

    Run with no command to open the coding workspace.
    """
    ctx.obj = State(project_dir)
    if ctx.invoked_subcommand is None:
        from qualcode.cli.tui_cmds import open_workspace

        open_workspace(ctx.obj, None, coder)
