"""Opening the analysis screens from anywhere: the one place that knows how screens chain.

Screens that pick something (a search hit, a suggestion) dismiss with it; these helpers
turn that result into the transcript screen at the right span, so no screen needs to know
about another's internals.
"""

from __future__ import annotations

from textual.app import App

from qualcode.consensus.coding_set import consensus_coder
from qualcode.i18n import ui as _
from qualcode.i18n import ui_n as n_
from qualcode.project import Project
from qualcode.tui.screens.prompts import ChoicePrompt
from qualcode.tui.session import app_blind, set_app_blind


def open_in_context(
    app: App[None], project: Project, coder: str, transcript: str, start: int, end: int
) -> None:
    """The transcript screen with ``[start, end)`` selected."""
    from qualcode.tui.screens.transcript import TranscriptScreen

    app.push_screen(TranscriptScreen(project, coder, transcript, span=(start, end)))


def open_search(app: App[None], project: Project, coder: str) -> None:
    from qualcode.search import Hit
    from qualcode.tui.screens.search import SearchScreen

    def opened(hit: Hit) -> None:
        open_in_context(app, project, coder, hit.transcript, hit.start, hit.end)

    app.push_screen(SearchScreen(project, coder, open_hit=opened))


def open_suggestions(
    app: App[None], project: Project, coder: str, transcript: str | None = None
) -> None:
    from qualcode.suggest import Suggestion
    from qualcode.tui.screens.suggestions import SuggestionsScreen

    def chosen(s: Suggestion | None) -> None:
        if s is not None:
            open_in_context(app, project, coder, s.transcript, s.start, s.end)

    app.push_screen(SuggestionsScreen(project, coder, transcript), chosen)


def open_words(app: App[None], project: Project) -> None:
    from qualcode.tui.screens.words import WordsScreen

    app.push_screen(WordsScreen(project))


def open_matrix(app: App[None], project: Project, coder: str) -> None:
    from qualcode.tui.screens.matrix import MatrixScreen

    app.push_screen(MatrixScreen(project, coder))


def open_comparison(app: App[None], project: Project, coder: str) -> None:
    from qualcode.tui.screens.comparison import ComparisonScreen

    app.push_screen(ComparisonScreen(project, coder))


def open_agreement(app: App[None], project: Project, coder: str) -> None:
    """Ask for coder A and coder B (the coders who have coded), then the agreement table."""

    store = project.store
    counts = store.codings_per_coder()
    settled = consensus_coder(store)
    coders = [c for c in sorted(counts, key=lambda c: (c != coder, c)) if c != settled]
    if len(coders) < 2:
        so_far = f"so far only {coders[0]} has coded" if coders else "nobody has coded yet"
        app.notify(
            _(
                "Agreement needs two coders' codings; {so_far}. A second coder codes the same transcripts blind, or `qualcode merge` brings in their copy."
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
    from qualcode.tui.screens.agreement import AgreementScreen

    def label(c: str) -> str:
        return n_("{coder}  ({n} coding)", "{coder}  ({n} codings)", counts[c]).format(
            coder=c, n=counts[c]
        ) + (_("  — you") if c == coder else "")

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


def open_memos(app: App[None], project: Project, coder: str) -> None:
    """Every memo; a coding's or transcript's memo chosen there opens it in context."""
    from qualcode.memos import Memo
    from qualcode.tui.screens.memos import MemosScreen

    def chosen(memo: Memo | None) -> None:
        if memo is not None and memo.transcript:
            open_in_context(app, project, coder, memo.transcript, memo.start, memo.end)

    app.push_screen(MemosScreen(project, coder), chosen)


def edit_memo(
    app: App[None], project: Project, coder: str, kind: str, target: str, label: str
) -> None:
    """The memo editor on a project, case, transcript or code memo; saved through the core."""
    from qualcode import memos
    from qualcode.tui.screens.prompts import MemoEditor

    def saved(text: str | None) -> None:
        if text is not None:
            memos.set_memo(project.store, kind, target, text, coder)
            app.notify(_("Memo saved") if text.strip() else _("Memo removed"), timeout=3)

    words = {
        "project": "the project",
        "case": _("case"),
        "transcript": "transcript",
        "code": "code",
    }
    title = _("Memo on {value} {label}").format(value=words.get(kind, kind), label=label).rstrip()
    app.push_screen(MemoEditor(title, project.store.memo(kind, target)), saved)


def open_cooccurrence(app: App[None], project: Project, coder: str) -> None:
    """Code × code; a stretch chosen from a cell opens in context."""
    from qualcode.scope import Passage
    from qualcode.tui.screens.cooccurrence import CooccurrenceScreen

    def chosen(p: Passage | None) -> None:
        if p is not None:
            open_in_context(app, project, coder, p.transcript, p.start, p.end)

    app.push_screen(CooccurrenceScreen(project, coder), chosen)


def open_crosstab(app: App[None], project: Project, coder: str) -> None:
    """Code × attribute; Enter on a cell retrieves that code's passages for that value."""
    from qualcode.tui.screens.crosstab import CellChoice, CrosstabScreen

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
    from qualcode.retrieve import Retrieved
    from qualcode.tui.screens.retrieval import RetrievalScreen

    def chosen(r: Retrieved | None) -> None:
        if r is not None:
            open_in_context(app, project, coder, r.transcript, r.start, r.end)

    app.push_screen(RetrievalScreen(project, coder, code_id, by), chosen)
