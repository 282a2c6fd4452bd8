"""Where an export goes: its format (from --format or the file name), its file (never half
written, never overwritten without --force, with the user's usual permissions) or the screen."""

from __future__ import annotations

import os
import secrets
import stat
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from qualcode.model import QualcodeError

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
            raise QualcodeError(f'{kind} can be exported as {listed}, not "{fmt}"')
        if recognised and suffix != fmt:
            raise QualcodeError(
                f"--format {fmt} does not match the file name {out.name if out else ''}"
                f" (a .{suffix} file); change one of them"
            )
        return fmt
    if suffix in offered:
        return suffix
    if recognised:
        raise QualcodeError(
            f"{kind} cannot be written as a .{suffix} file; it can be exported as "
            f"{listed} (e.g. --out {Path(str(out)).with_suffix('.' + offered[0]).name})",
            str(out),
        )
    return offered[0]


def check_target(path: Path, force: bool) -> None:
    """Refuse before any work is done: a folder, or an existing file without ``force``."""
    if str(path) == STDOUT:
        return
    if path.is_dir():
        raise QualcodeError(
            f"is a folder; give a file name, e.g. --out {path / 'rapport.md'}", str(path)
        )
    if path.exists() and not force:
        raise QualcodeError("the file already exists; use --force to overwrite it", str(path))
    target = path.resolve()
    if target.exists() and not target.is_file():  # a device, a pipe: never replace it
        raise QualcodeError("is not a regular file; give a file name to write to", str(path))


def write_new(path: Path, data: bytes, force: bool) -> None:
    """Write ``data`` to ``path`` in one step; an existing file only with ``force``.

    A temporary file beside it, then a rename: a reader never sees half a file. The new
    file gets the permissions the user's umask gives any new file (an overwritten one
    keeps its own), since exports are meant to be shared.
    """
    check_target(path, force)
    path = path.resolve()  # through a symlink to the file it names: the link stays a link
    tmp = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)  # "exports/rapport.docx" just works
        keep = stat.S_IMODE(path.stat().st_mode) if path.exists() else None
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # umask applies
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if keep is not None:
                os.fchmod(fh.fileno(), keep)
        os.replace(tmp, path)
    except OSError as err:
        _discard(tmp)
        raise QualcodeError(f"cannot write the file ({err.strerror or err})", str(path)) from None
    except BaseException:
        _discard(tmp)
        raise


def _discard(tmp: Path) -> None:
    try:
        tmp.unlink(missing_ok=True)
    except OSError:  # its folder is not there or not ours: there is nothing to clean up
        pass


def deliver(out: Path, data: bytes, fmt: str, force: bool) -> None:
    """To the file ``out``, or to standard output when ``out`` is ``-`` (text formats only)."""
    if str(out) != STDOUT:
        write_new(out, data, force)
        return
    if fmt not in TEXT_FORMATS:
        raise QualcodeError(
            f"{'an' if fmt[:1] in 'aeiox' else 'a'} {fmt} file cannot be shown on the screen; give a file name "
            f"with --out, e.g. --out rapport.{fmt}"
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
