"""Word frequencies as text bars, one block per theme, case or case attribute group."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from qualcode.i18n import N_, ui_language
from qualcode.i18n import ui as _
from qualcode.project import Project
from qualcode.tui import scope_choice
from qualcode.tui.widgets.key_bar import KeyBar
from qualcode.words import bar, word_frequencies


class WordsScreen(Screen[None]):
    BINDINGS = [
        Binding("t", "group('theme')", N_("By theme")),
        Binding("c", "group('case')", N_("By case")),
        Binding("g", "group('attribute')", N_("By case group")),
        Binding("escape,q", "back", N_("Back")),
        Binding(scope_choice.SCOPE_KEY, scope_choice.SCOPE_ACTION, scope_choice.SCOPE_DESCRIPTION),
    ]

    def __init__(self, project: Project, by: str = "theme", top: int = 15, coder: str = "tui"):
        super().__init__()
        self.project = project
        self.coder = coder  # blind mode shows the words of this coder's codings only
        self.by = by
        self.top = top
        self.freqs: dict[str, list[tuple[str, int]]] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="words-title")
        with VerticalScroll():
            yield Static(id="words-bars")
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()

    def render_bars(self) -> Text:
        """The bars as a ``Text``: words and names are never read as markup (a theme or a
        case may hold brackets, and Rich's escaping does not suit Textual's markup)."""
        if not self.freqs:
            return Text(_("No coded passages yet: code some text first."))
        names = {c.id: c.name for c in self.project.store.codes.all()}
        out = Text()
        for i, (group, words) in enumerate(self.freqs.items()):
            title = names.get(group, group) if self.by == "theme" else group
            out.append(("\n\n" if i else "") + title, style="bold")
            most = words[0][1] if words else 0
            for w, n in words:
                out.append(f"\n  {w:<22} {n:>4} {bar(n, most, 40)}")
        return out

    def reload(self) -> None:
        scope = scope_choice.current_scope(self.app, self.project, self.coder)
        self.freqs = word_frequencies(self.project, self.by, self.top, scope)
        attrs = (
            {a.id: a.name for a in self.project.guide.case_attributes} if self.project.guide else {}
        )
        by = {"theme": _("theme"), "case": _("case")}.get(self.by) or attrs.get(self.by, self.by)
        self.query_one("#words-title", Static).update(
            _(
                " Words in coded passages by {by} (lemmas, no stop words) · {scope} · "
                "t theme · c case · g case group · ctrl+o whose"
            ).format(by=by, scope=scope.line(ui_language()))
        )
        self.query_one("#words-bars", Static).update(self.render_bars())

    def action_group(self, by: str) -> None:
        if by == "attribute":
            guide = self.project.guide
            if not guide or not guide.case_attributes:
                return
            by = guide.case_attributes[0].id
        self.by = by
        self.reload()

    def action_choose_scope(self) -> None:
        scope_choice.choose_scope(self.app, self.project, self.coder, lambda _s: self.reload())

    def on_screen_resume(self) -> None:
        self.reload()  # blind mode or the scope may have changed on another screen

    def action_back(self) -> None:
        self.dismiss(None)
