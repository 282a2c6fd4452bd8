"""Steps that once grew with the square of their input, guarded by counting their cause.

Nothing here is timed (CI shares its machine): each test counts the call that used to be
repeated once per cell or per token (python-docx's table grid rebuild, spaCy's
``Doc.has_annotation`` scan) and checks the output is still right.
"""

from __future__ import annotations

from collections.abc import Iterator

import docx
import pytest
from docx.table import Table
from spacy.tokens import Doc

from qualcode.exporters.docx_table import Run, SpanRow, add_table
from qualcode.nlp import get_nlp, qualcode_sentencizer, sentence_spans
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
    assert [len(t.rows) > 1 for t in tables] == [True, True, True]
    assert tables[2].rows[1].cells[0].text == "Overall"


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
