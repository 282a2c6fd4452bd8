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


def _vtt_cues(raw: str) -> list[Cue]:
    cues: list[Cue] = []
    for caption in webvtt.from_buffer(io.StringIO(raw)).captions:
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
        raise QualcodeError("contains no spoken text", source=name)
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
    return Transcript(id=Path(name).stem, text="\n\n".join(parts), turns=turns, source=name)


def parse(data: bytes, name: str) -> Transcript:
    """A ``.vtt`` transcript."""
    raw = decode(data, name)
    try:
        cues = _vtt_cues(raw)
    except (MalformedFileError, MalformedCaptionError) as err:
        raise QualcodeError(f"is not a valid WebVTT file ({err})", source=name) from None
    return transcript_from_cues(cues, name)
