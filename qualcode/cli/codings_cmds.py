"""Commands on codings: add one by quote or span, recode, resize, remove, write its memo,
import and export them all, and place those a changed transcript left unplaced."""

from __future__ import annotations

import json
from pathlib import Path

import click

from qualcode import codebook as book
from qualcode import codings as coding_changes
from qualcode.cli.common import emit_json, pass_project
from qualcode.cli.output import STDOUT, check_target, raw_option, shareable_option, write_new
from qualcode.cli.texts import Group
from qualcode.coding import locate_quote, quote_count
from qualcode.codings_io import (
    apply_codings_import,
    export_rows,
    plan_codings_import,
    read_rows,
    rows_to_csv,
)
from qualcode.csv_safe import escape_csv
from qualcode.i18n import ui as _
from qualcode.i18n import ui_n as n_
from qualcode.model import Coding, QualcodeError, Transcript
from qualcode.project import Project


@click.group(cls=Group)
def codings() -> None:
    """Import and export codings."""


@codings.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--create-codes", is_flag=True, help="Add codes the file names but the codebook lacks."
)
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
@pass_project
def codings_import(project: Project, file: Path, create_codes: bool, as_json: bool) -> None:
    """Import codings from CSV/JSON: all rows or none."""
    plan = plan_codings_import(project.store, read_rows(file), str(file), create_codes)
    if plan.problems:
        if as_json:
            emit_json({"imported": 0, "problems": plan.problems, "notes": plan.notes})
        else:
            for p in plan.problems:
                click.echo(p, err=True)
            bad = len(plan.problems)
            message = (
                _("nothing was imported.")
                if plan.whole_file
                else n_(
                    "{n} bad row in {file}; nothing was imported.",
                    "{n} bad rows in {file}; nothing was imported.",
                    bad,
                ).format(n=bad, file=file)
            )
            click.echo(_("Error: {message}").format(message=message), err=True)
        raise click.exceptions.Exit(1)
    saved = apply_codings_import(project.store, plan, actor=project.actor())
    if as_json:
        emit_json(
            {
                "imported": len(saved),
                "new_codes": [c.id for c in plan.new_codes],
                "new_coders": plan.new_coders,
                "already_present": len(plan.already_present),
                "notes": plan.notes,
                "problems": [],
            }
        )
    else:
        for n in plan.notes:
            click.echo(n)
        for name in plan.new_coders:
            click.echo(_("new coder: {name}").format(name=name))
        skipped = len(plan.already_present)
        click.echo(
            n_("Imported {n} coding", "Imported {n} codings", len(saved)).format(n=len(saved))
            + (
                n_(" and {n} new code", " and {n} new codes", len(plan.new_codes)).format(
                    n=len(plan.new_codes)
                )
                if plan.new_codes
                else ""
            )
            + (
                n_(
                    "; {n} row was already present and skipped",
                    "; {n} rows were already present and skipped",
                    skipped,
                ).format(n=skipped)
                if skipped
                else ""
            )
        )


def _coder_or_fail(project: Project, coder: str | None) -> str:
    name = project.resolve_coder(coder)
    if not name:
        raise QualcodeError(_("say who is coding: --coder NAME (or set QUALCODE_CODER)"))
    return name


def _coding_and_coder(project: Project, coding_id: int, coder: str | None) -> tuple[Coding, str]:
    return coding_changes.get(project.store, coding_id), _coder_or_fail(project, coder)


def _span_of(
    transcript: Transcript, quote: str | None, span: tuple[int, int] | None, near: int = 0
) -> tuple[int, int]:
    """``--span START END``, else where ``--quote`` is found in the transcript."""
    if span is not None:
        return span
    if not quote:
        raise QualcodeError(_("give --quote TEXT or --span START END"))
    match = locate_quote(transcript.text, quote, near=near)
    if match is None:
        raise QualcodeError(
            _('"{quote}" is not in {transcript}').format(quote=quote[:60], transcript=transcript.id)
        )
    return match.start, match.end


