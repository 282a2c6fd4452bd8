"""Opening the analysis screens from anywhere: the one place that knows how screens chain.

Screens that pick something (a search hit, a suggestion) dismiss with it; these helpers
turn that result into the transcript screen at the right span, so no screen needs to know
about another's internals.
"""

from __future__ import annotations

from textual.app import App

from qualcode.consensus.coding_set import consensus_coder
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

    def chosen(hit: Hit | None) -> None:
        if hit is not None:
            open_in_context(app, project, coder, hit.transcript, hit.start, hit.end)

    app.push_screen(SearchScreen(project, coder), chosen)


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
            f"Agreement needs two coders' codings; {so_far}. "
            "A second coder codes the same transcripts blind, or `qualcode merge` "
            "brings in their copy.",
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
                app.notify("Blind mode is off: every coder's codings are shown", timeout=4)
                _choose_coders(app, project, coder, coders, counts)

        app.push_screen(
            ChoicePrompt(
                "Agreement shows every coder's codings, which ends blind mode.",
                [("show", "Show the agreement (turn blind mode off)"), ("stay", "Stay blind")],
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
        return f"{c}  ({counts[c]} codings)" + ("  — you" if c == coder else "")

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
            ChoicePrompt(f"Coder B (A = {a}):", [(c, label(c)) for c in others]), second
        )

    app.push_screen(
        ChoicePrompt("Agreement between two coders. Coder A:", [(c, label(c)) for c in coders]),
        first,
    )
