"""Commands from codes to the report: `export KIND` and the case summaries' import and export
(the comparison notes are in ``comparison_cmds``)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from qualcode import exporters
from qualcode import scope as sc
from qualcode.agreement.units import UNITS
from qualcode.cli.common import emit_json, pass_project
from qualcode.cli.output import (
    STDOUT,
    check_target,
    choose_format,
    deliver,
    raw_option,
    shareable_option,
    write_new,
)
from qualcode.cli.texts import Command, Group
from qualcode.codings_io import read_table
from qualcode.csv_safe import escape_csv
from qualcode.exporters import tables
from qualcode.exporters.options import DETAILS, DocOptions
from qualcode.i18n import doc_language, ui_language
from qualcode.i18n import ui as _
from qualcode.i18n import ui_n as n_
from qualcode.model import QualcodeError
from qualcode.project import Project
from qualcode.summaries_io import (
    apply_summaries_import,
    export_rows,
    plan_summaries_import,
    to_csv,
    to_json,
)
from qualcode.titles import guide_kind_name

_FLAGS: dict[exporters.ExportOption, str] = {
    "coder": "--coder",
    "count": "--count",
    "cases": "--case",
    "all_turns": "--all-turns",
    "coders": "--coders",
    "unit": "--unit",
    "transcripts": "--transcript",
    "codes": "--code",
    "informant_only": "--informant-only",
    "positions": "--positions",
}


@click.command("export", cls=Command)
@click.argument("kind", metavar="KIND")
@click.option(
    "--format",
    "fmt",
    help="File format; default: the --out file's suffix, else the kind's first format.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Output file (default: KIND.FORMAT here; - for the screen, text formats only).",
)
@click.option(
    "--coder",
    "coders_given",
    multiple=True,
    help="Whose codings: a coder, consensus, or all (default: the consensus once every "
    "disagreement is decided, else all coders; for qdpx every coder's, each as a REFI-QDA "
    "user); the export says which it used.",
)
@click.option(
    "--count",
    type=click.Choice(sc.COUNTS),
    help="What a matrix cell counts: coded passages (default; overlapping codings merged), "
    "coded words, transcripts or informants.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@shareable_option
@raw_option
@click.option("--coders", nargs=2, metavar="A B", help="For KIND agreement: the two coders.")
@click.option(
    "--unit",
    type=click.Choice(UNITS),
    help="For KIND agreement: the unit of analysis (default: turn).",
)
@click.option(
    "--transcript",
    "transcripts",
    multiple=True,
    help="For KIND agreement: only this transcript; repeatable.",
)
@click.option(
    "--code",
    "codes",
    multiple=True,
    help="For KIND agreement: only this code (id or name); repeatable.",
)
@click.option(
    "--case", "cases", multiple=True, help="For KIND agreement: only this case; repeatable."
)
@click.option(
    "--informant-only", is_flag=True, help="For KIND agreement: leave out the interviewer's turns."
)
@click.option(
    "--all-turns",
    is_flag=True,
    help="For KIND agreement: the interviewer's turns too (turn and sentence units).",
)
@click.option(
    "--heading-level",
    type=click.IntRange(1, 7),
    help="Word: the heading level of a case (default 1; 2 puts the cases under a "
    "report's section heading such as 3.1).",
)
@click.option(
    "--detail",
    type=click.Choice(DETAILS),
    help="For summaries in Word: questions (one paragraph per report question with its "
    "key quotes, the default) or themes (each theme's summary too).",
)
@click.option(
    "--template",
    type=click.Path(path_type=Path),
    help="Word: a .docx or .dotx whose styles and page setup the document takes "
    "(the research group's own template).",
)
@click.option(
    "--evidence/--no-evidence",
    default=True,
    help="For comparison in Word: the column of cases with codings (default: shown).",
)
@click.option(
    "--positions",
    type=click.Choice(["chars", "nvivo"]),
    help="For KIND qdpx: how selections are counted: chars (the standard, default) or nvivo "
    "(as NVivo for Windows writes its own files: UTF-16 units over CRLF text).",
)
@pass_project
def export(
    project: Project,
    kind: str,
    fmt: str | None,
    out: Path | None,
    coders_given: tuple[str, ...],
    count: str | None,
    force: bool,
    shareable: bool,
    raw: bool,
    coders: tuple[str, str] | None,
    unit: str | None,
    transcripts: tuple[str, ...],
    codes: tuple[str, ...],
    cases: tuple[str, ...],
    informant_only: bool,
    all_turns: bool,
    positions: str | None,
    heading_level: int | None,
    detail: str | None,
    template: Path | None,
    evidence: bool,
) -> None:
    """Export KIND for the report or for another tool.

    KIND: summaries (md, docx, html), matrix (csv, xlsx, md, docx, png), comparison (md, docx,
    xlsx, csv), codings (csv, xlsx), agreement (md, docx, csv; needs --coders A B; --unit,
    --transcript, --code and --informant-only as for `qualcode agreement`),
    qdpx (a REFI-QDA project for NVivo, ATLAS.ti, MAXQDA, QualCoder: transcripts, codes,
    every coder's codings, memos, case summaries and attributes), qdc (the REFI-QDA codebook).
    """
    if len(coders_given) > 1:
        raise QualcodeError(
            _(
                "give one --coder (a coder's name, or all); for agreement between "
                "two coders: export agreement --coders A B"
            )
        )
    coder = coders_given[0] if coders_given else None
    if positions and kind != "qdpx":
        raise QualcodeError(
            _("--positions only goes with export qdpx, not export {kind}").format(kind=kind)
        )
    if out is not None:
        check_target(out, force, project.root)  # the project's own files first of all
    spec = exporters.find_kind(kind)
    request = exporters.ExportRequest(
        coder=coder,
        coders=coders,
        unit=unit or "turn",
        transcripts=transcripts,
        codes=codes,
        informant_only=informant_only,
        positions=positions,
        count=count,
        cases=cases,
        all_turns=all_turns,
    )
    given: dict[exporters.ExportOption, object] = {
        "coders": coders,
        "unit": unit,
        "transcripts": transcripts,
        "cases": cases,
        "codes": codes,
        "informant_only": informant_only,
        "all_turns": all_turns,
    }
    refused = [_FLAGS[name] for name, value in given.items() if value and name not in spec.options]
    if refused:  # silently ignored, they would make a full export look filtered
        raise QualcodeError(
            _(
                "{options} only go with export agreement; export {kind} always holds the "
                "whole project"
            ).format(options=", ".join(refused), kind=kind)
        )
    fmt = choose_format(kind, list(spec.formats), fmt, out, set(exporters.KNOWN_FORMATS))
    _check_layout(
        kind,
        fmt,
        {"heading_level": heading_level, "detail": detail, "template": template},
        evidence,
    )
    out = out or Path(f"{kind}.{fmt}")
    check_target(out, force, project.root)  # refuse before the work, not after
    # how a Word or Excel file is laid out; its title block (title, kind, whose codings)
    # is made by the exporter, which knows the scope
    lang = doc_language(project.guide.language if project.guide else None)
    request = replace(
        request,
        layout=DocOptions(lang, heading_level or 1, detail or "questions", template, evidence),
    )
    if spec.whose == "pair":
        data = spec.writer(fmt)(project, request)
        deliver(out, data, fmt, force, project.root, shareable, raw)
        _wrote(f"{_kind_words(project, kind)} ({fmt})", out)
        return
    chosen = exporters.whose_codings(project, spec, request)  # refuses an unknown coder
    data = spec.writer(fmt)(project, request)
    deliver(out, data, fmt, force, project.root, shareable, raw)
    counted = _(", positions: {positions}").format(positions=positions) if positions else ""
    _wrote(f"{_kind_words(project, kind)} ({fmt}; {chosen}{counted})", out)


def _check_layout(kind: str, fmt: str, layout: dict, evidence: bool) -> None:
    """Refuse a layout option the export would ignore: it would look as if it had worked."""
    given = [f"--{k.replace('_', '-')}" for k, v in layout.items() if v is not None]
    if fmt != "docx" and given:
        raise QualcodeError(
            _("{options} only go with Word output (--format docx)").format(options=", ".join(given))
        )
    if layout["detail"] is not None and kind != "summaries":
        raise QualcodeError(_("--detail only goes with export summaries"))
    if not evidence and kind != "comparison":
        raise QualcodeError(_("--no-evidence only goes with export comparison"))
    template = layout["template"]
    if template is not None and not Path(template).is_file():
        raise QualcodeError(_("no such template file"), str(template))


def _kind_words(project: Project, kind: str) -> str:
    """The export kind as the user's language names it: "Oppsummeringer per kommune"."""
    return guide_kind_name(project.guide, kind, ui_language())


def _wrote(what: str, out: Path) -> None:
    where = _("the screen") if str(out) == STDOUT else str(out)
    click.echo(_("Wrote {what} to {path}").format(what=what, path=where), err=True)


@click.group(cls=Group)
def summaries() -> None:
    """Case summaries per theme and per report section: import and export them."""


@summaries.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--clear-empty",
    is_flag=True,
    help="A row with an empty text deletes that summary (default: the row is skipped).",
)
@click.option("--coder", help="Who wrote them (for the audit log).")
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
@pass_project
def summaries_import(
    project: Project, file: Path, clear_empty: bool, coder: str | None, as_json: bool
) -> None:
    """Import summaries from CSV/JSON (case, theme or section, text): all rows or none."""
    columns, rows = read_table(file, "summaries")
    plan = plan_summaries_import(project, rows, str(file), columns, clear_empty)
    if plan.problems:
        if as_json:
            emit_json({"imported": 0, "problems": plan.problems})
        else:
            for problem in plan.problems:
                click.echo(problem, err=True)
            bad = len(plan.problems)
            message = n_(
                "{n} bad row in {file}; nothing was imported.",
                "{n} bad rows in {file}; nothing was imported.",
                bad,
            ).format(n=bad, file=file)
            click.echo(_("Error: {message}").format(message=message), err=True)
        raise click.exceptions.Exit(1)
    written = apply_summaries_import(project.store, plan, project.actor(coder))
    if as_json:
        emit_json(
            {
                "imported": written,
                "skipped": plan.skipped,
                "cleared": plan.cleared,
                "problems": [],
                "backup": plan.backup or None,
            }
        )
        return
    notes = (
        [n_("{n} empty row skipped", "{n} empty rows skipped", plan.skipped).format(n=plan.skipped)]
        if plan.skipped
        else []
    )
    notes += (
        [n_("{n} summary cleared", "{n} summaries cleared", plan.cleared).format(n=plan.cleared)]
        if plan.cleared
        else []
    )
    click.echo(
        n_("Imported {n} summary", "Imported {n} summaries", written).format(n=written)
        + (f" ({'; '.join(notes)})" if notes else "")
    )
    if plan.backup:
        click.echo(
            _("The texts it replaced are in the backup {path}").format(path=plan.backup),
            err=True,
        )


