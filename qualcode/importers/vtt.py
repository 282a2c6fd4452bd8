"""WebVTT transcripts (Teams, Whisper), and the cue-merging shared with SubRip.

Teams marks speakers as ``<v Name>…</v>``; Whisper-style files as ``Name: …`` or not
at all. Consecutive cues of one speaker become one turn; the stored text is
``Speaker: content`` paragraphs separated by blank lines.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass
from pathlib import Path

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from qualcode.i18n import ui, ui_n
from qualcode.importers.encoding import decode
from qualcode.importers.text import UNKNOWN_SPEAKER, acceptable_label, seconds
from qualcode.model import QualcodeError, Transcript, Turn, normalise_text, speaker_role

_VOICE = re.compile(r"<v(?:\.[^\s>]*)?[ \t]+([^>]*)>", re.IGNORECASE)
_TAG = re.compile(r"</?[^>]*>")
# "Name: text" or diarisation's "[SPEAKER_00]: text" at the start of a cue.
_PREFIX = re.compile(
    r"^\s*(?:\[(?P<bracketed>[^\]\n]{1,40})\]|(?P<plain>[^\W\d][\w.\- ]{0,39}?))\s*:\s+"
)


@dataclass(frozen=True)
class Cue:
    """One subtitle cue: its speaker (``None``: not given), text and times in seconds."""

    speaker: str | None
    text: str
    start: float
    end: float


def clean(text: str) -> str:
    """Cue text without markup, on one line."""
    text = html.unescape(_TAG.sub("", text))
    return " ".join(text.split())


def split_prefix(text: str) -> tuple[str | None, str]:
    """``("Name", rest)`` when the cue opens with a speaker prefix, else ``(None, text)``."""
    m = _PREFIX.match(text)
    if m is None:
        return None, text
    if m.group("bracketed"):
        return m.group("bracketed").strip(), text[m.end() :]
    label = m.group("plain").strip()
    if acceptable_label(label, stamped=False, emphasised=False, count=1):
        return label, text[m.end() :]
    return None, text


# A cue timing line as webvtt-py reads it (hours optional, short fields allowed).
_STAMP = r"(?:\d+:)?\d{1,2}:\d{1,2}\.\d{1,3}"
_TIMING = re.compile(rf"\s*({_STAMP})\s*-->\s*({_STAMP})")


def _check_cues(raw: str, starts: list[str], name: str) -> None:
    """Refuse what webvtt-py would skip without a word, and with it a speaker's text.

    In WebVTT only a cue timing line holds ``-->``, so each such line must be a cue that
    was read (``starts``: the start times of the captions read, in order); and every block
    after the header is a cue, a NOTE, a STYLE or a REGION, so other text (often the rest
    of a cue cut off by a blank line) belongs to no cue.
    """
    read = iter(seconds(s) for s in starts)
    expected = next(read, None)
    lines = raw.split("\n")
    for number, line in enumerate(lines, start=1):
        if "-->" not in line:
            continue
        m = _TIMING.match(line)
        if m is None:
            raise QualcodeError(
                ui(
                    'cue timing "{timing}" is not valid WebVTT; write '
                    "it as 00:01:02.500 --> 00:01:05.000"
                ).format(timing=line.strip()[:60]),
                name,
                number,
            )
        if expected is None or seconds(m.group(1)) != expected:
            raise QualcodeError(
                ui(
                    "this cue could not be read; check that a blank line comes "
                    "before it and that its text follows its timing line"
                ),
                name,
                number,
            )
        expected = next(read, None)
    block: list[str] = []
    for number, line in enumerate([*lines, ""], start=1):
        if line.strip():
            block.append(line)
            continue
        first = number - len(block)
        if (
            block
            and first > 1
            and not any("-->" in b for b in block)
            and not re.match(r"(NOTE|STYLE|REGION)(\s|$)", block[0])
        ):
            raise QualcodeError(
                ui(
                    'the text "{text}" belongs to no cue (a blank '
                    "line inside a cue ends it); remove the blank line before it, or "
                    "give it a timing line of its own"
                ).format(text=block[0].strip()[:60]),
                name,
                first,
            )
        block = []


def _vtt_cues(raw: str, name: str) -> list[Cue]:
    cues: list[Cue] = []
    captions = webvtt.from_buffer(io.StringIO(raw)).captions
    _check_cues(raw, [c.start for c in captions], name)
    for caption in captions:
        start, end = seconds(caption.start), seconds(caption.end)
        body = caption.raw_text
        voices = list(_VOICE.finditer(body))
        if voices:
            # A cue may hold several <v> spans; each is its own speaker's text.
            for i, v in enumerate(voices):
                stop = voices[i + 1].start() if i + 1 < len(voices) else len(body)
                cues.append(Cue(clean(v.group(1)) or None, clean(body[v.end() : stop]), start, end))
        else:
            speaker, rest = split_prefix(clean(body))
            cues.append(Cue(speaker, rest, start, end))
    return cues


def transcript_from_cues(cues: list[Cue], name: str) -> Transcript:
    """Merge consecutive cues of one speaker into turns and build the stored text.

    A cue without a speaker continues the speaker before it (or is ``Ukjent``).
    """
    groups: list[tuple[str, list[Cue]]] = []
    for cue in cues:
        if not cue.text:
            continue
        speaker = cue.speaker or (groups[-1][0] if groups else UNKNOWN_SPEAKER)
        if groups and groups[-1][0] == speaker:
            groups[-1][1].append(cue)
        else:
            groups.append((speaker, [cue]))
    if not groups:
        raise QualcodeError(ui("contains no spoken text"), source=name)
    parts: list[str] = []
    turns: list[Turn] = []
    pos = 0
    for speaker, members in groups:
        label = normalise_text(speaker)
        content = normalise_text(" ".join(c.text for c in members))
        head = f"{label}: "
        start = pos + len(head)
        turns.append(
            Turn(
                speaker=label,
                start=start,
                end=start + len(content),
                timestamp=members[0].start,
                end_time=members[-1].end,
                role=speaker_role(label),
            )
        )
        parts.append(head + content)
        pos = start + len(content) + 2
    return Transcript(
        id=Path(name).stem,
        text="\n\n".join(parts),
        turns=turns,
        source=name,
        notes=_time_warnings(cues, name),
    )


def _first_five(numbers: list[int]) -> str:
    return ", ".join(map(str, numbers[:5])) + (" …" if len(numbers) > 5 else "")


def _time_warnings(cues: list[Cue], name: str) -> list[str]:
    """Cues that end before they start, or start before the cue before them: kept as they
    are (the text is what matters), but the researcher hears of it."""
    backwards = [i + 1 for i, c in enumerate(cues) if c.end < c.start]
    earlier = [i + 1 for i in range(1, len(cues)) if cues[i].start < cues[i - 1].start]
    notes = []
    if backwards:
        notes.append(
            ui_n(
                "{name}: {n} cue ends before it starts (cue {cues}); "
                "its times were kept as written",
                "{name}: {n} cues end before they start (cue {cues}); "
                "their times were kept as written",
                len(backwards),
            ).format(name=name, n=len(backwards), cues=_first_five(backwards))
        )
    if earlier:
        notes.append(
            ui_n(
                "{name}: {n} cue starts before the cue before it (cue {cues}); "
                "its times were kept as written",
                "{name}: {n} cues start before the cue before them (cue {cues}); "
                "their times were kept as written",
                len(earlier),
            ).format(name=name, n=len(earlier), cues=_first_five(earlier))
        )
    return notes


def parse(data: bytes, name: str) -> Transcript:
    """A ``.vtt`` transcript."""
    notes: list[str] = []
    raw = decode(data, name, notes)
    try:
        cues = _vtt_cues(raw, name)
    except (MalformedFileError, MalformedCaptionError) as err:
        raise QualcodeError(
            ui("is not a valid WebVTT file ({error})").format(error=err), source=name
        ) from None
    transcript = transcript_from_cues(cues, name)
    transcript.notes = notes + transcript.notes
    return transcript
