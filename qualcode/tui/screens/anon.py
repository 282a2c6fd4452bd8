"""What the anonymity check found in the project's transcripts: one line per finding."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from qualcode.anon_scan import check_transcript
from qualcode.project import Project


class AnonScreen(Screen[None]):
    """Findings of one transcript, or of every transcript when ``transcript`` is None."""

    BINDINGS = [Binding("escape,q", "back", "Back")]

    def __init__(self, project: Project, transcript: str | None = None):
        super().__init__()
        self.project = project
        self.transcript = transcript

    def compose(self) -> ComposeResult:
        what = self.transcript or "all transcripts"
        yield Static(f" Anonymity check · {what} · possible identifying details to remove "
                     "from the source files, then import them again with --replace", id="title")
        with VerticalScroll():
            yield Static(self.render_findings(), id="anon-findings")
        yield Footer()

    def render_findings(self) -> str:
        store = self.project.store
        ids = [self.transcript] if self.transcript else store.transcript_ids()
        lines: list[str] = []
        for tid in ids:
            label, findings = check_transcript(self.project.root, store.transcript(tid))
            lines += [f"{escape(label)}:{f.line}:{f.column}  [b]{f.kind}[/b]  {escape(f.text)}"
                      for f in findings]
        return "\n".join(lines) or "Nothing found: no phone numbers, e-mails, fødselsnummer, " \
                                   "names or addresses."

    def action_back(self) -> None:
        self.dismiss(None)
