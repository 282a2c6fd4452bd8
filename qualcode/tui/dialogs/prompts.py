"""Small modal dialogs: a line of text, a choice from a list, a memo, the help text."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from qualcode.i18n import N_
from qualcode.i18n import ui as _
from qualcode.tui.keys import KEY_CONTRACT


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
            _("Who is coding? Your name or initials (remembered for this project):"),
            placeholder=_("e.g. ak"),
        )

    def action_cancel(self) -> None:
        self.app.exit()


class ChoicePrompt(ModalScreen[str | None]):
    """Choose one of ``choices`` ((id, label) pairs); Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(
        self,
        title: str,
        choices: Sequence[tuple[str, str | Text]],
        highlight: str | None = None,
    ):
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.highlight = highlight  # the id highlighted at first (else the first choice)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            # titles and labels carry code, coder and case names: shown as typed, not markup
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield OptionList(
                *[
                    Option(label if isinstance(label, Text) else Text(label), id=cid)
                    for cid, label in self.choices
                ],
                id="choice-list",
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        ids = [cid for cid, _ in self.choices]
        if options.option_count:
            options.highlighted = ids.index(self.highlight) if self.highlight in ids else 0
            # once laid out, so a highlight further down a long list is in view
            self.call_after_refresh(options.scroll_to_highlight)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


# what a memo is on, by its kind (the memo list's Kind column), and the editor's title
MEMO_KINDS = {
    "project": N_("project"),
    "case": N_("case"),
    "transcript": N_("transcript"),
    "code": N_("code"),
    "coding": N_("coding"),
}
MEMO_TITLES = {
    "project": N_("Memo on the project"),
    "case": N_("Memo on case {name}"),
    "transcript": N_("Memo on transcript {name}"),
    "code": N_("Memo on code {name}"),
}


def memo_title(kind: str, label: str) -> str:
    """``Memo on case Liten kommune 1`` in the workspace's language."""
    return _(MEMO_TITLES.get(kind, N_("Memo on {name}"))).format(name=label).rstrip()


class MemoEditor(ModalScreen[str | None]):
    """Edit ``text``; on save ``save`` writes it and the editor dismisses with it, else
    with None. ``save`` lets quitting write an unsaved memo without closing the editor."""

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), priority=True),
        Binding("escape", "leave", N_("Close"), priority=True),
    ]

    def __init__(self, title: str, text: str = "", save: Callable[[str], None] | None = None):
        super().__init__()
        self.title_text = title
        self.original = text
        self.save = save

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

    def unsaved(self) -> bool:
        return self.text.strip("\n") != self.original.strip("\n")

    def save_unsaved(self) -> None:
        if self.save is not None:
            self.save(self.text.strip("\n"))
            self.original = self.text

    def action_save(self) -> None:
        self.save_unsaved()
        self.dismiss(self.text.strip("\n"))

    def action_leave(self) -> None:
        if not self.unsaved():
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


HOME_KEYS = N_(
    "Home: Enter opens a transcript · k codebook · r retrieval · s search · "
    "g suggestions · a agreement · f framework matrix · t Table 1 comparison · "
    "w words · c code co-occurrence · x codes by size/region/speaker (crosstab) · "
    "m memos (M: memo on the case or transcript under the cursor) · "
    "! anonymity findings (⚠) · q quit"
)
AGREEMENT_KEYS = N_(
    "Agreement (a at home), over the transcripts both coders coded: Enter walks a code's "
    "disagreements · u unit · i informant turns or all turns · f transcripts · "
    "c consensus coder's name. In the walk: a accept A · "
    "b accept B · k keep both · d drop · e edit (type the words to code) · "
    "n / p next / previous. Decisions and the units both coders agreed on become "
    "the consensus coder's codings, which the reports use once every disagreement is "
    "decided. o on the matrix, Table 1, words and retrieval: whose codings."
)


def key_table() -> Table:
    """The key contract as two columns: a long meaning wraps under itself, not under keys."""
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=True)
    table.add_column(no_wrap=True, style="bold")
    table.add_column(ratio=1)
    for key, meaning in KEY_CONTRACT:
        table.add_row(Text(_(key)), Text(_(meaning)))  # in the workspace's language
    return table


class HelpScreen(ModalScreen[None]):
    """Every key, in a box that scrolls (arrows, page keys, mouse) on a short terminal."""

    DEFAULT_CSS = """
    HelpScreen .help { height: auto; max-height: 100%; }
    HelpScreen .help-line { width: 100%; margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape,q,question_mark", "close", N_("Close")),
        Binding("down,j", "scroll(1)", show=False),
        Binding("up,k", "scroll(-1)", show=False),
        Binding("pagedown,space", "scroll(10)", show=False),
        Binding("pageup", "scroll(-10)", show=False),
    ]

    def __init__(self, first: str = "transcript") -> None:
        super().__init__()
        self.first = first  # the screen it was opened on: its keys come first

    def compose(self) -> ComposeResult:
        scrolls = _("↑↓ PgUp PgDn scroll · Esc closes")
        with VerticalScroll(classes="dialog help", id="help-scroll"):
            if self.first == "home":
                yield Label(
                    _("Keys of the home screen ({scrolls})").format(scrolls=scrolls),
                    classes="dialog-title",
                )
                yield Label(_(HOME_KEYS), classes="help-line")
                below = Label(_("Keys of the transcript screen"), classes="dialog-title")
                below.styles.margin = (1, 0, 1, 0)  # a line apart from the home keys above
                yield below
                yield Static(key_table())
            else:
                yield Label(
                    _("Keys of the transcript screen ({scrolls})").format(scrolls=scrolls),
                    classes="dialog-title",
                )
                yield Static(key_table())
                yield Label(_(HOME_KEYS), classes="help-line")
            yield Label(_(AGREEMENT_KEYS), classes="help-line")

    def action_scroll(self, lines: int) -> None:
        self.query_one("#help-scroll", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_close(self) -> None:
        self.dismiss(None)


def leave_editor(screen: Screen[None], changed: bool, save: Callable[[], None]) -> None:
    """Esc in an editor: straight back when nothing changed, else ask first, so a text is
    never saved or thrown away by a key pressed out of habit."""
    if not changed:
        screen.dismiss(None)
        return

    def answered(choice: str | None) -> None:
        if choice == "save":
            save()
            screen.dismiss(None)
        elif choice == "discard":
            screen.dismiss(None)

    screen.app.push_screen(
        ChoicePrompt(
            _("The text has changed and is not saved."),
            [
                ("save", _("Save and go back (ctrl+s saves without leaving)")),
                ("discard", _("Discard the changes and go back")),
                ("stay", _("Keep writing")),
            ],
        ),
        answered,
    )
