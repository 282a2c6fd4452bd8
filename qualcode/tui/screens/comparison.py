"""The comparison screen (Tabell 1): per guide category, Likheter and Forskjeller beside the
evidence — which cases, by size group, have codings of the category's codes."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Static, TextArea

from qualcode import report
from qualcode.i18n import N_, ui_n
from qualcode.i18n import ui as _
from qualcode.project import Project
from qualcode.tui import scope_choice
from qualcode.tui.dialogs.prompts import leave_editor
from qualcode.tui.widgets.key_bar import KeyBar


class ComparisonScreen(Screen[None]):
    """Edits are saved with ctrl+s and when a text box loses focus; Esc asks first when a
    text was changed and not saved."""

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save")),
        Binding("escape", "leave", N_("Back")),
        Binding(scope_choice.SCOPE_KEY, scope_choice.SCOPE_ACTION, scope_choice.SCOPE_DESCRIPTION),
    ]
    DEFAULT_CSS = """
    ComparisonScreen .category { height: auto; margin-bottom: 1; }
    ComparisonScreen .category Horizontal { height: auto; }
    ComparisonScreen .evidence { width: 30; height: auto; max-height: 12; }
    ComparisonScreen TextArea { height: 8; width: 1fr; }
    """

    def __init__(self, project: Project, coder: str = "tui"):
        super().__init__()
        self.project = project
        self.coder = coder
        self.rows: list[report.ComparisonRow] = []
        self.saved: dict[str, tuple[str, str]] = {}

    def _build(self) -> None:
        """The rows for the current scope (blind: the coder's own codings)."""
        if self.project.guide is not None:
            scope = scope_choice.current_scope(self.app, self.project, self.coder)
            self.rows = report.build_comparison(self.project.store, self.project.guide, scope)
        self.saved = self.saved or {r.id: (r.likheter, r.forskjeller) for r in self.rows}

    def _title(self) -> str:
        return scope_choice.title(
            self.app,
            self.project,
            self.coder,
            _("Similarities and differences (ctrl+s: save · Tab: next field · Esc: back)"),
        ) + _(" · ctrl+o: whose")

    def compose(self) -> ComposeResult:
        self._build()
        yield Static(self._title(), id="comparison-title", markup=False)
        with VerticalScroll():
            if not self.rows:
                yield Static(_("The interview guide has no comparison categories."))
            for row in self.rows:
                with Vertical(classes="category"):
                    # names and notes are shown as typed, never read as markup: anonymised
                    # text is full of brackets such as "[KOMMUNE]"
                    yield Static(Text(row.name, style="bold"))
                    with Horizontal():
                        cases = "\n".join(row.cases) or _("no cases yet")
                        yield Static(
                            f"{row.evidence_text}\n\n{cases}",
                            classes="evidence",
                            id=f"evidence-{row.id}",
                            markup=False,
                        )
                        likheter = TextArea(
                            row.likheter, id=f"likheter-{row.id}", tab_behavior="focus"
                        )
                        likheter.border_title = _("Similarities")
                        yield likheter
                        forskjeller = TextArea(
                            row.forskjeller, id=f"forskjeller-{row.id}", tab_behavior="focus"
                        )
                        forskjeller.border_title = _("Differences")
                        yield forskjeller
        yield KeyBar()

    def on_mount(self) -> None:
        areas = self.query(TextArea)
        if areas:
            areas.first().focus()

    def texts(self, category: str) -> tuple[str, str]:
        return (
            self.query_one(f"#likheter-{category}", TextArea).text,
            self.query_one(f"#forskjeller-{category}", TextArea).text,
        )

    def save(self, category: str) -> bool:
        """Write the category's notes when they changed; True when written."""
        current = self.texts(category)
        if current == self.saved.get(category):
            return False
        self.project.store.summaries.set_comparison_note(
            category, current[0], current[1], self.coder
        )
        self.saved[category] = current
        return True

    def action_save(self) -> None:
        written = sum(self.save(r.id) for r in self.rows)
        if written:
            self.notify(
                ui_n("Saved {n} category", "Saved {n} categories", written).format(n=written)
            )

    def on_descendant_blur(self, event: object) -> None:
        try:
            for row in self.rows:
                self.save(row.id)
        except NoMatches:  # the screen is being torn down; leaving saved already
            pass

    def action_choose_scope(self) -> None:
        scope_choice.choose_scope(self.app, self.project, self.coder, self.refresh_evidence)

    def refresh_evidence(self, _scope: object = None) -> None:
        """The evidence for the scope now; the notes being written are left as they are."""
        self._build()
        self.query_one("#comparison-title", Static).update(self._title())
        for row in self.rows:
            cases = "\n".join(row.cases) or _("no cases yet")
            self.query_one(f"#evidence-{row.id}", Static).update(f"{row.evidence_text}\n\n{cases}")

    def action_leave(self) -> None:
        changed = any(self.texts(r.id) != self.saved.get(r.id) for r in self.rows)
        leave_editor(self, changed, self.action_save)
