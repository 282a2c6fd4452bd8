"""CSV that a spreadsheet opens as data, never as formulas (OWASP's CSV-injection rule).

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run by
Excel and LibreOffice as a formula (``=HYPERLINK(…)``, ``=cmd|' /C calc'!A0``); such a cell
gets a leading ``'``, which both show as text and hide. A cell that is a number (a κ of
-0.12) stays a number. ``raw`` (``--raw`` on the command line) is for scripts.

qualcode's own CSV readers take the mark off again, so an exported file imports unchanged.
"""

from __future__ import annotations

import csv
import io
import re

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MARK = "'"
BOM = "\ufeff"
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?%?")


def is_number(cell: str) -> bool:
    return bool(_NUMBER.fullmatch(cell.strip()))


def escape_cell(cell: str) -> str:
    """``cell`` as a spreadsheet shows it as text, never runs it. A cell that already looks
    escaped (``'=x``) gets a mark too, so :func:`unescape_cell` gives every cell back."""
    if cell.startswith(TRIGGERS) and not is_number(cell):
        return MARK + cell
    if cell.startswith(MARK) and unescape_cell(cell) != cell:
        return MARK + cell
    return cell


def unescape_cell(cell: str) -> str:
    """The cell as it was before :func:`escape_cell` (a plain ``'`` text is left alone)."""
    rest = cell[1:]
    if cell.startswith(MARK) and (
        (rest.startswith(TRIGGERS) and not is_number(rest))
        or (rest.startswith(MARK) and unescape_cell(rest) != rest)
    ):
        return rest
    return cell


def escape_csv(text: str) -> str:
    """Every cell of the CSV ``text`` escaped; same dialect (commas, ``\\n``, minimal quoting)
    as qualcode's writers, so a file with nothing to escape is returned byte for byte."""
    bom = BOM if text.startswith(BOM) else ""
    body = text[len(bom) :]
    rows = list(csv.reader(io.StringIO(body, newline="")))
    if not any(escape_cell(cell) != cell for row in rows for cell in row):
        return text
    buf = io.StringIO()
    # csv quotes a cell holding the line terminator ("\n") but not a bare "\r"; such a cell
    # would split its row when read back, so then every cell is quoted
    bare_cr = any("\r" in cell for row in rows for cell in row)
    writer = csv.writer(
        buf, lineterminator="\n", quoting=csv.QUOTE_ALL if bare_cr else csv.QUOTE_MINIMAL
    )
    writer.writerows([escape_cell(cell) for cell in row] for row in rows)
    return bom + buf.getvalue()


def escape_csv_bytes(data: bytes) -> bytes:
    return escape_csv(data.decode("utf-8")).encode("utf-8")
