"""`qualcode code` (and bare `qualcode`): open the Textual coding workspace."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import State
from qualcode.model import QualcodeError
from qualcode.project import Project


def resolve_transcript(project: Project, given: str | None) -> str | None:
    """A transcript id from an id or a path to a transcript file (whose stem is the id)."""
    if not given:
        return None
    ids = project.store.transcripts.ids()
    if given in ids:
        return given
    stem = Path(given).stem
    if stem in ids:
        return stem
    hint = ", ".join(ids[:8]) + (" …" if len(ids) > 8 else "")
    raise QualcodeError(
        f'no transcript "{given}" in this project (import it first with `qualcode import`); '
        f"known: {hint or 'none'}"
    )


def open_workspace(state: State, transcript: str | None, coder: str | None) -> None:
    """Open the app; the coder comes from --coder, QUALCODE_CODER, memory, or is asked for."""
    from qualcode.tui.app import QualcodeApp  # Textual loads only when the UI is wanted

    project = state.project()
    transcript_id = resolve_transcript(project, transcript)
    with project.store.via("tui"):  # the audit names the coder; this says where they worked
        QualcodeApp(project, project.resolve_coder(coder), transcript_id).run()


@click.command("code")
@click.argument("transcript", required=False)
@click.option("--coder", help="Who is coding (else $QUALCODE_CODER, else remembered, else asked).")
@click.pass_obj
def code(state: State, transcript: str | None, coder: str | None) -> None:
    """Open the coding workspace, optionally on TRANSCRIPT (an id or a file path)."""
    open_workspace(state, transcript, coder)
