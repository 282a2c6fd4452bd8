"""The Word document every export starts from: A4, a report's margins, the guide's language,
styles the user can restyle (or the research group's own template), and fast writers for
paragraphs and fixed-width tables.

Built-in styles only (Title, Heading n, Quote, Caption, Table Grid) plus one character style
for a quote's source, so that "restyle Heading 2" in Word or LibreOffice changes every case
heading at once, and a template's styles take over by name, as pandoc's ``--reference-doc``.
"""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from qualcode.exporters.xmltext import xml_safe
from qualcode.i18n import doc_tag, ui
from qualcode.model import QualcodeError
from qualcode.titles import TitleBlock

A4 = (Mm(210), Mm(297))
MARGIN = Mm(25)  # 2.5 cm all round, as a Norwegian report template has
QUOTE_SOURCE = "Quote Source"  # character style of "(transcript, speaker, [time])"
_TEMPLATE_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
_DOCUMENT_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def _open_template(path: Path) -> DocumentObject:
    """A .docx or .dotx as a document to write into (a .dotx is a .docx with another
    content type; python-docx reads only the latter, so the type is swapped in memory)."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise QualcodeError(
            ui("cannot read the template: {error}").format(error=e.strerror or e), str(path)
        ) from e
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zin:
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
                for item in zin.infolist():
                    data = zin.read(item.filename)
                    if item.filename == "[Content_Types].xml":
                        data = data.replace(_TEMPLATE_TYPE, _DOCUMENT_TYPE)
                    zout.writestr(item, data)
        doc = Document(io.BytesIO(out.getvalue()))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as e:
        raise QualcodeError(ui("not a Word document or template (.docx, .dotx)"), str(path)) from e
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)  # the template's own text goes; its styles and page stay
    return doc


def _set_language(doc: DocumentObject, tag: str) -> None:
    """The document's language everywhere Word and LibreOffice look for it."""
    doc.core_properties.language = tag
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    langs = [rpr.find(qn("w:lang"))] if rpr.find(qn("w:lang")) is not None else []
    if not langs:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
        langs = [lang]
    # a style that names a language of its own would keep it: every one is set
    langs += list(styles.iter(qn("w:lang")))
    for lang in langs:
        lang.set(qn("w:val"), tag)
    settings = doc.settings.element
    font_lang = settings.find(qn("w:themeFontLang"))
    if font_lang is not None:
        font_lang.set(qn("w:val"), tag)


def _body_font(doc: DocumentObject, name: str) -> None:
    """One face for body and headings (Word's default; LibreOffice shows Carlito, the same
    widths), instead of python-docx's blank template's Cambria."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    for style in doc.styles.element.iter(qn("w:rFonts")):
        if style is not fonts:
            for attr in list(style.attrib):
                if attr.endswith("Theme"):
                    del style.attrib[attr]
            for attr in ("w:ascii", "w:hAnsi"):
                style.set(qn(attr), name)


def _ensure_styles(doc: DocumentObject) -> None:
    """The styles the exports use, added where a template lacks them."""
    styles = doc.styles
    names = {s.name for s in styles}
    for name, kind, base in (
        ("Title", WD_STYLE_TYPE.PARAGRAPH, "Normal"),
        ("Subtitle", WD_STYLE_TYPE.PARAGRAPH, "Normal"),
        *((f"Heading {n}", WD_STYLE_TYPE.PARAGRAPH, "Normal") for n in range(1, 10)),
        ("Quote", WD_STYLE_TYPE.PARAGRAPH, "Normal"),
        ("Caption", WD_STYLE_TYPE.PARAGRAPH, "Normal"),
        ("Table Grid", WD_STYLE_TYPE.TABLE, None),
    ):
        if name in names:
            continue
        style = styles.add_style(name, kind)
        if base and base in names:
            style.base_style = styles[base]
        if name.startswith("Heading") or name in ("Title", "Caption"):
            style.font.bold = True
        if name == "Quote":
            style.font.italic = True
        if name == "Table Grid":
            _grid_borders(style.element)
    if "Quote" in names or "Quote" in {s.name for s in styles}:
        quote = styles["Quote"]
        fmt = quote.paragraph_format
        if fmt.left_indent is None:  # a block quote, set in; a template's own indent stays
            fmt.left_indent = Mm(10)
            fmt.right_indent = Mm(10)
    if QUOTE_SOURCE not in {s.name for s in styles}:
        source = styles.add_style(QUOTE_SOURCE, WD_STYLE_TYPE.CHARACTER)
        source.font.italic = False  # the source stands after the quote, not in its italics
        source.font.size = Pt(9)


def _grid_borders(style_element: object) -> None:
    tbl_pr = OxmlElement("w:tblPr")
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "4")
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), "auto")
        borders.append(line)
    tbl_pr.append(borders)
    style_element.append(tbl_pr)  # type: ignore[attr-defined]


def new_document(
    lang: str, template: Path | None = None, landscape: bool = False, title: str = ""
) -> DocumentObject:
    """An empty document: A4 with 2.5 cm margins (or the template's page), in ``lang``."""
    if template is not None:
        doc = _open_template(template)
    else:
        doc = Document()
        section = doc.sections[0]
        section.page_width, section.page_height = A4
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, MARGIN)
        _body_font(doc, "Calibri")
    if landscape:
        turn_landscape(doc.sections[-1]._sectPr)
    _set_language(doc, doc_tag(lang))
    _ensure_styles(doc)
    if title:
        doc.core_properties.title = title
    return doc


