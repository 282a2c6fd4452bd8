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
from qualcode.comparison_links import passages, set_links
from qualcode.i18n import N_, ui_language, ui_n
from qualcode.i18n import ui as _
from qualcode.project import Project
from qualcode.titles import comparison_labels
from qualcode.tui import scope_choice
from qualcode.tui.dialogs.prompts import ChoicePrompt, leave_editor
from qualcode.tui.widgets.key_bar import KeyBar


class ComparisonScreen(Screen[None]):
    """Edits are saved with ctrl+s and when a text box loses focus; Esc asks first when a
    text was changed and not saved."""

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save")),
        # priority: the text boxes would otherwise take the key
        Binding("ctrl+l", "link", N_("Link passages"), priority=True),
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
            self.rows = report.build_comparison(self.project, scope)
        self.saved = self.saved or {r.id: (r.likheter, r.forskjeller) for r in self.rows}

    def _title(self) -> str:
        return scope_choice.title(
            self.app,
            self.project,
            self.coder,
            _(
                "Similarities and differences (ctrl+s: save · Tab: next field · "
                "ctrl+l: link passages · Esc: back)"
            ),
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
                        yield Static(
                            self.evidence(row),
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
            self.query_one(f"#evidence-{row.id}", Static).update(self.evidence(row))

    def evidence(self, row: report.ComparisonRow) -> str:
        """The coverage by group, the cases with codings, and the cases of the passages
        linked to the likheter or forskjeller (in the words the documents use)."""
        cases = "\n".join(row.cases) or _("no cases yet")
        # the same words as the documents, in the workspace's language
        labels = comparison_labels(self.project.guide, ui_language())
        return "\n\n".join([row.evidence_text, cases, *labels.support_lines(row.support)])

    def action_link(self) -> None:
        """Link the passages that support the focused note (Likheter or Forskjeller) to it:
        the category's coded passages in the scope, ✓ where linked; Enter links or unlinks."""
        focused, guide = self.focused, self.project.guide
        if guide is None or not isinstance(focused, TextArea) or not focused.id:
            self.notify(_("Go to a Similarities or a Differences box first"), timeout=4)
            return
        side, category = focused.id.split("-", 1)
        store = self.project.store
        scope = scope_choice.current_scope(self.app, self.project, self.coder)
        found = passages(self.project, category, scope)
        if not found:
            self.notify(_("No coded passages in this category yet"), timeout=4)
            return
        linked = store.summaries.comparison_links().get((category, side), set())
        choices = [
            (
                str(s.coding_id),
                Text(
                    f"{'✓' if s.coding_id in linked else ' '} {s.case}: "
                    f"«{' '.join(s.quote.split())[:80]}» ({s.source})"
                ),
            )
            for s in found
        ]
        name = next(r.name for r in self.rows if r.id == category)

        def picked(choice: str | None) -> None:
            if choice is None:
                return
            coding_id = int(choice)
            link = coding_id not in linked
            set_links(self.project, category, side, [coding_id], link, self.coder)
            self.refresh_evidence()
            self.notify(_("Linked") if link else _("Unlinked"), timeout=3)

        title = (
            _("Passages supporting the similarities of {name} (✓ linked; Enter links or unlinks):")
            if side == "likheter"
            else _(
                "Passages supporting the differences of {name} (✓ linked; Enter links or unlinks):"
            )
        ).format(name=name)
        self.app.push_screen(ChoicePrompt(title, choices), picked)

    def unsaved(self) -> bool:
        return any(self.texts(r.id) != self.saved.get(r.id) for r in self.rows)

    def save_unsaved(self) -> None:
        self.action_save()

    def action_leave(self) -> None:
        leave_editor(self, self.unsaved(), self.action_save)
