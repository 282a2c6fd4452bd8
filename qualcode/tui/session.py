"""One coder's work on one transcript: codings, undo/redo and what blind mode shows.

No Textual here; every change goes straight to the store (committed and audited there)
and the session keeps its in-memory list in step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from qualcode import codings
from qualcode.coding import make_coding, resized, turn_pieces
from qualcode.i18n import N_, ui_n
from qualcode.i18n import ui as _
from qualcode.model import INFORMANT, Code, Coding, QualcodeError, Transcript, Turn
from qualcode.store import Store


def app_blind(app: object) -> bool:
    """Blind mode is one switch for the whole workspace, kept on the app (on by default):
    a second coder sees only their own codings on every screen until they turn it off."""
    return bool(getattr(app, "blind", True))


def set_app_blind(app: object, on: bool) -> None:
    app.blind = on  # type: ignore[attr-defined]


# what an undone or redone step was, by its operation (the noun after "Undone:")
_STEPS = {
    "add": N_("coding"),
    "remove": N_("removal"),
    "memo": N_("memo"),
    "recode": N_("recode"),
    "resize": N_("resize"),
    "place": N_("place"),
}


@dataclass
class _Change:
    op: Literal["add", "remove", "update"]
    coding: Coding
    before: dict[str, object] = field(default_factory=dict)  # an update's old fields
    after: dict[str, object] = field(default_factory=dict)  # and its new ones
    what: str = ""  # how an update is named: "memo", "recode" or "resize"


class CodingSession:
    """Codings of ``transcript`` with the coder's undo history."""

    def __init__(self, store: Store, transcript: Transcript, coder: str):
        self.store = store
        self.transcript = transcript
        self.coder = coder
        self.blind = True  # a coder sees only their own codings until they ask otherwise
        self.codes: dict[str, Code] = {}
        self.codings: list[Coding] = []
        # Each step is a list of changes undone together (a selection split at turns).
        self._undo: list[list[_Change]] = []
        self._redo: list[list[_Change]] = []
        self._ids: dict[int, int] = {}  # old id -> new id, after undo/redo re-adds a coding
        self.reload()

    def reload(self) -> None:
        self.codes = {c.id: c for c in self.store.codes.all()}
        self.codings = self.store.codings.all(transcript=self.transcript.id)

    def text_changed(self) -> bool:
        """Whether the stored text is no longer the one this session shows."""
        return self.store.transcripts.hash(self.transcript.id) not in (None, self.transcript.hash)

    def reload_text(self) -> int:
        """Take the stored text (after a re-import) and its re-anchored codings; the undo
        history, made of offsets into the old text, is dropped. Returns the first offset
        where the texts differ, to show the change."""
        old = self.transcript.text
        self.transcript = self.store.transcripts.get(self.transcript.id)
        self._undo.clear()
        self._redo.clear()
        self._ids.clear()
        self.reload()
        new = self.transcript.text
        first = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), None)
        return min(len(old), len(new)) if first is None else first

    # what is shown --------------------------------------------------------
    def visible(self) -> list[Coding]:
        """The codings drawn on the text: placed ones (an unplaced coding's span is stale)."""
        shown = [c for c in self.codings if c.status != "unresolved"]
        if self.blind:
            return [c for c in shown if c.coder == self.coder]
        return shown

    def unplaced(self) -> list[Coding]:
        """This coder's codings whose quote was not found after the transcript changed."""
        return [c for c in self.codings if c.status == "unresolved" and c.coder == self.coder]

    def place(self, coding: Coding, start: int, end: int) -> Coding:
        """Put an unplaced coding on ``[start, end)`` of the current text, by hand."""
        saved = codings.place(self.store, coding, self.coder, self.transcript, start, end)
        self._swap(saved)
        return saved

    def at(self, offset: int) -> list[Coding]:
        """Visible codings covering ``offset`` (innermost last)."""
        hits = [c for c in self.visible() if c.start <= offset < c.end]
        return sorted(hits, key=lambda c: (-(c.end - c.start), c.id or 0))

    def own_at(self, offset: int) -> Coding | None:
        mine = [c for c in self.at(offset) if c.coder == self.coder]
        return mine[-1] if mine else None

    def theme_of(self, code_id: str) -> str | None:
        """The theme (top of the codebook) a code sits under."""
        seen: set[str] = set()
        code = self.codes.get(code_id)
        while code is not None and code.parent and code.id not in seen:
            seen.add(code.id)
            code = self.codes.get(code.parent)
        return code.id if code else None

    def theme_at(self, offset: int) -> str | None:
        """The theme a new code most likely belongs under: that of the coding at ``offset``,
        else of the nearest coding of this coder before it."""
        here = self.at(offset)
        if here:
            return self.theme_of(here[-1].code)
        before = [c for c in self.visible() if c.coder == self.coder and c.start <= offset]
        return self.theme_of(max(before, key=lambda c: c.start).code) if before else None

    def code_name(self, code_id: str) -> str:
        code = self.codes.get(code_id)
        return code.name if code else code_id

    def color(self, code_id: str) -> str:
        code = self.codes.get(code_id)
        if code and not code.color and code.parent:
            parent = self.codes.get(code.parent)
            return parent.color if parent and parent.color else "#888888"
        return code.color if code and code.color else "#888888"

    # turns ----------------------------------------------------------------
    def turn_is_coded(self, turn: Turn) -> bool:
        return any(
            c.coder == self.coder and c.start < turn.end and c.end > turn.start
            for c in self.codings
        )

    def next_uncoded(self, turns: list[Turn], current: int, forward: bool = True) -> int | None:
        """The index of the next (or previous) informant turn this coder has not coded."""
        order = range(current + 1, len(turns)) if forward else range(current - 1, -1, -1)
        for i in order:
            turn = turns[i]
            if turn.role == INFORMANT and turn.end > turn.start and not self.turn_is_coded(turn):
                return i
        return None

    # changes --------------------------------------------------------------
    def add(self, start: int, end: int, code_id: str, memo: str = "") -> list[Coding]:
        """Code ``[start, end)``: one coding per turn it covers, never a label or timestamp.

        A selection that crosses turns is split into one coding per turn (one undo step),
        so each coding's quote lies inside one speaker's words.
        """
        if code_id not in self.codes:
            self.reload()
            if code_id not in self.codes:
                raise QualcodeError(_('no code "{code}" in the codebook').format(code=code_id))
        pieces = turn_pieces(self.transcript, start, end)
        if not pieces:
            raise QualcodeError(
                _(
                    "the selection holds no words of a turn (only a speaker label, timestamp "
                    "or the preamble); nothing was coded"
                )
            )
        have = {
            (c.start, c.end) for c in self.codings if c.code == code_id and c.coder == self.coder
        }
        if all(p in have for p in pieces):
            raise QualcodeError(
                _("Already coded “{code}” here: a coding is stored once").format(
                    code=self.code_name(code_id)
                )
            )
        pieces = [p for p in pieces if p not in have]  # a split keeps the turns not yet coded
        new = [make_coding(self.transcript, a, b, code_id, self.coder, memo) for a, b in pieces]
        saved = self.store.codings.add_many(new)  # all or none: a duplicate refuses the lot
        self.codings.extend(saved)
        self._record([_Change("add", c) for c in saved])
        return saved

    def remove(self, coding: Coding) -> Coding:
        codings.remove(self.store, coding, self.coder)
        self.codings = [c for c in self.codings if c.id != coding.id]
        self._record([_Change("remove", coding)])
        return coding

    def set_memo(self, coding: Coding, memo: str) -> Coding:
        return self._update(coding, "memo", memo=memo)

    def recode(self, coding: Coding, code_id: str) -> Coding:
        """Move ``coding`` to another code, keeping its span, memo and history."""
        if code_id not in self.codes:
            self.reload()
            if code_id not in self.codes:
                raise QualcodeError(_('no code "{code}" in the codebook').format(code=code_id))
        return self._update(coding, "recode", code=code_id)

    def resize(self, coding: Coding, start: int, end: int) -> Coding:
        """Move ``coding``'s boundaries to ``[start, end)``, inside the turn it is in."""
        return self._update(coding, "resize", **resized(self.transcript, coding, start, end))

    def _update(self, coding: Coding, what: codings.Change, **fields: object) -> Coding:
        codings.check_owner(coding, self.coder, what)  # the one owner rule
        assert coding.id is not None
        before = {k: getattr(coding, k) for k in fields}
        if before == fields:
            return coding
        saved = self.store.codings.update(coding.id, self.coder, **fields)
        self._swap(saved)
        self._record([_Change("update", saved, before, dict(fields), what)])
        return saved

    def undo(self) -> str | None:
        """Reverse the last change; returns a description, or None when there is none."""
        if not self._undo:
            return None
        step = self._undo.pop()
        for change in reversed(step):
            self._apply(change, reverse=True)
        self._redo.append(step)
        return _("Undone: {what}").format(what=self._describe(step))

    def redo(self) -> str | None:
        if not self._redo:
            return None
        step = self._redo.pop()
        for change in step:
            self._apply(change, reverse=False)
        self._undo.append(step)
        return _("Redone: {what}").format(what=self._describe(step))

    # internals ------------------------------------------------------------
    def _record(self, step: list[_Change]) -> None:
        self._undo.append(step)
        self._redo.clear()

    def _current_id(self, coding_id: int) -> int:
        # The store never reuses an id, so this chain only runs forward (old -> newer); the
        # seen-set is a guard all the same: an undo must never hang the workspace.
        seen = {coding_id}
        while coding_id in self._ids and self._ids[coding_id] not in seen:
            coding_id = self._ids[coding_id]
            seen.add(coding_id)
        return coding_id

    def _swap(self, saved: Coding) -> None:
        self.codings = [saved if c.id == saved.id else c for c in self.codings]

    def _apply(self, change: _Change, reverse: bool) -> None:
        add = (change.op == "add") != reverse  # undoing a removal adds the coding back
        if change.op == "update":
            cid = self._current_id(change.coding.id or 0)
            fields = change.before if reverse else change.after
            self._swap(self.store.codings.update(cid, self.coder, **fields))
        elif add:
            old_id = change.coding.id
            saved = codings.restore(self.store, change.coding, self.coder)
            if old_id is not None and saved.id is not None and saved.id != old_id:
                self._ids[old_id] = saved.id
            change.coding = saved
            self.codings.append(saved)
        else:
            cid = self._current_id(change.coding.id or 0)
            codings.remove(self.store, codings.get(self.store, cid), self.coder)
            self.codings = [c for c in self.codings if c.id != cid]

    def _describe(self, step: list[_Change]) -> str:
        change = step[0]
        verb = _(_STEPS.get(change.what or change.op, change.what or change.op))
        name = self.code_name(change.coding.code)
        if change.what == "recode":
            name = f"{self.code_name(str(change.before['code']))} → {name}"
        turns = len(step)
        split = ui_n(" ({n} turn)", " ({n} turns)", turns).format(n=turns) if turns > 1 else ""
        return f"{verb} {name}{split}"
