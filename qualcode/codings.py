"""Changing codings: add, remove, recode, resize, memo and place, each with the owner rule.

The one place the rule lives that a coding is changed only by the coder who made it: the
CLI, the workspace, search and suggestions all change codings through these functions, so
no face can forget it. Every change is committed and audited by the store.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from qualcode.coding import make_coding, placement, resized, turn_pieces
from qualcode.model import Coding, QualcodeError, Transcript
from qualcode.store import Store

Change = Literal["remove", "recode", "resize", "memo", "place"]

_WHAT_ONLY_THEY_CAN = {
    "remove": "remove it",
    "recode": "give it another code",
    "resize": "change its span",
    "memo": "write its memo",
    "place": "place it",
}


def check_owner(coding: Coding, coder: str, change: Change) -> None:
    """Refuse ``change`` of ``coding`` unless ``coder`` made it."""
    if coding.coder != coder:
        raise QualcodeError(
            f"coding #{coding.id} belongs to {coding.coder}; "
            f"only they can {_WHAT_ONLY_THEY_CAN[change]}"
        )


def get(store: Store, coding_id: int) -> Coding:
    """The coding with ``coding_id``, refused with a hint when there is none."""
    coding = store.codings.get(coding_id)
    if coding is None:
        raise QualcodeError(f"no coding with id {coding_id} (see `qualcode codings export`)")
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
        raise QualcodeError(f"{start}-{end} holds no words of a turn in {transcript.id}")
    made = [make_coding(transcript, a, b, code, coder, memo) for a, b in pieces]
    return store.codings.add_many(made)


def restore(store: Store, coding: Coding, coder: str) -> Coding:
    """Put a removed coding of ``coder`` back as it was (under a new id): undo of a removal."""
    if coding.coder != coder:
        raise QualcodeError(f"coding #{coding.id} belongs to {coding.coder}; it is not yours")
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
        raise QualcodeError(
            f"coding #{coding.id} is in {coding.transcript}, not in {transcript.id}"
        )
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
        raise QualcodeError(
            f"coding #{coding.id} is in {coding.transcript}, not in {transcript.id}"
        )
    assert coding.id is not None
    return store.codings.update(coding.id, coder, **placement(transcript, start, end))
