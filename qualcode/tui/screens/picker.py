"""The code picker: type a few letters of a code, Enter applies the best match.

A name matching nothing offers to create an inductive code under a theme.
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
from qualcode.tui.fuzzy import rank_codes
from qualcode.tui.screens.prompts import ChoicePrompt

NEW = "__new__"


class CodePicker(ModalScreen[str | None]):
    """Returns the chosen (or newly created) code id, or None."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, store: Store, coder: str, quote: str = ""):
        super().__init__()
        self.store = store
        self.coder = coder
        self.quote = quote
        self.codes = store.codes()
        self._by_id = {c.id: c for c in self.codes}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker"):
            yield Label(
                _("Code: type a name (diacritics optional), Enter applies"), classes="dialog-title"
            )
            if self.quote:
                short = self.quote if len(self.quote) < 110 else self.quote[:107] + "…"
                yield Label(f"“{short}”", classes="picker-quote", markup=False)  # "[SYKEHUS]"
            yield Input(placeholder=_("e.g. pårør"), id="picker-input")
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
        label.append(f"  {code.id}", style="dim")
        return label

    def _fill(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        ranked = rank_codes(query, self.codes, limit=30)
        options.add_options([Option(self._label(c), id=c.id) for c, _score in ranked])
        if query.strip():
            options.add_option(
                Option(
                    Text(
                        _("+ new inductive code “{value}”…").format(value=query.strip()),
                        style="italic",
                    ),
                    id=NEW,
                )
            )
        options.highlighted = 0 if options.option_count else None

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_key(self, event: Key) -> None:
        # Arrows move through the matches while typing continues in the input.
        options = self.query_one(OptionList)
        if event.key in ("down", "up"):
            event.stop()
            event.prevent_default()
            if event.key == "down":
                options.action_cursor_down()
            else:
                options.action_cursor_up()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one(OptionList)
        if options.highlighted is None:
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
        themes = [(c.id, c.name) for c in self.codes if c.parent is None]

        def made(parent: str | None) -> None:
            if parent:
                self.dismiss(add_code(self.store, name, parent, self.coder).id)

        self.app.push_screen(
            ChoicePrompt(_("New code “{name}” under which theme?").format(name=name), themes), made
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
