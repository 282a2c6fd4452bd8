"""What the anonymity check found in the project's transcripts: one line per finding."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from qualcode.anon_scan import check_transcript
from qualcode.i18n import N_
from qualcode.i18n import ui as _
from qualcode.project import Project
from qualcode.tui.widgets.key_bar import KeyBar

# the anonymity check's kinds of finding, as a reader names them
FINDING_KINDS = {
    "email": N_("e-mail"),
    "fodselsnummer": N_("fødselsnummer"),
    "phone": N_("phone number"),
    "address": N_("address"),
    "name": N_("name"),
}


class AnonScreen(Screen[None]):
    """Findings of one transcript, or of every transcript when ``transcript`` is None."""

    BINDINGS = [Binding("escape,q", "back", N_("Back"))]

    def __init__(self, project: Project, transcript: str | None = None):
        super().__init__()
        self.project = project
        self.transcript = transcript

    def compose(self) -> ComposeResult:
        what = self.transcript or _("all transcripts")
        # file names and found text are shown as they are, never read as markup
        yield Static(
            _(
                " Anonymity check · {what} · possible identifying details to remove from the source files, then import them again with --replace"
            ).format(what=what),
            id="title",
            markup=False,
        )
        with VerticalScroll():
            yield Static(self.render_findings(), id="anon-findings")
        yield KeyBar()

    def render_findings(self) -> Text:
        store = self.project.store
        ids = [self.transcript] if self.transcript else store.transcripts.ids()
        out = Text()
        for tid in ids:
            label, findings = check_transcript(self.project.root, store.transcripts.get(tid))
            for f in findings:
                out.append(f"{label}:{f.line}:{f.column}  ")
                out.append(_(FINDING_KINDS.get(f.kind, f.kind)), style="bold")
                out.append(f"  {f.text}\n")
        out.rstrip()
        return (
            out
            if out.plain
            else Text(
                _("Nothing found: no phone numbers, e-mails, fødselsnummer, names or addresses.")
            )
        )

    def action_back(self) -> None:
        self.dismiss(None)