def turn_landscape(sect_pr: object) -> None:
    """A section's page turned on its side (the width is the longer edge)."""
    size = sect_pr.find(qn("w:pgSz"))  # type: ignore[attr-defined]
    if size is None:
        return
    w, h = int(size.get(qn("w:w"))), int(size.get(qn("w:h")))
    if w < h:
        size.set(qn("w:w"), str(h))
        size.set(qn("w:h"), str(w))
    size.set(qn("w:orient"), "landscape")


def text_width_mm(sect_pr: object) -> float:
    """The width between a section's margins, in millimetres."""
    size = sect_pr.find(qn("w:pgSz"))  # type: ignore[attr-defined]
    margins = sect_pr.find(qn("w:pgMar"))  # type: ignore[attr-defined]
    width = int(size.get(qn("w:w"))) if size is not None else 11906
    left = int(margins.get(qn("w:left"))) if margins is not None else 1417
    right = int(margins.get(qn("w:right"))) if margins is not None else 1417
    return (width - left - right) / 56.6929  # twentieths of a point per millimetre


# How wide each letter is, in thousandths of an em, in DejaVu Sans Bold: the widest face a
# document is likely to be shown in (LibreOffice falls back to it where Calibri and its
# stand-in Carlito are missing), so a column this wide holds its longest word in any of them.
_WIDTHS = {
    ch: width
    for width, chars in (
        (306, "'"),
        (343, "ijl"),
        (372, "IJ/\\|"),
        (380, ",.·’"),
        (400, ":;"),
        (415, "-"),
        (435, "f"),
        (460, "!()[]"),
        (478, "t"),
        (493, "r"),
        (523, '_`–"*'),
        (582, "z?"),
        (595, "cs"),
        (650, "Lxvy«»"),
        (680, "kaåäeéèTEF"),
        (690, "oøö"),
        (716, "$0123456789hnu{}übdgpqSYZPC"),
        (775, "BRXAVÅÄK"),
        (850, "UÜGDHNOQØÖ"),
        (875, "#+<=>^~&"),
        (924, "w"),
        (1000, "M@—…%"),
        (1050, "mæÆ"),
        (1103, "W"),
    )
    for ch in chars
}
_UNKNOWN_WIDTH = 800
CELL_MARGIN_MM = 1.2  # left and right inside a cell (Word's default is 1.9)
CELL_PADDING_MM = 2 * CELL_MARGIN_MM + 0.8  # and a little air, for the rounding of widths
MIN_FONT_PT = 6.5


def word_mm(word: str, font_pt: float) -> float:
    """How wide ``word`` is set in ``font_pt`` points (bold, the widest likely face), in mm."""
    ems = sum(_WIDTHS.get(ch, _UNKNOWN_WIDTH) for ch in word) / 1000
    return ems * font_pt * 25.4 / 72


