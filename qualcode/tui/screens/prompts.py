"""Small modal dialogs: a line of text, a choice from a list, a memo, the help text."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from qualcode.i18n import N_
from qualcode.i18n import ui as _
from qualcode.tui.keys import contract_text


class TextPrompt(ModalScreen[str | None]):
    """Ask for one line of text; Enter answers, Escape cancels (None)."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(
        self,
        title: str,
        value: str = "",
        placeholder: str = "",
        allow_empty: bool = False,
        select_all: bool = False,
    ):
        super().__init__()
        self.select_all = select_all  # replace the old value when typing (find), else edit it
        self.title_text = title
        self.value = value
        self.placeholder = placeholder
        self.allow_empty = allow_empty

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield Input(
                value=self.value,
                placeholder=self.placeholder,
                id="prompt-input",
                select_on_focus=self.select_all,
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        if value or self.allow_empty:
            self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class CoderPrompt(TextPrompt):
    """Asked once per OS user and project: who is coding."""

    def __init__(self) -> None:
        super().__init__(
            "Who is coding? Your name or initials (remembered for this project):",
            placeholder="e.g. ak",
        )

    def action_cancel(self) -> None:
        self.app.exit()


class ChoicePrompt(ModalScreen[str | None]):
    """Choose one of ``choices`` ((id, label) pairs); Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, title: str, choices: list[tuple[str, str]]):
        super().__init__()
        self.title_text = title
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            # titles and labels carry code, coder and case names: shown as typed, not markup
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield OptionList(
                *[Option(Text(label), id=cid) for cid, label in self.choices], id="choice-list"
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        if options.option_count:
            options.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class MemoEditor(ModalScreen[str | None]):
    """Edit ``text``; dismisses with the new text on save, None when left unchanged."""

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), priority=True),
        Binding("escape", "leave", N_("Close"), priority=True),
    ]

    def __init__(self, title: str, text: str = ""):
        super().__init__()
        self.title_text = title
        self.original = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog memo-dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield TextArea(self.original, id="memo-text", soft_wrap=True, tab_behavior="focus")
            yield Static(
                _("ctrl+s save · esc close (asks when changed) · an empty memo is removed"),
                classes="dialog-hint",
                markup=False,
            )

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    def action_save(self) -> None:
        self.dismiss(self.text.strip("\n"))

    def action_leave(self) -> None:
        if self.text.strip("\n") == self.original.strip("\n"):
            self.dismiss(None)
            return

        def answered(choice: str | None) -> None:
            if choice == "save":
                self.action_save()
            elif choice == "discard":
                self.dismiss(None)

        self.app.push_screen(
            ChoicePrompt(
                _("The memo has changed. Save it?"),
                [
                    ("save", _("Save the memo")),
                    ("discard", _("Discard the change")),
                    ("edit", _("Keep editing")),
                ],
            ),
            answered,
        )


HOME_KEYS = (
    "Home: Enter opens a transcript · k codebook · r retrieval · s search · "
    "g suggestions · a agreement · f framework matrix · t Tabell 1 comparison · "
    "w words · c code co-occurrence · x codes by size/region/speaker (crosstab) · m memos (M: memo on the case or transcript under the cursor) · "
    "! anonymity findings (⚠) · q quit"
)
AGREEMENT_KEYS = (
    "Agreement (a at home): Enter walks a code's disagreements · u unit · "
    "i informant turns only · c consensus coder's name. In the walk: a accept A · "
    "b accept B · k keep both · d drop · e edit (type the words to code) · "
    "n / p next / previous. Decisions and the units both coders agreed on become "
    "the consensus coder's codings, which the reports use."
)


class HelpScreen(ModalScreen[None]):
    # The lines below the key table wrap, and the dialog scrolls on a short terminal.
    DEFAULT_CSS = """
    HelpScreen .help { overflow-y: auto; }
    HelpScreen .help-line { width: 100%; margin-top: 1; }
    """
    BINDINGS = [Binding("escape,q,question_mark", "close", N_("Close"))]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            yield Label(_("Keys of the transcript screen"), classes="dialog-title")
            yield Static(contract_text())
            yield Label(HOME_KEYS, classes="help-line")
            yield Label(AGREEMENT_KEYS, classes="help-line")

    def action_close(self) -> None:
        self.dismiss(None)
