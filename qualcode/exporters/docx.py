"""The report's shapes as Word documents, with real heading and quote styles to paste from."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocumentObject
from docx.shared import Pt

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


def _paragraphs(doc: DocumentObject, text: str) -> None:
    for p in text.replace("\r\n", "\n").strip().split("\n\n"):
        if p.strip():
            doc.add_paragraph(" ".join(p.split()))


def _quote(doc: DocumentObject, seg: Segment, style: str) -> None:
    para = doc.add_paragraph(f"«{seg.quote}» ", style=style)
    para.add_run(f"({seg.source})").italic = True


def summaries_docx(chapters: list[CaseChapter], title: str = "") -> bytes:
    """Heading 1 per case, Heading 2 per report question, Heading 3 per theme."""
    doc = Document()
    if title:
        doc.core_properties.title = title
    for chapter in chapters:
        doc.add_heading(chapter.case, level=1)
        for section in chapter.sections:
            doc.add_heading(section.title, level=2)
            if section.empty:
                doc.add_paragraph().add_run(NOTHING_YET).italic = True
                continue
            _paragraphs(doc, section.summary)
            for block in section.themes:
                doc.add_heading(block.theme.name, level=3)
                if block.summary:
                    _paragraphs(doc, block.summary)
                    for seg in block.key_quotes:
                        _quote(doc, seg, KEY_QUOTE_STYLE)
                else:
                    doc.add_paragraph().add_run(NO_SUMMARY).italic = True
                    for seg in block.coded:
                        _quote(doc, seg, KEY_QUOTE_STYLE if seg.key else QUOTE_STYLE)
    return _bytes(doc)


def matrix_docx(matrix: Matrix, case_label: str = "Kommune", title: str = "") -> bytes:
    """A table per the matrix: a bold header row per size group, cells "n — summary start"."""
    doc = Document()
    doc.add_heading(title or "Rammematrise", level=1)
    table = doc.add_table(rows=1, cols=1 + len(matrix.themes))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, [case_label, *(t.name for t in matrix.themes)], strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for size, cases in matrix.groups:
        row = table.add_row().cells
        merged = row[0].merge(row[-1])
        merged.text = ""
        merged.paragraphs[0].add_run(size).bold = True
        for case in cases:
            cells = table.add_row().cells
            cells[0].text = case
            for cell, theme in zip(cells[1:], matrix.themes, strict=True):
                data = matrix.cell(case, theme.id)
                cell.text = (f"{data.count} — {summary_start(data.summary, 80)}" if data.summary
                             else str(data.count))
    for row in table.rows:
        for cell in row.cells:
            for para in cell.paragraphs:
                for run in para.runs:
                    run.font.size = Pt(8)
    return _bytes(doc)


def comparison_docx(rows: list[ComparisonRow], title: str = "") -> bytes:
    """Tabell 1: Kategori | Likheter | Forskjeller, the evidence under the category's name."""
    doc = Document()
    if title:
        doc.add_paragraph(title, style="Caption")
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["Kategori", "Likheter", "Forskjeller"], strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for r in rows:
        cells = table.add_row().cells
        cells[0].text = r.name
        cells[0].add_paragraph().add_run(r.evidence_text).italic = True
        cells[1].text = r.likheter
        cells[2].text = r.forskjeller
    return _bytes(doc)
