"""The report's tables as CSV (byte for byte stable) and as Excel workbooks (xlsx_writer)."""

from __future__ import annotations

import csv
import io
from typing import Any

from qualcode.exporters.xlsx_writer import Sheet, workbook
from qualcode.report import ComparisonRow, Matrix

COMPARISON_HEADER = ["Kategori", "Likheter", "Forskjeller", "Belegg", "Kommuner med kodinger"]


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
    return _csv(_matrix_header(matrix, case_label), _matrix_rows(matrix, False))


def matrix_xlsx(matrix: Matrix, case_label: str = "Kommune") -> bytes:
    """Sheet ``Matrise`` with the counts, sheet ``Oppsummeringer`` with "n — summary" cells."""
    header = _matrix_header(matrix, case_label)
    widths: dict[int, float] = {1: 24, 2: 12}
    texts = {**widths, **{i: 40 for i in range(3, len(header) + 1)}}
    return workbook(
        [
            Sheet("Matrise", header, _matrix_rows(matrix, False), "C2", widths),
            Sheet("Oppsummeringer", header, _matrix_rows(matrix, True), "C2", texts),
        ]
    )


# the comparison table -----------------------------------------------------------------
def _comparison_rows(rows: list[ComparisonRow]) -> list[list[Any]]:
    return [[r.name, r.likheter, r.forskjeller, r.evidence_text, "; ".join(r.cases)] for r in rows]


def comparison_csv(rows: list[ComparisonRow]) -> bytes:
    return _csv(COMPARISON_HEADER, _comparison_rows(rows))


def comparison_xlsx(rows: list[ComparisonRow]) -> bytes:
    widths: dict[int, float] = {1: 24, 2: 45, 3: 45, 4: 30, 5: 40}
    return workbook([Sheet("Tabell 1", COMPARISON_HEADER, _comparison_rows(rows), "B2", widths)])


# the codings --------------------------------------------------------------------------
def codings_csv(columns: list[str], rows: list[dict[str, Any]]) -> bytes:
    return _csv(columns, [[r.get(c, "") for c in columns] for r in rows])


def codings_xlsx(columns: list[str], rows: list[dict[str, Any]]) -> bytes:
    widths: dict[int, float] = {columns.index("quote") + 1: 60} if "quote" in columns else {}
    body = ([r.get(c, "") for c in columns] for r in rows)
    return workbook([Sheet("Kodinger", columns, body, "A2", widths)])


# any table ----------------------------------------------------------------------------
def plain_csv(header: list[str], rows: list[list[Any]]) -> bytes:
    """A table as CSV, written the way every other export writes its CSV."""
    return _csv(header, rows)


def plain_xlsx(title: str, header: list[str], rows: list[list[Any]]) -> bytes:
    """A table as a one-sheet workbook (sheet ``title``), formatted as every other sheet."""
    return workbook([Sheet(title[:31], header, rows)])  # 31: Excel's limit for a sheet name
