"""Transcript importers: pure functions from a file's bytes to a :class:`Transcript`.

One module per format (``text``, ``docx``, ``vtt``, ``srt``), each with
``parse(data, name) -> Transcript``; this module dispatches on the file suffix.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib import import_module
from pathlib import Path

from qualcode.bounds import MAX_TRANSCRIPT_BYTES, read_bounded
from qualcode.i18n import N_, ui
from qualcode.model import CaseAttribute, QualcodeError, Transcript

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".vtt", ".srt")

_MODULES = {".txt": "text", ".md": "text", ".docx": "docx", ".vtt": "vtt", ".srt": "srt"}


def _parser(name: str) -> Callable[[bytes, str], Transcript]:
    suffix = Path(name).suffix.lower()
    module = _MODULES.get(suffix)
    if module is None:
        raise QualcodeError(
            ui("is not a supported transcript format (supported: {formats})").format(
                formats=", ".join(SUPPORTED_SUFFIXES)
            ),
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
    declared: Sequence[CaseAttribute] | None = None,
) -> Transcript:
    """The transcript in ``data``; ``case``/``attributes`` override the file's own metadata.

    ``declared`` is the guide's list of case attributes, when there is a guide: only those
    keys of the front matter become case attributes (the rest stay in ``meta``), and every
    value, from the file or from ``attributes``, must be one the guide allows.
    """
    transcript = _parser(name)(data, name)
    if case is not None:
        transcript.case = case
    given = check_attributes(attributes or {}, declared or (), name)
    # A value given on the command line wins, so the file's own is neither kept nor checked.
    from_file = {k: v for k, v in transcript.attributes.items() if k not in given}
    if declared is not None:
        ids = {a.id for a in declared}
        from_file = {k: v for k, v in from_file.items() if k in ids}
        from_file = check_attributes(
            from_file, declared, name, lambda key: _line_of(data, name, key)
        )
    transcript.attributes = {**from_file, **given}
    return transcript


def check_attributes(
    attributes: dict[str, str],
    declared: Sequence[CaseAttribute],
    name: str | None,
    line_of: Callable[[str], int | None] | None = None,
) -> dict[str, str]:
    """``attributes`` with each value spelt as the guide spells it; refuses a value it lacks.

    ``line_of`` finds a key's line in the file: front-matter values are reported there,
    the others as ``--attr`` values.
    """
    out = dict(attributes)
    for attr in declared:
        value = attributes.get(attr.id)
        if value is None or not attr.values:
            continue
        spelt = next((v for v in attr.values if v.casefold() == value.strip().casefold()), None)
        if spelt is None:
            allowed = ", ".join(attr.values)
            problem = ui('"{value}" is not one of the guide\'s values for {name} ({allowed})')
            problem = problem.format(value=value, name=attr.name, allowed=allowed)
            if line_of is None:
                raise QualcodeError(
                    ui("--attr {id}={value}: {problem}").format(
                        id=attr.id, value=value, problem=problem
                    ),
                    source=name,
                )
            raise QualcodeError(
                ui("front matter field '{field}': {problem}").format(
                    field=attr.id, problem=problem
                ),
                name,
                line_of(attr.id),
            )
        out[attr.id] = spelt
    return out


def _line_of(data: bytes, name: str, key: str) -> int | None:
    from qualcode.importers.encoding import decode
    from qualcode.importers.text import front_matter_line

    return front_matter_line(decode(data, name), key)


# A 3-hour interview is well under 1 MB of text; anything this big is not a transcript.
MAX_FILE_BYTES = MAX_TRANSCRIPT_BYTES


def load_transcript(
    path: str | Path,
    *,
    case: str | None = None,
    attributes: dict[str, str] | None = None,
    declared: Sequence[CaseAttribute] | None = None,
) -> Transcript:
    """The transcript stored at ``path`` (the options as for :func:`parse_bytes`)."""
    name = str(path)
    _parser(name)  # refuse an unknown format before touching the file
    # counted while reading, and only from a regular file (never /dev/zero or a pipe)
    data = read_bounded(path, MAX_FILE_BYTES, N_("a transcript"))
    return parse_bytes(data, name, case=case, attributes=attributes, declared=declared)


__all__ = [
    "MAX_FILE_BYTES",
    "SUPPORTED_SUFFIXES",
    "check_attributes",
    "load_transcript",
    "parse_bytes",
]
