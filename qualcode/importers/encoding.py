"""Bytes to text: guess the encoding of a transcript file and refuse what is not text."""

from __future__ import annotations

import codecs
import re

from qualcode.i18n import ui, ui_n
from qualcode.model import STRAY_CONTROLS, QualcodeError, normalise_text

_MAX_CONTROL_RATIO = 0.01


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when NULs sit in every other byte, as in BOM-less UTF-16."""
    sample = data[:4000]
    half = len(sample) // 2
    if half < 2 or b"\x00" not in sample:
        return None
    nul_even = sum(1 for b in sample[0::2] if b == 0)
    nul_odd = sum(1 for b in sample[1::2] if b == 0)
    # Latin-script text in UTF-16 has a zero high byte for nearly every character.
    if nul_odd >= 0.3 * half and nul_even <= 0.02 * half:
        return "utf-16-le"
    if nul_even >= 0.3 * half and nul_odd <= 0.02 * half:
        return "utf-16-be"
    return None


def _line_of(data: bytes, index: int) -> int:
    return data[:index].count(b"\n") + 1


def _decode_raw(data: bytes, name: str, notes: list[str]) -> str:
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError as err:
            line = _line_of(data, err.start)
            raise QualcodeError(
                ui("has a UTF-8 byte-order mark but is not valid UTF-8"), source=name, line=line
            ) from None
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            notes.append(
                ui("{name}: read as {codec} (it starts with that byte-order mark)").format(
                    name=name, codec=codec.upper()
                )
            )
            return _decode_utf16(data[len(bom) :], codec, name)
    guessed = _utf16_without_bom(data)
    if guessed:
        notes.append(ui("{name}: read as {codec}").format(name=name, codec=guessed.upper()))
        return _decode_utf16(data, guessed, name)
    if b"\x00" in data:
        raise QualcodeError(ui("is a binary file, not a transcript"), source=name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    bad = _invalid_utf8(data)
    if len(_UTF8_MULTIBYTE.findall(data)) >= len(bad):
        # UTF-8 as a whole, with a few stray bytes: decoding it all as cp1252 would turn
        # every "å" into "Ã¥"; the stray bytes alone become U+FFFD, and the import says where.
        notes.append(
            ui_n(
                "{name}: not valid UTF-8 at {offsets}; that byte was replaced by \ufffd, "
                "the rest read as UTF-8 (check the file there)",
                "{name}: not valid UTF-8 at {offsets}; those bytes were replaced by \ufffd, "
                "the rest read as UTF-8 (check the file there)",
                len(bad),
            ).format(name=name, offsets=_offsets(bad))
        )
        return data.decode("utf-8", errors="replace")
    try:
        # Older Windows files (Word's "plain text") are cp1252, a superset of latin-1's æøå.
        text = data.decode("cp1252")
        notes.append(ui("{name}: not UTF-8; read as Windows-1252 (cp1252)").format(name=name))
        return text
    except UnicodeDecodeError:
        # The five bytes cp1252 leaves undefined: latin-1 accepts every byte.
        notes.append(ui("{name}: not UTF-8; read as Latin-1 (ISO-8859-1)").format(name=name))
        return data.decode("latin-1")


# A well-formed UTF-8 sequence of two to four bytes (what a non-ASCII letter is in UTF-8).
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _invalid_utf8(data: bytes) -> list[int]:
    """Byte offsets where UTF-8 decoding fails."""
    bad: list[int] = []
    pos = 0
    while pos < len(data):
        try:
            data[pos:].decode("utf-8")
            break
        except UnicodeDecodeError as err:
            bad.append(pos + err.start)
            pos += err.end
    return bad


def _offsets(bad: list[int]) -> str:
    shown = ", ".join(str(b) for b in bad[:5])
    more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
    return f"byte offset{'s' if len(bad) > 1 else ''} {shown}{more}"


def _decode_utf16(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        raise QualcodeError(
            ui("is not valid {codec} text").format(codec=codec.upper()), source=name
        ) from None


def decode_raw(data: bytes, name: str, notes: list[str] | None = None) -> str:
    """The text of ``data`` as written: newlines and composition untouched, a BOM dropped.

    For callers that must map offsets counted on the original text (REFI-QDA sources);
    refuses binary and empty input like ``decode``.
    """
    if not data.strip():
        raise QualcodeError(ui("is empty"), source=name)
    text = _decode_raw(data, name, [] if notes is None else notes)
    controls = sum(1 for _ in STRAY_CONTROLS.finditer(text))  # many: binary
    if controls and controls > _MAX_CONTROL_RATIO * len(text):
        raise QualcodeError(ui("is a binary file, not a transcript"), source=name)
    if not text.strip():
        raise QualcodeError(ui("is empty"), source=name)
    return text


def decode(data: bytes, name: str, notes: list[str] | None = None) -> str:
    """The normalised text of ``data`` (UTF-8, UTF-16 or cp1252); refuses binary and empty
    input. ``notes`` gets what the researcher should hear: an encoding other than UTF-8,
    and where stray bytes in a UTF-8 file were replaced."""
    text = normalise_text(decode_raw(data, name, notes))
    if not text.strip():
        raise QualcodeError(ui("is empty"), source=name)
    return text