@codings.command("add")
@click.argument("transcript")
@click.option("--code", "code_key", required=True, help="The code: id or name.")
@click.option("--quote", help="Words of the transcript to code (found as for codings import).")
@click.option("--span", nargs=2, type=int, metavar="START END", help="Code-point offsets.")
@click.option("--memo", default="", help="A memo on the coding.")
@click.option("--coder", help="Who codes (default: QUALCODE_CODER or the remembered coder).")
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
@pass_project
def codings_add(
    project: Project,
    transcript: str,
    code_key: str,
    quote: str | None,
    span: tuple[int, int] | None,
    memo: str,
    coder: str | None,
    as_json: bool,
) -> None:
    """Code a quote or a span of TRANSCRIPT (what `c` does in the workspace)."""
    name = _coder_or_fail(project, coder)
    code = book.require_code(project.store, code_key)
    t = project.store.transcripts.get(transcript)
    start, end = _span_of(t, quote, span)
    times = quote_count(t.text, quote) if span is None and quote else 0
    if times > 1:  # said, so nobody thinks the passage they meant was coded
        click.echo(
            _(
                'Note: "{quote}" occurs {n} times in {transcript}; coded the first (at {start}); '
                "use --span START END to code another"
            ).format(quote=(quote or "")[:60], n=times, transcript=t.id, start=start),
            err=True,
        )
    # As in the workspace: turn content only, one coding per turn the span crosses.
    saved_all = coding_changes.add_in_turns(project.store, t, start, end, code.id, name, memo)
    if as_json:
        emit_json(saved_all[0].__dict__ if len(saved_all) == 1 else [c.__dict__ for c in saved_all])
        return
    for saved in saved_all:
        click.echo(
            _('#{id} {code} by {coder}: "{quote}"').format(
                id=saved.id, code=code.name, coder=name, quote=saved.quote[:70]
            )
        )


@codings.command("recode")
@click.argument("coding_id", type=int)
@click.argument("code_key", metavar="CODE")
@click.option("--coder", help="Whose coding it is (only they can recode it).")
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
@pass_project
def codings_recode(
    project: Project, coding_id: int, code_key: str, coder: str | None, as_json: bool
) -> None:
    """Move one of your codings to another CODE (id or name), keeping its span and memo."""
    coding, name = _coding_and_coder(project, coding_id, coder)
    code = book.require_code(project.store, code_key)
    saved = coding_changes.recode(project.store, coding, name, code.id)
    if as_json:
        emit_json(saved.__dict__)
        return
    old = project.store.codes.get(coding.code)
    click.echo(
        _("Recoded #{id}: {old} → {new}").format(
            id=coding_id, old=old.name if old else coding.code, new=code.name
        )
    )


@codings.command("resize")
@click.argument("coding_id", type=int)
@click.option("--start", type=int, help="The new start (code-point offset; default: as is).")
@click.option("--end", type=int, help="The new end (code-point offset; default: as is).")
@click.option("--coder", help="Whose coding it is (only they can resize it).")
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
@pass_project
def codings_resize(
    project: Project,
    coding_id: int,
    start: int | None,
    end: int | None,
    coder: str | None,
    as_json: bool,
) -> None:
    """Move the boundaries of one of your codings, within its turn (never over a label)."""
    coding, name = _coding_and_coder(project, coding_id, coder)
    if start is None and end is None:
        raise QualcodeError(_("give --start, --end or both"))
    t = project.store.transcripts.get(coding.transcript)
    saved = coding_changes.resize(
        project.store,
        coding,
        name,
        t,
        coding.start if start is None else start,
        coding.end if end is None else end,
    )
    if as_json:
        emit_json(saved.__dict__)
        return
    click.echo(
        _('Resized #{id} to {start}-{end}: "{quote}"').format(
            id=coding_id, start=saved.start, end=saved.end, quote=saved.quote[:70]
        )
    )


@codings.command("remove")
@click.argument("coding_id", type=int)
@click.option("--coder", help="Whose coding it is (only they can remove it).")
@pass_project
def codings_remove(project: Project, coding_id: int, coder: str | None) -> None:
    """Remove one of your codings (the audit log keeps what it was)."""
    coding, name = _coding_and_coder(project, coding_id, coder)
    coding_changes.remove(project.store, coding, name)
    code = project.store.codes.get(coding.code)
    click.echo(
        _('Removed #{id} ({code}): "{quote}"').format(
            id=coding_id, code=code.name if code else coding.code, quote=coding.quote[:70]
        )
    )


