"""Taking transcripts out of a project (a wrong file imported, a withdrawn interview).

Refused while a transcript holds codings unless the caller says to remove them too; a
backup is taken first either way, and each coding, the transcript's memo and a case left
empty go with an audit row, so nothing is lost that the backup or the log cannot bring back.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qualcode.i18n import ui
from qualcode.model import QualcodeError
from qualcode.study import Study


@dataclass(frozen=True)
class Removed:
    transcript: str
    codings: int  # its codings removed with it (any coder's, the consensus's too)
    case: str | None
    case_removed: bool  # the case held nothing else, so it went too

    def to_json(self) -> dict[str, Any]:
        return {
            "transcript": self.transcript,
            "codings": self.codings,
            "case": self.case,
            "case_removed": self.case_removed,
        }


def remove_transcripts(
    study: Study, ids: list[str], actor: str, with_codings: bool = False
) -> tuple[list[Removed], Path]:
    """Remove the transcripts ``ids``, all or none; returns what went and the backup taken
    before. Without ``with_codings`` a transcript that holds codings is refused."""
    store = study.store
    known = set(store.transcripts.ids())
    unknown = [t for t in ids if t not in known]
    if unknown:
        raise QualcodeError(
            ui('no transcript "{transcript}" in this project (see qualcode transcripts)').format(
                transcript=unknown[0]
            )
        )
    coded = {t: n for t in ids if (n := len(store.codings.all(transcript=t)))}
    if coded and not with_codings:
        held = ", ".join(f"{t} ({n})" for t, n in coded.items())
        raise QualcodeError(
            ui(
                "these transcripts hold codings: {held}; nothing was removed. Add "
                "--with-codings to remove their codings too (a backup is taken first)"
            ).format(held=held)
        )
    backup = store.safety_backup("before-transcript-remove")
    out: list[Removed] = []
    with store.transaction():  # all or none
        for tid in dict.fromkeys(ids):
            codings = store.codings.remove_transcript(tid, actor)
            if store.memos.get("transcript", tid):
                store.memos.set("transcript", tid, "", actor)
            case = store.transcripts.remove(tid, actor)
            gone = case is not None and case not in store.transcripts.cases()
            out.append(Removed(tid, len(codings), case, gone))
    return out, backup
