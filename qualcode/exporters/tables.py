"""The report's tables as CSV (byte for byte stable) and as Excel workbooks (xlsx_writer),
made to open right: rows as tall as their text, a frozen and filterable header, numbers as
numbers, and an "Om tabellen" sheet saying what the table is and counts."""

from __future__ import annotations

import csv
import io
from typing import Any

from qualcode.exporters.options import DocOptions
from qualcode.exporters.xlsx_writer import Sheet, workbook
from qualcode.i18n import translator
from qualcode.report import SIDES, ComparisonRow, Matrix
from qualcode.scope import Scope
from qualcode.titles import ComparisonLabels, TitleBlock, matrix_note

# Excel (Norwegian locale too) reads a double-clicked CSV as UTF-8 only when it starts with
# a byte-order mark; without one æ, ø and å turn into mojibake. qualcode's own importers
# skip the mark, and it is the same three bytes every time, so output stays deterministic.
BOM = "\ufeff"


def _csv(header: list[str], rows: list[list[Any]], scope_line: str = "") -> bytes:
    """The table with, first, a ``# scope`` line (R's ``comment.char``, pandas' ``comment``
    skip it; qualcode's own importers do too)."""
    buf = io.StringIO()
    buf.write(BOM)
    if scope_line:
        buf.write(f"# {' '.join(scope_line.split())}\n")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _widths(header: list[str], widths: dict[int, float], default: float = 18) -> dict[int, float]:
    """Each column at least as wide as the longest word of its (bold) heading: never
    "Kommunest-ørrelse" over two lines."""
    out = {}
    for i, h in enumerate(header, start=1):
        longest = max((len(w) for w in h.split()), default=0)
        out[i] = max(widths.get(i, default), round(longest * 1.2 + 2, 1))
    return out


def _about(
    block: TitleBlock, definitions: list[str], lang: str, scope: Scope | None = None
) -> Sheet:
    """The sheet that says what the tables are, whose codings they stand on and how they
    are counted, and what their columns mean ("Om tabellen")."""
    _ = translator(lang)
    rows: list[list[str]] = []
    if block.subtitle:
        rows.append([_("Contents"), block.subtitle])
    if scope is not None:
        rows += [
            [_("Codings"), scope.label(lang)],
            [_("Coders"), ", ".join(scope.coders)],
            [_("Counting"), scope.counting(lang)],
            [_("Default choice"), _("yes") if scope.default else _("no")],
        ]
    else:
        rows += [["", line] for line in block.lines]
    rows += [[_("Definition") if i == 0 else "", text] for i, text in enumerate(definitions)]
    return Sheet(
        _("About the table"),
        [_("Title"), block.title or block.subtitle],
        rows,
        "A2",
        {1: 16, 2: 72},  # one portrait page wide
        autofilter=False,
        landscape=False,
    )


# the matrix ---------------------------------------------------------------------------
def _matrix_header(matrix: Matrix, case_label: str) -> list[str]:
    return [case_label, matrix.attribute_label, *(t.name for t in matrix.themes)]


def _matrix_rows(matrix: Matrix) -> list[list[Any]]:
    return [
        [case, size, *(matrix.cell(case, t.id).count for t in matrix.themes)]
        for size, cases in matrix.groups
        for case in cases
    ]


def matrix_csv(matrix: Matrix, case_label: str = "Kommune") -> bytes:
    """Counts only: one row per case, grouped by size, a column per theme (its name)."""
    return _csv(_matrix_header(matrix, case_label), _matrix_rows(matrix), matrix.scope_line)


def matrix_xlsx(
    matrix: Matrix, case_label: str = "Kommune", options: DocOptions | None = None
) -> bytes:
    """Sheet ``Matrise`` with the counts; ``Oppsummeringer``, a row per case and theme with
    its count and its summary in columns of their own; ``Om tabellen``."""
    o = options or DocOptions()
    _ = translator(o.lang)
    header = _matrix_header(matrix, case_label)
    counts = Sheet(_("Matrix"), header, _matrix_rows(matrix), "C2", _widths(header, {1: 24, 2: 14}))
    rows = [
        [case, size, t.name, matrix.cell(case, t.id).count, matrix.cell(case, t.id).summary.strip()]
        for size, cases in matrix.groups
        for case in cases
        for t in matrix.themes
    ]
    summary_header = [case_label, matrix.attribute_label, _("Theme"), _("Coded"), _("Summary")]
    widths = _widths(summary_header, {1: 24, 2: 14, 3: 36, 4: 10, 5: 90})
    texts = Sheet(_("Summaries"), summary_header, rows, "D2", widths)
    case = case_label.lower()
    about = _about(
        o.title,
        [
            matrix_note(matrix.scope, case, o.lang),
            _("The summaries are the analysts' own, one per {case} and theme.").format(case=case),
        ],
        o.lang,
        matrix.scope,
    )
    return workbook([counts, texts, about])


