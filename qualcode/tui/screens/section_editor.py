"""The editor of one (case, report section) summary: the section's question on top, the
section's theme cells (their counts, summaries and key quotes) beside the text, as the
material the section summary is written from."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static, TextArea

from qualcode import report
from qualcode.i18n import N_, ui_n
from qualcode.i18n import ui as _
from qualcode.model import ReportSection
from qualcode.project import Project
from qualcode.tui.dialogs.prompts import leave_editor
from qualcode.tui.widgets.key_bar import KeyBar


def section_text(store_rows: list[dict[str, str]], case: str, section: str) -> str:
    """The stored summary of (case, section), or ""."""
    for row in store_rows:
        if (row["case"], row["kind"], row["target"]) == (case, "section", section):
            return str(row["text"])
    return ""


def material(matrix: report.Matrix, case: str, section: ReportSection) -> Text:
    """Per theme of the section: its name and count, its summary, then its key quotes."""
    names = {t.id: t.name for t in matrix.themes}
    out = Text()
    for theme in section.themes:
        cell = matrix.cells.get((case, theme))
        count = len(cell.passages) if cell else 0
        said = ui_n("{n} coded passage", "{n} coded passages", count).format(n=count)
        out.append(f"{names.get(theme, theme)} ({said})\n", style="bold")
        summary = cell.summary.strip() if cell else ""
        if summary:
            out.append(summary + "\n")
        else:
            out.append(_("No summary of the theme yet.") + "\n", style="dim italic")
        keys = cell.key_quotes if cell else []
        for seg in keys:
            out.append(f"★ «{seg.quote}» ({seg.source})\n", style="italic")
        out.append("\n")
    return out


class SectionEditorScreen(Screen[None]):
    """Writes ``kind="section"`` summaries; ctrl+s saves, Esc goes back (asking first when
    the text changed)."""

    BINDINGS = [Binding("ctrl+s", "save", N_("Save")), Binding("escape", "leave", N_("Back"))]
    DEFAULT_CSS = """
    SectionEditorScreen #section-material { width: 1fr; border: round $secondary; padding: 0 1; }
    SectionEditorScreen #section-summary { width: 1fr; }
    """

    def __init__(
        self, project: Project, coder: str, case: str, section: ReportSection, matrix: report.Matrix
    ):
        super().__init__()
        self.project = project
        self.coder = coder
        self.case = case
        self.section = section
        self.matrix = matrix
        self.saved_text = section_text(project.store.summaries.all(), case, section.id)

    def compose(self) -> ComposeResult:
        # the case name and the question are shown as typed: never read as markup
        yield Static(Text(f"{self.case} — {self.section.title}", style="bold"), id="section-title")
        with Horizontal():
            with VerticalScroll(id="section-material") as scroll:
                scroll.border_title = _("The section's themes")
                yield Static(material(self.matrix, self.case, self.section))
            with Vertical(id="section-summary"):
                yield Static(_("The section's summary (ctrl+s: save · Esc: back)"))
                yield TextArea(self.saved_text, id="summary")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    def action_save(self) -> None:
        if self.text != self.saved_text:  # unchanged text is not written (no audit noise)
            self.project.store.summaries.set(
                self.case, "section", self.section.id, self.text, self.coder
            )
            self.saved_text = self.text
            self.notify(_("The summary is saved"))

    def unsaved(self) -> bool:
        return self.text != self.saved_text

    def save_unsaved(self) -> None:
        self.action_save()

    def action_leave(self) -> None:
        leave_editor(self, self.unsaved(), self.action_save)