def fit_widths(
    columns: Sequence[Sequence[str]],
    total_mm: float,
    font_pt: float,
    weights: Sequence[float] | None = None,
) -> tuple[list[float], float]:
    """Column widths (mm) that fill ``total_mm``, each at least as wide as its longest word,
    and the font size that makes that possible (smaller than ``font_pt`` only when the
    longest words would not fit side by side otherwise).

    The room left over is shared in proportion to ``weights``, by default to how much text
    each column holds, so the long Likheter and Forskjeller get the most.
    """
    size = font_pt
    while True:
        least = [
            max((word_mm(w, size) for text in col for w in text.split()), default=0.0)
            + CELL_PADDING_MM
            for col in columns
        ]
        if sum(least) <= total_mm or size <= MIN_FONT_PT:
            break
        size -= 0.5
    share = (
        list(weights)
        if weights is not None
        else [float(sum(len(t) for t in col)) or 1.0 for col in columns]
    )
    spare = max(total_mm - sum(least), 0.0)
    whole = sum(share) or 1.0
    return [w + spare * s / whole for w, s in zip(least, share, strict=True)], size


def to_bytes(doc: DocumentObject) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


class Writer:
    """Appends paragraphs and tables to a document in one pass, with styles looked up once.

    python-docx finds a style by name on every paragraph and scans the whole body for the
    section properties before inserting each one, so a report with thousands of quotes
    grows quadratically. Here the section properties are set aside while writing and the
    style ids are resolved once: the XML Word reads is the same.
    """

    def __init__(self, doc: DocumentObject):
        self.doc = doc
        self.body = doc.element.body
        self.sect = self.body.find(qn("w:sectPr"))
        if self.sect is not None:
            self.body.remove(self.sect)
        self._ids: dict[str, str] = {}

    def style_id(self, name: str) -> str:
        if name not in self._ids:
            self._ids[name] = self.doc.styles[name].style_id
        return self._ids[name]

    def add(self, text: str = "", style: str | None = None) -> Paragraph:
        p = OxmlElement("w:p")
        self.body.append(p)
        para = Paragraph(p, self.doc._body)
        if style is not None:
            p.style = self.style_id(style)
        if text:
            para.add_run(xml_safe(text))
        return para

    def heading(self, text: str, level: int) -> Paragraph:
        return self.add(text, f"Heading {min(max(level, 1), 9)}")

    def note(self, text: str) -> None:
        self.add().add_run(xml_safe(text)).italic = True

    def paragraphs(self, text: str) -> None:
        for p in text.replace("\r\n", "\n").strip().split("\n\n"):
            if p.strip():
                self.add(" ".join(p.split()))

    def quote(self, quote: str, source: str) -> None:
        """«quote» in the Quote style, then its source in plain type after it."""
        para = self.add(f"«{quote}»", "Quote")
        run = para.add_run(xml_safe(f" ({source})"))
        run._r.style = self.style_id(QUOTE_SOURCE)

    def title_block(self, block: TitleBlock) -> None:
        if block.title:
            self.add(block.title, "Title")
        if block.subtitle:
            self.add(block.subtitle, "Subtitle")
        for line in block.lines:
            self.add(line)

    def caption(self, text: str) -> None:
        self.add(text, "Caption")

    def section_break(self, landscape: bool) -> None:
        """End the section so far, on a page of the given orientation; what follows starts
        on a new page in the document's own (final) orientation."""
        if self.sect is None:
            return
        ended = copy.deepcopy(self.sect)
        size = ended.find(qn("w:pgSz"))
        if size is not None:
            w, h = int(size.get(qn("w:w"))), int(size.get(qn("w:h")))
            if landscape != (w > h):
                size.set(qn("w:w"), str(h))
                size.set(qn("w:h"), str(w))
            size.set(qn("w:orient"), "landscape" if landscape else "portrait")
        p = OxmlElement("w:p")
        p_pr = OxmlElement("w:pPr")
        p_pr.append(ended)
        p.append(p_pr)
        self.body.append(p)

    def table(
        self,
        widths_mm: Sequence[float],
        header: Sequence[str],
        rows: Sequence[Sequence[str | tuple[str, ...]]],
        font_pt: float | None = None,
        group_rows: Sequence[int] = (),
    ) -> None:
        """A table with fixed column widths, written row by row as XML (linear in size).

        The header row is bold and repeats on every page; a cell given as a tuple holds one
        paragraph per item; ``group_rows`` are row indexes shown as one bold merged cell.
        """
        tbl = OxmlElement("w:tbl")
        tbl_pr = OxmlElement("w:tblPr")
        style = OxmlElement("w:tblStyle")
        style.set(qn("w:val"), self.style_id("Table Grid"))
        tbl_pr.append(style)
        total = OxmlElement("w:tblW")
        total.set(qn("w:w"), str(sum(_twips(w) for w in widths_mm)))
        total.set(qn("w:type"), "dxa")
        tbl_pr.append(total)
        margins = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            margin = OxmlElement(f"w:{side}")
            margin.set(qn("w:w"), str(_twips(CELL_MARGIN_MM)))
            margin.set(qn("w:type"), "dxa")
            margins.append(margin)
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")  # the widths as set, not as the words would like
        tbl_pr.append(layout)
        tbl_pr.append(margins)
        look = OxmlElement("w:tblLook")
        look.set(qn("w:val"), "04A0")
        tbl_pr.append(look)
        tbl.append(tbl_pr)
        grid = OxmlElement("w:tblGrid")
        for w in widths_mm:
            col = OxmlElement("w:gridCol")
            col.set(qn("w:w"), str(_twips(w)))
            grid.append(col)
        tbl.append(grid)
        groups = set(group_rows)
        markup = [_row(widths_mm, list(header), font_pt, bold=True, header=True)]
        markup += [
            _group_row(widths_mm, str(cells[0]), font_pt)
            if i in groups
            else _row(widths_mm, list(cells), font_pt)
            for i, cells in enumerate(rows)
        ]
        _append_rows(tbl, markup)
        self.body.append(tbl)
        self.add()  # Word needs a paragraph between two tables and after the last one

    def finish(self) -> bytes:
        if self.sect is not None:
            self.body.append(self.sect)
            self.sect = None
        return to_bytes(self.doc)


