"""What a user sees: the demo study's Word and Excel exports opened in LibreOffice and
printed to PDF. Page size and orientation as meant, no word of a table broken across
lines (a column narrower than its longest word breaks it mid-syllable), and every word of
a spreadsheet's wrapped cells on the page (a row too short hides its text).

Skipped where LibreOffice (soffice) or poppler (pdftotext, pdfinfo) is not installed: CI
has neither. ``scripts/render_exports.py`` makes the pictures in docs/ the same way.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import docx
import openpyxl
import pytest

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))
import render_exports  # noqa: E402

SOFFICE, PDFTOPPM, PDFTOTEXT = render_exports.tools()
pytestmark = pytest.mark.skipif(
    not (SOFFICE and PDFTOTEXT), reason="needs LibreOffice (soffice) and poppler (pdftotext)"
)
A4 = (595, 842)  # points, ±1


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    folder = tmp_path_factory.mktemp("visual")
    files = render_exports.export_demo(folder)
    assert SOFFICE is not None
    pdfs = render_exports.to_pdf(SOFFICE, files, folder / "pdf")
    return {f.name: (f, pdf) for f, pdf in zip(files, pdfs, strict=True)}


def _pages(pdf: Path) -> list[tuple[float, float]]:
    """(width, height) in points of every page."""
    info = subprocess.run(
        [str(Path(PDFTOTEXT).with_name("pdfinfo")), "-f", "1", "-l", "999", str(pdf)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [
        (float(w), float(h))
        for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)
    ]


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[\wæøåÆØÅ]+", text) if len(w) >= 3}


def _pdf_words(pdf: Path) -> set[str]:
    assert PDFTOTEXT is not None
    text = subprocess.run(
        [PDFTOTEXT, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return _words(text)


def _is_a4(size: tuple[float, float], landscape: bool) -> bool:
    w, h = size
    want = (A4[1], A4[0]) if landscape else A4
    return abs(w - want[0]) <= 1 and abs(h - want[1]) <= 1


@pytest.mark.parametrize("name", ["rapport.docx", "tabell1.docx"])
def test_word_documents_print_on_portrait_a4(rendered, name):
    _docx, pdf = rendered[name]
    pages = _pages(pdf)
    assert pages and all(_is_a4(p, landscape=False) for p in pages), pages


def test_the_agreement_tables_print_on_landscape_a4(rendered):
    _docx, pdf = rendered["samsvar.docx"]
    pages = _pages(pdf)
    assert pages and all(_is_a4(p, landscape=True) for p in pages), pages  # fourteen columns


def test_the_matrix_prints_landscape_then_its_summaries_portrait(rendered):
    _docx, pdf = rendered["matrise.docx"]
    pages = _pages(pdf)
    assert _is_a4(pages[0], landscape=True), pages[0]
    assert len(pages) > 1 and all(_is_a4(p, landscape=False) for p in pages[1:])


@pytest.mark.parametrize("name", ["matrise.docx", "tabell1.docx", "samsvar.docx"])
def test_no_table_column_is_narrower_than_its_longest_word(rendered, name):
    source, pdf = rendered[name]
    in_tables = set()
    for table in docx.Document(str(source)).tables:
        for row in table.rows:
            for cell in row.cells:
                in_tables |= _words(cell.text)
    printed = _pdf_words(pdf)
    broken = sorted(w for w in in_tables if w not in printed)
    assert not broken, f"broken across lines in {name}: {broken[:20]}"


@pytest.mark.parametrize("name", ["matrise.xlsx", "tabell1.xlsx"])
def test_spreadsheet_rows_show_their_wrapped_text(rendered, name):
    source, pdf = rendered[name]
    book = openpyxl.load_workbook(source)
    written = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str):
                    written |= _words(value)
    printed = _pdf_words(pdf)
    hidden = sorted(written - printed)
    assert not hidden, f"not on the page in {name}: {hidden[:20]}"


def test_each_sheet_of_tabell_1_prints_one_page_wide(rendered):
    """Tabell 1 fits one landscape page, "Om tabellen" one portrait page: a sheet wider than
    its page would print its labels on one page and their values on the next."""
    source, pdf = rendered["tabell1.xlsx"]
    sheets = openpyxl.load_workbook(source).sheetnames
    assert sheets[-1] == "Om tabellen"
    pages = _pages(pdf)
    assert len(pages) == len(sheets), pages
    assert _is_a4(pages[0], landscape=True) and _is_a4(pages[-1], landscape=False), pages
