"""Commands for two coders: agreement statistics, merging a copy, and the consensus walk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from qualcode.agreement.comparison import NVIVO_BASIS, NVIVO_CONVENTION
from qualcode.agreement.coverage import coverage
from qualcode.agreement.inputs import (
    agreement_report,
    comparison_for,
    report_inputs,
    unitizing_for,
)
from qualcode.agreement.units import UNITS
from qualcode.cli.agreement_render import render_comparison, render_report, render_unitizing
from qualcode.cli.common import emit_json, pass_project
from qualcode.cli.texts import Command, Group
from qualcode.consensus import coding_set as cset
from qualcode.consensus import walk as cons
from qualcode.consensus.coding_set import progress, reset, sync
from qualcode.i18n import ui as _
from qualcode.i18n import ui_language
from qualcode.merge import merge_project
from qualcode.model import QualcodeError
from qualcode.project import Project


@click.command(cls=Command)
@click.option("--coders", nargs=2, required=True, metavar="A B", help="The two coders to compare.")
@click.option("--unit", type=click.Choice(UNITS), default="turn", show_default=True)
@click.option(
    "--transcript",
    "transcripts",
    multiple=True,
    help="Only this transcript; repeatable (default: every transcript both coders coded).",
)
@click.option("--case", "cases", multiple=True, help="Only this case's transcripts; repeatable.")
@click.option("--code", "codes", multiple=True, help="Only this code (id or name); repeatable.")
@click.option(
    "--informant-only",
    is_flag=True,
    help="Leave out the interviewer's turns (the default for turn and sentence units).",
)
@click.option(
    "--all-turns", is_flag=True, help="Keep the interviewer's turns in (turn and sentence units)."
)
@click.option(
    "--by",
    type=click.Choice(["code", "code-transcript"]),
    default="code",
    show_default=True,
    help="code: per code, per transcript and overall; code-transcript: NVivo's coding "
    "comparison, one row per code and transcript on every character.",
)
@click.option(
    "--unitizing",
    is_flag=True,
    help="Add Krippendorff's alpha for unitizing: u-alpha per code, cu-alpha per theme, "
    "Cu-alpha across themes (as ATLAS.ti reports them).",
)
@click.option("--consensus-coder", help="Set the name the consensus walk codes as.")
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
@pass_project
def agreement(
    project: Project,
    coders: tuple[str, str],
    unit: str,
    transcripts: tuple[str, ...],
    cases: tuple[str, ...],
    codes: tuple[str, ...],
    informant_only: bool,
    all_turns: bool,
    by: str,
    unitizing: bool,
    consensus_coder: str | None,
    as_json: bool,
) -> None:
    """Intercoder agreement of two coders: kappa, alpha and its interval, B-P, AC1.

    Per code, per transcript and overall (pooled, with the per-code spread): percent and
    positive agreement, Cohen's kappa, Krippendorff's alpha with its bootstrap interval,
    Brennan & Prediger's kappa, Gwet's AC1. --by code-transcript gives NVivo's coding
    comparison; --unitizing adds Krippendorff's unitizing alphas (u, cu, Cu)."""
    if consensus_coder:
        cset.set_consensus_coder(project.store, consensus_coder)
    report = agreement_report(
        project,
        coders[0],
        coders[1],
        unit=unit,
        transcript_ids=transcripts,
        codes=codes,
        informant_only=informant_only,
        cases=cases,
        all_turns=all_turns,
    )
    both = by == "code-transcript" and unitizing
    inputs = report_inputs(project.store, report) if both else None  # read once for both
    cells = comparison_for(project.store, report, inputs) if by == "code-transcript" else None
    unitized = unitizing_for(project.store, report, inputs) if unitizing else None
    if as_json:
        out = report.to_json()
        if cells is not None:
            out = {
                "coders": list(report.coders),
                "unit": "character",
                "basis": NVIVO_BASIS,
                "convention": NVIVO_CONVENTION,
                "cells": [c.to_json() for c in cells],
            }
            if report.notes:
                out["notes"] = list(report.notes)
        if unitized is not None:
            out["unitizing"] = unitized.to_json()
        emit_json(out)
        return
    names = {c.id: c.name for c in project.store.codes.all()}
    if cells is not None:
        click.echo(render_comparison(cells, names, report.coders))
        for note in report.notes:
            click.echo("  " + _("Note: {note}.").format(note=note))
    else:
        click.echo(render_report(report, names))
    if unitized is not None:
        click.echo(render_unitizing(unitized, names))


