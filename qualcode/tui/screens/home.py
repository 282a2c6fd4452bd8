"""The home screen: cases by size with their transcripts and progress; the codebook."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Label, Static

from qualcode.anon_scan import flag_counts
from qualcode.i18n import N_, ui_percent
from qualcode.i18n import ui as _
from qualcode.model import INFORMANT, speaker_role
from qualcode.project import Project
from qualcode.tui import messages
from qualcode.tui.dialogs.prompts import ChoicePrompt
from qualcode.tui.widgets.codebook_tree import CodebookTree
from qualcode.tui.widgets.key_bar import KeyBar

NO_VALUE = N_("(no value)")


def group_transcripts(project: Project) -> list[tuple[str, list[dict[str, Any]]]]:
    """Transcripts grouped by the guide's first case attribute, in the guide's value order."""
    attr = (
        project.guide.case_attributes[0]
        if project.guide and project.guide.case_attributes
        else None
    )
    cases = project.store.transcripts.cases()
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in project.store.transcripts.overview():
        value = cases.get(row["case_name"] or "", {}).get(attr.id, "") if attr else ""
        groups.setdefault(value or _(NO_VALUE), []).append(row)
    order = list(attr.values) if attr else []
    keys = sorted(groups, key=lambda v: (order.index(v) if v in order else len(order), v))
    for rows in groups.values():
        rows.sort(key=lambda r: (r["case_name"] or "", r["id"]))
    return [(k, groups[k]) for k in keys]


class HomeScreen(Screen[None]):
    BINDINGS = [
        Binding("enter", "open", N_("Open"), show=False),
        Binding("k", "codebook", N_("Codebook")),
        Binding("r", "retrieve", N_("Retrieve")),
        Binding("s", "search", N_("Search")),
        Binding("g", "suggestions", N_("Suggestions")),
        Binding("a", "agreement", N_("Agreement")),
        Binding("f", "matrix", N_("Framework matrix")),
        Binding("t", "comparison", N_("Table 1")),
        Binding("w", "words", N_("Words"), show=False),
        Binding("m", "memos", N_("Memos")),
        Binding("c", "cooccurrence", N_("Co-occurrence"), show=False),
        Binding("x", "crosstab", N_("Crosstab"), show=False),
        Binding("M", "write_memo", N_("Memo on case"), show=False),
        Binding("exclamation_mark", "anonymity", N_("Anonymity (⚠)"), show=False),
        Binding("question_mark", "help", N_("Keys")),
        Binding("q", "quit_app", N_("Quit")),
    ]

    def __init__(self, project: Project, coder: str):
        super().__init__()
        self.project = project
        self.coder = coder

    def compose(self) -> ComposeResult:
        title = self.project.guide.title if self.project.guide else self.project.root.name
        yield Static(
            _(" {title} · coder {coder}").format(title=title, coder=self.coder),
            id="title",
            markup=False,
        )
        with Horizontal():
            with Vertical(id="home-left"):
                yield Label(
                    _(
                        "Cases and transcripts (Enter opens; ⚠ possible identifying "
                        "details: ! shows them)"
                    ),
                    classes="section",
                )
                yield DataTable(id="transcripts", cursor_type="row", zebra_stripes=True)
            with Vertical(id="home-right"):
                yield Label(_("Codebook (your codings)"), classes="section")
                yield CodebookTree(id="home-codebook")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        self.reload()  # also the first showing: codings change on the screens above

    def columns(self) -> list[str]:
        """The table's columns at this width: the codebook and the columns that matter
        least give way on a narrow terminal, so those left are never cut."""
        width = self.size.width or self.app.size.width
        names = [N_("Transcript"), N_("Case"), N_("Words"), N_("Informants"), N_("Progress")]
        if width < 100:
            names.remove("Informants")
        if width < 70:
            names.remove("Case")
        return names  # English message ids: the cells are keyed by them, headed by _(name)

    def on_resize(self) -> None:
        self.query_one("#home-right").display = (self.size.width or 0) >= 100
        shown = [str(c.label) for c in self.query_one(DataTable).columns.values()]
        if shown != [_(n) for n in self.columns()]:
            self.reload()

    def reload(self) -> None:
        table = self.query_one(DataTable)
        keep = table.cursor_row if table.row_count else None
        names = self.columns()
        table.clear(columns=True)
        table.add_columns(*[_(n) for n in names])
        progress = self.project.store.coders.progress(self.coder)
        flagged = flag_counts(self.project.store, self.project.root)
        unplaced = self.project.store.codings.unresolved_counts(self.coder)
        label = (
            self.project.guide.case_attributes[0].name
            if self.project.guide and self.project.guide.case_attributes
            else _("Group")
        )
        for value, rows in group_transcripts(self.project):
            table.add_row(
                Text(f"{label}: {value}", style="bold"),
                *[""] * (len(names) - 1),
                key=f"group:{value}",
            )
            for row in rows:
                done, total = progress.get(row["id"], (0, 0))
                share = f"{done}/{total} ({ui_percent(done / total, 0)})" if total else "–"
                informants = sum(1 for s in row["speakers"] if speaker_role(s) == INFORMANT)
                mark = "⚠ " if flagged.get(row["id"]) else "  "
                if unplaced.get(row["id"]):  # codings a changed text left for the coder to place
                    share += _("  ⚑ {n} to place").format(n=unplaced[row["id"]])
                cells = {
                    "Transcript": Text(f"{mark}{row['id']}"),
                    "Case": Text(row["case_name"] or ""),
                    "Words": str(row["words"]),
                    "Informants": str(informants),
                    "Progress": share,
                }
                table.add_row(*[cells[n] for n in names], key=row["id"])
        if table.row_count:
            # The first showing starts on the first transcript, not on its group's row.
            table.move_cursor(row=min(1 if keep is None else keep, table.row_count - 1))
        counts = self.project.store.codings.counts(self.coder)
        self.query_one(CodebookTree).fill(self.project.store.codes.all(), counts)

    def selected_transcript(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return None if key is None or key.startswith("group:") else key

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        tid = self.selected_transcript()
        if tid:
            self.post_message(messages.OpenTranscript(tid))

    def action_memos(self) -> None:
        self.post_message(messages.OpenMemos())

    def action_write_memo(self) -> None:
        """A memo on the case of the row under the cursor (or on its transcript)."""
        tid = self.selected_transcript()
        if tid is None:
            self.notify(_("Move to a transcript row to write a memo on its case"), timeout=4)
            return
        case = self.project.store.transcripts.cases_by_id().get(tid)
        if not case:
            self.post_message(messages.EditMemo("transcript", tid, tid))
            return
        choices = [
            ("case", _("Case {case}").format(case=case)),
            ("transcript", _("Transcript {tid}").format(tid=tid)),
        ]

        def chosen(kind: str | None) -> None:
            if kind == "case":
                self.post_message(messages.EditMemo("case", case, case))
            elif kind == "transcript":
                self.post_message(messages.EditMemo("transcript", tid, tid))

        self.app.push_screen(ChoicePrompt(_("Write a memo on:"), choices), chosen)

    def action_codebook(self) -> None:
        self.post_message(messages.OpenCodebook())

    def action_retrieve(self) -> None:
        self.post_message(messages.OpenRetrieval(None))

    def action_cooccurrence(self) -> None:
        self.post_message(messages.OpenCooccurrence())

    def action_crosstab(self) -> None:
        self.post_message(messages.OpenCrosstab())

    def action_search(self) -> None:
        self.post_message(messages.OpenSearch())

    def action_suggestions(self) -> None:
        self.post_message(messages.OpenSuggestions(self.selected_transcript()))

    def action_agreement(self) -> None:
        self.post_message(messages.OpenAgreement())

    def action_matrix(self) -> None:
        self.post_message(messages.OpenMatrix())

    def action_comparison(self) -> None:
        self.post_message(messages.OpenComparison())

    def action_words(self) -> None:
        self.post_message(messages.OpenWords())

    def action_anonymity(self) -> None:
        self.post_message(messages.OpenAnonymity(self.selected_transcript()))

    def action_help(self) -> None:
        self.post_message(messages.OpenHelp(first="home"))

    async def action_quit_app(self) -> None:
        await self.app.action_quit()  # asks first if an editor holds unsaved text
