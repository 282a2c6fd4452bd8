"""Bytes to text: guess the encoding of a transcript file and refuse what is not text."""

from __future__ import annotations

import codecs

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


def _decode_raw(data: bytes, name: str) -> str:
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError as err:
            line = _line_of(data, err.start)
            raise QualcodeError(
                "has a UTF-8 byte-order mark but is not valid UTF-8", source=name, line=line
            ) from None
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return _decode_utf16(data[len(bom) :], codec, name)
    guessed = _utf16_without_bom(data)
    if guessed:
        return _decode_utf16(data, guessed, name)
    if b"\x00" in data:
        raise QualcodeError("is a binary file, not a transcript", source=name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # Older Windows files (Word's "plain text") are cp1252, a superset of latin-1's æøå.
        return data.decode("cp1252")
    except UnicodeDecodeError:
        # The five bytes cp1252 leaves undefined: latin-1 accepts every byte.
        return data.decode("latin-1")


def _decode_utf16(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        raise QualcodeError(f"is not valid {codec.upper()} text", source=name) from None


def decode_raw(data: bytes, name: str) -> str:
    """The text of ``data`` as written: newlines and composition untouched, a BOM dropped.

    For callers that must map offsets counted on the original text (REFI-QDA sources);
    refuses binary and empty input like ``decode``.
    """
    if not data.strip():
        raise QualcodeError("is empty", source=name)
    text = _decode_raw(data, name)
    controls = sum(1 for _ in STRAY_CONTROLS.finditer(text))  # many: binary
    if controls and controls > _MAX_CONTROL_RATIO * len(text):
        raise QualcodeError("is a binary file, not a transcript", source=name)
    if not text.strip():
        raise QualcodeError("is empty", source=name)
    return text


def decode(data: bytes, name: str) -> str:
    """The normalised text of ``data`` (UTF-8, UTF-16 or cp1252); refuses binary and empty input."""
    text = normalise_text(decode_raw(data, name))
    if not text.strip():
        raise QualcodeError("is empty", source=name)
    return text
