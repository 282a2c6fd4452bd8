"""Opening screens: the one module that knows every screen and how they chain.

Screens never import each other: they post a message (:mod:`qualcode.tui.messages`) and the
app opens the screen asked for with these functions. Screens that pick something (a search
hit, a suggestion) dismiss with it; these helpers turn that result into the transcript
screen at the right span, so no screen needs to know about another's internals.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App

from qualcode import memos
from qualcode.consensus.coding_set import consensus_coder
from qualcode.i18n import ui as _
from qualcode.i18n import ui_n
from qualcode.memos import Memo
from qualcode.model import ReportSection
from qualcode.project import Project
from qualcode.report import Matrix
from qualcode.retrieve import Retrieved
from qualcode.scope import Passage
from qualcode.search import Hit
from qualcode.suggest import Suggestion
from qualcode.tui import messages
from qualcode.tui.dialogs.prompts import ChoicePrompt, HelpScreen, MemoEditor, memo_title
from qualcode.tui.screens.agreement import AgreementScreen
from qualcode.tui.screens.anon import AnonScreen
from qualcode.tui.screens.codebook import CodebookScreen
from qualcode.tui.screens.comparison import ComparisonScreen
from qualcode.tui.screens.consensus import ConsensusScreen
from qualcode.tui.screens.cooccurrence import CooccurrenceScreen
from qualcode.tui.screens.crosstab import CellChoice, CrosstabScreen
from qualcode.tui.screens.home import HomeScreen
from qualcode.tui.screens.matrix import MatrixScreen
from qualcode.tui.screens.memos import MemosScreen
from qualcode.tui.screens.retrieval import RetrievalScreen
from qualcode.tui.screens.search import SearchScreen
from qualcode.tui.screens.section_editor import SectionEditorScreen
from qualcode.tui.screens.suggestions import SuggestionsScreen
from qualcode.tui.screens.transcript import TranscriptScreen
from qualcode.tui.screens.words import WordsScreen
from qualcode.tui.session import app_blind, set_app_blind

Span = tuple[int, int]


def home_screen(project: Project, coder: str) -> HomeScreen:
    return HomeScreen(project, coder)


def open_home(app: App[None], project: Project, coder: str) -> None:
    app.push_screen(HomeScreen(project, coder))


def open_transcript(
    app: App[None], project: Project, coder: str, transcript: str, span: Span | None = None
) -> None:
    app.push_screen(TranscriptScreen(project, coder, transcript, span=span))


def open_codebook(app: App[None], project: Project, coder: str) -> None:
    app.push_screen(CodebookScreen(project, coder))


def open_anonymity(app: App[None], project: Project, transcript: str | None) -> None:
    app.push_screen(AnonScreen(project, transcript))


def open_help(app: App[None], first: str = "transcript") -> None:
    app.push_screen(HelpScreen(first))


def open_section_editor(
    app: App[None],
    project: Project,
    coder: str,
    case: str,
    section: ReportSection,
    matrix: Matrix,
    closed: Callable[[], None],
) -> None:
    editor = SectionEditorScreen(project, coder, case, section, matrix)
    app.push_screen(editor, lambda _result: closed())


def open_in_context(
    app: App[None], project: Project, coder: str, transcript: str, start: int, end: int
) -> None:
    """The transcript screen with ``[start, end)`` selected."""
    app.push_screen(TranscriptScreen(project, coder, transcript, span=(start, end)))


def open_search(app: App[None], project: Project, coder: str) -> None:
    def opened(hit: Hit) -> None:
        open_in_context(app, project, coder, hit.transcript, hit.start, hit.end)

    app.push_screen(SearchScreen(project, coder, open_hit=opened))


def open_suggestions(
    app: App[None],
    project: Project,
    coder: str,
    transcript: str | None = None,
    chosen: Callable[[Suggestion | None], None] | None = None,
) -> None:
    """Suggestions; the one the coder opens goes to ``chosen``, else to its transcript."""

    def in_context(s: Suggestion | None) -> None:
        if s is not None:
            open_in_context(app, project, coder, s.transcript, s.start, s.end)

    app.push_screen(SuggestionsScreen(project, coder, transcript), chosen or in_context)


def open_words(app: App[None], project: Project, coder: str) -> None:
    app.push_screen(WordsScreen(project, coder=coder))


def open_matrix(app: App[None], project: Project, coder: str) -> None:
    app.push_screen(MatrixScreen(project, coder))


def open_comparison(app: App[None], project: Project, coder: str) -> None:
    app.push_screen(ComparisonScreen(project, coder))


def open_agreement(app: App[None], project: Project, coder: str) -> None:
    """Ask for coder A and coder B (the coders who have coded), then the agreement table."""

    store = project.store
    counts = store.codings.per_coder()
    settled = consensus_coder(store)
    coders = [c for c in sorted(counts, key=lambda c: (c != coder, c)) if c != settled]
    if len(coders) < 2:
        so_far = (
            _("so far only {coder} has coded").format(coder=coders[0])
            if coders
            else _("nobody has coded yet")
        )
        app.notify(
            _(
                "Agreement needs two coders' codings; {so_far}. A second coder codes the same "
                "transcripts blind, or `qualcode merge` brings in their copy."
            ).format(so_far=so_far),
            severity="warning",
            timeout=8,
            markup=False,
        )
        return
    if app_blind(app):
        # Comparing shows the other coder's codings: say so before blind mode ends.
        def unblind(answer: str | None) -> None:
            if answer == "show":
                set_app_blind(app, False)
                app.notify(_("Blind mode is off: every coder's codings are shown"), timeout=4)
                _choose_coders(app, project, coder, coders, counts)

        app.push_screen(
            ChoicePrompt(
                _("Agreement shows every coder's codings, which ends blind mode."),
                [
                    ("show", _("Show the agreement (turn blind mode off)")),
                    ("stay", _("Stay blind")),
                ],
            ),
            unblind,
        )
        return
    _choose_coders(app, project, coder, coders, counts)


def _choose_coders(
    app: App[None], project: Project, coder: str, coders: list[str], counts: dict[str, int]
) -> None:
    def label(c: str) -> str:
        n = counts[c]
        said = f"{c}  ({ui_n('{n} coding', '{n} codings', n).format(n=n)})"
        return said + (_("  — you") if c == coder else "")

    def first(a: str | None) -> None:
        if not a:
            return
        others = [c for c in coders if c != a]
        if len(others) == 1:
            app.push_screen(AgreementScreen(project, a, others[0]))
            return

        def second(b: str | None) -> None:
            if b:
                app.push_screen(AgreementScreen(project, a, b))

        app.push_screen(
            ChoicePrompt(_("Coder B (A = {a}):").format(a=a), [(c, label(c)) for c in others]),
            second,
        )

    app.push_screen(
        ChoicePrompt(_("Agreement between two coders. Coder A:"), [(c, label(c)) for c in coders]),
        first,
    )


def open_consensus(app: App[None], project: Project, ask: messages.OpenConsensus) -> None:
    """The consensus walk through one code's disagreements, asked for from the agreement table."""
    app.push_screen(
        ConsensusScreen(
            project,
            ask.coder_a,
            ask.coder_b,
            ask.code,
            ask.unit,
            ask.informant_only,
            ask.transcripts,
        )
    )


