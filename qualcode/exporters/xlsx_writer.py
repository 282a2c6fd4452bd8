"""Excel workbooks of plain tables, written straight as SpreadsheetML, in linear time.

openpyxl builds and serialises an object per cell (20–50 µs each): the codings of a
300-interview study are 450,000 cells, 10–14 s. The tables qualcode exports need only text
and numbers, a bold header row, wrapped top-aligned cells, frozen panes and column widths,
so they are written here as the XML itself (about 1 µs a cell). Text is always written as
text (an inline string), so a note starting with "=" is never run as a formula. openpyxl
reads the result back in the tests.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from qualcode.exporters.xmltext import xml_safe

BODY, HEAD = 1, 2  # style indexes in styles.xml below: wrapped; wrapped and bold


@dataclass
class Sheet:
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    freeze: str = "A2"  # the first cell that scrolls
    widths: dict[int, float] = field(default_factory=dict)  # 1-based column -> width
    default_width: float = 18
    # what makes a sheet open right: each row as tall as its wrapped text (Excel and
    # LibreOffice keep a written row one line tall otherwise, hiding the rest), a filter on
    # the header, and printed one page wide (landscape unless said)
    fit_rows: bool = True
    autofilter: bool = True
    landscape: bool = True


LINE_PT = 15.0  # one line of 11 pt Calibri
MAX_ROW_PT = 409.0  # Excel's tallest row


def _lines(text: str, width: float) -> int:
    """About how many lines ``text`` wraps to in a column ``width`` characters wide: by
    length, not word by word (a cell costs no more than a length), reckoned generously
    (words do not fill a line to its end) so that a row is never too short."""
    per_line = max(width - 2.0, 1.0)
    return sum(int(len(part) * 1.15 / per_line) + 1 for part in text.split("\n"))


def _height(values: Sequence[Any], widths: list[float]) -> float | None:
    lines = 1
    for value, width in zip(values, widths, strict=False):
        if isinstance(value, str) and (len(value) > width - 2 or "\n" in value):
            lines = max(lines, _lines(value, width))
    return min(lines * LINE_PT + 2, MAX_ROW_PT) if lines > 1 else None


def _column(n: int) -> str:
    """1 -> A, 27 -> AA."""
    name = ""
    while n:
        n, rest = divmod(n - 1, 26)
        name = chr(65 + rest) + name
    return name


def _split(cell: str) -> tuple[int, int]:
    letters = "".join(ch for ch in cell if ch.isalpha())
    number = int("".join(ch for ch in cell if ch.isdigit()) or "1")
    column = 0
    for ch in letters.upper():
        column = column * 26 + ord(ch) - 64
    return max(column, 1), number


def _cell(ref: str, value: Any, style: int) -> str:
    if value is None or value == "":
        return f'<c r="{ref}" s="{style}"/>'
    if isinstance(value, bool):
        return f'<c r="{ref}" s="{style}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>'
    text = escape(xml_safe(str(value)))
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _sheet_xml(sheet: Sheet) -> str:
    ncols = len(sheet.header)
    letters = [_column(i) for i in range(1, ncols + 1)]
    col, row = _split(sheet.freeze)
    pane = ""
    if col > 1 or row > 1:
        split = (f' xSplit="{col - 1}"' if col > 1 else "") + (
            f' ySplit="{row - 1}"' if row > 1 else ""
        )
        which = "bottomRight" if col > 1 and row > 1 else ("bottomLeft" if row > 1 else "topRight")
        pane = (
            f'<pane{split} topLeftCell="{sheet.freeze}" activePane="{which}" state="frozen"/>'
            f'<selection pane="{which}"/>'
        )
    widths = [float(sheet.widths.get(i, sheet.default_width)) for i in range(1, ncols + 1)]
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
        for i, w in enumerate(widths, start=1)
    )
    # printed one A4 page wide (any number tall): a column left over would print its
    # values on a page of their own, away from the labels beside them
    fit = '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
    out = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{fit}"
        f'<sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        f"<cols>{cols}</cols><sheetData>"
    ]
    last = 0
    for r, values in enumerate([list(sheet.header), *sheet.rows], start=1):
        style = HEAD if r == 1 else BODY
        cells = "".join(
            _cell(f"{letters[i] if i < ncols else _column(i + 1)}{r}", v, style)
            for i, v in enumerate(values)
        )
        height = _height(values, widths) if sheet.fit_rows else None
        tall = f' ht="{height:g}" customHeight="1"' if height else ""
        out.append(f'<row r="{r}"{tall}>{cells}</row>')
        last = r
    out.append("</sheetData>")
    if sheet.autofilter and last > 1 and ncols:
        out.append(f'<autoFilter ref="A1:{letters[-1]}{last}"/>')
    orientation = "landscape" if sheet.landscape else "portrait"
    out.append(
        '<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" '
        f'footer="0.3"/><pageSetup paperSize="9" orientation="{orientation}" fitToWidth="1" '
        'fitToHeight="0"/>'
    )
    out.append("</worksheet>")
    return "".join(out)


_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""  # noqa: E501


def workbook(sheets: Sequence[Sheet]) -> bytes:
    """The .xlsx file holding ``sheets``, in order (byte-identical for the same input)."""
    ns = "http://schemas.openxmlformats.org"
    rel = f"{ns}/officeDocument/2006/relationships"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Types xmlns="{ns}/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{overrides}</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{ns}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{rel}"><sheets>'
            + "".join(
                f'<sheet name={quoteattr(xml_safe(s.title)[:31])} sheetId="{i}" r:id="rId{i}"/>'
                for i, s in enumerate(sheets, start=1)
            )
            + "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{ns}/package/2006/relationships">'
            + "".join(
                f'<Relationship Id="rId{i}" Type="{rel}/worksheet" '
                f'Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, len(sheets) + 1)
            )
            + f'<Relationship Id="rId{len(sheets) + 1}" Type="{rel}/styles" '
            'Target="styles.xml"/></Relationships>'
        ),
        "xl/styles.xml": _STYLES,
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))  # fixed time: same bytes
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text)
        for i, sheet in enumerate(sheets, start=1):
            info = zipfile.ZipInfo(f"xl/worksheets/sheet{i}.xml", (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, _sheet_xml(sheet).encode("utf-8"))
    return buf.getvalue()
