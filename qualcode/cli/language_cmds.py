"""Language tools on the command line: search, words, suggest, anon-check."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import click

from qualcode.anon import Finding
from qualcode.cli.common import State, emit_json, parse_attrs, pass_project
from qualcode.cli.output import raw_option
from qualcode.csv_safe import escape_csv
from qualcode.model import INFORMANT, INTERVIEWER, QualcodeError
from qualcode.project import Project


@click.command()
@click.argument("query")
@click.option(
    "--mode",
    type=click.Choice(["exact", "lemma", "fuzzy"]),
    default="exact",
    show_default=True,
    help="exact words, any inflected form, or within a typo.",
)
@click.option("--code", help="Only inside codings of this code (or its sub-codes).")
@click.option("--case", help="Only this case.")
@click.option(
    "--attr",
    "attrs",
    multiple=True,
    metavar="KEY=VALUE",
    help="Only cases with this attribute value; repeatable.",
)
@click.option(
    "--speaker",
    type=click.Choice([INFORMANT, INTERVIEWER]),
    help="Only what informants (or the interviewer) said.",
)
@click.option("--json", "as_json", is_flag=True, help="Hits as JSON.")
@pass_project
def search(
    project: Project,
    query: str,
    mode: str,
    code: str | None,
    case: str | None,
    attrs: tuple[str, ...],
    speaker: str | None,
    as_json: bool,
) -> None:
    """Find QUERY in every transcript, as keyword-in-context lines."""
    from qualcode.search import Filters, kwic_line
    from qualcode.search import search as run_search

    filters = Filters(
        code=code, case=case, attrs=tuple(parse_attrs(attrs).items()), speaker=speaker
    )
    hits = run_search(project, query, mode, filters)
    if as_json:
        emit_json([h.to_json() for h in hits])
        return
    for h in hits:
        click.echo(
            f"{h.case or '–'} · {h.transcript} #{h.turn} {h.speaker} "
            f"[{h.start}-{h.end}]  {kwic_line(h)}"
        )
    cases = len({h.case for h in hits})
    click.echo(
        f"{len(hits)} hits in {len({h.transcript for h in hits})} transcripts "
        f"({cases} cases), mode {mode}",
        err=True,
    )


@click.command()
@click.option(
    "--by",
    "by",
    default="theme",
    show_default=True,
    metavar="theme|case|ATTRIBUTE",
    help="Group coded segments by theme, case or a case attribute such as size.",
)
@click.option(
    "--top", default=20, show_default=True, type=click.IntRange(1), help="Words per group."
)
@click.option(
    "--coder",
    help="Whose coded passages: a coder, consensus or all (default: the consensus once "
    "every disagreement is decided, else all coders).",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='As JSON: {"scope": {...}, "groups": {group: [[lemma, count], ...]}}.',
)
@click.option(
    "--csv", "as_csv", is_flag=True, help="As CSV rows: group, rank, lemma, count (after # scope)."
)
@raw_option
@pass_project
def words(
    project: Project,
    by: str,
    top: int,
    coder: str | None,
    as_json: bool,
    as_csv: bool,
    raw: bool,
) -> None:
    """The most frequent words (lemmas, no stop words) in each group's coded passages."""
    from qualcode.scope import resolve
    from qualcode.words import bar, to_rows, word_frequencies

    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    scope = resolve(project, coder)
    freqs = word_frequencies(project, by, top, scope)
    line = scope.line(project.language)
    if as_json:
        emit_json(
            {
                "scope": scope.to_json(project.language),
                "groups": {g: [[w, n] for w, n in ws] for g, ws in freqs.items()},
            }
        )
    elif as_csv:
        buf = io.StringIO()
        buf.write(f"# {line}\n")
        writer = csv.DictWriter(
            buf, fieldnames=["group", "rank", "lemma", "count"], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(to_rows(freqs))
        click.echo(buf.getvalue() if raw else escape_csv(buf.getvalue()), nl=False)
    else:
        if not freqs:
            click.echo("No coded segments yet.", err=True)
        click.echo(line)
        for group, ws in freqs.items():
            click.echo(f"== {group}")
            most = ws[0][1] if ws else 0
            for w, n in ws:
                click.echo(f"  {w:<24} {n:>5}  {bar(n, most)}")


@click.group(invoke_without_command=True)
@click.option("--transcript", help="Only this transcript.")
@click.option("--coder", help="Whose codings and rejections to leave out (default: you).")
@click.option("--json", "as_json", is_flag=True, help="Suggestions as JSON.")
@click.pass_context
def suggest(ctx: click.Context, transcript: str | None, coder: str | None, as_json: bool) -> None:
    """Sentences whose words match a code's keywords. Nothing is coded until you accept one."""
    if ctx.invoked_subcommand is not None:
        return
    from qualcode.suggest import suggest as run_suggest

    project: Project = ctx.obj.project()
    found = run_suggest(project, transcript, project.resolve_coder(coder))
    if as_json:
        emit_json([s.to_json() for s in found])
        return
    for s in found:
        short = s.text if len(s.text) <= 100 else s.text[:99] + "…"
        click.echo(f"{s.id}  score {s.score}  [{', '.join(s.matched)}]\n    {short}")
    click.echo(f"{len(found)} suggestions; accept one with `qualcode suggest accept ID`", err=True)


def _coder(project: Project, coder: str | None) -> str:
    name = project.resolve_coder(coder)
    if not name:
        raise QualcodeError("who is coding? give --coder NAME (or set QUALCODE_CODER)")
    return name


@suggest.command("accept")
@click.argument("ids", nargs=-1, required=True)
@click.option("--coder", help="Who codes it (default: you).")
@click.option("--memo", default="", help="A memo for the new coding.")
@pass_project
def suggest_accept(project: Project, ids: tuple[str, ...], coder: str | None, memo: str) -> None:
    """Turn suggestions (by ID) into codings."""
    from qualcode.suggest import accept

    name = _coder(project, coder)
    for sid in ids:
        c = accept(project, sid, name, memo)
        code = project.store.codes.get(c.code)
        click.echo(
            f"coded {c.transcript} {c.start}-{c.end} as {code.name if code else c.code} "
            f"(coding {c.id})"
        )


@suggest.command("reject")
@click.argument("ids", nargs=-1, required=True)
@click.option("--coder", help="Who rejects it (default: you).")
@pass_project
def suggest_reject(project: Project, ids: tuple[str, ...], coder: str | None) -> None:
    """Reject suggestions (by ID): they are not suggested to you again."""
    from qualcode.suggest import reject

    name = _coder(project, coder)
    for sid in ids:
        reject(project, sid, name)
        click.echo(f"rejected {sid}")


@click.command("anon-check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--all", "check_all", is_flag=True, help="Check every transcript in the project.")
@click.option("--json", "as_json", is_flag=True, help="Findings as JSON.")
@click.pass_obj
def anon_check(state: State, paths: tuple[Path, ...], check_all: bool, as_json: bool) -> None:
    """Look for phone numbers, e-mails, fødselsnummer, names and addresses left in text.

    With --all, each transcript is checked in its file while the file still holds the
    imported text (lines are the file's), else in its stored text (so labelled).
    Exit status 0 when clean, 1 when anything is found, 2 when a file could not be checked
    (the others still are).
    """
    from qualcode.anon_scan import check_path, check_transcript
    from qualcode.project import expand_paths

    if not paths and not check_all:
        raise click.UsageError("give files or folders to check, or --all for the project")
    results: list[tuple[str, Finding]] = []
    errors = 0
    for path in expand_paths(paths):
        try:
            results += [(str(path), f) for f in check_path(path)]
        except QualcodeError as err:  # one bad file does not stop the check
            errors += 1
            click.echo(f"Error: {err}", err=True)
    if check_all:
        project = state.project()
        for t in project.store.transcripts.all():
            label, found = check_transcript(project.root, t)
            results += [(label, f) for f in found]
    rows = [
        {"file": name, "line": f.line, "column": f.column, "kind": f.kind, "text": f.text}
        for name, f in results
    ]
    if as_json:
        emit_json(rows)
    else:
        for r in rows:
            click.echo(f"{r['file']}:{r['line']}:{r['column']}: {r['kind']}: {r['text']}")
        summary = (
            f"{len(rows)} possible identifying details found"
            if rows
            else "nothing found in the files that could be checked"
            if errors
            else "clean"
        )
        if errors:
            summary += f"; {errors} file{'s' if errors > 1 else ''} could not be checked"
        click.echo(summary, err=True)
    if errors or rows:
        raise click.exceptions.Exit(2 if errors else 1)
