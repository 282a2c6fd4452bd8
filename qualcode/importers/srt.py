"""SubRip (.srt) transcripts: cues with an optional ``Speaker: `` prefix."""

from __future__ import annotations

import srt

from qualcode.i18n import ui
from qualcode.importers.encoding import decode
from qualcode.importers.vtt import Cue, clean, split_prefix, transcript_from_cues
from qualcode.model import QualcodeError, Transcript


def parse(data: bytes, name: str) -> Transcript:
    """A ``.srt`` transcript; consecutive cues of one speaker merge into one turn."""
    notes: list[str] = []
    raw = decode(data, name, notes)
    cues: list[Cue] = []
    try:
        for sub in srt.parse(raw):
            speaker, rest = split_prefix(clean(sub.content))
            cues.append(Cue(speaker, rest, sub.start.total_seconds(), sub.end.total_seconds()))
    except srt.SRTParseError as err:
        line = raw[: err.actual_start].count("\n") + 1 if hasattr(err, "actual_start") else None
        raise QualcodeError(ui("is not a valid SubRip file"), source=name, line=line) from None
    transcript = transcript_from_cues(cues, name)
    transcript.notes = notes + transcript.notes
    return transcript
