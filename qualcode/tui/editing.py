"""Changing the coder's own codings at the cursor: remove, memo, recode, resize.

A mixin of the transcript screen. Where several of the coder's codings overlap at the
cursor, each action asks which one (code, coder and quote); resizing the same coding again
does not ask again. Every change goes through the session (committed, audited, undoable).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from qualcode.i18n import N_, ui_n
from qualcode.i18n import ui as _
from qualcode.model import Coding, QualcodeError
from qualcode.tui.dialogs.picker import CodePicker
from qualcode.tui.dialogs.prompts import ChoicePrompt, MemoEditor

if TYPE_CHECKING:
    from qualcode.project import Project
    from qualcode.tui.session import CodingSession
    from qualcode.tui.widgets.transcript_view import TranscriptView

_TOKEN = re.compile(r"\S+")

# (which boundary, direction) of each resize key, by action argument
RESIZE = {
    "start_back": ("start", -1),  # [ : the start a word earlier (wider)
    "start_on": ("start", 1),  # ] : the start a word later (narrower)
    "end_back": ("end", -1),  # { : the end a word earlier (narrower)
    "end_on": ("end", 1),  # } : the end a word later (wider)
}

# What each action says when no coding of the coder's is under the cursor, and when several
# overlap (whole sentences: the verb's place differs between languages)
NONE_HERE = {
    "remove": N_("No coding of yours under the cursor to remove"),
    "memo": N_("No coding of yours under the cursor to write a memo on"),
    "recode": N_("No coding of yours under the cursor to recode"),
    "resize": N_("No coding of yours under the cursor to resize"),
}
WHICH_ONE = {
    "remove": N_("{value} of your codings overlap here: which one to remove?"),
    "memo": N_("{value} of your codings overlap here: which one to write a memo on?"),
    "recode": N_("{value} of your codings overlap here: which one to recode?"),
    "resize": N_("{value} of your codings overlap here: which one to resize?"),
}


def step_boundary(text: str, pos: int, edge: str, direction: int) -> int:
    """``pos`` moved by one word: a start lands on a word's first character, an end just
    after a word's last (punctuation included); at the text's edge it stays."""
    spans = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    points = [a for a, _ in spans] if edge == "start" else [b for _, b in spans]
    if direction > 0:
        return next((p for p in points if p > pos), pos)
    return next((p for p in reversed(points) if p < pos), pos)


class CodingEdits:
    """What the transcript screen needs: a session, a view, refresh_all, notify, app."""

    session: CodingSession
    project: Project
    coder: str
    _resizing: int | None = None  # the coding the resize keys last moved

    if TYPE_CHECKING:
        app: Any

        @property
        def view(self) -> TranscriptView: ...
        def refresh_all(
            self,
            tree: bool = True,
            counted: dict[str, int] | None = None,
            changed: tuple[int, int] | None = None,
        ) -> None: ...
        def confirm(self, message: str, show: bool = True) -> None: ...
        def notify(self, message: str, **kwargs: Any) -> None: ...

    def with_own_coding(self, doing: str, then: Callable[[Coding], None]) -> None:
        """Run ``then`` on the coder's coding at the cursor, asking which when several."""
        mine = [c for c in self.session.at(self.view.cursor) if c.coder == self.coder]
        if not mine:
            self.notify(_(NONE_HERE[doing]), severity="warning")
            return
        if len(mine) == 1:
            then(mine[0])
            return
        if doing == "resize" and self._resizing in {c.id for c in mine}:
            then(next(c for c in mine if c.id == self._resizing))
            return

        def label(c: Coding) -> str:
            quote = c.quote if len(c.quote) <= 60 else c.quote[:59] + "…"
            return f"{self.session.code_name(c.code)} · {c.coder} · “{quote}”"

        def chosen(cid: str | None) -> None:
            coding = next((c for c in mine if str(c.id) == cid), None)
            if coding is not None:
                then(coding)

        self.app.push_screen(
            ChoicePrompt(
                _(WHICH_ONE[doing]).format(value=len(mine)),
                [(str(c.id), label(c)) for c in reversed(mine)],  # innermost first
            ),
            chosen,
        )

    def _done(
        self,
        message: str,
        changed: tuple[int, int],
        counted: dict[str, int] | None = None,
    ) -> None:
        # The codebook's counts change in place, and only the changed rows are repainted.
        self.refresh_all(counted=counted if counted is not None else {}, changed=changed)
        self.confirm(message)

    def _try(self, change: Callable[[], object]) -> bool:
        try:
            change()
        except QualcodeError as err:
            self.notify(str(err), severity="warning", markup=False)
            return False
        return True

    def action_remove(self) -> None:
        def remove(c: Coding) -> None:
            if self._try(lambda: self.session.remove(c)):
                self._done(
                    _("Removed: {code} (u undoes)").format(code=self.session.code_name(c.code)),
                    (c.start, c.end),
                    {c.code: -1},
                )

        self.with_own_coding("remove", remove)

    def action_memo(self) -> None:
        def memo(c: Coding) -> None:
            def written(text: str) -> None:
                if self._try(lambda: self.session.set_memo(c, text)):
                    self._done(_("Memo saved") if text else _("Memo cleared"), (c.start, c.end))

            title = _("Memo on “{value}”").format(value=self.session.code_name(c.code))
            self.app.push_screen(MemoEditor(title, c.memo, save=written))

        self.with_own_coding("memo", memo)

    def action_recode(self) -> None:
        def recode(c: Coding) -> None:
            old = self.session.code_name(c.code)

            def chosen(code_id: str | None) -> None:
                if not code_id:
                    return
                self.session.reload()
                if self._try(lambda: self.session.recode(c, code_id)):
                    self._done(
                        _("Recoded: {old} → {new}").format(
                            old=old, new=self.session.code_name(code_id)
                        ),
                        (c.start, c.end),
                        {c.code: -1, code_id: 1},
                    )

            self.app.push_screen(
                CodePicker(
                    self.project.store,
                    self.coder,
                    c.quote,
                    self.session.theme_of(c.code),
                    title=_("Move from “{old}” to").format(old=old),
                ),
                chosen,
            )

        self.with_own_coding("recode", recode)

    def action_resize(self, which: str) -> None:
        edge, direction = RESIZE[which]

        def resize(c: Coding) -> None:
            self._resizing = c.id
            text = self.session.transcript.text
            start, end = c.start, c.end
            if edge == "start":
                start = step_boundary(text, start, "start", direction)
            else:
                end = step_boundary(text, end, "end", direction)
            if (start, end) == (c.start, c.end):
                return
            if self._try(lambda: self.session.resize(c, start, end)):
                saved = next(x for x in self.session.codings if x.id == c.id)
                self.view.set_cursor(saved.start if edge == "start" else saved.end - 1)
                size = saved.end - saved.start
                quote = f"{saved.quote[:40]}{'…' if len(saved.quote) > 40 else ''}"
                self._done(
                    ui_n(
                        "{code}: {n} character, “{quote}”",
                        "{code}: {n} characters, “{quote}”",
                        size,
                    ).format(code=self.session.code_name(c.code), n=size, quote=quote),
                    (min(c.start, saved.start), max(c.end, saved.end)),
                )

        self.with_own_coding("resize", resize)
