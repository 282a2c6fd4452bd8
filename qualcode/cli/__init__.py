"""The command line face of qualcode: thin click commands over the library."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import QualcodeGroup, State, add_project_option
from qualcode.cli.lazy import LazyCommand, LazyGroup

# name: (module, attribute, the first paragraph of its help). Loaded when run.
COMMANDS = {
    name: LazyCommand(*entry)
    for name, entry in {
        "agreement": ("agreement_cmds", "agreement", "Intercoder agreement of two coders: kappa, alpha and its interval, B-P, AC1."),
        "anon-check": ("language_cmds", "anon_check", "Look for phone numbers, e-mails, fødselsnummer, names and addresses left in text."),
        "backup": ("project_cmds", "backup", "Take a consistent backup of the project database."),
        "cases": ("project_cmds", "cases", "The cases (municipalities): list them, put transcripts in one."),
        "code": ("tui_cmds", "code", "Open the coding workspace, optionally on TRANSCRIPT (an id or a file path)."),
        "codebook": ("codebook_cmds", "codebook", "The code tree: themes, their codes and how often each is used."),
        "codes": ("codebook_cmds", "codes", "Add, rename, describe, move and merge codes."),
        "codings": ("codebook_cmds", "codings", "Import and export codings."),
        "comparison": ("report_cmds", "comparison", "The cross-case comparison (Tabell 1): notes per category and the evidence."),
        "cooccurrence": ("analysis_cmds", "cooccurrence", "Code × code: how many stretches of text (or turns) carry both codes."),
        "crosstab": ("analysis_cmds", "crosstab", "Code × attribute: passages and cases coded per value (e.g. stor / mellomstor / liten)."),
        "consensus": ("agreement_cmds", "consensus", "List two coders' disagreements on a code with their consensus decisions."),
        "export": ("report_cmds", "export", "Export KIND for the report or for another tool."),
        "import": ("project_cmds", "import_", "Import transcripts (txt, md, docx, vtt, srt) or folders of them, or a REFI-QDA file."),
        "init": ("project_cmds", "init", "Create the project database here (and import transcripts/ if present)."),
        "memos": ("memo_cmds", "memos", "Memos on the project, its cases, transcripts, codes and codings."),
        "merge": ("agreement_cmds", "merge", "Bring another copy's codings, codes, summaries and notes into this project."),
        "restore": ("project_cmds", "restore", "Restore the project database from a backup (the current one is backed up first)."),
        "retrieve": ("analysis_cmds", "retrieve", "Every passage of CODE, whole, with case, speaker, time and coders."),
        "search": ("language_cmds", "search", "Find QUERY in every transcript, as keyword-in-context lines."),
        "show": ("project_cmds", "show", "Show one transcript with its turns."),
        "status": ("project_cmds", "status", "What the project holds."),
        "suggest": ("language_cmds", "suggest", "Sentences whose words match a code's keywords. Nothing is coded until you accept one."),
        "summaries": ("report_cmds", "summaries", "Case summaries per theme and per report section: import and export them."),
        "transcripts": ("project_cmds", "transcripts", "List the transcripts with their case, words, turns and speakers."),
        "words": ("language_cmds", "words", "The most frequent words (lemmas, no stop words) in each group's coded segments."),
    }.items()
}  # fmt: skip


class MainGroup(LazyGroup, QualcodeGroup):
    """qualcode's top-level group: commands load on use and accept --project after them."""

    def prepare(self, command: click.Command) -> None:
        add_project_option(command)


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
