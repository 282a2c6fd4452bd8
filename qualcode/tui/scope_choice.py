"""Whose codings a workspace screen counts: the scope it shows, and the dialog to choose one.

Blind mode wins over any choice (a coder coding blind sees only their own codings on every
screen); otherwise a screen shows the scope the user chose, else the default scope.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App

from qualcode import scope as scopes
from qualcode.i18n import ui as _
from qualcode.i18n import ui_language
from qualcode.model import QualcodeError
from qualcode.project import Project
from qualcode.tui.dialogs.prompts import ChoicePrompt
from qualcode.tui.session import app_blind


def screen_scope(
    app: App[None], project: Project, coder: str, chosen: scopes.Scope | None
) -> scopes.Scope:
    if app_blind(app):
        return scopes.one_coder(coder, blind=True)
    return chosen or scopes.default_scope(project.store, project.language)


def choose_scope(
    app: App[None], project: Project, coder: str, done: Callable[[scopes.Scope | None], None]
) -> None:
    """Ask whose codings to count: the default, all coders, one coder, or the consensus."""
    if app_blind(app):
        app.notify(
            _("Blind mode: only your own codings are shown (b turns blind mode off)"), timeout=4
        )
        return
    store, lang = project.store, project.language
    options: dict[str, scopes.Scope] = {
        "default": scopes.default_scope(store, lang),
        "all": scopes.all_coders(store),
    }
    for name in scopes.human_coders(store):
        options[f"coder:{name}"] = scopes.one_coder(name)
    try:
        options["consensus"] = scopes.resolve(store, lang, "consensus")
    except QualcodeError:  # no consensus yet
        pass
    labels = [
        (key, (_("Default: ") if key == "default" else "") + scope.who(ui_language()))
        for key, scope in options.items()
    ]

    def picked(key: str | None) -> None:
        done(options[key] if key else None)

    app.push_screen(ChoicePrompt(_("Whose codings?"), labels), picked)
