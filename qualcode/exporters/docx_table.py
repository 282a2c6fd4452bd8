"""Word tables written straight into the XML, in time linear in their size.

python-docx's ``table.cell(i, j)`` rebuilds the table's whole cell grid on every call, so
filling a table cell by cell is quadratic (an agreement report of 300 transcripts spent
133 of 139 s there). Here each row is written as ``<w:tr>`` markup and a batch of rows is
parsed at once: no grid is ever built. Every exporter that writes a table uses this.

A cell is a plain string, or a list of paragraphs, each a list of :class:`Run`.
A row given as :class:`SpanRow` is one cell across the whole table (a group heading).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from docx.document import Document as DocumentObject
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.table import Table

from qualcode.exporters.xmltext import xml_safe

_BATCH = 500  # rows parsed per call: large enough to be fast, small enough for memory


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


Paragraphs = Sequence[Sequence[Run]]
Cell = str | Paragraphs


@dataclass(frozen=True)
class SpanRow:
    """One cell spanning every column (e.g. a bold group heading)."""

    cell: Cell


Row = Sequence[Cell] | SpanRow


def _run_xml(run: Run, size_half_points: int | None) -> str:
    props = ""
    if run.bold:
        props += "<w:b/>"
    if run.italic:
        props += "<w:i/>"
    if size_half_points:
        props += f'<w:sz w:val="{size_half_points}"/>'
    head = f"<w:r><w:rPr>{props}</w:rPr>" if props else "<w:r>"
    # python-docx's cell.text writes \n as a line break and \t as a tab: so do we.
    parts: list[str] = []
    for i, line in enumerate(xml_safe(run.text).split("\n")):
        if i:
            parts.append("<w:br/>")
        for j, piece in enumerate(line.split("\t")):
            if j:
                parts.append("<w:tab/>")
            if piece:
                parts.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    return head + "".join(parts) + "</w:r>"


def paragraph_xml(runs: Sequence[Run], style_id: str | None = None, size: int | None = None) -> str:
    """One ``<w:p>``: its style (by style id) and its runs."""
    props = f'<w:pPr><w:pStyle w:val="{escape(style_id)}"/></w:pPr>' if style_id else ""
    return "<w:p>" + props + "".join(_run_xml(r, size) for r in runs if r.text) + "</w:p>"


def append_markup(parent: object, markup: str) -> None:
    """Parse body-level markup (paragraphs, tables) and move its elements into ``parent``."""
    parsed = parse_xml(f"<w:body {nsdecls('w')}>{markup}</w:body>")
    for element in list(parsed):
        parent.append(element)  # type: ignore[attr-defined]


def _cell_xml(cell: Cell, width: int | None, span: int, bold: bool, size: int | None) -> str:
    paragraphs: Paragraphs = [[Run(cell, bold=bold)]] if isinstance(cell, str) else cell
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>' if width is not None else ""
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    body = "".join(
        "<w:p>" + "".join(_run_xml(r, size) for r in para if r.text) + "</w:p>"
        for para in paragraphs
    )
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{body or '<w:p/>'}</w:tc>"


def _row_xml(row: Row, widths: list[int | None], bold: bool, size: int | None) -> str:
    if isinstance(row, SpanRow):
        known = [w for w in widths if w is not None]
        total = sum(known) if len(known) == len(widths) else None
        return "<w:tr>" + _cell_xml(row.cell, total, len(widths), bold, size) + "</w:tr>"
    cells = list(row)
    if len(cells) != len(widths):
        raise ValueError(f"a row of {len(cells)} cells in a table of {len(widths)} columns")
    return (
        "<w:tr>"
        + "".join(_cell_xml(c, widths[i], 1, bold, size) for i, c in enumerate(cells))
        + "</w:tr>"
    )


def add_table(
    doc: DocumentObject,
    header: Sequence[str],
    rows: Iterable[Row],
    *,
    style: str | None = "Table Grid",
    font_pt: float | None = None,
) -> Table:
    """A table at the end of ``doc``: a bold header row, then ``rows``, in linear time."""
    table = doc.add_table(rows=0, cols=len(header))
    if style:
        table.style = style
    tbl = table._tbl
    # Each cell carries its column's width, as python-docx's own rows do.
    widths = [None if col.w is None else int(col.w.twips) for col in tbl.tblGrid.gridCol_lst]
    size = round(font_pt * 2) if font_pt else None
    append_rows(tbl, [list(header)], widths, bold=True, size=size)
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) == _BATCH:
            append_rows(tbl, batch, widths, size=size)
            batch = []
    if batch:
        append_rows(tbl, batch, widths, size=size)
    return table


def append_rows(
    tbl: object,
    rows: Sequence[Row],
    widths: list[int | None],
    *,
    bold: bool = False,
    size: int | None,
) -> None:
    """Parse ``rows`` as one piece of markup and move its ``<w:tr>`` into ``tbl``."""
    markup = "".join(_row_xml(r, widths, bold, size) for r in rows)
    parsed = parse_xml(f"<w:tbl {nsdecls('w')}>{markup}</w:tbl>")
    for tr in list(parsed):
        tbl.append(tr)  # type: ignore[attr-defined]
