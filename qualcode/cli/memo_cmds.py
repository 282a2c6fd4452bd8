"""`qualcode memos`: write, show, list and export the memos on the project, cases,
transcripts and codes (a coding's memo: `qualcode codings memo`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from qualcode import memos as memo_service
from qualcode.cli.common import emit_json, pass_project
from qualcode.cli.output import choose_format, deliver, raw_option, shareable_option
from qualcode.exporters import tables
from qualcode.model import QualcodeError, plural
from qualcode.project import Project

KIND_CHOICE = click.Choice(list(memo_service.MEMO_KINDS))
TARGET_CHOICE = click.Choice(list(memo_service.TARGET_KINDS))


@click.group()
def memos() -> None:
    """Memos on the project, its cases, transcripts, codes and codings."""


@memos.command("set")
@click.argument("kind", type=TARGET_CHOICE)
@click.argument("target", required=False, default="")
@click.option("--text", help="The memo's text (several lines: use --file).")
@click.option(
    "--file",
    "text_file",
    type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
    help="Read the memo from a UTF-8 text file (- for standard input).",
)
@click.option("--coder", help="Who writes it (for the audit log).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_project
def memos_set(
    project: Project,
    kind: str,
    target: str,
    text: str | None,
    text_file: Path | None,
    coder: str | None,
    as_json: bool,
) -> None:
    """Write the memo on KIND TARGET; an empty text removes it.

    \b
    qualcode memos set case "Stor kommune 1" --text "Godt organisert tilbud."
    qualcode memos set code kreftkoordinator --file notat.txt
    qualcode memos set project --file - < prosjektnotat.md
    """
    if (text is None) == (text_file is None):
        raise QualcodeError("give the memo with --text TEXT or --file FILE (one of them)")
    if text_file is not None:
        text = _read_text(text_file)
    if kind != "project" and not target:
        raise QualcodeError(f"say which {kind} the memo is on: qualcode memos set {kind} NAME")
    key = memo_service.set_memo(project.store, kind, target, text or "", project.actor(coder))
    stored = project.store.memos.get(kind, key)
    if as_json:
        emit_json({"kind": kind, "target": key, "text": stored})
        return
    what = kind if kind == "project" else f"{kind} {key}"
    click.echo(f"Memo {'saved' if stored else 'removed'} on {what}.")


def _read_text(path: Path) -> str:
    try:
        data = sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
    except OSError as err:
        raise QualcodeError(f"cannot read the memo ({err.strerror or err})", str(path)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise QualcodeError(
            f"the memo is not UTF-8 text (byte {err.start} cannot be read)", str(path)
        ) from None


@memos.command("show")
@click.argument("kind", type=TARGET_CHOICE)
@click.argument("target", required=False, default="")
@pass_project
def memos_show(project: Project, kind: str, target: str) -> None:
    """Print the memo on KIND TARGET."""
    checked = memo_service.check_kind(kind)
    key = memo_service.resolve_target(project.store, checked, target)
    text = project.store.memos.get(checked, key)
    if not text:
        click.echo(f"No memo on {kind}{' ' + key if kind != 'project' else ''}.", err=True)
        return
    click.echo(text)


def _filtered(
    project: Project, kinds: tuple[str, ...], coder: str | None, contains: str | None
) -> list[memo_service.Memo]:
    return memo_service.list_memos(project.store, kinds, coder, contains)


FILTERS = [
    click.option("--kind", "kinds", type=KIND_CHOICE, multiple=True, help="Only memos on these."),
    click.option("--coder", help="Only memos written by this coder."),
    click.option("--contains", help="Only memos whose text or target holds these words."),
]


def _with_filters(f):  # type: ignore[no-untyped-def]
    for option in reversed(FILTERS):
        f = option(f)
    return f


@memos.command("list")
@_with_filters
@click.option("--json", "as_json", is_flag=True, help="Print the memos as JSON.")
@pass_project
def memos_list(
    project: Project,
    kinds: tuple[str, ...],
    coder: str | None,
    contains: str | None,
    as_json: bool,
) -> None:
    """List every memo (project, cases, transcripts, codes, codings)."""
    found = _filtered(project, kinds, coder, contains)
    if as_json:
        emit_json([m.to_json() for m in found])
        return
    if not found:
        click.echo("No memos yet.")
        return
    for m in found:
        first = m.text.splitlines()[0] if m.text else ""
        click.echo(f"{m.kind:<10} {m.label[:40]:<40} {m.author:<10} {first[:60]}")
    click.echo(plural(len(found), "memo", "memos"), err=True)


@memos.command("export")
@_with_filters
@click.option("--format", "fmt", type=click.Choice(["md", "csv", "xlsx"]), help="File format.")
@click.option(
    "--out",
    type=click.Path(path_type=Path, allow_dash=True),
    required=True,
    help="The file to write (- for the screen).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@shareable_option
@raw_option
@pass_project
def memos_export(
    project: Project,
    kinds: tuple[str, ...],
    coder: str | None,
    contains: str | None,
    fmt: str | None,
    out: Path,
    force: bool,
    shareable: bool,
    raw: bool,
) -> None:
    """Write the memos to a Markdown, CSV or Excel file."""
    fmt = choose_format("memos", ("md", "csv", "xlsx"), fmt, out, {"md", "csv", "xlsx"})
    found = _filtered(project, kinds, coder, contains)
    if fmt == "md":
        data = memo_service.memos_markdown(found, project.language).encode("utf-8")
    else:
        rows = memo_service.memo_rows(found)
        header = memo_service.MEMO_COLUMNS
        data = (
            tables.plain_csv(header, rows)
            if fmt == "csv"
            else tables.plain_xlsx("Memoer", header, rows)
        )
    deliver(out, data, fmt, force, project.root, shareable, raw)
    if str(out) != "-":
        click.echo(f"Wrote {plural(len(found), 'memo', 'memos')} to {out}", err=True)
