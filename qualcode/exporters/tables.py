"""The report's tables as CSV (byte for byte stable) and as Excel workbooks (xlsx_writer)."""

from __future__ import annotations

import csv
import io
from typing import Any

from qualcode.exporters.xlsx_writer import Sheet, workbook
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


def _with_scope(sheets: list[Sheet], scope: Scope | None, lang: str) -> bytes:
    """The workbook; with a scope, a last sheet says whose codings and how they are counted."""
    if scope is not None:
        en = lang.startswith("en")
        rows = [
            ["Coders" if en else "Kodere", ", ".join(scope.coders)],
            ["Counting" if en else "Telling", scope.counting(lang)],
            ["Default" if en else "Standardvalg", _yes(scope.default, en)],
        ]
        head = ["Codings" if en else "Kodinger", scope.label(lang)]
        sheets = [*sheets, Sheet(SCOPE_SHEET, head, rows, "A1", {1: 18, 2: 70})]
    return workbook(sheets)


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
    header = _matrix_header(matrix, case_label)
    widths: dict[int, float] = {1: 24, 2: 12}
    texts = {**widths, **{i: 40 for i in range(3, len(header) + 1)}}
    return _with_scope(
        [
            Sheet("Matrise", header, _matrix_rows(matrix, False), "C2", widths),
            Sheet("Oppsummeringer", header, _matrix_rows(matrix, True), "C2", texts),
        ],
        matrix.scope,
        lang,
    )


# the comparison table -----------------------------------------------------------------
def _comparison_rows(rows: list[ComparisonRow]) -> list[list[Any]]:
    return [[r.name, r.likheter, r.forskjeller, r.evidence_text, "; ".join(r.cases)] for r in rows]


def comparison_csv(
    rows: list[ComparisonRow], scope: Scope | None = None, lang: str = "nb"
) -> bytes:
    return _csv(COMPARISON_HEADER, _comparison_rows(rows), scope.line(lang) if scope else "")


def comparison_xlsx(
    rows: list[ComparisonRow], scope: Scope | None = None, lang: str = "nb"
) -> bytes:
    widths: dict[int, float] = {1: 24, 2: 45, 3: 45, 4: 30, 5: 40}
    table = Sheet("Tabell 1", COMPARISON_HEADER, _comparison_rows(rows), "B2", widths)
    return _with_scope([table], scope, lang)


# the codings --------------------------------------------------------------------------
def codings_csv(
    columns: list[str], rows: list[dict[str, Any]], scope: Scope | None = None, lang: str = "nb"
) -> bytes:
    line = scope.line(lang) if scope else ""
    return _csv(columns, [[r.get(c, "") for c in columns] for r in rows], line)


def codings_xlsx(
    columns: list[str], rows: list[dict[str, Any]], scope: Scope | None = None, lang: str = "nb"
) -> bytes:
    widths: dict[int, float] = {columns.index("quote") + 1: 60} if "quote" in columns else {}
    body = ([r.get(c, "") for c in columns] for r in rows)
    return _with_scope([Sheet("Kodinger", columns, body, "A2", widths)], scope, lang)


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
    # 31: Excel's limit for a sheet name
    return _with_scope([Sheet(title[:31], header, rows)], scope, lang)
