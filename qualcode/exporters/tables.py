"""The report's tables as CSV (byte for byte stable) and as Excel workbooks (openpyxl)."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from qualcode.exporters.xmltext import xml_safe
from qualcode.report import ComparisonRow, Matrix
from qualcode.scope import Scope

COMPARISON_HEADER = ["Kategori", "Likheter", "Forskjeller", "Belegg", "Kommuner med kodinger"]


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


SCOPE_SHEET = "Om tallene"


def _yes(value: bool, en: bool) -> str:
    return ("yes" if value else "no") if en else ("ja" if value else "nei")


def _xlsx(wb: Workbook, scope: Scope | None = None, lang: str = "nb") -> bytes:
    """The workbook's bytes; with a scope, a last sheet says whose codings and how counted."""
    if scope is not None:
        ws = wb.create_sheet(SCOPE_SHEET)
        facts = scope.to_json(lang)
        en = lang.startswith("en")
        rows = [
            ("Codings" if en else "Kodinger", facts["label"]),
            ("Coders" if en else "Kodere", ", ".join(facts["coders"])),
            ("Counting" if en else "Telling", scope.counting(lang)),
            ("Default" if en else "Standardvalg", _yes(scope.default, en)),
        ]
        _sheet(ws, list(rows[0]), [list(r) for r in rows[1:]], freeze="A1", widths={1: 18, 2: 70})
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _sheet(
    ws: Worksheet,
    header: list[str],
    rows: list[list[Any]],
    freeze: str = "A2",
    widths: dict[int, int] | None = None,
) -> None:
    """Header in bold and frozen, every cell wrapped and top-aligned."""
    ws.append([xml_safe(h) for h in header])
    for row in rows:
        ws.append([xml_safe(v) if isinstance(v, str) else v for v in row])
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = wrap
            if cell.data_type == "f":
                # openpyxl stores any text starting with "=" as a formula; a case name or a
                # note is text, never something Excel should run (e.g. =HYPERLINK(...)).
                cell.data_type = "s"
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = freeze
    for i in range(1, len(header) + 1):
        ws.column_dimensions[get_column_letter(i)].width = (widths or {}).get(i, 18)


# the matrix ---------------------------------------------------------------------------
def _matrix_header(matrix: Matrix, case_label: str) -> list[str]:
    return [case_label, matrix.attribute_label, *(t.name for t in matrix.themes)]


def _matrix_rows(matrix: Matrix, with_summary: bool) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for size, cases in matrix.groups:
        for case in cases:
            cells: list[Any] = []
            for t in matrix.themes:
                cell = matrix.cell(case, t.id)
                if with_summary:
                    cells.append(
                        f"{cell.count} — {cell.summary.strip()}"
                        if cell.summary.strip()
                        else str(cell.count)
                    )
                else:
                    cells.append(cell.count)
            rows.append([case, size, *cells])
    return rows


def matrix_csv(matrix: Matrix, case_label: str = "Kommune") -> bytes:
    """Counts only: one row per case, grouped by size, a column per theme (its name)."""
    return _csv(_matrix_header(matrix, case_label), _matrix_rows(matrix, False), matrix.scope_line)


def matrix_xlsx(matrix: Matrix, case_label: str = "Kommune", lang: str = "nb") -> bytes:
    """Sheet ``Matrise`` with the counts, sheet ``Oppsummeringer`` with "n — summary" cells."""
    wb = Workbook()
    counts = wb.active
    assert counts is not None
    counts.title = "Matrise"
    header = _matrix_header(matrix, case_label)
    _sheet(counts, header, _matrix_rows(matrix, False), freeze="C2", widths={1: 24, 2: 12})
    texts = wb.create_sheet("Oppsummeringer")
    widths = {1: 24, 2: 12, **{i: 40 for i in range(3, len(header) + 1)}}
    _sheet(texts, header, _matrix_rows(matrix, True), freeze="C2", widths=widths)
    return _xlsx(wb, matrix.scope, lang)


# the comparison table -----------------------------------------------------------------
def _comparison_rows(rows: list[ComparisonRow]) -> list[list[Any]]:
    return [[r.name, r.likheter, r.forskjeller, r.evidence_text, "; ".join(r.cases)] for r in rows]


def comparison_csv(
    rows: list[ComparisonRow], scope: Scope | None = None, lang: str = "nb"
) -> bytes:
    line = scope.line(lang) if scope else ""
    return _csv(COMPARISON_HEADER, _comparison_rows(rows), line)


def comparison_xlsx(
    rows: list[ComparisonRow], scope: Scope | None = None, lang: str = "nb"
) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Tabell 1"
    _sheet(
        ws,
        COMPARISON_HEADER,
        _comparison_rows(rows),
        freeze="B2",
        widths={1: 24, 2: 45, 3: 45, 4: 30, 5: 40},
    )
    return _xlsx(wb, scope, lang)


# the codings --------------------------------------------------------------------------
def codings_csv(
    columns: list[str], rows: list[dict[str, Any]], scope: Scope | None = None, lang: str = "nb"
) -> bytes:
    line = scope.line(lang) if scope else ""
    return _csv(columns, [[r.get(c, "") for c in columns] for r in rows], line)


def codings_xlsx(
    columns: list[str], rows: list[dict[str, Any]], scope: Scope | None = None, lang: str = "nb"
) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Kodinger"
    widths = {columns.index("quote") + 1: 60} if "quote" in columns else {}
    _sheet(ws, columns, [[r.get(c, "") for c in columns] for r in rows], widths=widths)
    return _xlsx(wb, scope, lang)


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
    with the "Om tallene" sheet when it stands on a scope."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title[:31]  # Excel's limit for a sheet name
    _sheet(ws, header, rows)
    return _xlsx(wb, scope, lang)