@click.command(cls=Command)
@click.argument("other", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
@pass_project
def merge(project: Project, other: Path, as_json: bool) -> None:
    """Bring another copy's codings, codes, summaries and notes into this project."""
    report = merge_project(project, other)
    if as_json:
        emit_json(report.to_json())
        return
    click.echo(_("Backup taken: {path}").format(path=report.backup))
    click.echo(
        _(
            "Merged from {source}: {added} codings added ({skipped} already here), {codes} codes "
            "added, {matched} codes matched by name, {summaries} summaries, {notes} comparison "
            "notes."
        ).format(
            source=report.source,
            added=report.codings_added,
            skipped=report.codings_skipped,
            codes=len(report.codes_added),
            matched=len(report.codes_unified),
            summaries=report.summaries_added,
            notes=report.notes_added,
        )
    )
    for c in report.conflicts:
        click.echo("  " + _("conflict: {conflict}").format(conflict=c), err=True)
    if report.conflicts:
        click.echo(
            _("{n} conflicts: nothing of those was changed here.").format(n=len(report.conflicts)),
            err=True,
        )


_WALK_OPTIONS = [
    click.option("--coders", nargs=2, metavar="A B", help="The two coders."),
    click.option("--code", help="The code (id or name)."),
    click.option("--unit", type=click.Choice(UNITS), default="turn", show_default=True),
    click.option(
        "--transcript",
        "transcripts",
        multiple=True,
        help="Only this transcript (default: every transcript both coders coded).",
    ),
    click.option("--case", "cases", multiple=True, help="Only this case's transcripts."),
    click.option("--informant-only", is_flag=True),
    click.option(
        "--all-turns", is_flag=True, help="The interviewer's turns too (turn and sentence units)."
    ),
]
_WALK_NAMES = ("coders", "code", "unit", "transcripts", "cases", "informant_only", "all_turns")


def _walk(
    project: Project,
    coders: tuple[str, str] | None,
    code: str | None,
    unit: str,
    transcripts: tuple[str, ...],
    informant_only: bool,
    cases: tuple[str, ...] = (),
    all_turns: bool = False,
) -> list[cons.Item]:
    if not coders or not code:
        raise QualcodeError(_("give --coders A B and --code C"))
    return cons.walk(
        project,
        coders[0],
        coders[1],
        code,
        unit=unit,
        transcript_ids=transcripts,
        informant_only=informant_only,
        cases=cases,
        all_turns=all_turns,
    )


def _with_walk_options(f):  # type: ignore[no-untyped-def]
    for option in reversed(_WALK_OPTIONS):
        f = option(f)
    return f


def _group_fallback(ctx: click.Context, values: dict[str, Any]) -> dict[str, Any]:
    """The walk options of ``consensus`` itself where the subcommand left them out, so
    ``consensus --coders A B --code C decide ...`` works like the help suggests."""
    parent = ctx.parent
    if parent is None:
        return values
    out = dict(values)
    for name in _WALK_NAMES:
        if ctx.get_parameter_source(name) in (ParameterSource.DEFAULT, None):
            out[name] = parent.params.get(name, values[name])
    return out


def _progress_line(project: Project) -> str | None:
    p = progress(project)
    if p is None:
        return None
    line = _(
        'Consensus of {a} and {b} ({unit} units) as "{coder}": {decided} of {total} '
        "disagreements decided, all codes"
    ).format(
        a=p.coder_a, b=p.coder_b, unit=_(p.unit), coder=p.coder, decided=p.decided, total=p.total
    )
    if not p.up_to_date:
        line += _("; the coders' codings changed since, run `qualcode consensus sync`")
    return line


@click.group(cls=Group, invoke_without_command=True)
@_with_walk_options
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
@click.pass_context
def consensus(
    ctx: click.Context,
    coders: tuple[str, str] | None,
    code: str | None,
    unit: str,
    transcripts: tuple[str, ...],
    cases: tuple[str, ...],
    informant_only: bool,
    all_turns: bool,
    as_json: bool,
) -> None:
    """List two coders' disagreements on a code with their consensus decisions.

    The first decision seeds the consensus coder with every unit both coders agreed on;
    each decision adds its codings. Reports use the consensus coder's codings by default.
    """
    if ctx.invoked_subcommand is not None:
        return
    project: Project = ctx.obj.project()
    items = _walk(project, coders, code, unit, transcripts, informant_only, cases, all_turns)
    assert coders is not None  # _walk refuses a walk without them
    covered = coverage(
        project.store,
        coders[0],
        coders[1],
        unit,
        transcripts=transcripts,
        cases=cases,
        all_turns=all_turns,
        informant_only=informant_only,
    )
    texts = {
        t: project.store.transcripts.get(t).text for t in {i.disagreement.transcript for i in items}
    }
    decided = sum(i.decided for i in items)
    if as_json:
        p = progress(project)
        emit_json(
            {
                "coders": list(coders or ()),
                "code": items[0].disagreement.code if items else code,
                "unit": unit,
                "consensus_coder": cset.consensus_coder(project.store),
                "decided": decided,
                "total": len(items),
                "progress": p.to_json() if p else None,
                "scope": covered.to_json(),
                "disagreements": [i.to_json(texts[i.disagreement.transcript]) for i in items],
            }
        )
        return
    click.echo(
        _("{decided} / {total} decided (consensus coder: {coder})").format(
            decided=decided, total=len(items), coder=cset.consensus_coder(project.store)
        )
    )
    click.echo(_("Scope: {scope}").format(scope=covered.words(ui_language())))
    line = _progress_line(project)
    if line:
        click.echo(line)
    for i in items:
        d = i.disagreement
        only = _("only A") if d.a_codings else _("only B")
        state = i.decision["choice"] if i.decision else _("undecided")
        snippet = " ".join(texts[d.transcript][d.start : d.end].split())[:70]
        click.echo(f"{d.transcript} {d.start}-{d.end}  {only}  [{state}]  {snippet}")


@consensus.command("decide")
@_with_walk_options
@click.option(
    "--at",
    "at",
    nargs=3,
    required=True,
    metavar="TRANSCRIPT START END",
    help="The disagreement's unit, as listed.",
)
@click.option("--choice", type=click.Choice(cons.CHOICES), required=True)
@click.option("--quote", help="For --choice edit: the words to code, from the disputed unit.")
@click.option(
    "--span",
    nargs=2,
    type=int,
    metavar="START END",
    help="For --choice edit: the span to code, inside the disputed unit.",
)
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
@click.pass_context
def consensus_decide(
    ctx: click.Context,
    coders: tuple[str, str] | None,
    code: str | None,
    unit: str,
    transcripts: tuple[str, ...],
    cases: tuple[str, ...],
    informant_only: bool,
    all_turns: bool,
    at: tuple[str, str, str],
    choice: str,
    quote: str | None,
    span: tuple[int, int] | None,
    as_json: bool,
) -> None:
    """Decide one disagreement: a (accept A), b, both, drop or edit (with --quote or --span)."""
    project: Project = ctx.obj.project()
    given = _group_fallback(
        ctx,
        {
            "coders": coders,
            "code": code,
            "unit": unit,
            "transcripts": transcripts,
            "cases": cases,
            "informant_only": informant_only,
            "all_turns": all_turns,
        },
    )
    if quote is not None and span is not None:
        raise QualcodeError(_("give either --quote or --span for an edit, not both"))
    if (quote is not None or span is not None) and choice != "edit":
        raise QualcodeError(_("--quote and --span are for --choice edit"))
    items = _walk(project, **given)
    try:
        start, end = int(at[1]), int(at[2])
    except ValueError:
        raise QualcodeError(_("--at needs TRANSCRIPT START END with whole numbers")) from None
    item = cons.find_item(items, at[0], start, end)
    transcript = project.store.transcripts.get(at[0])
    if quote is not None:
        span = cons.span_for_quote(transcript, item, quote)
    sync(project)  # the agreed units as the coders have them now
    saved = cons.decide(project, transcript, item, choice, (span[0], span[1]) if span else None)
    left = len(cons.remaining(items))
    if as_json:
        emit_json({"decision": item.decision, "codings": [c.id for c in saved], "remaining": left})
    else:
        where = "".join(f" {c.start}-{c.end}" for c in saved)
        click.echo(
            _("Decided {unit}: {choice} ({n} consensus codings{where}); {left} left").format(
                unit=f"{at[0]} {start}-{end}",
                choice=choice,
                n=len(saved),
                where=":" + where if choice == "edit" else "",
                left=left,
            )
        )


@consensus.command("set-coder")
@click.argument("name")
@pass_project
def consensus_set_coder(project: Project, name: str) -> None:
    """Name the consensus coder; the consensus codings so far move to the new name."""
    moved = cset.set_consensus_coder(project.store, name)
    moved_words = _(" ({n} consensus codings moved to it)").format(n=moved) if moved else ""
    click.echo(_("Consensus coder: {name}").format(name=name) + moved_words)


@consensus.command("sync")
@pass_project
def consensus_sync(project: Project) -> None:
    """Bring the consensus up to date after either coder changed their codings."""
    result = sync(project)
    click.echo(
        _(
            "Agreed units: {added} added, {removed} taken out; {superseded} decisions taken "
            "back (those units no longer disagree)."
        ).format(added=result.added, removed=result.removed, superseded=result.superseded)
    )
    line = _progress_line(project)
    click.echo(line or _("No consensus has been started: the first decision starts one."))


@consensus.command("reset")
@click.option("--yes", is_flag=True, help="Do not ask first.")
@pass_project
def consensus_reset(project: Project, yes: bool) -> None:
    """Start the consensus over: remove its codings and decisions (a backup is taken first)."""
    if not yes:
        click.confirm(_("Remove every consensus coding and decision?"), abort=True, err=True)
    backup = project.backup("before-consensus-reset")
    gone = reset(project.store)
    click.echo(_("Backup taken: {path}").format(path=backup))
    click.echo(
        _(
            "Consensus reset: {n} consensus codings removed; A's and B's codings are untouched."
        ).format(n=gone)
    )