def open_memos(app: App[None], project: Project, coder: str) -> None:
    """Every memo; a coding's or transcript's memo chosen there opens it in context."""

    def chosen(memo: Memo | None) -> None:
        if memo is not None and memo.transcript:
            open_in_context(app, project, coder, memo.transcript, memo.start, memo.end)

    app.push_screen(MemosScreen(project, coder), chosen)


def edit_memo(
    app: App[None], project: Project, coder: str, kind: str, target: str, label: str
) -> None:
    """The memo editor on a project, case, transcript or code memo; saved through the core."""

    def saved(text: str) -> None:
        memos.set_memo(project.store, kind, target, text, coder)
        app.notify(_("Memo saved") if text.strip() else _("Memo removed"), timeout=3)

    text = project.store.memos.get(kind, target)
    app.push_screen(MemoEditor(memo_title(kind, label), text, save=saved))


def open_cooccurrence(app: App[None], project: Project, coder: str) -> None:
    """Code × code; a stretch chosen from a cell opens in context."""

    def chosen(p: Passage | None) -> None:
        if p is not None:
            open_in_context(app, project, coder, p.transcript, p.start, p.end)

    app.push_screen(CooccurrenceScreen(project, coder), chosen)


def open_crosstab(app: App[None], project: Project, coder: str) -> None:
    """Code × attribute; Enter on a cell retrieves that code's passages for that value."""

    def chosen(cell: CellChoice | None) -> None:
        if cell is not None:
            open_retrieval(app, project, coder, cell.code, by=(cell.by, cell.value))

    app.push_screen(CrosstabScreen(project, coder), chosen)


