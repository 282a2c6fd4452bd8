"""The memo screen: every memo of the project in one list, filtered by kind; Enter goes to
what a memo is about (a coding or transcript opens in context), e edits it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static

from qualcode import memos as memo_service
from qualcode.i18n import N_
from qualcode.i18n import ui as _
from qualcode.memos import MEMO_KINDS, Memo
from qualcode.project import Project
from qualcode.tui.dialogs.prompts import MEMO_KINDS as KIND_NAMES
from qualcode.tui.dialogs.prompts import MemoEditor, memo_title
from qualcode.tui.session import app_blind
from qualcode.tui.widgets.key_bar import KeyBar

ALL = "all"
KIND_CYCLE = (ALL, *MEMO_KINDS)


class MemosScreen(Screen[Memo | None]):
    """Dismisses with a coding or transcript memo to open in context, else None."""

    BINDINGS = [
        Binding("enter", "open", N_("Go to"), show=False),
        Binding("e", "edit", N_("Edit")),
        Binding("k", "kind", N_("Kind")),
        Binding("p", "project_memo", N_("Project memo")),
        Binding("escape,q", "back", N_("Back")),
    ]

    def __init__(self, project: Project, coder: str):
        super().__init__()
        self.project = project
        self.coder = coder
        self.kind = ALL
        self._rows: dict[str, Memo] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="title", markup=False)
        with Vertical():
            yield DataTable(id="memo-list", cursor_type="row", zebra_stripes=True)
            yield Static(id="memo-text", classes="memo-preview", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for name, width in ((_("Kind"), 11), (_("About"), 36), (_("By"), 10), (_("Memo"), 60)):
            table.add_column(name, width=width)
        table.focus()
        self.reload()

    def memos(self) -> list[Memo]:
        kinds = () if self.kind == ALL else (self.kind,)
        found = memo_service.list_memos(self.project.store, kinds)
        if app_blind(self.app):  # blind coding: another coder's coding memos stay hidden
            found = [m for m in found if m.kind != "coding" or m.author == self.coder]
        return found

    def reload(self) -> None:
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        self._rows = {}
        found = self.memos()
        for i, memo in enumerate(found):
            key = f"{i}"
            self._rows[key] = memo
            first = " ".join(memo.text.split())
            label = _("the project") if memo.kind == "project" else memo.label
            cells = (_(KIND_NAMES.get(memo.kind, memo.kind)), label, memo.author, first)
            table.add_row(*(Text(c, no_wrap=True, overflow="ellipsis") for c in cells), key=key)
        if found:
            table.move_cursor(row=min(keep, len(found) - 1))
        which = _("every kind") if self.kind == ALL else _(KIND_NAMES.get(self.kind, self.kind))
        self.query_one("#title", Static).update(
            _(" Memos · {value} · {which} (k: kind) · Enter goes to it · e edits").format(
                value=len(found), which=which
            )
        )
        self._preview()

    def current(self) -> Memo | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return self._rows.get(str(key.value))

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._preview()

    def _preview(self) -> None:
        memo = self.current()
        self.query_one("#memo-text", Static).update(memo.text if memo else _("No memos yet."))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        memo = self.current()
        if memo is None:
            return
        if memo.kind in ("coding", "transcript"):
            self.dismiss(memo)
        else:
            self.action_edit()

    def action_edit(self) -> None:
        memo = self.current()
        if memo is None:
            return
        if memo.kind == "coding":
            if memo.author != self.coder:
                self.notify(
                    _("That memo is on {author}'s coding; only they can change it").format(
                        author=memo.author
                    ),
                    severity="warning",
                )
                return
            self.dismiss(memo)  # edited where it sits, with `m` in the transcript
            return
        self._edit(memo.kind, memo.target, memo.label, memo.text)

    def action_project_memo(self) -> None:
        store = self.project.store
        self._edit(
            "project", memo_service.PROJECT_TARGET, "", store.memos.get("project", "project")
        )

    def _edit(self, kind: str, target: str, label: str, text: str) -> None:
        def saved(new: str) -> None:
            memo_service.set_memo(self.project.store, kind, target, new, self.coder)
            self.notify(_("Memo saved") if new.strip() else _("Memo removed"), timeout=3)
            self.reload()

        self.app.push_screen(MemoEditor(memo_title(kind, label), text, save=saved))

    def action_kind(self) -> None:
        self.kind = KIND_CYCLE[(KIND_CYCLE.index(self.kind) + 1) % len(KIND_CYCLE)]
        self.reload()

    def action_back(self) -> None:
        self.dismiss(None)
