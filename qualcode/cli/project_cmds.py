"""Commands on the project itself: init, import, status, listings, backups."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import click

from qualcode.cli.common import State, emit_json, parse_attrs, pass_project, stderr_progress
from qualcode.cli.output import shareable_option
from qualcode.cli.texts import Command, Group
from qualcode.i18n import N_
from qualcode.i18n import ui as _
from qualcode.i18n import ui_n as n_
from qualcode.importers import SUPPORTED_SUFFIXES
from qualcode.model import INFORMANT, QualcodeError
from qualcode.project import Project


@click.command(cls=Command)
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
@click.pass_obj
def init(state: State, as_json: bool) -> None:
    """Create the project database here (and import transcripts/ if present)."""
    state.root.mkdir(parents=True, exist_ok=True)
    project = state.project(create=True)  # what the first import refused is shown on stderr
    report = _status(project)
    refused = [r.message for r in project.first_import if r.status == "refused"]
    if as_json:
        emit_json({**report, "not_imported": refused})
    else:
        click.echo(
            _(
                "Project ready in {root}: {transcripts} transcripts, {cases} cases, {themes} themes."
            ).format(
                root=project.root,
                transcripts=report["transcripts"],
                cases=report["cases"],
                themes=report["themes"],
            )
        )
    if refused:
        raise click.exceptions.Exit(1)


_DETAIL_LINES = 40  # new codes and coders listed after a REFI-QDA import; --json has all
# an import's outcome per file (ImportStatus), as the screen says it; --json keeps the key
IMPORT_STATUSES = (N_("imported"), N_("unchanged"), N_("updated"), N_("replaced"), N_("refused"))


@click.command("import", cls=Command)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--case", help="The case (municipality) these transcripts belong to.")
@click.option(
    "--attr", "attrs", multiple=True, metavar="KEY=VALUE", help="A case attribute; repeatable."
)
@click.option(
    "--replace", is_flag=True, help="Replace changed transcripts, re-anchoring their codings."
)
@click.option(
    "--strict",
    is_flag=True,
    help="Refuse files the anonymity check flags (for .qdpx: any new transcript in it).",
)
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
@pass_project
def import_(
    project: Project,
    paths: tuple[Path, ...],
    case: str | None,
    attrs: tuple[str, ...],
    replace: bool,
    strict: bool,
    as_json: bool,
) -> None:
    """Import transcripts (txt, md, docx, vtt, srt) or folders of them, or a REFI-QDA file.

    A .qdpx project (from NVivo, ATLAS.ti, MAXQDA, QualCoder…) brings its text sources as
    transcripts, its codes, coders, codings, memos and case variables; sources that are not
    text (PDF, audio, pictures) are listed and skipped. A .qdc codebook merges its codes into
    this project's by name and lists those it added. Nothing already here is overwritten.
    """
    for p in paths:
        if not p.exists():
            raise QualcodeError(_("no such file or folder"), str(p))
    results = project.import_paths(
        paths,
        case=case,
        attributes=parse_attrs(attrs),
        replace=replace,
        strict=strict,
        progress=stderr_progress(),
    )
    if not results:
        raise QualcodeError(
            _("no transcripts found in {paths} (qualcode reads {suffixes} files)").format(
                paths=", ".join(map(str, paths)), suffixes=", ".join(SUPPORTED_SUFFIXES)
            )
        )
    if as_json:
        emit_json([r.to_json() for r in results])
    else:
        for r in results:
            line = f"{_(r.status):<9} {r.path}"
            if r.message and r.status != "refused":
                line += f"  ({r.message})"
            click.echo(line)
            if r.status == "refused":
                click.echo(f"  {r.message}", err=True)
            for d in r.details[:_DETAIL_LINES]:
                click.echo(f"  {d}")
            if len(r.details) > _DETAIL_LINES:
                click.echo(
                    "  "
                    + _("… and {n} more (all of them with --json)").format(
                        n=len(r.details) - _DETAIL_LINES
                    )
                )
            for w in r.warnings:
                click.echo("  " + _("warning: {warning}").format(warning=w), err=True)
        counts = Counter(r.status for r in results)
        click.echo(", ".join(f"{n} {_(s)}" for s, n in counts.items()))
    if any(r.status == "refused" for r in results):
        raise click.exceptions.Exit(1)


def _status(project: Project) -> dict[str, object]:
    store = project.store
    cases = store.transcripts.cases()
    codes = store.codes.all()
    first_attr = (
        project.guide.case_attributes[0].id
        if project.guide and project.guide.case_attributes
        else None
    )
    by_group = (
        Counter(attrs.get(first_attr, "") for attrs in cases.values()) if first_attr else Counter()
    )
    return {
        "project": str(project.root),
        "transcripts": len(store.transcripts.ids()),
        "cases": len(cases),
        "cases_by": {first_attr: dict(by_group)} if first_attr else {},
        "themes": sum(1 for c in codes if c.parent is None),
        "codes": len(codes),
        "coders": store.coders.all(),
        "codings": sum(store.codings.counts().values()),
        "unplaced": sum(store.codings.unresolved_counts().values()),
    }


@click.command(cls=Command)
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
@pass_project
def status(project: Project, as_json: bool) -> None:
    """What the project holds."""
    report = _status(project)
    if as_json:
        emit_json(report)
        return

    def line(label: str, value: object) -> None:  # a longer label pushes its value on
        click.echo(f"{label:<9} {value}")

    line(_("Project"), report["project"])
    if project.guide:
        line(_("Guide"), project.guide.title)
    line(_("Cases"), report["cases"])
    cases_by: dict[str, dict[str, int]] = report["cases_by"]  # type: ignore[assignment]
    for attr, groups in cases_by.items():
        if groups:  # no cases yet: no line at all, rather than an empty one
            none = _("(no {attribute})").format(attribute=attr)
            line("", ", ".join(f"{n} {g or none}" for g, n in groups.items()))
    line(_("Transcripts"), report["transcripts"])
    line(
        _("Themes"),
        _("{themes} ({codes} codes in all)").format(themes=report["themes"], codes=report["codes"]),
    )
    coders = len(report["coders"])  # type: ignore[arg-type]
    line(
        _("Codings"),
        n_("{n} by {coders} coder", "{n} by {coders} coders", coders).format(
            n=report["codings"], coders=coders
        ),
    )
    unplaced = int(report["unplaced"])  # type: ignore[call-overload]
    if unplaced:
        click.echo(
            "⚑ "
            + n_(
                "{n} coding was not placed after a transcript changed: see "
                "`qualcode codings unresolved`",
                "{n} codings were not placed after a transcript changed: see "
                "`qualcode codings unresolved`",
                unplaced,
            ).format(n=unplaced)
        )


@click.group(cls=Group, invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
@pass_project
def transcripts(project: Project, as_json: bool) -> None:
    """List the transcripts with their case, words, turns and speakers.

    `qualcode transcripts remove ID…` takes transcripts out of the project.
    """
    if click.get_current_context().invoked_subcommand is None:
        _list_transcripts(project, as_json)


@transcripts.command("remove")
@click.argument("ids", nargs=-1, required=True)
@click.option(
    "--with-codings",
    is_flag=True,
    help="Remove their codings too (every coder's); without it a coded transcript is refused.",
)
@click.option("--coder", help="Who removes them (for the audit log).")
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
@pass_project
def transcripts_remove(
    project: Project, ids: tuple[str, ...], with_codings: bool, coder: str | None, as_json: bool
) -> None:
    """Take transcripts out of the project, all or none, after a backup.

    Their turns, search rows, analysis and memo go with them, and a case left with nothing
    in it. The files themselves are not touched; importing one again brings it back.
    """
    from qualcode.removal import remove_transcripts

    removed, backup = remove_transcripts(project, list(ids), project.actor(coder), with_codings)
    if as_json:
        emit_json({"removed": [r.to_json() for r in removed], "backup": str(backup)})
        return
    for r in removed:
        click.echo(
            n_(
                "removed {transcript} (with {n} coding)",
                "removed {transcript} (with {n} codings)",
                r.codings,
            ).format(transcript=r.transcript, n=r.codings)
        )
        if r.case_removed:
            click.echo(
                "  " + _("the case {case} had nothing else, so it went too").format(case=r.case)
            )
    click.echo(_("A backup of the project as it was: {path}").format(path=backup), err=True)


def _list_transcripts(project: Project, as_json: bool) -> None:
    cases = project.store.transcripts.cases()
    rows = [
        {
            "id": r["id"],
            "case": r["case_name"],
            "attributes": cases.get(r["case_name"], {}),
            "meta": r["meta"],
            "words": r["words"],
            "turns": r["turns"],
            "speakers": r["speakers"],
        }
        for r in project.store.transcripts.overview()
    ]
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        click.echo(
            f"{r['id']:<28} {r['case'] or '-':<24} "
            + _("{words} words {turns} turns").format(
                words=f"{r['words']:>6}", turns=f"{r['turns']:>4}"
            )
            + "  "
            + ", ".join(r["speakers"])
        )


@click.group(cls=Group)
def cases() -> None:
    """The cases (municipalities): list them, put transcripts in one."""


@cases.command("list")
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
@pass_project
def cases_list(project: Project, as_json: bool) -> None:
    """Every case with its attributes and transcripts (and the transcripts with none)."""
    members: dict[str | None, list[str]] = {}
    for tid, case in sorted(project.store.transcripts.cases_by_id().items()):
        members.setdefault(case, []).append(tid)
    rows: list[dict[str, Any]] = [
        {"case": name, "attributes": attrs, "transcripts": members.get(name, [])}
        for name, attrs in project.store.transcripts.cases().items()
    ]
    if None in members:
        rows.append({"case": None, "attributes": {}, "transcripts": members[None]})
    if as_json:
        emit_json(rows)
        return
    no_case = _("(no case)")
    for r in rows:
        attrs = ", ".join(f"{k}={v}" for k, v in r["attributes"].items())
        click.echo(
            f"{r['case'] or no_case:<24} {attrs:<28} " + (", ".join(r["transcripts"]) or "-")
        )


@cases.command("set")
@click.argument("transcript_ids", metavar="TRANSCRIPT...", nargs=-1, required=True)
@click.option("--case", help="The case they belong to (default: the case each is in).")
@click.option(
    "--attr", "attrs", multiple=True, metavar="KEY=VALUE", help="A case attribute; repeatable."
)
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
@pass_project
def cases_set(
    project: Project,
    transcript_ids: tuple[str, ...],
    case: str | None,
    attrs: tuple[str, ...],
    as_json: bool,
) -> None:
    """Put transcripts in a case and/or set their case's attributes (audited).

    For a transcript imported without --case, or into the wrong case; importing the
    unchanged file again with --case/--attr does the same.
    """
    attributes = parse_attrs(attrs)
    if case is None and not attributes:
        raise QualcodeError(_("say what to set: --case NAME and/or --attr KEY=VALUE"))
    known = project.store.transcripts.cases_by_id()
    unknown = [t for t in transcript_ids if t not in known]
    if unknown:  # checked first, so a typo leaves every transcript as it was
        raise QualcodeError(
            _('no transcript "{id}" in this project (see `qualcode transcripts`)').format(
                id=unknown[0]
            )
        )
    report = [
        {"transcript": t, "changed": project.set_case(t, case, attributes)} for t in transcript_ids
    ]
    if as_json:
        emit_json(report)
        return
    nothing = _("nothing to change")
    for r in report:
        click.echo(f"{r['transcript']}: {r['changed'] or nothing}")


@click.command(cls=Command)
@click.argument("transcript")
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
@pass_project
def show(project: Project, transcript: str, as_json: bool) -> None:
    """Show one transcript with its turns."""
    t = project.store.transcripts.get(transcript)
    if as_json:
        # attributes belong to the case; meta (date, informants, …) to this interview alone
        emit_json(
            {
                "id": t.id,
                "case": t.case,
                "attributes": t.attributes,
                "meta": t.meta,
                "preamble": t.preamble,
                "source": t.source,
                "text": t.text,
                "turns": [
                    {
                        "speaker": u.speaker,
                        "role": u.role,
                        "start": u.start,
                        "end": u.end,
                        "timestamp": u.timestamp,
                    }
                    for u in t.turns
                ],
            }
        )
        return
    no_case = _("no case")
    click.echo(f"{t.id} — {t.case or no_case}")
    details = [
        f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}"
        for k, v in t.meta.items()
        if k != "case" and k not in t.attributes
    ]
    click.echo(("; ".join(details) + "\n") if details else "")
    if t.preamble:  # what came before the first speaker: a heading, who was there, a date
        click.secho(t.preamble + "\n", dim=True)
    for u in t.turns:
        click.secho(f"{u.speaker}: ", bold=True, nl=False)
        if u.role != INFORMANT:
            click.secho(t.text[u.start : u.end] + "\n", dim=True)
        else:
            click.secho(t.text[u.start : u.end] + "\n", bold=False)


@click.command(cls=Command)
@click.option("--out", type=click.Path(path_type=Path), help="Where to write the backup.")
@click.option("--force", is_flag=True, help="Overwrite an existing file given with --out.")
@shareable_option
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
@pass_project
def backup(project: Project, out: Path | None, force: bool, shareable: bool, as_json: bool) -> None:
    """Take a consistent backup of the project database."""
    path = project.backup("manual", out, force=force, shareable=shareable)
    emit_json({"backup": str(path)}) if as_json else click.echo(
        _("Backup written to {path}").format(path=path)
    )


@click.command(cls=Command)
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Report as JSON.")
@pass_project
def restore(project: Project, source: Path, as_json: bool) -> None:
    """Restore the project database from a backup (the current one is backed up first)."""
    project.restore(source)
    emit_json({"restored": str(source)}) if as_json else click.echo(
        _("Restored from {path}").format(path=source)
    )
