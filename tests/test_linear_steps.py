"""Steps that once grew with the square of their input, guarded by counting their cause.

Nothing here is timed (CI shares its machine): each test counts the call that used to be
repeated once per cell or per token (python-docx's table grid rebuild, spaCy's
``Doc.has_annotation`` scan) and checks the output is still right.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator

import docx
import openpyxl
import pytest
from docx.table import Table
from spacy.tokens import Doc

from qualcode.exporters.docx_table import Run, SpanRow, add_table
from qualcode.nlp import get_nlp, qualcode_sentencizer, sentence_spans
from qualcode.report import Matrix, MatrixCell, ThemeRef
from tests.test_export_kinds import _code_both


@pytest.fixture
def grid_rebuilds(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How many times any python-docx table built its whole cell grid."""
    calls = [0]
    original = Table._cells.fget  # type: ignore[attr-defined]

    def counting(self: Table) -> object:
        calls[0] += 1
        return original(self)

    monkeypatch.setattr(Table, "_cells", property(counting))
    yield calls


@pytest.mark.parametrize("n", [10, 400])
def test_table_rows_are_written_without_building_the_grid(grid_rebuilds, tmp_path, n):
    doc = docx.Document()
    rows = [[f"rad {i}", "Pårørende\tsier «ja»\nog nei", f"x\x0by {i} & <z>"] for i in range(n)]
    add_table(doc, ["Navn", "Æ", "Ø"], [SpanRow([[Run("Gruppe", bold=True)]]), *rows])
    assert grid_rebuilds[0] == 0
    path = tmp_path / "t.docx"
    doc.save(str(path))
    table = docx.Document(str(path)).tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Navn", "Æ", "Ø"]
    assert all(r.bold for r in table.rows[0].cells[0].paragraphs[0].runs)
    assert table.rows[1].cells[0].text == "Gruppe" and len(table.rows[1].cells) == 3
    # The same text python-docx's own cell.text would give: tab and newline kept, \v a break.
    assert [c.text for c in table.rows[-1].cells] == [
        f"rad {n - 1}",
        "Pårørende\tsier «ja»\nog nei",
        f"x\ny {n - 1} & <z>",
    ]
    assert len(table.rows) == n + 2


def test_agreement_docx_builds_no_grid(cli, project_dir, tmp_path, grid_rebuilds):
    _code_both(cli, project_dir)
    out = tmp_path / "a.docx"
    args = ("export", "agreement", "--coders", "ann", "bo", "--format", "docx")
    assert cli(*args, "--out", str(out)).exit_code == 0
    assert grid_rebuilds[0] == 0
    tables = docx.Document(str(out)).tables
    # per code, per transcript, overall, then the spread, NVivo's comparison and unitizing
    assert len(tables) >= 3 and all(len(t.rows) > 1 for t in tables)
    assert tables[2].rows[1].cells[0].text == "Samlet"  # the guide is Norwegian


class _CountingDoc(Doc):
    scans = 0

    def has_annotation(self, *args: object, **kwargs: object) -> bool:
        type(self).scans += 1
        return bool(super().has_annotation(*args, **kwargs))


@pytest.mark.parametrize("repeat", [5, 500])
def test_sentence_starts_are_written_without_a_scan_per_token(repeat):
    nlp = get_nlp("nb")
    words = nlp.make_doc("Vi ringte kl. 14.00. Det gikk bra, f.eks. med pårørende! " * repeat)
    doc = _CountingDoc(
        nlp.vocab, words=[t.text for t in words], spaces=[t.whitespace_ for t in words]
    )
    _CountingDoc.scans = 0
    qualcode_sentencizer(doc)
    assert _CountingDoc.scans <= 1  # the per-token setter scanned the Doc for every token
    assert len(list(doc.sents)) == 2 * repeat


def test_long_turn_sentences_match_short_ones():
    one = "Vi ringte kl. 14.00. Det gikk bra, f.eks. med pårørende! "
    spans = sentence_spans(one * 300, "nb")
    width = len(one)
    assert len(spans) == 600
    assert spans[598:] == [(s + 299 * width, e + 299 * width) for s, e in spans[:2]]


