"""The report's tables as CSV (byte for byte stable) and as Excel workbooks (openpyxl)."""

from __future__ import annotations

import csv
import io
import textwrap
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from qualcode.exporters.options import DocOptions
from qualcode.exporters.xmltext import xml_safe
from qualcode.i18n import translator
from qualcode.report import SIDES, ComparisonRow, Matrix
from qualcode.titles import ComparisonLabels, TitleBlock

# Excel (Norwegian locale too) reads a double-clicked CSV as UTF-8 only when it starts with
# a byte-order mark; without one æ, ø and å turn into mojibake. qualcode's own importers
# skip the mark, and it is the same three bytes every time, so output stays deterministic.
BOM = "\ufeff"


def _csv(header: list[str], rows: list[list[Any]]) -> bytes:
    buf = io.StringIO()
    buf.write(BOM)
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _xlsx(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# Excel and LibreOffice do not grow a row for wrapped text written by a program: a row keeps
# one line's height and its text is hidden. Each row is given the height its fullest cell
# needs, reckoned as the spreadsheet would wrap it.
LINE_PT = 15.0  # one line of 11 pt Calibri
MAX_ROW_PT = 409.0  # Excel's tallest row


def _lines(text: str, width: float) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` characters wide (a
    width unit holds about one average letter; reckoned a little generously, so that a
    row is never too short)."""
    per_line = max(int(width) - 1, 1)
    return sum(
        max(len(textwrap.wrap(part, per_line, break_on_hyphens=False)), 1)
        for part in text.split("\n")
    )


HEADER_FONT = Font(name="Calibri", size=11, bold=True)


def _longest_word(text: str) -> int:
    return max((len(w) for w in text.split()), default=0)


def _print_setup(ws: Worksheet) -> None:
    """Printed (or saved as PDF) landscape, as wide as the page: all columns side by side."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def _sheet(
    ws: Worksheet,
    header: list[str],
    rows: list[list[Any]],
    freeze: str = "A2",
    widths: dict[int, int] | None = None,
    default_width: int = 18,
) -> None:
    """Header in bold, frozen and filterable; every cell wrapped and top-aligned, each row
    as tall as its text; numbers stay numbers."""
    ws.append([xml_safe(h) for h in header])
    for row in rows:
        ws.append([xml_safe(v) if isinstance(v, str) else v for v in row])
    wrap = Alignment(wrap_text=True, vertical="top")
    # a column at least as wide as the longest word of its (bold) heading: never "Kommunest-
    # ørrelse" over two lines
    col_widths = [
        max((widths or {}).get(i, default_width), _longest_word(h) * 1.2 + 2)
        for i, h in enumerate(header, start=1)
    ]
    for i, width in enumerate(col_widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for r, row in enumerate(ws.iter_rows(), start=1):
        lines = 1
        for cell, width in zip(row, col_widths, strict=False):
            cell.alignment = wrap
            if cell.data_type == "f":
                # openpyxl stores any text starting with "=" as a formula; a case name or a
                # note is text, never something Excel should run (e.g. =HYPERLINK(...)).
                cell.data_type = "s"
            if isinstance(cell.value, str):
                lines = max(lines, _lines(cell.value, width))
        if lines > 1:
            ws.row_dimensions[r].height = min(lines * LINE_PT + 2, MAX_ROW_PT)
    for cell in ws[1]:
        cell.font = HEADER_FONT
    ws.freeze_panes = freeze
    _print_setup(ws)
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"


def _about(wb: Workbook, block: TitleBlock, definitions: list[str], lang: str) -> None:
    """The sheet that says what the tables are and what they count ("Om tabellen")."""
    _ = translator(lang)
    ws = wb.create_sheet(_("About the table"))
    ws.column_dimensions["A"].width = 100
    lines = [block.title, block.subtitle, *block.lines, "", *definitions]
    for i, line in enumerate(lines, start=1):
        cell = ws.cell(i, 1, xml_safe(line))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if i == 1:
            cell.font = Font(name="Calibri", bold=True, size=14)
        height = _lines(line, 100)
        if height > 1:
            ws.row_dimensions[i].height = height * LINE_PT + 2


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
    return _csv(_matrix_header(matrix, case_label), _matrix_rows(matrix))


def matrix_xlsx(
    matrix: Matrix, case_label: str = "Kommune", options: DocOptions | None = None
) -> bytes:
    """Sheet ``Matrise`` with the counts; ``Oppsummeringer``, a row per case and theme with
    its count and its summary in columns of their own; ``Om tabellen``."""
    o = options or DocOptions()
    _ = translator(o.lang)
    wb = Workbook()
    counts = wb.active
    assert counts is not None
    counts.title = _("Matrix")
    header = _matrix_header(matrix, case_label)
    _sheet(counts, header, _matrix_rows(matrix), freeze="C2", widths={1: 24, 2: 14})
    texts = wb.create_sheet(_("Summaries"))
    rows = [
        [case, size, t.name, matrix.cell(case, t.id).count, matrix.cell(case, t.id).summary.strip()]
        for size, cases in matrix.groups
        for case in cases
        for t in matrix.themes
    ]
    summary_header = [case_label, matrix.attribute_label, _("Theme"), _("Coded"), _("Summary")]
    _sheet(texts, summary_header, rows, freeze="D2", widths={1: 24, 2: 14, 3: 36, 4: 10, 5: 90})
    case = case_label.lower()
    _about(
        wb,
        o.title,
        [
            _(
                "Each number is how many segments are coded with the theme or one of its codes "
                "in the transcripts of that {case}."
            ).format(case=case),
            _("The summaries are the analysts' own, one per {case} and theme.").format(case=case),
        ],
        o.lang,
    )
    return _xlsx(wb)


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


def comparison_csv(rows: list[ComparisonRow], labels: ComparisonLabels, lang: str) -> bytes:
    return _csv(_comparison_header(labels, lang), _comparison_rows(rows))


def comparison_xlsx(
    rows: list[ComparisonRow], labels: ComparisonLabels, options: DocOptions | None = None
) -> bytes:
    """Tabell 1 with its notes, then for each group the cases with codings and the cases in
    it as two numbers, and the cases' names; ``Om tabellen`` defines the counts."""
    o = options or DocOptions()
    _ = translator(o.lang)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Table 1")
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
    widths = {1: 24, 2: 45, 3: 45, names: 40, names + 1: 30, names + 2: 30}
    _sheet(ws, header, body, freeze="B2", widths=widths, default_width=14)
    _about(wb, o.title, [labels.caption, labels.definition], o.lang)
    return _xlsx(wb)


# the codings --------------------------------------------------------------------------
def codings_csv(columns: list[str], rows: list[dict[str, Any]]) -> bytes:
    return _csv(columns, [[r.get(c, "") for c in columns] for r in rows])


def codings_xlsx(
    columns: list[str], rows: list[dict[str, Any]], options: DocOptions | None = None
) -> bytes:
    o = options or DocOptions()
    _ = translator(o.lang)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Codings")
    widths = {columns.index("quote") + 1: 60} if "quote" in columns else {}
    if "memo" in columns:
        widths[columns.index("memo") + 1] = 40
    _sheet(ws, columns, [[r.get(c, "") for c in columns] for r in rows], widths=widths)
    _about(
        wb,
        o.title,
        [_("One row per coded segment, with its case's attributes: tidy for R or pandas.")],
        o.lang,
    )
    return _xlsx(wb)


# any table ----------------------------------------------------------------------------
def plain_csv(header: list[str], rows: list[list[Any]]) -> bytes:
    """A table as CSV, written the way every other export writes its CSV."""
    return _csv(header, rows)


def plain_xlsx(title: str, header: list[str], rows: list[list[Any]]) -> bytes:
    """A table as a one-sheet workbook (sheet ``title``), formatted as every other sheet."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title[:31]  # Excel's limit for a sheet name
    _sheet(ws, header, rows)
    return _xlsx(wb)
