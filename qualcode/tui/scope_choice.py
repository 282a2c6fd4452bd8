"""Whose codings the workspace's analysis screens stand on: one choice for the whole app.

Blind mode wins: while it is on, every screen shows the coder's own codings and says so.
With blind mode off, the scope is the one chosen here (``ctrl+o`` on the matrix, Tabell 1,
words and retrieval screens, or "Whose codings" in the command palette), else the default
(the complete consensus, else all coders). The rule itself lives in ``qualcode.scope``.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App

from qualcode import scope as sc
from qualcode.consensus.coding_set import consensus_coder
from qualcode.model import QualcodeError
from qualcode.project import Project
from qualcode.scope import Scope
from qualcode.tui.screens.prompts import ChoicePrompt
from qualcode.tui.session import app_blind, set_app_blind

SCOPE_KEY = "ctrl+o"
SCOPE_ACTION = "choose_scope"
SCOPE_DESCRIPTION = "Whose codings"
_DEFAULT = ""  # the prompt's value for "the default scope"
_COUNT_NAMES = {
    "passages": "coded passages (overlapping codings merged)",
    "words": "coded words",
    "transcripts": "transcripts with a coding",
    "informants": "informants with a coding",
}


def _choice(app: object) -> tuple[str, str]:
    """(the --coder value chosen, "" for the default; the counting) kept on the app."""
    return getattr(app, "scope_choice", (_DEFAULT, sc.DEFAULT_COUNT))


def current_scope(app: object, project: Project, coder: str) -> Scope:
    """The scope a screen shows now: the coder's own codings while blind, else the chosen
    (or default) scope; a choice no longer possible (its coder's codings are gone) falls
    back to the default."""
    who, count = _choice(app)
    if app_blind(app):
        return sc.one_coder(coder, count, blind=True)
    try:
        return sc.resolve(project.store, project.language, who or None, count)
    except QualcodeError:
        return sc.default_scope(project.store, project.language, count)


def title(app: object, project: Project, coder: str, what: str) -> str:
    """``what — Kodinger: anna, bjorn — kodede passasjer, sammenslått`` for a title bar."""
    return f" {what} · {current_scope(app, project, coder).line(project.language)}"


def choose_scope(
    app: App[None],
    project: Project,
    coder: str,
    done: Callable[[], None],
    with_count: bool = False,
) -> None:
    """Ask whose codings (and, ``with_count``, how to count); ``done`` refreshes the screen.
    Any choice but the coder's own ends blind mode, and the prompt says so."""
    store, lang = project.store, project.language
    blind = app_blind(app)
    ends = " (ends blind mode)" if blind else ""
    default = sc.default_scope(store, lang)
    # option ids: "me", "default", or "who:" + the --coder value it stands for
    choices = [("me", f"only mine ({coder}): blind mode")]
    choices.append(("default", f"default: {default.who(lang)}{ends}"))
    humans = sc.human_coders(store)
    if len(humans) > 1:
        choices.append(("who:" + sc.ALL, f"all coders: {', '.join(humans)}{ends}"))
    consensus = consensus_coder(store)
    if store.codings(coder=consensus):
        label = sc.consensus_scope(store, lang).who(lang)
        choices.append(("who:" + consensus, f"{label}{ends}"))
    choices += [("who:" + name, f"{name}{ends}") for name in humans if name != coder]

    def whose(answer: str | None) -> None:
        if answer is None:
            return
        _, count = _choice(app)
        if answer == "me":
            set_app_blind(app, True)
        else:
            set_app_blind(app, False)
            chosen = answer.removeprefix("who:") if answer.startswith("who:") else _DEFAULT
            app.scope_choice = (chosen, count)  # type: ignore[attr-defined]
        if with_count:
            app.push_screen(
                ChoicePrompt("Count in each cell:", list(_COUNT_NAMES.items())), counting
            )
        else:
            done()

    def counting(answer: str | None) -> None:
        if answer:
            who, _ = _choice(app)
            app.scope_choice = (who, answer)  # type: ignore[attr-defined]
        done()

    app.push_screen(ChoicePrompt("Whose codings do the figures stand on?", choices), whose)
