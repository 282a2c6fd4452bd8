"""Changing codings: add, remove, recode, resize, memo and place, each with the owner rule.

The one place the rule lives that a coding is changed only by the coder who made it: the
CLI, the workspace, search and suggestions all change codings through these functions, so
no face can forget it. Every change is committed and audited by the store.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from qualcode.coding import make_coding, placement, resized, turn_pieces
from qualcode.i18n import N_, ui
from qualcode.model import Coding, QualcodeError, Transcript
from qualcode.store import Store

Change = Literal["remove", "recode", "resize", "memo", "place"]

_WHAT_ONLY_THEY_CAN = {
    "remove": N_("coding #{id} belongs to {coder}; only they can remove it"),
    "recode": N_("coding #{id} belongs to {coder}; only they can give it another code"),
    "resize": N_("coding #{id} belongs to {coder}; only they can change its span"),
    "memo": N_("coding #{id} belongs to {coder}; only they can write its memo"),
    "place": N_("coding #{id} belongs to {coder}; only they can place it"),
}


def _elsewhere(coding: Coding, transcript: Transcript) -> str:
    return ui("coding #{id} is in {there}, not in {here}").format(
        id=coding.id, there=coding.transcript, here=transcript.id
    )


def check_owner(coding: Coding, coder: str, change: Change) -> None:
    """Refuse ``change`` of ``coding`` unless ``coder`` made it."""
    if coding.coder != coder:
        raise QualcodeError(
            ui(_WHAT_ONLY_THEY_CAN[change]).format(id=coding.id, coder=coding.coder)
        )


def get(store: Store, coding_id: int) -> Coding:
    """The coding with ``coding_id``, refused with a hint when there is none."""
    coding = store.codings.get(coding_id)
    if coding is None:
        raise QualcodeError(
            ui("no coding with id {id} (see `qualcode codings export`)").format(id=coding_id)
        )
    return coding


def add(
    store: Store,
    transcript: Transcript,
    start: int,
    end: int,
    code: str,
    coder: str,
    memo: str = "",
) -> Coding:
    """Code ``transcript[start:end]`` (trimmed of whitespace) with ``code`` for ``coder``."""
    return store.codings.add(make_coding(transcript, start, end, code, coder, memo))


def add_in_turns(
    store: Store,
    transcript: Transcript,
    start: int,
    end: int,
    code: str,
    coder: str,
    memo: str = "",
) -> list[Coding]:
    """Code ``[start, end)`` as the workspace does: turn content only, one coding per turn
    the span crosses (a label or timestamp between turns is never part of a quote)."""
    pieces = turn_pieces(transcript, start, end)
    if not pieces:
        raise QualcodeError(
            ui("{start}-{end} holds no words of a turn in {transcript}").format(
                start=start, end=end, transcript=transcript.id
            )
        )
    made = [make_coding(transcript, a, b, code, coder, memo) for a, b in pieces]
    return store.codings.add_many(made)


def restore(store: Store, coding: Coding, coder: str) -> Coding:
    """Put a removed coding of ``coder`` back as it was (under a new id): undo of a removal."""
    if coding.coder != coder:
        raise QualcodeError(
            ui("coding #{id} belongs to {coder}; it is not yours").format(
                id=coding.id, coder=coding.coder
            )
        )
    return store.codings.add(replace(coding, id=None))


def remove(store: Store, coding: Coding, coder: str) -> Coding:
    check_owner(coding, coder, "remove")
    assert coding.id is not None
    return store.codings.remove(coding.id, coder)


def recode(store: Store, coding: Coding, coder: str, code: str) -> Coding:
    """Give ``coding`` another code, keeping its span, quote and memo."""
    check_owner(coding, coder, "recode")
    assert coding.id is not None
    return store.codings.update(coding.id, coder, code=code)


def resize(
    store: Store, coding: Coding, coder: str, transcript: Transcript, start: int, end: int
) -> Coding:
    """Move ``coding``'s boundaries to ``[start, end)``, kept inside its turn (a coding never
    grows over a label), trimmed, never empty; its quote follows."""
    check_owner(coding, coder, "resize")
    if transcript.id != coding.transcript:
        raise QualcodeError(_elsewhere(coding, transcript))
    assert coding.id is not None
    return store.codings.update(coding.id, coder, **resized(transcript, coding, start, end))


def place(
    store: Store, coding: Coding, coder: str, transcript: Transcript, start: int, end: int
) -> Coding:
    """Put an unplaced coding (its quote lost when the text changed) on ``[start, end)``."""
    check_owner(coding, coder, "place")
    return _put(store, coding, coder, transcript, start, end)


def set_memo(store: Store, coding: Coding, coder: str, memo: str) -> Coding:
    """Write (or with ``""`` clear) the memo of ``coding``."""
    check_owner(coding, coder, "memo")
    assert coding.id is not None
    return store.codings.update(coding.id, coder, memo=memo)


def _put(
    store: Store, coding: Coding, coder: str, transcript: Transcript, start: int, end: int
) -> Coding:
    if transcript.id != coding.transcript:
        raise QualcodeError(_elsewhere(coding, transcript))
    assert coding.id is not None
    return store.codings.update(coding.id, coder, **placement(transcript, start, end))