@codings.command("memo")
@click.argument("coding_id", type=int)
@click.argument("text")
@click.option("--coder", help="Whose coding it is (only they can write its memo).")
@pass_project
def codings_memo(project: Project, coding_id: int, text: str, coder: str | None) -> None:
    """Write (or, with an empty TEXT, clear) the memo on one of your codings."""
    coding, name = _coding_and_coder(project, coding_id, coder)
    coding_changes.set_memo(project.store, coding, name, text.strip())
    said = _("Memo saved on #{id}") if text.strip() else _("Memo cleared on #{id}")
    click.echo(said.format(id=coding_id))


@codings.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
@click.option("--coder", help="Only this coder's codings.")
@click.option(
    "--out", type=click.Path(path_type=Path), help="Write to a file instead of the screen."
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@shareable_option
@raw_option
@pass_project
def codings_export(
    project: Project,
    fmt: str,
    coder: str | None,
    out: Path | None,
    force: bool,
    shareable: bool,
    raw: bool,
) -> None:
    """Export codings as rows: transcript, case, coder, code, start, end, quote, memo."""
    if out and str(out) != STDOUT:
        check_target(out, force, project.root)  # refuse before the work, not after
    rows = export_rows(project.store, coder)
    text = (
        rows_to_csv(rows) if fmt == "csv" else json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    )
    if fmt == "csv" and not raw:
        text = escape_csv(text)
    # every row is one coding: with no --coder, every coder's rows, and it says whose
    whose = coder or ", ".join(sorted({r["coder"] for r in rows})) or _("nobody yet")
    if out and str(out) != STDOUT:
        write_new(out, text.encode("utf-8"), force, project.root, shareable)
        click.echo(
            n_(
                "Wrote {n} coding ({whose}) to {out}",
                "Wrote {n} codings ({whose}) to {out}",
                len(rows),
            ).format(n=len(rows), whose=whose, out=out),
            err=True,
        )
    else:
        click.echo(text, nl=False)
        if not coder:
            click.echo(
                n_(
                    "{n} coding, every coder's rows: {whose}",
                    "{n} codings, every coder's rows: {whose}",
                    len(rows),
                ).format(n=len(rows), whose=whose),
                err=True,
            )


@codings.command("unresolved")
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
@pass_project
def codings_unresolved(project: Project, as_json: bool) -> None:
    """Codings whose quote could not be found after a transcript changed (kept, flagged)."""
    rows = [c for c in project.store.codings.all() if c.status == "unresolved"]
    if as_json:
        emit_json(
            [
                {
                    "id": c.id,
                    "transcript": c.transcript,
                    "coder": c.coder,
                    "code": c.code,
                    "start": c.start,
                    "end": c.end,
                    "quote": c.quote,
                }
                for c in rows
            ]
        )
        return
    if not rows:
        click.echo(_("No unresolved codings."))
    names = {c.id: c.name for c in project.store.codes.all()}
    for c in rows:
        code = names.get(c.code, c.code)
        click.echo(
            _('#{id} {transcript} {code} by {coder}: "{quote}"').format(
                id=c.id, transcript=c.transcript, code=code, coder=c.coder, quote=c.quote[:70]
            )
        )
    if rows:
        click.echo(
            _("Place one with: qualcode codings place ID --quote TEXT  (or --span START END)")
        )


@codings.command("place")
@click.argument("coding_id", type=int)
@click.option("--quote", help="Text in the transcript to anchor the coding on.")
@click.option("--span", nargs=2, type=int, metavar="START END", help="Code-point offsets.")
@click.option("--coder", help="Whose coding it is (only they can place it).")
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
@pass_project
def codings_place(
    project: Project,
    coding_id: int,
    quote: str | None,
    span: tuple[int, int] | None,
    coder: str | None,
    as_json: bool,
) -> None:
    """Re-place a coding by hand on a quote or a span of its transcript."""
    coding, name = _coding_and_coder(project, coding_id, coder)
    transcript = project.store.transcripts.get(coding.transcript)
    start, end = _span_of(transcript, quote, span, near=coding.start)
    saved = coding_changes.place(project.store, coding, name, transcript, start, end)
    if as_json:
        emit_json(saved.__dict__)
    else:
        click.echo(_('Placed #{id} on "{quote}"').format(id=coding_id, quote=saved.quote[:70]))
