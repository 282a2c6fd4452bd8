"""The report's shapes as Word documents, with real heading and quote styles to paste from."""

from __future__ import annotations

import io
from collections.abc import Iterator

from docx.document import Document as DocumentObject
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from qualcode.exporters.docx_table import (
    Cell,
    Row,
    Run,
    SpanRow,
    add_table,
    append_markup,
    paragraph_xml,
)
from qualcode.exporters.word import new_document
from qualcode.exporters.xmltext import xml_safe
from qualcode.report import (
    NO_SUMMARY,
    NOTHING_YET,
    CaseChapter,
    ComparisonRow,
    Matrix,
    Segment,
    summary_start,
)

KEY_QUOTE_STYLE = "Intense Quote"  # key quotes stand out from the plain coded ones
QUOTE_STYLE = "Quote"


def _bytes(doc: DocumentObject) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


class _Builder:
    """Appends paragraphs to a document quickly, written as XML and parsed in batches.

    python-docx finds a style by name on every paragraph, scans the body for the section
    properties before inserting each one and builds every run and property element through
    its object layer (about a millisecond a paragraph: seconds for a report with thousands
    of quotes). Here style ids are resolved once and paragraphs are written as markup
    (docx_table.paragraph_xml), parsed a few hundred at a time: the XML Word reads is the
    same.
    """

    _BATCH = 400

    def __init__(self, doc: DocumentObject):
        self.doc = doc
        self.body = doc.element.body
        self.sect = self.body.find(qn("w:sectPr"))
        if self.sect is not None:
            self.body.remove(self.sect)
        self._ids: dict[str, str] = {}
        self._pending: list[str] = []

    def _style_id(self, style: str | None) -> str | None:
        if style is None:
            return None
        if style not in self._ids:
            self._ids[style] = self.doc.styles[style].style_id
        return self._ids[style]

    def runs(self, runs: list[Run], style: str | None = None) -> None:
        self._pending.append(paragraph_xml(runs, self._style_id(style)))
        if len(self._pending) >= self._BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            append_markup(self.body, "".join(self._pending))
            self._pending = []

    def add(self, text: str = "", style: str | None = None) -> Paragraph:
        """One paragraph as a python-docx object (for callers that style it further)."""
        self._flush()
        p = OxmlElement("w:p")
        self.body.append(p)
        para = Paragraph(p, self.doc._body)
        style_id = self._style_id(style)
        if style_id is not None:
            p.style = style_id
        if text:
            para.add_run(xml_safe(text))
        return para

    def heading(self, text: str, level: int) -> None:
        self.runs([Run(text)], f"Heading {level}")

    def note(self, text: str) -> None:
        self.runs([Run(text, italic=True)])

    def paragraphs(self, text: str) -> None:
        for p in text.replace("\r\n", "\n").strip().split("\n\n"):
            if p.strip():
                self.runs([Run(" ".join(p.split()))])

    def quote(self, seg: Segment, style: str) -> None:
        self.runs([Run(f"«{seg.quote}» "), Run(f"({seg.source})", italic=True)], style)

    def finish(self) -> bytes:
        self._flush()
        if self.sect is not None:
            self.body.append(self.sect)
            self.sect = None
        return _bytes(self.doc)


def summaries_docx(
    chapters: list[CaseChapter], title: str = "", scope_line: str = "", lang: str = "nb"
) -> bytes:
    """Heading 1 per case, Heading 2 per report question, Heading 3 per theme; first, the
    line saying whose codings the quotes are."""
    # A4, 2.5 cm margins, the guide's language (nb-NO: Norwegian is not misspelt English)
    doc = new_document(lang)
    if title:
        doc.core_properties.title = title
    out = _Builder(doc)
    if scope_line:
        out.note(scope_line)
    for chapter in chapters:
        out.heading(chapter.case, 1)
        for section in chapter.sections:
            out.heading(section.title, 2)
            if section.empty:
                out.note(NOTHING_YET)
                continue
            out.paragraphs(section.summary)
            for block in section.themes:
                out.heading(block.theme.name, 3)
                if block.summary:
                    out.paragraphs(block.summary)
                    for seg in block.key_quotes:
                        out.quote(seg, KEY_QUOTE_STYLE)
                else:
                    out.note(NO_SUMMARY)
                    for seg in block.coded:
                        out.quote(seg, KEY_QUOTE_STYLE if seg.key else QUOTE_STYLE)
    return out.finish()


def matrix_docx(
    matrix: Matrix, case_label: str = "Kommune", title: str = "", lang: str = "nb"
) -> bytes:
    """A table per the matrix: a bold header row per size group, cells "n — summary start"."""
    # the matrix's many columns: a landscape page
    doc = new_document(lang, landscape=True)
    doc.add_heading(title or "Rammematrise", level=1)
    if matrix.scope_line:
        doc.add_paragraph().add_run(xml_safe(matrix.scope_line)).italic = True

    def body() -> Iterator[Row]:
        for size, cases in matrix.groups:
            yield SpanRow([[Run(size, bold=True)]])
            for case in cases:
                cells: list[Cell] = [case]
                for theme in matrix.themes:
                    data = matrix.cell(case, theme.id)
                    cells.append(
                        f"{data.count} — {summary_start(data.summary, 80)}"
                        if data.summary
                        else str(data.count)
                    )
                yield cells

    add_table(doc, [case_label, *(t.name for t in matrix.themes)], body(), font_pt=8)
    return _bytes(doc)


def comparison_docx(
    rows: list[ComparisonRow], title: str = "", scope_line: str = "", lang: str = "nb"
) -> bytes:
    """Tabell 1: Kategori | Likheter | Forskjeller, the evidence under the category's name."""
    doc = new_document(lang)
    if title:
        doc.add_paragraph(title, style="Caption")
    if scope_line:
        doc.add_paragraph().add_run(xml_safe(scope_line)).italic = True
    add_table(
        doc,
        ["Kategori", "Likheter", "Forskjeller"],
        (
            [[[Run(r.name)], [Run(r.evidence_text, italic=True)]], r.likheter, r.forskjeller]
            for r in rows
        ),
    )
    return _bytes(doc)
