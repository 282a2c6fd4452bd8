"""The demo study shows the report at once: on a fresh copy, its summaries, key quotes and
Tabell 1 notes are imported on first open, and the two exports a new user tries first
give a report shaped like the seed report's 3.1 and Tabell 1."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner

from qualcode.cli import main
from tests.conftest import REPO


def _guide() -> dict:
    return yaml.safe_load((REPO / "interview_guide.yaml").read_text("utf-8"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("demo")
    shutil.copytree(REPO / "transcripts", root / "transcripts")
    shutil.copy(REPO / "interview_guide.yaml", root)
    return root


def _run(root: Path, *args: str):
    return CliRunner().invoke(main, ["--project", str(root), *args], catch_exceptions=False)


def test_the_shipped_files_cover_every_case_section_and_category():
    guide = _guide()
    cases = sorted(
        {t.stem.replace("-", " ").capitalize() for t in (REPO / "transcripts").glob("*.md")}
    )
    with open(REPO / "transcripts" / "summaries.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    sections = {(r["case"], r["section"]) for r in rows if r["section"] and r["text"].strip()}
    assert sections == {(c, s["id"]) for c in cases for s in guide["report_sections"]}
    themes = {(r["case"], r["theme"]) for r in rows if r["theme"] and r["text"].strip()}
    assert themes == {(c, t["id"]) for c in cases for t in guide["themes"]}
    with open(REPO / "transcripts" / "comparison.csv", encoding="utf-8") as f:
        notes = list(csv.DictReader(f))
    assert [n["category"] for n in notes] == [c["id"] for c in guide["comparison_categories"]]
    assert all(n["likheter"].strip() and n["forskjeller"].strip() for n in notes)


def test_a_fresh_copy_imports_summaries_key_quotes_and_notes_on_first_open(demo):
    result = _run(demo, "status")
    assert result.exit_code == 0
    for name, n in (("codings.csv", 867), ("summaries.csv", 150), ("comparison.csv", 9)):
        assert f"{name}: imported {n} rows" in result.stderr, result.stderr
    keyed = [
        r
        for r in csv.DictReader(_run(demo, "summaries", "export").stdout.splitlines())
        if r["key_quotes"]
    ]
    assert len(keyed) >= 10  # a key quote in most cases, so the report shows how they look


def test_summaries_docx_is_shaped_like_the_seed_report(demo, tmp_path):
    out = tmp_path / "rapport.docx"
    args = ["--detail", "questions", "--heading-level", "2", "--out", str(out)]
    result = _run(demo, "export", "summaries", "--format", "docx", *args)
    assert result.exit_code == 0, result.output
    document = docx.Document(str(out))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert document.core_properties.language == "nb-NO"
    paragraphs = document.paragraphs
    assert paragraphs[0].style.name == "Title" and paragraphs[0].text == _guide()["title"]
    assert not any(p.style.name == "Heading 1" for p in paragraphs)  # the report's own "3.1"
    chapters = [p.text for p in paragraphs if p.style.name == "Heading 2"]
    assert chapters == [
        f"{size.capitalize()} kommune {n}"
        for size, count in (("stor", 4), ("mellomstor", 3), ("liten", 3))
        for n in range(1, count + 1)
    ]
    questions = [s["title"] for s in _guide()["report_sections"]]
    assert [p.text for p in paragraphs if p.style.name == "Heading 3"] == questions * 10
    assert not any(p.style.name == "Heading 4" for p in paragraphs)  # no theme level
    # each question answered by the case's own summary for it (its paragraphs as written),
    # then only its key quotes, in the plain Quote style, before the next heading
    written = {
        (r["case"], r["section"]): r["text"]
        for r in csv.DictReader(io.StringIO(_run(demo, "summaries", "export").stdout))
        if r["section"]
    }
    by_title = {s["title"]: s["id"] for s in _guide()["report_sections"]}
    case = ""
    for i, here in enumerate(paragraphs):
        if here.style.name == "Heading 2":
            case = here.text
        if here.style.name != "Heading 3":
            continue
        rest = []
        for p in paragraphs[i + 1 :]:
            if p.style.name.startswith("Heading"):
                break
            rest.append(p)
        styles = [p.style.name for p in rest]
        n = styles.count("Normal")
        assert n >= 1 and styles == ["Normal"] * n + ["Quote"] * (len(styles) - n), here.text
        summary = written[(case, by_title[here.text])]
        assert [p.text for p in rest[:n]] == [
            " ".join(block.split()) for block in summary.split("\n\n") if block.strip()
        ]
    text = "\n".join(p.text for p in paragraphs)
    assert "Ingen oppsummering" not in text  # no cell is left to its raw quotes
    first = paragraphs[[p.text for p in paragraphs].index(questions[0]) + 1].text
    assert first.startswith("Kommunen har kreftkontakter som fungerer som et lavterskeltilbud")
    keys = [p.text for p in paragraphs if p.style.name == "Quote"]
    assert (
        "«Og så har vi en enhet med åtte øremerkede palliative senger.» "
        "(stor-kommune-1, Kreftkoordinator, [00:04:29])" in keys
    )
    marked = [r for r in csv.DictReader(_run(demo, "summaries", "export").stdout.splitlines())]
    assert len(keys) >= sum(1 for r in marked if r["key_quotes"].strip())


def test_comparison_md_is_tabell_1_with_its_notes(demo, tmp_path):
    out = tmp_path / "tabell1.md"
    assert _run(demo, "export", "comparison", "--format", "md", "--out", str(out)).exit_code == 0
    lines = out.read_text("utf-8").splitlines()
    assert lines[0].startswith("**Tabell 1: ")  # the caption, then whose codings
    assert lines[2] == "*Kodinger: anna, bjorn — kodede passasjer, sammenslått*"
    rows = {
        line.split("|")[1].strip(): [c.strip() for c in line.split("|")[2:-1]]
        for line in lines[6:]
        if line.startswith("| ")
    }
    assert list(rows) == [c["name"] for c in _guide()["comparison_categories"]]
    assert all(likheter and forskjeller for likheter, forskjeller, _ in rows.values())
    assert rows["Kreftkoordinator"] == [
        "Alle kommuner har kreftkoordinatorer som sentrale aktører.",
        "Stillingsstørrelse og ansvarsområde varierer – noen følger kun kreftpasienter, "
        "andre bredere.",
        "stor 4/4 · mellomstor 3/3 · liten 3/3",
    ]


def test_the_matrix_counts_merged_passages_of_both_coders_and_says_so(demo, tmp_path):
    """Stor kommune 1 × Bemanning og kompetanse: anna's and bjorn's codings of the theme and
    its codes, merged where they overlap or touch, counted here character by character."""
    import io
    import json

    import openpyxl

    rows = json.loads(_run(demo, "codings", "export", "--format", "json").stdout)
    guide = _guide()
    theme = next(t for t in guide["themes"] if t["name"] == "Bemanning og kompetanse")
    family = {theme["id"], *(c["id"] for c in theme.get("codes", []))}
    chars: dict[str, set[int]] = {}
    for r in rows:
        if r["case"] == "Stor kommune 1" and r["code"] in family:
            assert r["coder"] in ("anna", "bjorn")
            chars.setdefault(r["transcript"], set()).update(range(r["start"], r["end"]))
    passages = sum(1 for cs in chars.values() for i in cs if i - 1 not in cs)
    coded_rows = sum(1 for r in rows if r["case"] == "Stor kommune 1" and r["code"] in family)
    assert passages < coded_rows  # the same words coded twice count once

    csv_text = _run(demo, "export", "matrix", "--format", "csv", "--out", "-").stdout
    first, rest = csv_text.split("\n", 1)
    assert first == "# Kodinger: anna, bjorn — kodede passasjer, sammenslått"
    table = list(csv.reader(io.StringIO(rest)))
    column = table[0].index("Bemanning og kompetanse")
    row = next(r for r in table if r[0] == "Stor kommune 1")
    assert int(row[column]) == passages

    md = _run(demo, "export", "matrix", "--format", "md", "--out", "-").stdout
    assert md.startswith("*Kodinger: anna, bjorn — kodede passasjer, sammenslått*")
    for fmt in ("xlsx", "docx", "png"):
        out = tmp_path / f"matrix.{fmt}"
        result = _run(demo, "export", "matrix", "--out", str(out))
        assert result.exit_code == 0 and "anna, bjorn" in result.stderr
    book = openpyxl.load_workbook(tmp_path / "matrix.xlsx")
    facts = {r[0]: r[1] for r in book["Om tabellen"].iter_rows(values_only=True)}
    assert facts["Kodinger"] == "anna, bjorn — kodede passasjer, sammenslått"
    paragraphs = [p.text for p in docx.Document(str(tmp_path / "matrix.docx")).paragraphs]
    assert "Kodinger: anna, bjorn — kodede passasjer, sammenslått" in paragraphs


def test_the_heat_map_has_the_scope_as_its_caption(demo, monkeypatch):
    from matplotlib.figure import Figure

    from qualcode import report
    from qualcode.exporters import charts
    from qualcode.project import Project

    written: list[str] = []
    original = Figure.text

    def text(self, x, y, s, *args, **kwargs):  # type: ignore[no-untyped-def]
        written.append(s)
        return original(self, x, y, s, *args, **kwargs)

    monkeypatch.setattr(Figure, "text", text)
    with Project.open(demo) as project:
        matrix = report.build_matrix(project)
    assert charts.matrix_png(matrix)[:4] == b"\x89PNG"
    assert written == ["Kodinger: anna, bjorn — kodede passasjer, sammenslått"]
