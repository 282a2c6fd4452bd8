"""Word documents as a Norwegian report needs them, read back with python-docx: A4, the
guide's language, restylable styles, a landscape matrix, and a research group's template."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm, RGBColor

from qualcode.exporters.word import word_mm

DOCUMENT = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
TEMPLATE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"


def _export(cli, tmp_path: Path, kind: str, *args: str) -> docx.document.Document:
    out = tmp_path / f"{kind}-{len(list(tmp_path.iterdir()))}.docx"
    result = cli("export", kind, "--format", "docx", *args, "--out", str(out))
    assert result.exit_code == 0, result.output
    return docx.Document(str(out))


def _languages(document) -> set[str]:
    styles = document.styles.element
    return {el.get(qn("w:val")) for el in styles.iter(qn("w:lang"))}


def _set_language(project_dir: Path, lang: str) -> None:
    guide = project_dir / "interview_guide.yaml"
    text = guide.read_text("utf-8").replace("language: nb\n", f"language: {lang}\n", 1)
    guide.write_text(text, "utf-8")


@pytest.mark.parametrize("kind", ["summaries", "matrix", "comparison"])
def test_every_document_is_a4_in_norwegian_with_a_reports_margins(cli, tmp_path, kind):
    document = _export(cli, tmp_path, kind)
    section = document.sections[0]
    short, long = sorted((section.page_width, section.page_height))
    assert (round(short.mm), round(long.mm)) == (210, 297)
    assert round(section.left_margin.mm) == round(section.right_margin.mm) == 25
    assert document.core_properties.language == "nb-NO"
    assert _languages(document) == {"nb-NO"}  # no style keeps Word's en-US


@pytest.mark.parametrize("kind", ["summaries", "matrix", "comparison"])
def test_every_document_opens_with_its_title_block_and_scope_line(cli, tmp_path, kind):
    """The guide's title, what the document is, and whose codings it stands on: the line
    every output carries, in the block under the title, before the first heading."""
    document = _export(cli, tmp_path, kind, "--count", "words")
    first = document.paragraphs[:4]
    assert first[0].style.name == "Title" and first[1].style.name == "Subtitle"
    assert first[2].text.startswith("Kodinger: ") and first[2].text.endswith("— kodede ord")


@pytest.mark.parametrize(
    ("lang", "tag", "header"), [("nn", "nn-NO", None), ("en", "en-GB", "Category")]
)
def test_the_document_language_follows_the_guide(cli, project_dir, tmp_path, lang, tag, header):
    _set_language(project_dir, lang)
    document = _export(cli, tmp_path, "comparison")
    assert document.core_properties.language == tag and _languages(document) == {tag}
    page = tmp_path / "s.html"
    assert cli("export", "summaries", "--out", str(page)).exit_code == 0
    assert f'<html lang="{lang}">' in page.read_text("utf-8")
    if header:
        assert document.tables[0].rows[0].cells[0].text == header
        caption = next(p for p in document.paragraphs if p.style.name == "Caption")
        assert caption.text.startswith("Table 1: ")


def test_the_matrix_is_landscape_with_counts_and_its_summaries_follow_in_portrait(cli, tmp_path):
    document = _export(cli, tmp_path, "matrix")
    first, last = document.sections[0], document.sections[-1]
    assert first.orientation == WD_ORIENT.LANDSCAPE and first.page_width > first.page_height
    assert last.orientation == WD_ORIENT.PORTRAIT and last.page_width < last.page_height
    counts = document.tables[0]
    assert all(c.text.isdigit() for c in counts.rows[2].cells[1:])  # counts only, no "n — …"
    assert "Oppsummeringer" in [p.text for p in document.paragraphs]
    assert [c.text for c in document.tables[1].rows[0].cells] == ["Tema", "Kodet", "Oppsummering"]
    # the caption says what the numbers count, as the scope line does
    words = _export(cli, tmp_path, "matrix", "--count", "words")
    caption = next(p.text for p in words.paragraphs if p.style.name == "Caption")
    assert caption == "Per kommune og tema: kodede ord"


def test_tables_have_set_widths_that_hold_their_longest_word(cli, tmp_path):
    for kind in ("matrix", "comparison"):
        document = _export(cli, tmp_path, kind)
        table = document.tables[0]
        layout = table._tbl.tblPr.find(qn("w:tblLayout"))
        assert layout is not None and layout.get(qn("w:type")) == "fixed"
        grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        section = document.sections[0]
        room = section.page_width - section.left_margin - section.right_margin
        assert sum(grid) <= room / 635 + len(grid)  # inside the margins (EMU to twips)
        size = table.rows[0].cells[0].paragraphs[0].runs[0].font.size.pt
        for i, width in enumerate(grid):
            words = [w for row in table.rows for w in row.cells[i].text.split()]
            longest = max(words, key=lambda w: word_mm(w, size), default="")
            assert Mm(word_mm(longest, size)).twips <= width, (kind, i, longest)


def _template(path: Path, as_dotx: bool) -> Path:
    """A research group's template: Letter paper, a red Heading 1, and some text of its own."""
    template = docx.Document()
    section = template.sections[0]
    section.page_width, section.page_height = Mm(215.9), Mm(279.4)
    template.styles["Heading 1"].font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    template.add_paragraph("Malens egen tekst som ikke skal med.")
    buf = io.BytesIO()
    template.save(buf)
    if not as_dotx:
        path.write_bytes(buf.getvalue())
        return path
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(DOCUMENT, TEMPLATE)
            zout.writestr(item, data)
    path.write_bytes(out.getvalue())
    return path


@pytest.mark.parametrize("suffix", ["dotx", "docx"])
def test_a_template_gives_its_styles_and_page(cli, tmp_path, suffix):
    template = _template(tmp_path.parent / f"mal.{suffix}", as_dotx=suffix == "dotx")
    document = _export(cli, tmp_path, "summaries", "--template", str(template))
    assert document.styles["Heading 1"].font.color.rgb == RGBColor(0xC0, 0x00, 0x00)
    assert round(document.sections[0].page_width.mm) == 216  # the template's Letter paper
    texts = [p.text for p in document.paragraphs]
    assert "Malens egen tekst som ikke skal med." not in texts
    assert "Liten kommune 9" in texts and document.core_properties.language == "nb-NO"


def test_a_broken_template_is_refused_and_nothing_is_written(cli, tmp_path):
    bad = tmp_path.parent / "bad.dotx"
    bad.write_bytes(b"not a zip")
    out = tmp_path / "r.docx"
    result = cli("export", "summaries", "--template", str(bad), "--out", str(out))
    assert result.exit_code == 1 and "bad.dotx" in result.output
    assert "Traceback" not in result.output and not out.exists()
