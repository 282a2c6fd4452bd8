"""Whose codings a workspace screen counts: the scope it shows, and the dialog to choose one.

Blind mode wins over any choice: a coder coding blind sees only their own codings on every
screen, and the title says so. Otherwise a screen shows the scope chosen (with ``o`` on the
matrix, Tabell 1, words, retrieval, co-occurrence and crosstab screens, or "Whose codings"
in the command palette), one choice for the whole workspace, else the default scope (the
complete consensus, else all coders). The rule itself lives in ``qualcode.scope``.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App

from qualcode import scope as scopes
from qualcode.consensus.coding_set import consensus_coder
from qualcode.i18n import N_, ui_language
from qualcode.i18n import ui as _
from qualcode.model import QualcodeError
from qualcode.project import Project
from qualcode.tui.dialogs.prompts import ChoicePrompt
from qualcode.tui.session import app_blind, set_app_blind

# ctrl+o as well: on Tabell 1 the text boxes take every letter typed
SCOPE_KEY = "o,ctrl+o"
SCOPE_ACTION = "choose_scope"
SCOPE_DESCRIPTION = N_("Whose codings")
COUNT_NAMES = {
    "passages": N_("coded passages (overlapping codings merged)"),
    "words": N_("coded words"),
    "transcripts": N_("transcripts with a coding"),
    "informants": N_("informants with a coding"),
}


def coder_option(scope: scopes.Scope) -> str:
    """The --coder value a scope stands for (kept on the app, so it is read afresh; given
    to an export, so the file counts what the screen counts)."""
    return scopes.ALL if scope.kind == scopes.ALL else scope.coders[0]


def current_scope(app: App[None] | object, project: Project, coder: str) -> scopes.Scope:
    """The scope a screen shows now: the coder's own codings while blind, else the one the
    workspace chose with ``o`` on any screen that counts codings (read afresh, so a
    consensus says how far it is now), else the default; counted as chosen (passages
    unless asked)."""
    count = getattr(app, "scope_count", scopes.DEFAULT_COUNT)
    if app_blind(app):
        return scopes.one_coder(coder, count, blind=True)
    key = getattr(app, "scope_key", None)
    if key:
        try:
            return scopes.resolve(project, key, count)
        except QualcodeError:  # that coder's codings are gone: back to the default
            pass
    return scopes.default_scope(project, count)


def title(app: App[None] | object, project: Project, coder: str, what: str) -> str:
    """``what · Kodinger: anna, bjorn — kodede passasjer, sammenslått`` for a title bar, in
    the workspace's language (the scope's words too, whatever the guide's language)."""
    return f" {what} · {current_scope(app, project, coder).line(ui_language())}"


def choose_scope(
    app: App[None],
    project: Project,
    coder: str,
    done: Callable[[scopes.Scope | None], None],
    with_count: bool = False,
) -> None:
    """Ask whose codings to count: only mine (blind), the default, all coders, the
    consensus or one coder (and, ``with_count``, how to count). Any choice but the coder's
    own ends blind mode, and the dialog says so. ``done`` gets the scope (None: cancelled)."""
    store, shown = project.store, ui_language()
    ends = _(" (ends blind mode)") if app_blind(app) else ""
    options: dict[str, str] = {"me": _("only mine ({coder}): blind mode").format(coder=coder)}
    default = scopes.default_scope(project).who(shown)
    labels = {"default": _("default: {whose}").format(whose=default) + ends}
    humans = scopes.human_coders(store)
    if len(humans) > 1:
        labels["who:" + scopes.ALL] = _("all coders: {names}").format(names=", ".join(humans))
        labels["who:" + scopes.ALL] += ends
    if store.codings.all(coder=consensus_coder(store)):
        consensus = scopes.consensus_scope(project)
        labels["who:" + consensus.coders[0]] = f"{consensus.who(shown)}{ends}"
    for name in humans:
        if name != coder:
            labels["who:" + name] = f"{name}{ends}"
    options.update(labels)

    def whose(answer: str | None) -> None:
        if answer is None:
            done(None)
            return
        set_app_blind(app, answer == "me")
        if answer != "me":
            key = answer.removeprefix("who:") if answer.startswith("who:") else None
            app.scope_key = key  # type: ignore[attr-defined]
        if with_count:
            counts = [(key, _(name)) for key, name in COUNT_NAMES.items()]
            app.push_screen(ChoicePrompt(_("Count in each cell:"), counts), count)
        else:
            done(current_scope(app, project, coder))

    def count(answer: str | None) -> None:
        if answer:
            app.scope_count = answer  # type: ignore[attr-defined]
        done(current_scope(app, project, coder))

    app.push_screen(ChoicePrompt(_("Whose codings?"), list(options.items())), whose)