def open_retrieval(
    app: App[None],
    project: Project,
    coder: str,
    code_id: str | None,
    by: tuple[str, str] | None = None,
) -> None:
    """Every passage of a code (optionally filtered by an attribute value); Enter on one
    opens it in context."""

    def chosen(r: Retrieved | None) -> None:
        if r is not None:
            open_in_context(app, project, coder, r.transcript, r.start, r.end)

    app.push_screen(RetrievalScreen(project, coder, code_id, by), chosen)


class Navigator(App[None]):
    """An app that opens what its screens ask for (the messages of tui/messages.py)."""

    project: Project
    coder: str | None

    @property
    def _who(self) -> str:
        assert self.coder is not None  # no screen is shown before the coder is known
        return self.coder

    def on_open_transcript(self, message: messages.OpenTranscript) -> None:
        open_transcript(self, self.project, self._who, message.transcript, message.span)

    def on_open_retrieval(self, message: messages.OpenRetrieval) -> None:
        open_retrieval(self, self.project, self._who, message.code)

    def on_open_memos(self, _message: messages.OpenMemos) -> None:
        open_memos(self, self.project, self._who)

    def on_edit_memo(self, message: messages.EditMemo) -> None:
        edit_memo(self, self.project, self._who, message.kind, message.target, message.label)

    def on_open_cooccurrence(self, _message: messages.OpenCooccurrence) -> None:
        open_cooccurrence(self, self.project, self._who)

    def on_open_crosstab(self, _message: messages.OpenCrosstab) -> None:
        open_crosstab(self, self.project, self._who)

    def on_open_suggestions(self, message: messages.OpenSuggestions) -> None:
        open_suggestions(self, self.project, self._who, message.transcript, message.chosen)

    def on_open_section_editor(self, message: messages.OpenSectionEditor) -> None:
        open_section_editor(
            self,
            self.project,
            self._who,
            message.case,
            message.section,
            message.matrix,
            message.closed,
        )

    def on_open_anonymity(self, message: messages.OpenAnonymity) -> None:
        open_anonymity(self, self.project, message.transcript)

    def on_open_codebook(self, _message: messages.OpenCodebook) -> None:
        open_codebook(self, self.project, self._who)

    def on_open_search(self, _message: messages.OpenSearch) -> None:
        open_search(self, self.project, self._who)

    def on_open_agreement(self, _message: messages.OpenAgreement) -> None:
        open_agreement(self, self.project, self._who)

    def on_open_consensus(self, message: messages.OpenConsensus) -> None:
        open_consensus(self, self.project, message)

    def on_open_matrix(self, _message: messages.OpenMatrix) -> None:
        open_matrix(self, self.project, self._who)

    def on_open_comparison(self, _message: messages.OpenComparison) -> None:
        open_comparison(self, self.project, self._who)

    def on_open_words(self, _message: messages.OpenWords) -> None:
        open_words(self, self.project, self._who)

    def on_open_help(self, message: messages.OpenHelp) -> None:
        open_help(self, message.first)