# the comparison table -----------------------------------------------------------------
def _comparison_header(labels: ComparisonLabels, lang: str) -> list[str]:
    _ = translator(lang)
    return [
        _("Category"),
        _("Similarities"),
        _("Differences"),
        labels.evidence,
        *(labels.support[side] for side in SIDES),
    ]


def _comparison_rows(rows: list[ComparisonRow]) -> list[list[Any]]:
    return [
        [
            r.name,
            r.likheter,
            r.forskjeller,
            r.evidence_text,
            *("; ".join(r.support.get(side, [])) for side in SIDES),
        ]
        for r in rows
    ]


def comparison_csv(
    rows: list[ComparisonRow], labels: ComparisonLabels, scope: Scope | None, lang: str
) -> bytes:
    line = scope.line(lang) if scope else ""
    return _csv(_comparison_header(labels, lang), _comparison_rows(rows), line)


def comparison_xlsx(
    rows: list[ComparisonRow],
    labels: ComparisonLabels,
    options: DocOptions | None = None,
    scope: Scope | None = None,
) -> bytes:
    """Tabell 1 with its notes, then for each group the cases with codings and the cases in
    it as two numbers, and the cases' names; ``Om tabellen`` defines the counts."""
    o = options or DocOptions()
    _ = translator(o.lang)
    groups = [g for g, _n, _t in rows[0].evidence] if rows else []
    header = [_("Category"), _("Similarities"), _("Differences")]
    for group in groups:
        header += [f"{labels.evidence}: {group}", _("{group}: in all").format(group=group)]
    header.append(labels.evidence + _(" (names)"))
    header += [labels.support[side] for side in SIDES]
    body: list[list[Any]] = []
    for r in rows:
        line: list[Any] = [r.name, r.likheter, r.forskjeller]
        for _g, n, total in r.evidence:
            line += [n, total]
        line.append("; ".join(r.cases))
        line += ["; ".join(r.support.get(side, [])) for side in SIDES]
        body.append(line)
    names = len(header) - len(SIDES)
    widths: dict[int, float] = {1: 24, 2: 45, 3: 45, names: 40, names + 1: 30, names + 2: 30}
    table = Sheet(_("Table 1"), header, body, "B2", _widths(header, widths, 14), 14)
    return workbook([table, _about(o.title, [labels.caption, labels.definition], o.lang, scope)])


# the codings --------------------------------------------------------------------------
def codings_csv(
    columns: list[str], rows: list[dict[str, Any]], scope: Scope | None = None, lang: str = "nb"
) -> bytes:
    line = scope.line(lang) if scope else ""
    return _csv(columns, [[r.get(c, "") for c in columns] for r in rows], line)


def codings_xlsx(
    columns: list[str],
    rows: list[dict[str, Any]],
    options: DocOptions | None = None,
    scope: Scope | None = None,
) -> bytes:
    o = options or DocOptions()
    _ = translator(o.lang)
    widths: dict[int, float] = {columns.index("quote") + 1: 60} if "quote" in columns else {}
    if "memo" in columns:
        widths[columns.index("memo") + 1] = 40
    body = ([r.get(c, "") for c in columns] for r in rows)
    about = _about(
        o.title,
        [_("One row per coded segment, with its case's attributes: tidy for R or pandas.")],
        o.lang,
        scope,
    )
    return workbook([Sheet(_("Codings"), columns, body, "A2", _widths(columns, widths)), about])


# any table ----------------------------------------------------------------------------
def plain_csv(
    header: list[str], rows: list[list[Any]], scope: Scope | None = None, lang: str = "nb"
) -> bytes:
    """A table as CSV, written the way every other export writes its CSV (with the
    ``# Kodinger`` line when it stands on a scope)."""
    return _csv(header, rows, scope.line(lang) if scope else "")


def plain_xlsx(
    title: str,
    header: list[str],
    rows: list[list[Any]],
    scope: Scope | None = None,
    lang: str = "nb",
) -> bytes:
    """A table as a one-sheet workbook (sheet ``title``), formatted as every other sheet,
    with the "Om tabellen" sheet when it stands on a scope."""
    # 31: Excel's limit for a sheet name
    sheets = [Sheet(title[:31], header, rows, "A2", _widths(header, {}))]
    if scope is not None:
        sheets.append(_about(TitleBlock(title), [], lang, scope))
    return workbook(sheets)
