"""The workspace's "Export…" command: choose a kind and a format from the core's export
table, name a new file, and write it (the same files `qualcode export` writes)."""

from __future__ import annotations

from pathlib import Path

from textual.app import App

from qualcode import exporters
from qualcode import scope as scopes
from qualcode.i18n import N_
from qualcode.i18n import ui as _
from qualcode.model import QualcodeError
from qualcode.project import Project
from qualcode.tui.dialogs.prompts import ChoicePrompt, TextPrompt
from qualcode.tui.scope_choice import choose_scope, coder_option

# what each export kind is called in the workspace (its key is the CLI's name for it)
KIND_TITLES = {
    "summaries": N_("Summaries"),
    "matrix": N_("Framework matrix"),
    "comparison": N_("Table 1"),
    "codings": N_("Codings"),
    "qdpx": N_("REFI-QDA project"),
    "qdc": N_("REFI-QDA codebook"),
    "cooccurrence": N_("Co-occurrence"),
    "crosstab": N_("Crosstab"),
    "agreement": N_("Agreement"),
}


def title(name: str) -> str:
    return _(KIND_TITLES.get(name, name))


def start_export(app: App[None], project: Project) -> None:
    """Ask kind, format, whose codings (for the kinds built from them) and file name, then
    write; every step can be cancelled with Escape."""
    # Agreement needs two coders and its own options: the agreement screen is its home.
    kinds = [k for k in exporters.KINDS.values() if k.whose != "pair"]

    def kind_chosen(name: str | None) -> None:
        if not name:
            return
        kind = exporters.KINDS[name]
        if len(kind.formats) == 1:
            format_chosen(kind, next(iter(kind.formats)))
            return
        app.push_screen(
            ChoicePrompt(
                _("Export {name} as:").format(name=title(name)), [(f, f) for f in kind.formats]
            ),
            lambda fmt: format_chosen(kind, fmt),
        )

    def format_chosen(kind: exporters.ExportKind, fmt: str | None) -> None:
        if not fmt:
            return
        coder = getattr(app, "coder", None)
        if kind.whose != "report" or not coder:  # REFI-QDA holds every coder's codings
            name_file(kind, fmt, exporters.ExportRequest())
            return

        def scoped(scope: scopes.Scope | None) -> None:
            if scope is None:
                return
            count = scope.count if "count" in kind.options else None
            request = exporters.ExportRequest(coder=coder_option(scope), count=count)
            name_file(kind, fmt, request)

        choose_scope(app, project, coder, scoped, with_count="count" in kind.options)

    def name_file(kind: exporters.ExportKind, fmt: str, request: exporters.ExportRequest) -> None:
        default = Path("exports") / f"{kind.name}.{fmt}"
        app.push_screen(
            TextPrompt(
                _("Write {name} ({fmt}) to (in the study folder):").format(
                    name=title(kind.name), fmt=fmt
                ),
                str(default),
            ),
            lambda name: write(kind, fmt, name, request),
        )

    def write(
        kind: exporters.ExportKind, fmt: str, name: str | None, request: exporters.ExportRequest
    ) -> None:
        if not name:
            return
        path = project.root / Path(name).expanduser()
        try:
            what = exporters.save_new(project, kind, fmt, path, request)
        except QualcodeError as err:
            app.notify(str(err), severity="error", markup=False)
            return
        app.notify(
            _("Wrote {what} to {path}").format(what=what, path=path), timeout=8, markup=False
        )

    app.push_screen(
        ChoicePrompt(
            _("Export:"), [(k.name, f"{title(k.name)} — {_(k.description)}") for k in kinds]
        ),
        kind_chosen,
    )