# -- exports sized for their reader ------------------------------------------------------


def _big_matrix(cases: int, themes: int = 10) -> Matrix:
    refs = [ThemeRef(f"t{j}", f"Tema {j} æøå") for j in range(themes)]
    names = [f"Kommune {i:04d}" for i in range(cases)]
    groups = [("stor", names[: cases // 2]), ("liten", names[cases // 2 :])]
    cells = {(c, t.id): MatrixCell(c, t.id, summary="") for c in names for t in refs}
    return Matrix(refs, groups, cells)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("cases", [300, 3000])
def test_matrix_png_fits_a_page_whatever_the_number_of_cases(cases):
    from qualcode.exporters.charts import PAGE_HEIGHT, PAGE_WIDTH, matrix_png

    width, height = _png_size(matrix_png(_big_matrix(cases)))
    assert width <= PAGE_WIDTH * 120 + 1 and height <= PAGE_HEIGHT * 120 + 1


def test_matrix_png_of_a_few_cases_keeps_every_label_and_count(monkeypatch):
    import matplotlib.axes

    from qualcode.exporters.charts import matrix_png

    texts: list[str] = []
    original = matplotlib.axes.Axes.text

    def counting(self, x, y, s, *args, **kwargs):  # type: ignore[no-untyped-def]
        texts.append(s)
        return original(self, x, y, s, *args, **kwargs)

    monkeypatch.setattr(matplotlib.axes.Axes, "text", counting)
    matrix_png(_big_matrix(6, themes=3))
    assert len(texts) == 18  # a count in every cell while they fit
    texts.clear()
    matrix_png(_big_matrix(300, themes=3))
    assert texts == []  # 900 counts would not be readable on a page: the colours show them


def test_xlsx_is_written_as_xml_and_reads_back_in_openpyxl():
    from qualcode.exporters.xlsx_writer import Sheet, workbook

    rows = [[f'=HYPERLINK("x") {i}', i, 2.5, None, "Pårørende\x0b«sier»"] for i in range(50)]
    data = workbook(
        [
            Sheet("Matrise æ", ["Kommune", "n", "x", "tom", "tekst"], rows, "C2", {1: 24}),
            Sheet("To", ["a"], [["b"]]),
        ]
    )
    assert data == workbook(
        [
            Sheet("Matrise æ", ["Kommune", "n", "x", "tom", "tekst"], rows, "C2", {1: 24}),
            Sheet("To", ["a"], [["b"]]),
        ]
    )  # deterministic
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Matrise æ", "To"]
    ws = wb["Matrise æ"]
    assert ws.freeze_panes == "C2" and ws.column_dimensions["A"].width == 24
    assert ws["A1"].value == "Kommune" and ws["A1"].font.b and not ws["A2"].font.b
    assert ws["A2"].alignment.wrap_text and ws["A2"].alignment.vertical == "top"
    assert ws["A2"].value == '=HYPERLINK("x") 0' and ws["A2"].data_type == "s"  # never a formula
    assert ws["B51"].value == 49 and ws["C2"].value == 2.5 and ws["D2"].value is None
    assert ws["E2"].value == "Pårørende\n«sier»"
    assert ws.max_row == 51


# -- exact search: the hit list costs the index query and little more ----------------------


def test_exact_matching_on_lower_cased_text_keeps_the_texts_own_offsets():
    from qualcode.search import _Needle

    needle = _Needle([["pårørende"], ["sa"]])
    cases = {
        "Vi: PÅRØRENDE  sa nei": ["PÅRØRENDE  sa"],
        "İstanbul: Pårørende sa ja": ["Pårørende sa"],  # "İ".lower() is two characters
        "pårørendesa sa": [],
    }
    for text, expected in cases.items():
        assert [text[a:b] for a, b in needle.finditer(text)] == expected


@pytest.mark.parametrize(
    "alternatives",
    [[["ja"], ["ja"]], [["hvordan"]], [["a", "ab"], ["b"]], [["sa", "as"]], [["ja"]]],
)
def test_the_unbounded_search_finds_what_the_word_bounded_pattern_finds(alternatives):
    # The lower-case pattern lacks the look-behind "(?<!\w)" so that the engine can skip to
    # the literal; refused starts are searched on from the next position, not skipped.
    import random

    from qualcode.search import _Needle, _pattern

    needle = _Needle(alternatives)
    bounded = _pattern([[a.lower() for a in alts] for alts in alternatives], False)
    rng = random.Random(len(str(alternatives)))
    pieces = ["ja", "x", " ", "a", "b", "sa", "as", "hvordan", "_", "-", "\n", "æ", "1"]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        assert list(needle.finditer(text)) == [m.span() for m in bounded.finditer(text)], text


def test_a_common_word_is_found_by_skipping_to_it_not_by_trying_every_position():
    # With the look-behind first, re tried every position of every turn; without it, it
    # scans for the literal. The pattern must begin with the word itself.
    from qualcode.search import _Needle

    assert _Needle([["hvordan"]]).lower.pattern.startswith("(?:hvordan)")


def test_keyword_in_context_is_cut_only_for_the_hits_that_are_read(cli, project_dir, monkeypatch):
    import qualcode.search as search_module
    from qualcode.project import Project

    assert cli("status").exit_code == 0
    cuts = [0]
    original = search_module._oneline

    def counting(text: str) -> str:
        cuts[0] += 1
        return original(text)

    monkeypatch.setattr(search_module, "_oneline", counting)
    with Project.open(project_dir) as project:
        hits = search_module.search(project, "pårørende")
        assert len(hits) == 2 and cuts[0] == 0
        assert hits[0].left.endswith("dere med") and cuts[0] == 2  # left and right, once
        assert hits[0].to_json()["right"] == hits[0].right and cuts[0] == 2


@pytest.mark.parametrize("n", [10, 1000])
def test_word_tables_are_parsed_by_the_batch_not_built_element_by_element(monkeypatch, n):
    """A report's table rows are markup parsed in batches; OxmlElement (~10 µs an element,
    nine per cell) is called for the table's frame only, however many rows it has."""
    from qualcode.exporters import word

    built = [0]
    original = word.OxmlElement

    def counting(*args: object, **kwargs: object) -> object:
        built[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(word, "OxmlElement", counting)
    out = word.Writer(word.new_document("nb", None))
    rows = [(f"kode {i}", ("Pårørende & <nær>", "linje to"), f"{i},0") for i in range(n)]
    out.table([40, 60, 20], ["Kode", "Tekst", "Tall"], rows, font_pt=9, group_rows=[1])
    assert built[0] < 40
    table = docx.Document(io.BytesIO(out.finish())).tables[-1]
    assert len(table.rows) == n + 1
    assert [c.text for c in table.rows[0].cells] == ["Kode", "Tekst", "Tall"]
    assert table.rows[1].cells[0].paragraphs[0].runs[0].font.size.pt == 9
    assert table.rows[2].cells[0].text == "kode 1"  # the group row: one cell across
    assert len(table.rows[2]._tr.tc_lst) == 1
    assert [p.text for p in table.rows[-1].cells[1].paragraphs] == ["Pårørende & <nær>", "linje to"]


def test_qdpx_export_hands_each_transcript_only_its_own_codings(
    cli, project_dir, tmp_path, monkeypatch
):
    """Each coding reaches the selection writer once, with its own transcript: the writer
    once filtered every coding of the project for each transcript (square growth)."""
    from qualcode.refi import write

    seen: list[tuple[int, set[str]]] = []
    original = write.selections

    def counting(project, codings):  # type: ignore[no-untyped-def]
        seen.append((len(codings), {c.transcript for c in codings}))
        return original(project, codings)

    monkeypatch.setattr(write, "selections", counting)
    _code_both(cli, project_dir)
    out = tmp_path / "p.qdpx"
    assert cli("export", "qdpx", "--out", str(out)).exit_code == 0
    from qualcode.project import Project

    with Project.open(project_dir) as project:
        n = len(project.store.codings.all())
    assert n and all(len(ts) == 1 for k, ts in seen if k)  # one transcript per call
    assert sum(k for k, _ in seen) == n  # every coding once, not once per transcript
