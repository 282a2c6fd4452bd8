"""Bounds on every input qualcode reads (named in the README's "Scale and safety").

A file is read only when it is a regular file (never a device such as ``/dev/zero``, a pipe
that would block forever, or a socket), and its bytes are counted while they are read, so a
file that grows or lies about its size cannot exhaust memory. Zip archives (.docx, .qdpx)
are checked member by member before anything is unpacked.
"""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

from qualcode.i18n import N_, ui, ui_decimal, ui_n
from qualcode.model import QualcodeError

MB = 1_000_000
MAX_TRANSCRIPT_BYTES = 20 * MB  # a 3-hour interview is well under 1 MB of text
MAX_TABLE_BYTES = 50 * MB  # a codings or summaries file (CSV or JSON)
MAX_GUIDE_BYTES = 2 * MB  # an interview guide is a few kB
MAX_ARCHIVE_BYTES = 500 * MB  # a .qdpx with its sources
MAX_MEMBER_BYTES = 100 * MB  # one member of a .docx or .qdpx, unpacked
MAX_UNPACKED_BYTES = 500 * MB  # all members together, unpacked
MAX_RATIO = 200  # unpacked : packed; text compresses ~5-10×, a zip bomb ~1000×
RATIO_FLOOR = 1 * MB  # members smaller than this unpacked are never a bomb
_CHUNK = 1 << 20


def _size(n: int) -> str:
    if n >= MB:
        return f"{n / MB:.0f} MB"
    return ui_n("{n} byte", "{n} bytes", n).format(n=ui_decimal(n, 0))


def read_bounded(path: str | Path, limit: int, what: str = N_("a file")) -> bytes:
    """The bytes of ``path``, refused unless it is a regular file of at most ``limit``
    bytes (counted while reading, not taken from ``stat``)."""
    name = str(path)
    try:
        # O_NONBLOCK: opening a FIFO with no writer must not hang; regular files ignore it
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except IsADirectoryError:
        raise QualcodeError(ui("is a folder, not a file"), name) from None
    except FileNotFoundError:
        raise QualcodeError(ui("no such file"), name) from None
    except OSError as err:
        raise QualcodeError(
            ui("cannot be read ({error})").format(error=err.strerror or err), name
        ) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise QualcodeError(ui("is a folder, not a file"), name)
        if not stat.S_ISREG(mode):
            raise QualcodeError(_not_regular(what), name)
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, _CHUNK)
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                raise QualcodeError(
                    ui(
                        "is larger than {size}, the most qualcode reads as {what} "
                        "(split it, or check that it really is one)"
                    ).format(size=_size(limit), what=ui(what)),
                    name,
                )
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as err:
        raise QualcodeError(
            ui("cannot be read ({error})").format(error=err.strerror or err), name
        ) from None
    finally:
        os.close(fd)


def _not_regular(what: str) -> str:
    return ui(
        "is not a regular file (a device, pipe or socket); qualcode reads {what} "
        "only from an ordinary file"
    ).format(what=ui(what))


def check_regular(path: str | Path, what: str = N_("a file")) -> None:
    """Refuse ``path`` unless it is a regular file (opening a pipe would block forever)."""
    name = str(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise QualcodeError(ui("no such file"), name) from None
    except OSError as err:
        raise QualcodeError(
            ui("cannot be read ({error})").format(error=err.strerror or err), name
        ) from None
    if stat.S_ISDIR(mode):
        raise QualcodeError(ui("is a folder, not a file"), name)
    if not stat.S_ISREG(mode):
        raise QualcodeError(_not_regular(what), name)


def refuse_entities(xml: bytes, name: str) -> None:
    """Refuse XML that declares its own entities: qualcode does not expand them (they can
    hide text or multiply it a billion times), and leaving them out would drop text silently."""
    at = xml.find(b"<!ENTITY")
    if at >= 0:
        raise QualcodeError(
            ui(
                "declares XML entities (<!ENTITY …>), which qualcode does not expand; the text "
                "using them would be lost. Save the file again from the program that made it"
            ),
            name,
            xml.count(b"\n", 0, at) + 1,
        )


def check_zip(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse an archive whose members would unpack too large or compress suspiciously
    well (a zip bomb), judged from the central directory before anything is unpacked."""
    total = 0
    for info in archive.infolist():
        size = info.file_size
        total += size
        if size > MAX_MEMBER_BYTES:
            raise QualcodeError(
                ui(
                    "its member {member} would unpack to {size}, over the {most} qualcode allows"
                ).format(member=info.filename, size=_size(size), most=_size(MAX_MEMBER_BYTES)),
                name,
            )
        if size > RATIO_FLOOR and size > MAX_RATIO * max(info.compress_size, 1):
            raise QualcodeError(
                ui(
                    "its member {member} is compressed {ratio} to 1, more than the {most} to 1 "
                    "of any real document (a zip bomb?)"
                ).format(
                    member=info.filename,
                    ratio=ui_decimal(size // max(info.compress_size, 1), 0),
                    most=MAX_RATIO,
                ),
                name,
            )
    if total > MAX_UNPACKED_BYTES:
        raise QualcodeError(
            ui("would unpack to {size}, over the {most} qualcode allows").format(
                size=_size(total), most=_size(MAX_UNPACKED_BYTES)
            ),
            name,
        )


def read_member(archive: zipfile.ZipFile, member: str | zipfile.ZipInfo, name: str) -> bytes:
    """One member's bytes, read with its declared size as the cap (a lying header cannot
    make it larger)."""
    info = member if isinstance(member, zipfile.ZipInfo) else archive.getinfo(member)
    limit = min(info.file_size, MAX_MEMBER_BYTES)
    with archive.open(info) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise QualcodeError(
            ui("its member {member} is larger than it says").format(member=info.filename), name
        )
    return data
