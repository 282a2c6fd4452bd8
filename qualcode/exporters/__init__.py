"""Exporters: qualcode data out to files other tools read, and the table of what there is.

``KINDS`` maps each export kind to its formats (format → writer, the first the default)
and the options the kind takes. The CLI's ``export`` and the workspace's "Export…" both
look exports up here, so the two faces offer the same files. A writer turns the project
and an :class:`ExportRequest` into the file's bytes; each imports its library (python-docx,
openpyxl, matplotlib, lxml) only when it runs, so looking at the table stays cheap.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from qualcode import report
from qualcode import scope as scopes
from qualcode.csv_safe import escape_csv_bytes
from qualcode.exporters.options import DocOptions
from qualcode.i18n import N_, doc_language, ui, ui_language
from qualcode.model import QualcodeError
from qualcode.output_file import check_output, write_output
from qualcode.scope import Scope
from qualcode.titles import ComparisonLabels, comparison_labels, title_block

if TYPE_CHECKING:
    from qualcode.project import Project

# The kinds whose figures stand on a scope, and say so under their title.
SCOPED = frozenset({"summaries", "matrix", "comparison", "codings"})

# What an export may be asked besides its format; each kind says which it takes.
ExportOption = Literal[
    "coder",
    "count",
    "coders",
    "unit",
    "transcripts",
    "cases",
    "codes",
    "informant_only",
    "all_turns",
    "positions",
]
# Whose codings a kind holds: the report kinds default to the consensus coder when it has
# codings (else all coders); the exchange kinds hold every coder's; agreement compares two.
WhoseCodings = Literal["report", "every", "pair"]


@dataclass(frozen=True)
class ExportRequest:
    """The options of one export; a kind reads only those it takes."""

    coder: str | None = None  # a coder's name, "all", "consensus", or None for the default
    count: str | None = None  # what a matrix cell counts (None: passages), see qualcode.scope
    coders: tuple[str, str] | None = None  # agreement: the two coders compared
    unit: str = "turn"  # agreement: the unit of analysis
    transcripts: tuple[str, ...] = ()  # agreement: only these transcripts
    codes: tuple[str, ...] = ()  # agreement: only these codes (id or name)
    informant_only: bool = False  # agreement: leave out the interviewer's turns
    cases: tuple[str, ...] = ()  # agreement: only these cases' transcripts
    all_turns: bool = False  # agreement: the interviewer's turns too (turn, sentence units)
    positions: str | None = None  # qdpx: how offsets are counted (None: in characters)
    # Word and Excel: language, title block, heading level, detail, template, evidence;
    # None: the guide's language and the defaults (see layout())
    layout: DocOptions | None = None


Writer = Callable[["Project", ExportRequest], bytes]


@dataclass(frozen=True)
class ExportKind:
    name: str
    formats: dict[str, Writer]  # in the order offered; the first is the default
    options: frozenset[ExportOption]
    whose: WhoseCodings
    description: str

    def writer(self, fmt: str) -> Writer:
        if fmt not in self.formats:
            raise QualcodeError(
                ui('{kind} can be exported as {formats}, not "{format}"').format(
                    kind=self.name, formats=", ".join(self.formats), format=fmt
                )
            )
        return self.formats[fmt]


# --- the report's shapes, for the coder(s) asked for ------------------------------------


def request_scope(project: Project, request: ExportRequest) -> Scope:
    """The scope ``--coder``/``--count`` name (default: the complete consensus, else all)."""
    return scopes.resolve(project, request.coder, request.count)


def _coder(project: Project, request: ExportRequest) -> Scope:
    return request_scope(project, request)


def _line(project: Project, request: ExportRequest) -> str:
    return request_scope(project, request).line(project.language)


def _chapters(project: Project, request: ExportRequest) -> list[report.CaseChapter]:
    report.report_guide(project)  # no guide is said before anything about the scope
    return report.build_summaries(project, _coder(project, request))


def _matrix(project: Project, request: ExportRequest) -> report.Matrix:
    return report.build_matrix(project, _coder(project, request))


def _comparison(project: Project, request: ExportRequest) -> list[report.ComparisonRow]:
    report.report_guide(project)  # no guide is said before anything about the scope
    return report.build_comparison(project, _coder(project, request))


def _codings(project: Project, request: ExportRequest) -> tuple[list[str], list[dict]]:
    return report.codings_table(project, _coder(project, request))


def layout(project: Project, request: ExportRequest, kind: str = "") -> DocOptions:
    """The request's layout (or the defaults: the guide's language), with the title block
    every document opens with: the guide's title, what the document is, and for the report's
    kinds the line saying whose codings it stands on and how it counts them."""
    base = request.layout or DocOptions(doc_language(project.language))
    lines = (request_scope(project, request).line(base.lang),) if kind in SCOPED else ()
    return replace(base, title=title_block(project.guide, kind, base.lang, lines))


def _labels(project: Project, options: DocOptions) -> ComparisonLabels:
    return comparison_labels(project.guide, options.lang)


def _label(project: Project) -> str:
    return project.guide.case_label if project.guide else "Case"


def _title(project: Project) -> str:
    return project.guide.title if project.guide else ""


# --- writers, each loading its library when it runs --------------------------------------


def _markdown(kind: str) -> Writer:
    def write(project: Project, request: ExportRequest) -> bytes:
        from qualcode.exporters import markdown

        line = _line(project, request)
        if kind == "summaries":
            return markdown.summaries_md(_chapters(project, request), "", line).encode("utf-8")
        o = layout(project, request, kind)
        if kind == "summaries-html":
            chapters = _chapters(project, request)
            html = markdown.summaries_html(chapters, _title(project), line, o.lang)
            return html.encode("utf-8")
        if kind == "matrix":
            return markdown.matrix_md(_matrix(project, request), _label(project)).encode("utf-8")
        rows = _comparison(project, request)
        return markdown.comparison_md(rows, _labels(project, o), o.lang, line).encode("utf-8")

    return write


def _docx(kind: str) -> Writer:
    def write(project: Project, request: ExportRequest) -> bytes:
        from qualcode.exporters import docx

        o = layout(project, request, kind)
        if kind == "summaries":
            return docx.summaries_docx(_chapters(project, request), o)
        if kind == "matrix":
            return docx.matrix_docx(_matrix(project, request), _label(project), o)
        return docx.comparison_docx(_comparison(project, request), _labels(project, o), o)

    return write


def _table(kind: str, fmt: Literal["csv", "xlsx"]) -> Writer:
    def write(project: Project, request: ExportRequest) -> bytes:
        from qualcode.exporters import tables

        scope, o = request_scope(project, request), layout(project, request, kind)
        if kind == "matrix":
            shape = _matrix(project, request)
            if fmt == "csv":
                return tables.matrix_csv(shape, _label(project))
            return tables.matrix_xlsx(shape, _label(project), o)
        if kind == "comparison":
            rows = _comparison(project, request)
            labels = _labels(project, o)
            if fmt == "csv":
                return tables.comparison_csv(rows, labels, scope, o.lang)
            return tables.comparison_xlsx(rows, labels, o, scope)
        columns, found = _codings(project, request)
        if fmt == "csv":
            return tables.codings_csv(columns, found, scope, o.lang)
        return tables.codings_xlsx(columns, found, o, scope)

    return write


def _png(project: Project, request: ExportRequest) -> bytes:
    from qualcode.exporters import charts  # matplotlib is slow to import; only for png

    return charts.matrix_png(_matrix(project, request), _title(project), project.language)


def _exchange(kind: Literal["qdpx", "qdc"]) -> Writer:
    def write(project: Project, request: ExportRequest) -> bytes:
        from qualcode.refi.bridge import export_exchange  # lxml and the REFI writer: only here

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"project.{kind}"
            export_exchange(
                project, kind, path, _title(project), request.coder, request.positions or "chars"
            )
            return path.read_bytes()

    return write


def _agreement(fmt: Literal["md", "docx", "csv"]) -> Writer:
    def write(project: Project, request: ExportRequest) -> bytes:
        from qualcode.agreement.inputs import (
            agreement_report,
            comparison_for,
            report_inputs,
            unitizing_for,
        )
        from qualcode.exporters import agreement, tables
        from qualcode.exporters.agreement_sections import Extras

        if not request.coders:
            raise QualcodeError(ui("export agreement needs the two coders: --coders A B"))
        found = agreement_report(
            project,
            request.coders[0],
            request.coders[1],
            unit=request.unit,
            transcript_ids=request.transcripts,
            codes=request.codes,
            informant_only=request.informant_only,
            cases=request.cases,
            all_turns=request.all_turns,
        )
        names = {c.id: c.name for c in project.store.codes.all()}
        o = layout(project, request, "agreement")
        inputs = report_inputs(project.store, found)  # read once for both tables
        extras = Extras(
            o.lang,
            cells=comparison_for(project.store, found, inputs),
            unitized=unitizing_for(project.store, found, inputs),
        )
        if fmt == "md":
            return agreement.to_markdown(found, names, extras, o.lang).encode("utf-8")
        if fmt == "csv":  # with the mark Excel needs to read UTF-8, as the other CSV exports
            text = agreement.to_csv(found, names, extras, o.lang)
            return tables.BOM.encode("utf-8") + text.encode("utf-8")
        from qualcode.exporters import agreement_docx  # python-docx only when Word is asked for

        return agreement_docx.to_docx(found, names, o, extras)

    return write


def _analysis(kind: Literal["cooccurrence", "crosstab"], fmt: str) -> Writer:
    """Co-occurrence (passages coded with both codes, code level) and the crosstab by the
    guide's first case attribute, for the coder(s) asked for; the CLI's own commands
    offer their other choices (--within, --level, --by)."""

    def write(project: Project, request: ExportRequest) -> bytes:
        from qualcode import cooccurrence, crosstab
        from qualcode.exporters import analysis

        lang = project.language
        scope = request_scope(project, request)
        if kind == "cooccurrence":
            found = cooccurrence.build_cooccurrence(project.store, scope)
            title = analysis.cooccurrence_title(lang)
            return analysis.cooccurrence_file(found, fmt, title, scope.label(lang))
        attrs = project.guide.case_attributes if project.guide else []
        by = attrs[0].id if attrs else crosstab.SPEAKER
        table = crosstab.build_crosstab(project, scope, by)
        title = analysis.crosstab_title(table.by_name, lang)
        return analysis.crosstab_file(table, fmt, title, scope.label(lang), lang)

    return write


_CODER: frozenset[ExportOption] = frozenset({"coder", "count"})
_AGREEMENT: frozenset[ExportOption] = frozenset(
    {"coders", "unit", "transcripts", "cases", "codes", "informant_only", "all_turns"}
)

KINDS: dict[str, ExportKind] = {
    kind.name: kind
    for kind in (
        ExportKind(
            "summaries",
            {
                "md": _markdown("summaries"),
                "docx": _docx("summaries"),
                "html": _markdown("summaries-html"),
            },
            _CODER,
            "report",
            N_("the case summaries by theme, with their quotes"),
        ),
        ExportKind(
            "matrix",
            {
                "csv": _table("matrix", "csv"),
                "xlsx": _table("matrix", "xlsx"),
                "md": _markdown("matrix"),
                "docx": _docx("matrix"),
                "png": _png,
            },
            _CODER,
            "report",
            N_("cases × themes: codings and summaries in each cell"),
        ),
        ExportKind(
            "comparison",
            {
                "md": _markdown("comparison"),
                "docx": _docx("comparison"),
                "xlsx": _table("comparison", "xlsx"),
                "csv": _table("comparison", "csv"),
            },
            _CODER,
            "report",
            N_("Table 1: similarities and differences per category, with their evidence"),
        ),
        ExportKind(
            "codings",
            {"csv": _table("codings", "csv"), "xlsx": _table("codings", "xlsx")},
            _CODER,
            "report",
            N_("every coding as a row"),
        ),
        ExportKind(
            "qdpx",
            {"qdpx": _exchange("qdpx")},
            frozenset({"coder", "positions"}),
            "every",
            N_("a REFI-QDA project for NVivo, ATLAS.ti, MAXQDA, QualCoder"),
        ),
        ExportKind(
            "qdc",
            {"qdc": _exchange("qdc")},
            frozenset({"coder"}),
            "every",
            N_("the REFI-QDA codebook"),
        ),
        ExportKind(
            "cooccurrence",
            {f: _analysis("cooccurrence", f) for f in ("csv", "xlsx", "md", "png")},
            frozenset({"coder"}),
            "report",
            N_("code × code: stretches of text coded with both codes"),
        ),
        ExportKind(
            "crosstab",
            {f: _analysis("crosstab", f) for f in ("csv", "xlsx", "md", "docx")},
            frozenset({"coder"}),
            "report",
            N_("codes × size (the first case attribute): passages and cases coded"),
        ),
        ExportKind(
            "agreement",
            {"md": _agreement("md"), "docx": _agreement("docx"), "csv": _agreement("csv")},
            _AGREEMENT,
            "pair",
            N_("agreement between two coders, per code"),
        ),
    )
}

KNOWN_FORMATS = frozenset(fmt for kind in KINDS.values() for fmt in kind.formats)


def find_kind(name: str) -> ExportKind:
    kind = KINDS.get(name)
    if kind is None:
        raise QualcodeError(
            ui('no export kind "{name}"; choose one of {kinds}').format(
                name=name, kinds=", ".join(KINDS)
            )
        )
    return kind


def whose_codings(project: Project, kind: ExportKind, request: ExportRequest) -> str:
    """Whose codings ``kind`` holds, for the screen that reports the export, so in the
    user's language (``Codings: anna, bjorn — coded passages, merged``; the file says it in
    its own); an unknown coder is refused."""
    if kind.whose == "every" and not request.coder:
        return ui("every coder's codings")
    return request_scope(project, request).line(ui_language())


def save_new(
    project: Project, kind: ExportKind, fmt: str, path: Path, request: ExportRequest
) -> str:
    """Write one export to ``path``, a file that must not exist yet, under the one rule for
    files qualcode writes (:mod:`qualcode.output_file`), CSV made safe for spreadsheets;
    returns what the file holds. For the workspace, which never overwrites."""
    check_output(path, force=False, root=project.root)  # before the work, not after
    chosen = whose_codings(project, kind, request) if kind.whose != "pair" else ""
    data = kind.writer(fmt)(project, request)
    if fmt == "csv":
        data = escape_csv_bytes(data)
    write_output(path, data, force=False, root=project.root)
    if kind.whose == "pair":
        return f"{kind.name} ({fmt})"
    return f"{kind.name} ({fmt}; {chosen})"
