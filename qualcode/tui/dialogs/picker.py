"""The code picker: type a code's name, Enter applies it; a new name creates a code.

It never guesses: Enter applies the code whose name or id was typed in full (diacritics
and case aside), else offers to create a code of exactly the typed name. A near match is
applied only when the coder moves onto it with the arrows. With nothing typed Enter does
nothing, and the list does not wrap past either end.

Creating belongs to coding: a picker that only chooses (retrieval, a merge's target) is
made with ``create=False`` and offers no new code, so a typo never adds one to the codebook.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from qualcode.codebook import add_code
from qualcode.i18n import N_
from qualcode.i18n import ui as _
from qualcode.model import Code
from qualcode.store import Store
from qualcode.tui.dialogs.prompts import ChoicePrompt
from qualcode.tui.fuzzy import exact_match, rank_codes

NEW = "__new__"


class CodePicker(ModalScreen[str | None]):
    """Returns the chosen (or newly created) code id, or None."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(
        self,
        store: Store,
        coder: str,
        quote: str = "",
        theme: str | None = None,
        title: str | None = None,
        create: bool = True,
    ):
        super().__init__()
        self.create = create  # False: choose an existing code only (retrieval, merge)
        self.store = store
        self.coder = coder
        self.quote = quote
        self.theme = theme  # offered first for a new code: the theme at the cursor
        self.title_text = title or _("Code")
        self.codes = store.codes.all()
        self._by_id = {c.id: c for c in self.codes}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker"):
            said = (
                _(
                    "{title_text}: type a code's name (æøå optional) · Enter applies that name, or creates it · ↑↓ choose another"
                )
                if self.create
                else _(
                    "{title_text}: type a code's name (æøå optional) · Enter chooses that code · ↑↓ choose another"
                )
            )
            yield Label(
                said.format(title_text=self.title_text),
                classes="dialog-title",
                markup=False,
            )
            if self.quote:
                short = self.quote if len(self.quote) < 110 else self.quote[:107] + "…"
                yield Label(f"“{short}”", classes="picker-quote", markup=False)  # "[SYKEHUS]"
            yield Input(placeholder=_("e.g. pårørende"), id="picker-input")
            yield OptionList(id="picker-list")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _label(self, code: Code) -> Text:
        label = Text("■ ", style=code.color or "#888888")
        if code.parent:
            parent = self._by_id.get(code.parent)
            label.append(f"{parent.name if parent else code.parent} › ", style="dim")
        label.append(code.name)
        return label

    def _fill(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        typed = query.strip()
        exact = exact_match(typed, self.codes)
        ranked = [c for c, _ in rank_codes(query, self.codes, limit=30)]
        if exact is not None:
            ranked = [exact, *[c for c in ranked if c.id != exact.id]]
        items = [Option(self._label(c), id=c.id) for c in ranked]
        if typed and exact is None and self.create:
            # The typed name itself comes first: Enter creates it, never a neighbour.
            create = Text(_("+ create «"), style="bold")
            create.append(typed, style="bold italic")
            create.append(_("» as a new code…"), style="bold")
            items.insert(0, Option(create, id=NEW))
        options.add_options(items)
        # Nothing typed: nothing highlighted, so Enter does nothing until an arrow chooses;
        # choosing only, a name that is no code's highlights nothing either (never a guess).
        chosen = typed and (self.create or exact is not None)
        options.highlighted = 0 if chosen and options.option_count else None

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_key(self, event: Key) -> None:
        # Arrows move through the list while typing continues in the input; no wrapping.
        if event.key not in ("down", "up"):
            return
        event.stop()
        event.prevent_default()
        options = self.query_one(OptionList)
        if not options.option_count:
            return
        now = options.highlighted
        if event.key == "down":
            options.highlighted = 0 if now is None else min(now + 1, options.option_count - 1)
        elif now is not None:
            options.highlighted = max(now - 1, 0)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one(OptionList)
        if options.highlighted is None:
            if event.value.strip() and not self.create:
                self.notify(
                    _("No code is called «{name}»: choose one with ↑↓").format(
                        name=event.value.strip()
                    ),
                    severity="warning",
                    timeout=4,
                    markup=False,
                )
            return
        self._choose(options.get_option_at_index(options.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option.id)

    def _choose(self, option_id: str | None) -> None:
        if option_id != NEW:
            self.dismiss(option_id)
            return
        name = self.query_one(Input).value.strip()
        themes: list[tuple[str, str | Text]] = [
            (c.id, c.name) for c in self.codes if c.parent is None
        ]
        question = _("New code “{name}” under which theme?").format(name=name)
        near = self._by_id.get(self.theme or "")
        if near is not None and near.parent is None:
            # Offered first: the theme at the cursor (of the coding there or nearest above; a
            # recoded coding's own), as coders usually go on in the theme they are in; said in
            # the question and marked in the list (kept in the guide's order), so Enter never
            # files the code somewhere unseen.
            question += " " + _("Enter: «{theme}» · ↑↓ another").format(theme=near.name)
            marked = Text(near.name, style="bold")
            marked.append("  ◂ " + _("Enter"), style="italic")
            themes = [(cid, marked if cid == near.id else label) for cid, label in themes]

        def made(parent: str | None) -> None:
            if parent:
                self.dismiss(add_code(self.store, name, parent, self.coder).id)

        self.app.push_screen(ChoicePrompt(question, themes, self.theme), made)

    def action_cancel(self) -> None:
        self.dismiss(None)
