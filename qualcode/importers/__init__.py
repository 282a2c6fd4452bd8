"""Transcript importers: pure functions from a file's bytes to a :class:`Transcript`.

One module per format (``text``, ``docx``, ``vtt``, ``srt``), each with
``parse(data, name) -> Transcript``; this module dispatches on the file suffix.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path

from qualcode.model import QualcodeError, Transcript

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".vtt", ".srt")

_MODULES = {".txt": "text", ".md": "text", ".docx": "docx", ".vtt": "vtt", ".srt": "srt"}


def _parser(name: str) -> Callable[[bytes, str], Transcript]:
    suffix = Path(name).suffix.lower()
    module = _MODULES.get(suffix)
    if module is None:
        raise QualcodeError(
            f"is not a supported transcript format (supported: {', '.join(SUPPORTED_SUFFIXES)})",
            source=name,
        )
    # Imported on demand: the Word and subtitle libraries are only needed for their formats.
    parse: Callable[[bytes, str], Transcript] = import_module(f"qualcode.importers.{module}").parse
    return parse


def parse_bytes(
    data: bytes,
    name: str,
    *,
    case: str | None = None,
    attributes: dict[str, str] | None = None,
) -> Transcript:
    """The transcript in ``data``; ``case``/``attributes`` override the file's own metadata."""
    transcript = _parser(name)(data, name)
    if case is not None:
        transcript.case = case
    if attributes:
        transcript.attributes = {**transcript.attributes, **attributes}
    return transcript


# A 3-hour interview is well under 1 MB of text; anything this big is not a transcript.
MAX_FILE_BYTES = 50_000_000


def load_transcript(
    path: str | Path,
    *,
    case: str | None = None,
    attributes: dict[str, str] | None = None,
) -> Transcript:
    """The transcript stored at ``path``."""
    name = str(path)
    _parser(name)  # refuse an unknown format before touching the file
    try:
        size = Path(path).stat().st_size
        if size > MAX_FILE_BYTES:
            raise QualcodeError(
                f"is {size / 1e6:.0f} MB; transcripts over {MAX_FILE_BYTES // 1_000_000} MB are refused "
                "(split the file, or check that it really is a transcript)", source=name)
        data = Path(path).read_bytes()
    except OSError as err:
        raise QualcodeError(f"cannot be read ({err.strerror or err})", source=name) from None
    return parse_bytes(data, name, case=case, attributes=attributes)


__all__ = ["MAX_FILE_BYTES", "SUPPORTED_SUFFIXES", "load_transcript", "parse_bytes"]