@summaries.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json"]),
    help="csv or json; default: the --out file's suffix, else csv.",
)
@click.option(
    "--out", type=click.Path(path_type=Path), help="Write to a file instead of the screen."
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@shareable_option
@raw_option
@pass_project
def summaries_export(
    project: Project, fmt: str | None, out: Path | None, force: bool, shareable: bool, raw: bool
) -> None:
    """Every (case, section) and (case, theme) with its summary, empty ones too: a template."""
    if out and str(out) != STDOUT:
        check_target(out, force, project.root)  # the project's own files first of all
    suffix = out.suffix.lower().lstrip(".") if out and str(out) != STDOUT else ""
    if suffix and suffix not in ("csv", "json"):
        raise QualcodeError(
            _("summaries are written as .csv or .json, not .{suffix}").format(suffix=suffix),
            str(out),
        )
    if fmt and suffix and fmt != suffix:
        raise QualcodeError(
            _("--format {format} does not match the file name {name}").format(format=fmt, name=out)
        )
    fmt = fmt or suffix or "csv"
    rows = export_rows(project)
    text = to_csv(rows) if fmt == "csv" else to_json(rows)
    if fmt == "csv" and not raw:
        text = escape_csv(text)
    if out and str(out) != STDOUT:
        # a CSV file is for a spreadsheet: the mark makes Excel read æøå as UTF-8
        data = (tables.BOM if fmt == "csv" else "") + text
        write_new(out, data.encode("utf-8"), force, project.root, shareable)
        click.echo(
            n_("Wrote {n} row to {path}", "Wrote {n} rows to {path}", len(rows)).format(
                n=len(rows), path=out
            ),
            err=True,
        )
    else:
        click.echo(text, nl=False)