def _twips(mm: float) -> int:
    return round(mm * 56.6929)


# Rows are written as markup and parsed a batch at a time: an element built one by one
# through OxmlElement costs ~10 µs, and a 4,000-row agreement table has 360,000 of them.
_BATCH = 500


def _cell(
    width_mm: float, texts: Sequence[str], font_pt: float | None, bold: bool, span: int = 1
) -> str:
    props = f'<w:tcW w:w="{_twips(width_mm)}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    run_props = "<w:b/>" if bold else ""
    if font_pt:
        size = round(font_pt * 2)
        run_props += f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
    run_head = f"<w:r><w:rPr>{run_props}</w:rPr>" if run_props else "<w:r>"
    # cells tight, not a body paragraph's gap
    p_head = '<w:p><w:pPr><w:spacing w:after="40" w:line="240" w:lineRule="auto"/></w:pPr>'
    body = "".join(
        p_head
        + (
            f'{run_head}<w:t xml:space="preserve">{escape(xml_safe(text))}</w:t></w:r>'
            if text
            else ""
        )
        + "</w:p>"
        for text in texts or [""]
    )
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{body}</w:tc>"


def _row(
    widths_mm: Sequence[float],
    cells: list[str | tuple[str, ...]],
    font_pt: float | None,
    bold: bool = False,
    header: bool = False,
) -> str:
    # cantSplit: a row stays on one page when it can; tblHeader: repeated on every page
    props = "<w:cantSplit/>" + ("<w:tblHeader/>" if header else "")
    tcs = "".join(
        _cell(width, list(value) if isinstance(value, tuple) else [value], font_pt, bold)
        for width, value in zip(widths_mm, cells, strict=True)
    )
    return f"<w:tr><w:trPr>{props}</w:trPr>{tcs}</w:tr>"


def _group_row(widths_mm: Sequence[float], text: str, font_pt: float | None) -> str:
    cell = _cell(sum(widths_mm), [text], font_pt, True, span=len(widths_mm))
    return f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{cell}</w:tr>"


def _append_rows(tbl: Any, rows: list[str]) -> None:
    for i in range(0, len(rows), _BATCH):
        parsed = parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(rows[i : i + _BATCH])}</w:tbl>")
        for tr in list(parsed):
            tbl.append(tr)
