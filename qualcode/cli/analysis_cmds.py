"""Analysis beyond the matrix: `retrieve`, `cooccurrence` and `crosstab`, each for a scope,
on the screen, as JSON or as a file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from qualcode import cooccurrence as co
from qualcode import crosstab as ct
from qualcode import retrieve as rt
from qualcode import scope as scopes
from qualcode.cli.common import emit_json, pass_project
from qualcode.cli.output import (
    check_target,
    choose_format,
    deliver,
    raw_option,
    shareable_option,
)
from qualcode.exporters import analysis as docs
from qualcode.exporters import tables
from qualcode.model import plural
from qualcode.project import Project

F = Callable[..., Any]


def _scope_options(f: F) -> F:
    f = click.option(
        "--coder",
        help="Whose codings: a coder, consensus, or all (default: the consensus set when "
        "complete, else all coders, merged into passages).",
    )(f)
    return f


def _file_options(formats: tuple[str, ...]) -> Callable[[F], F]:
    def wrap(f: F) -> F:
        f = raw_option(f)
        f = shareable_option(f)
        f = click.option("--force", is_flag=True, help="Overwrite an existing file.")(f)
        f = click.option(
            "--out",
            type=click.Path(path_type=Path, allow_dash=True),
            help="Write to this file (- for the screen) instead of listing.",
        )(f)
        f = click.option(
            "--format", "fmt", type=click.Choice(formats), help="File format (default: --out's)."
        )(f)
        f = click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")(f)
        return f

    return wrap


def _write(
    out: Path,
    fmt: str | None,
    kind: str,
    formats: tuple[str, ...],
    build: F,
    force: bool,
    root: Path,
    shareable: bool = False,
    raw: bool = False,
) -> None:
    chosen = choose_format(kind, formats, fmt, out, set(formats))
    check_target(out, force, root)  # refuse before the work, not after
    deliver(out, build(chosen), chosen, force, root, shareable, raw)
    if str(out) != "-":
        click.echo(f"Wrote {out}", err=True)


# --- retrieve ------------------------------------------------------------------------------
RETRIEVE_FORMATS = ("md", "docx", "csv", "xlsx")


@click.command("retrieve")
@click.argument("code")
@click.option(
    "--attr",
    "attrs",
    multiple=True,
    help="Only cases with KEY=VALUE (e.g. size=liten); repeatable.",
)
@click.option("--case", "cases", multiple=True, help="Only this case; repeatable.")
@click.option(
    "--transcript", "transcripts", multiple=True, help="Only this transcript; repeatable."
)
@click.option(
    "--speaker",
    "speakers",
    multiple=True,
    help="Only turns of this speaker label or role (informant / interviewer); repeatable.",
)
@click.option("--no-subcodes", is_flag=True, help="Only the code itself, not the codes under it.")
@_scope_options
@_file_options(RETRIEVE_FORMATS)
@pass_project
def retrieve(
    project: Project,
    code: str,
    attrs: tuple[str, ...],
    cases: tuple[str, ...],
    transcripts: tuple[str, ...],
    speakers: tuple[str, ...],
    no_subcodes: bool,
    coder: str | None,
    as_json: bool,
    fmt: str | None,
    out: Path | None,
    force: bool,
    shareable: bool,
    raw: bool,
) -> None:
    """Every passage of CODE, whole, with case, speaker, time and coders.

    \b
    qualcode retrieve Kreftkoordinator --attr size=liten
    qualcode retrieve kreftkoordinator --attr size=liten --out liten.docx
    """
    store = project.store
    scope = scopes.resolve(project, coder)
    filters = rt.Filters(
        cases=cases,
        attributes=tuple(rt.check_attributes(project, list(attrs))),
        speakers=speakers,
        transcripts=transcripts,
    )
    target = rt.find_code(store, code)
    found = rt.retrieve(project, scope, target.id, filters, not no_subcodes)
    label = scope.label(project.language)
    where = filters.describe()
    title = f"{target.name}" + (f" ({where})" if where else "")
    if as_json:
        emit_json({"code": target.id, "name": target.name, "filters": where,
                   "scope": scope.to_json(project.language),
                   "passages": [r.to_json() for r in found]})  # fmt: skip
        return
    if out is not None:

        def build(chosen: str) -> bytes:
            if chosen == "md":
                return docs.retrieval_md(found, title, label).encode("utf-8")
            if chosen == "docx":
                return docs.retrieval_docx(found, title, label)
            rows = rt.rows(found)
            if chosen == "csv":
                return tables.plain_csv(rt.COLUMNS, rows)
            return tables.plain_xlsx("Passasjer", rt.COLUMNS, rows)

        _write(out, fmt, "retrieve", RETRIEVE_FORMATS, build, force, project.root, shareable, raw)
        return
    click.echo(f"{title} · {label}")
    for case, items in rt.by_case(found):
        click.echo(f"\n{case}")
        for r in items:
            stamp = f" [{r.timestamp}]" if r.timestamp else ""
            click.echo(f"  {r.transcript}, {r.speaker}{stamp} ({r.coder}):")
            click.echo("    " + " ".join(r.quote.split()))
    click.echo(plural(len(found), "passage"), err=True)


# --- cooccurrence --------------------------------------------------------------------------
CO_FORMATS = ("csv", "xlsx", "md", "png")


@click.command("cooccurrence")
@click.option(
    "--within",
    type=click.Choice(co.WITHIN),
    default="passage",
    show_default=True,
    help="passage: stretches coded with both codes; turn: turns holding both.",
)
@click.option(
    "--level",
    type=click.Choice(co.LEVELS),
    default="code",
    show_default=True,
    help="code: the codes under the themes; theme: the themes; all: both.",
)
@_scope_options
@_file_options(CO_FORMATS)
@pass_project
def cooccurrence(
    project: Project,
    within: co.Within,
    level: co.Level,
    coder: str | None,
    as_json: bool,
    fmt: str | None,
    out: Path | None,
    force: bool,
    shareable: bool,
    raw: bool,
) -> None:
    """Code × code: how many stretches of text (or turns) carry both codes."""
    scope = scopes.resolve(project, coder)
    result = co.build_cooccurrence(project.store, scope, within, level)
    if as_json:
        emit_json(result.to_json(project.language))
        return
    title = docs.cooccurrence_title(project.language)
    label = scope.label(project.language)
    if out is not None:

        def build(chosen: str) -> bytes:
            return docs.cooccurrence_file(result, chosen, title, label)

        _write(out, fmt, "cooccurrence", CO_FORMATS, build, force, project.root, shareable, raw)
        return
    click.echo(f"{title} · {label} · {within}")
    for a in result.codes:
        pairs = [(result.count(a.id, b.id), b.name) for b in result.codes if b.id != a.id]
        top = [f"{name} {n}" for n, name in sorted(pairs, reverse=True) if n][:4]
        click.echo(f"{a.name[:38]:<38} {result.count(a.id, a.id):>4}  {' · '.join(top)}")


# --- crosstab ------------------------------------------------------------------------------
CT_FORMATS = ("csv", "xlsx", "md", "docx")


@click.command("crosstab")
@click.option(
    "--by",
    default="size",
    show_default=True,
    help="A case attribute (size, region, …) or 'speaker'.",
)
@click.option(
    "--level",
    type=click.Choice(co.LEVELS),
    default="all",
    show_default=True,
    help="theme: the themes; code: the codes under them; all: both.",
)
@_scope_options
@_file_options(CT_FORMATS)
@pass_project
def crosstab(
    project: Project,
    by: str,
    level: co.Level,
    coder: str | None,
    as_json: bool,
    fmt: str | None,
    out: Path | None,
    force: bool,
    shareable: bool,
    raw: bool,
) -> None:
    """Code × attribute: passages and cases coded per value (e.g. stor / mellomstor / liten)."""
    scope = scopes.resolve(project, coder)
    table = ct.build_crosstab(project, scope, by, level)
    lang = project.language
    if as_json:
        emit_json(table.to_json(lang))
        return
    title = docs.crosstab_title(table.by_name, lang)
    label = scope.label(lang)
    if out is not None:

        def build(chosen: str) -> bytes:
            return docs.crosstab_file(table, chosen, title, label, lang)

        _write(out, fmt, "crosstab", CT_FORMATS, build, force, project.root, shareable, raw)
        return
    click.echo(f"{title} · {label}")
    heads = "".join(f"{c[:16]:>18}" for c in table.columns)
    click.echo(f"{'':<36}{heads}")
    for code in table.codes:
        cells = ""
        for col in table.columns:
            cell = table.cell(code.id, col)
            n = len(table.column_cases[col])
            cells += f"{f'{cell.passages} · {len(cell.cases)}/{n}':>18}"
        name = ("  " if code.parent else "") + code.name
        click.echo(f"{name[:35]:<36}{cells}")
    click.echo("(passages · cases coded / cases)", err=True)
