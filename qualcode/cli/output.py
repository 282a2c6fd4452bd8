"""Where an export goes: its format (from --format or the file name), its file (under the one
output rule of :mod:`qualcode.output_file`) or the screen."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from qualcode.csv_safe import escape_csv_bytes
from qualcode.i18n import ui as _
from qualcode.model import QualcodeError
from qualcode.output_file import check_output, write_output

STDOUT = "-"
TEXT_FORMATS = ("md", "csv", "html", "qdc")  # what makes sense on a screen or in a pipe (.qdc: XML)
BOM = b"\xef\xbb\xbf"
# Suffixes a researcher may type that no export writes: refused rather than filled with
# another format (a "rapport.xls" holding CSV text opens as garbage).
OTHER_SUFFIXES = frozenset({"xls", "doc", "odt", "ods", "pdf", "svg", "jpg", "jpeg", "rtf", "json"})
ALIASES = {"htm": "html", "markdown": "md"}


def _suffix(out: Path | None) -> str:
    if out is None or str(out) == STDOUT:
        return ""
    suffix = out.suffix.lower().lstrip(".")
    return ALIASES.get(suffix, suffix)


def choose_format(
    kind: str, offered: Sequence[str], fmt: str | None, out: Path | None, known: set[str]
) -> str:
    """``--format`` when given (it must agree with a known file suffix), else the suffix of
    ``--out`` when the kind offers it, else the kind's first format."""
    suffix = _suffix(out)
    listed = ", ".join(offered)
    recognised = suffix in known or suffix in OTHER_SUFFIXES
    if fmt:
        fmt = ALIASES.get(fmt.lower(), fmt.lower())
        if fmt not in offered:
            raise QualcodeError(
                _('{kind} can be exported as {formats}, not "{format}"').format(
                    kind=kind, formats=listed, format=fmt
                )
            )
        if recognised and suffix != fmt:
            raise QualcodeError(
                _(
                    "--format {format} does not match the file name {name} (a .{suffix} file); "
                    "change one of them"
                ).format(format=fmt, name=out.name if out else "", suffix=suffix)
            )
        return fmt
    if suffix in offered:
        return suffix
    if recognised:
        raise QualcodeError(
            _(
                "{kind} cannot be written as a .{suffix} file; it can be exported as {formats} "
                "(e.g. --out {example})"
            ).format(
                kind=kind,
                suffix=suffix,
                formats=listed,
                example=Path(str(out)).with_suffix("." + offered[0]).name,
            ),
            str(out),
        )
    return offered[0]


def check_target(path: Path, force: bool, root: Path | None) -> None:
    """Refuse before any work is done (the rule of :mod:`qualcode.output_file`)."""
    check_output(path, force=force, root=root)


def write_new(
    path: Path, data: bytes, force: bool, root: Path | None, shareable: bool = False
) -> None:
    """Write ``data`` to ``path`` under the one output rule (private unless ``shareable``)."""
    write_output(path, data, force=force, root=root, shareable=shareable)


def deliver(
    out: Path,
    data: bytes,
    fmt: str,
    force: bool,
    root: Path | None,
    shareable: bool = False,
    raw: bool = False,
) -> None:
    """To the file ``out``, or to standard output when ``out`` is ``-`` (text formats only).

    CSV is made safe for spreadsheets (:mod:`qualcode.csv_safe`) unless ``raw``."""
    if fmt == "csv" and not raw:
        data = escape_csv_bytes(data)
    if str(out) != STDOUT:
        write_new(out, data, force, root, shareable)
        return
    if fmt not in TEXT_FORMATS:
        raise QualcodeError(
            _(
                "a .{format} file cannot be shown on the screen; give a file name with --out, "
                "e.g. --out rapport.{format}"
            ).format(format=fmt)
        )
    if data.startswith(BOM):  # the mark is for Excel opening a file, not for a pipe
        data = data[len(BOM) :]
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:  # a text-only stdout (some embedding); the text formats are UTF-8
        click.echo(data.decode("utf-8"), nl=False)
        return
    sys.stdout.flush()
    stream.write(data)
    stream.flush()


shareable_option = click.option(
    "--shareable",
    is_flag=True,
    help="Give the file your usual permissions (default: readable by you only, 0600).",
)

raw_option = click.option(
    "--raw",
    is_flag=True,
    help="CSV exactly as stored, for scripts (default: a cell a spreadsheet would run as a "
    "formula, e.g. =HYPERLINK(…), gets a leading ').",
)
