"""`qualcode export` as a new user would try it: a three-case study, codings and summaries
imported from CSV, and every kind and format read back."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import docx
import openpyxl
import pytest
import yaml

from qualcode.cli import main
from qualcode.cli.comparison_cmds import comparison
from qualcode.cli.report_cmds import export, summaries

for command in (export, summaries, comparison):
    main.add_command(command)

TRANSCRIPT_C = """---
case: Mellomstor kommune 9
size: mellomstor
---
Intervjuer: Hvordan identifiseres palliative pasienter?

Sykepleier: Vi bruker SPICT når fastlegen melder behov.

Intervjuer: Og frivillige?

Sykepleier: Frivilligsentralen har en våketjeneste som vi bruker mye.
"""

CODINGS = """transcript,coder,code,quote
liten-9,ann,parorende,Vi har tett kontakt med pårørende.
liten-9,ann,fastlege-legevakt,Fastlegene er viktige.
liten-9,bob,parorende,De ringer oss når som helst.
stor-9,ann,palliative-senger,åtte palliative senger
stor-9,ann,palliativt-team,Vi har et palliativt team
stor-9,ann,kreftkoordinator,kreftkoordinatorer i hver sone
stor-9,bob,organisering,Vi har et palliativt team og åtte palliative senger.
mellomstor-9,ann,spict,Vi bruker SPICT
mellomstor-9,ann,vaketjeneste,en våketjeneste som vi bruker mye
"""

SUMMARIES = """case,theme,section,text
Stor kommune 9,organisering,,Kommunen har et palliativt team og åtte senger.
Stor kommune 9,,organisering,Tilbudet er godt organisert.
Liten kommune 9,,Hvordan fungerer samarbeid med pårørende/familie/nettverk?,Pårørende er viktige.
Mellomstor kommune 9,Identifisering av palliative pasienter,,SPICT brukes ved melding fra fastlegen.
"""

SIZES = ["stor", "mellomstor", "liten"]
CASES = {"stor": "Stor kommune 9", "mellomstor": "Mellomstor kommune 9", "liten": "Liten kommune 9"}


@pytest.fixture
def study(cli, project_dir: Path, tmp_path: Path):
    """The conftest project plus a third (mellomstor) case, codings and summaries imported."""
    (project_dir / "transcripts" / "mellomstor-9.md").write_text(TRANSCRIPT_C, encoding="utf-8")
    (tmp_path / "codings.csv").write_text(CODINGS, encoding="utf-8")
    (tmp_path / "summaries.csv").write_text(SUMMARIES, encoding="utf-8")
    assert cli("codings", "import", str(tmp_path / "codings.csv")).exit_code == 0
    result = cli("summaries", "import", str(tmp_path / "summaries.csv"))
    assert result.exit_code == 0, result.output
    return cli


def _guide() -> dict:
    return yaml.safe_load(
        (Path(__file__).parent.parent / "interview_guide.yaml").read_text("utf-8")
    )


def _expected_counts(cli, coder: str | None = None) -> Counter:
    """Coded passages per (case, theme name), worked out here from the codings export and
    the guide: the runs of characters coded with the theme or its codes, read one by one."""
    guide = _guide()
    theme_of = {}
    for theme in guide["themes"]:
        theme_of[theme["id"]] = theme["name"]
        for code in theme.get("codes", []):
            theme_of[code["id"]] = theme["name"]
    args = ["codings", "export", "--format", "json"] + (["--coder", coder] if coder else [])
    # all coders: the people who coded, never the consensus coder beside them
    rows = [r for r in json.loads(cli(*args).stdout) if coder or r["coder"] != "consensus"]
    coded: dict[tuple[str, str, str], set[int]] = {}
    for r in rows:
        chars = coded.setdefault((r["case"], theme_of[r["code"]], r["transcript"]), set())
        chars.update(range(r["start"], r["end"]))
    runs: Counter = Counter()
    for (case, theme, _), chars in coded.items():
        runs[(case, theme)] += sum(1 for i in chars if i - 1 not in chars)
    return runs


def _csv_rows(text: str) -> list[list[str]]:
    """A CSV export's rows after its "# Kodinger: …" line, which is checked to be there."""
    first, rest = text.split("\n", 1)
    assert first.startswith("# Kodinger: "), first
    return list(csv.reader(io.StringIO(rest)))


def _csv_dicts(text: str) -> list[dict[str, str]]:
    first, rest = text.split("\n", 1)
    assert first.startswith("# Kodinger: "), first
    return list(csv.DictReader(io.StringIO(rest)))


def test_summaries_md_in_size_order_with_questions_summaries_and_quotes(study, tmp_path):
    out = tmp_path / "report.md"
    assert study("export", "summaries", "--format", "md", "--out", str(out)).exit_code == 0
    text = out.read_text("utf-8")
    chapters = [line[2:] for line in text.splitlines() if line.startswith("# ")]
    assert chapters == [CASES[s] for s in SIZES]
    for section in _guide()["report_sections"]:
        assert text.count(f"## {section['title']}\n") == 3
    assert "Tilbudet er godt organisert." in text
    assert "Kommunen har et palliativt team og åtte senger." in text
    # a cell without a summary shows its coded quotes, marked as such, with their source
    assert "Ingen oppsummering ennå – kodede utsagn:" in text
    assert "«Vi har tett kontakt med pårørende.» (liten-9, Kreftkoordinator, [00:00:10])" in text
    # no timestamps in the mellomstor transcript: the turn number is the source
    assert "(mellomstor-9, Sykepleier, tur 4)" in text

    # never an empty heading: every heading is followed by some text before the next heading
    def level(line: str) -> int:
        return len(line) - len(line.lstrip("#"))

    lines = [line for line in text.splitlines() if line.strip()] + ["# end"]
    for here, after in zip(lines, lines[1:], strict=False):
        if here.startswith("#") and after.startswith("#"):
            assert level(after) > level(here), (here, after)


def test_summaries_docx_uses_heading_and_quote_styles(study, tmp_path):
    out = tmp_path / "report.docx"
    args = ["export", "summaries", "--format", "docx", "--detail", "themes", "--out", str(out)]
    assert study(*args).exit_code == 0
    paragraphs = docx.Document(str(out)).paragraphs
    styles = {p.style.name for p in paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Heading 3", "Quote"} <= styles
    assert [p.text for p in paragraphs if p.style.name == "Heading 1"] == [CASES[s] for s in SIZES]
    quote = next(p for p in paragraphs if p.style.name == "Quote" and "pårørende" in p.text)
    # the quote in the Quote style; its source after it, in a style of its own, not italic
    said, where = quote.runs
    assert said.text == "«Vi har tett kontakt med pårørende.»"
    assert where.text == " (liten-9, Kreftkoordinator, [00:00:10])"
    assert where.style.name == "Quote Source" and where.style.font.italic is False
    assert not any(p.style.name == "Intense Quote" for p in paragraphs)


def test_summaries_docx_by_question_keeps_the_themes_only_where_a_question_has_no_summary(
    study, tmp_path
):
    out = tmp_path / "report.docx"
    args = ["export", "summaries", "--format", "docx", "--heading-level", "2", "--out", str(out)]
    assert study(*args).exit_code == 0
    paragraphs = docx.Document(str(out)).paragraphs
    assert [p.text for p in paragraphs if p.style.name == "Heading 2"] == [CASES[s] for s in SIZES]
    text = [p.text for p in paragraphs]
    organised = text.index("Hvordan er det palliative tilbudet organisert?")
    # Stor kommune 9 answers the question itself: its paragraph, no theme headings under it
    assert paragraphs[organised].style.name == "Heading 3"
    assert text[organised + 1] == "Tilbudet er godt organisert."
    assert paragraphs[organised + 2].style.name == "Heading 3"
    # nothing is lost where a question has no summary: its themes stand there, a level down
    assert "Identifisering av palliative pasienter" in [
        p.text for p in paragraphs if p.style.name == "Heading 4"
    ]
    for bad in ("0", "8", "x"):
        refused = study(*args[:-4], "--heading-level", bad, "--out", str(tmp_path / "y.docx"))
        assert refused.exit_code != 0


def test_layout_options_refused_where_they_would_be_ignored(study, tmp_path):
    for args in (
        ["summaries", "--format", "md", "--detail", "themes"],
        ["summaries", "--format", "md", "--heading-level", "2"],
        ["matrix", "--format", "docx", "--detail", "themes"],
        ["matrix", "--format", "xlsx", "--template", "x.dotx"],
        ["summaries", "--format", "docx", "--no-evidence"],
    ):
        result = study("export", *args, "--out", str(tmp_path / "out"))
        assert result.exit_code == 1, args
        assert "only go" in result.output or "only goes" in result.output
        assert not (tmp_path / "out").exists()
    missing = study(
        "export", "summaries", "--format", "docx", "--template", str(tmp_path / "none.dotx")
    )
    assert missing.exit_code == 1 and "none.dotx" in missing.output


def test_summaries_html(study, tmp_path):
    out = tmp_path / "report.html"
    assert study("export", "summaries", "--format", "html", "--out", str(out)).exit_code == 0
    text = out.read_text("utf-8")
    assert text.index("<h1>Stor kommune 9</h1>") < text.index("<h1>Liten kommune 9</h1>")
    assert "<blockquote>" in text


@pytest.mark.parametrize("coder", [None, "ann"])
def test_matrix_counts_equal_the_codings(study, tmp_path, coder):
    expected = _expected_counts(study, coder)
    extra = ["--coder", coder] if coder else []
    out = tmp_path / "matrix.csv"
    assert study("export", "matrix", "--format", "csv", "--out", str(out), *extra).exit_code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # so Excel reads æøå as UTF-8
    rows = _csv_rows(out.read_text("utf-8-sig"))
    header, body = rows[0], rows[1:]
    assert header[1] == "Kommunestørrelse"  # the guide's name for the attribute, not its id
    assert [r[0] for r in body] == [CASES[s] for s in SIZES]
    assert [r[1] for r in body] == SIZES
    got = Counter({(r[0], header[j]): int(r[j]) for r in body for j in range(2, len(header))})
    assert +got == expected  # (+ drops the zero cells)
    assert header[2:] == [t["name"] for t in _guide()["themes"]]

    xlsx = tmp_path / "matrix.xlsx"
    assert study("export", "matrix", "--format", "xlsx", "--out", str(xlsx), *extra).exit_code == 0
    wb = openpyxl.load_workbook(xlsx)
    sheet = wb["Matrise"]
    assert sheet.freeze_panes == "C2"
    assert sheet.cell(2, 3).alignment.wrap_text
    values = list(sheet.iter_rows(values_only=True))
    got_x = Counter(
        {(r[0], values[0][j]): r[j] for r in values[1:] for j in range(2, len(values[0]))}
    )
    assert +got_x == expected
    assert sheet.auto_filter.ref == f"A1:L{len(values)}"
    # count and summary in columns of their own, a row per case and theme
    texts = wb["Oppsummeringer"]
    rows = list(texts.iter_rows(values_only=True))
    assert rows[0] == ("Kommune", "Kommunestørrelse", "Tema", "Kodet", "Oppsummering")
    row = next(r for r in rows if r[4] == "Kommunen har et palliativt team og åtte senger.")
    assert row[:3] == (
        "Stor kommune 9",
        "stor",
        "Organisering av tilbudet til palliative pasienter",
    )
    assert row[3] == expected[(row[0], row[2])]
    assert texts.freeze_panes == "D2" and texts.auto_filter.ref == f"A1:E{len(rows)}"
    assert "Om tabellen" in wb.sheetnames


def test_xlsx_rows_are_as_tall_as_their_wrapped_text(study, tmp_path):
    long = "Pårørende er viktige for å få til hjemmedød, og kommunen støtter dem. " * 6
    args = ["comparison", "set", "Kreftkoordinator", "--likheter", long, "--forskjeller", "Kort."]
    assert study(*args).exit_code == 0
    out = tmp_path / "t.xlsx"
    assert study("export", "comparison", "--format", "xlsx", "--out", str(out)).exit_code == 0
    sheet = openpyxl.load_workbook(out).active
    width = sheet.column_dimensions["B"].width
    assert sheet.cell(2, 2).value == long.strip() or sheet.cell(2, 2).value == long
    # the text needs len/width lines at the very least; the row holds at least that many
    needed = len(long) / width
    assert sheet.row_dimensions[2].height >= needed * 15
    assert sheet.row_dimensions[2].height <= 409


def test_matrix_md_docx_png(study, tmp_path):
    for fmt in ("md", "docx", "png"):
        out = tmp_path / f"matrix.{fmt}"
        assert study("export", "matrix", "--format", fmt, "--out", str(out)).exit_code == 0
    assert (tmp_path / "matrix.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    md = (tmp_path / "matrix.md").read_text("utf-8").splitlines()
    assert md[0] == "*Kodinger: ann, bob — kodede passasjer, sammenslått*"
    assert [line.split("|")[1].strip() for line in md[4:]] == [CASES[s] for s in SIZES]
    table = docx.Document(str(tmp_path / "matrix.docx")).tables[0]
    first_column = [row.cells[0].text for row in table.rows]
    # a group header row before each group's cases
    assert first_column[1:] == [x for s in SIZES for x in (s, CASES[s])]


def test_comparison_has_the_guides_categories_and_evidence(study, tmp_path):
    assert (
        study(
            "comparison",
            "set",
            "Kreftkoordinator",
            "--likheter",
            "Alle har en.",
            "--forskjeller",
            "Stillingene varierer.",
        ).exit_code
        == 0
    )
    categories = [c["name"] for c in _guide()["comparison_categories"]]
    assert len(categories) == 9
    out = tmp_path / "tabell1.md"
    assert study("export", "comparison", "--format", "md", "--out", str(out)).exit_code == 0
    lines = out.read_text("utf-8").splitlines()
    assert lines[0] == f"**Tabell 1: {_guide()['comparison_title']}**"
    assert lines[2].startswith("*Kodinger: ")
    assert lines[4] == "| Kategori | Likheter | Forskjeller | Kommuner med koding |"
    assert lines[-1].startswith("*Kommuner med koding: per gruppe, hvor mange kommuner")
    rows = {
        line.split("|")[1].strip(): [c.strip() for c in line.split("|")[2:-1]]
        for line in lines[6:]
        if line.startswith("| ")
    }
    assert list(rows) == categories
    assert rows["Kreftkoordinator"] == [
        "Alle har en.",
        "Stillingene varierer.",
        "stor 1/1 · mellomstor 0/1 · liten 0/1",
    ]
    # a theme-level category counts its sub-codes; a code list counts its codes
    assert rows["Samarbeid med frivillige"][2] == "stor 0/1 · mellomstor 1/1 · liten 0/1"
    assert rows["Tilgang på ressurser"][2] == "stor 1/1 · mellomstor 0/1 · liten 0/1"

    for fmt in ("csv", "xlsx", "docx"):
        path = tmp_path / f"tabell1.{fmt}"
        assert study("export", "comparison", "--format", fmt, "--out", str(path)).exit_code == 0
    body = _csv_dicts((tmp_path / "tabell1.csv").read_text("utf-8-sig"))
    assert [r["Kategori"] for r in body] == categories
    book = openpyxl.load_workbook(tmp_path / "tabell1.xlsx")
    sheet = book.active
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == categories
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:5] == (
        "Kategori",
        "Likheter",
        "Forskjeller",
        "Kommuner med koding: stor",
        "stor: i alt",
    )
    assert values[1][3:9] == (1, 1, 0, 1, 0, 1)  # numbers a spreadsheet can sum, not "1/1"
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref == f"A1:L{len(categories) + 1}"
    about = {r[0]: r[1] for r in book["Om tabellen"].iter_rows(values_only=True)}
    assert about["Tittel"] == _guide()["title"]
    assert about["Definisjon"] == f"Tabell 1: {_guide()['comparison_title']}"
    assert about["Kodinger"].endswith("— kodede passasjer, sammenslått")  # whose, and how counted
    assert any(str(v).startswith("Kommuner med koding: per gruppe") for v in about.values())
    document = docx.Document(str(tmp_path / "tabell1.docx"))
    table = document.tables[0]
    # the evidence beside the category, not inside it, under a name that says what it counts
    assert [c.text for c in table.rows[0].cells] == [
        "Kategori",
        "Likheter",
        "Forskjeller",
        "Kommuner med koding",
    ]
    assert table.rows[1].cells[0].text == "Kreftkoordinator"
    assert table.rows[1].cells[1].text == "Alle har en."
    assert table.rows[1].cells[3].text == "stor 1/1\nmellomstor 0/1\nliten 0/1"
    paragraphs = [p.text for p in document.paragraphs]
    caption = next(p for p in document.paragraphs if p.style.name == "Caption")
    assert caption.text == f"Tabell 1: {_guide()['comparison_title']}"
    assert any(p.startswith("Kommuner med koding: per gruppe") for p in paragraphs)
    plain = tmp_path / "plain.docx"
    args = ["export", "comparison", "--no-evidence", "--out", str(plain)]
    assert study(*args).exit_code == 0
    table = docx.Document(str(plain)).tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Kategori", "Likheter", "Forskjeller"]


def test_codings_export_is_tidy_with_case_attributes(study, tmp_path):
    out = tmp_path / "tidy.csv"
    assert study("export", "codings", "--format", "csv", "--out", str(out)).exit_code == 0
    rows = _csv_dicts(out.read_text("utf-8-sig"))
    assert len(rows) == len(CODINGS.strip().splitlines()) - 1
    assert {r["case"]: r["size"] for r in rows} == {v: k for k, v in CASES.items()}
    assert {r["region"] for r in rows if r["case"] == "Stor kommune 9"} == {"Vest"}
    xlsx = tmp_path / "codings.xlsx"
    assert study("export", "codings", "--format", "xlsx", "--out", str(xlsx)).exit_code == 0
    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet.max_row == len(rows) + 1


def test_overwrite_refused_without_force_and_output_is_deterministic(study, tmp_path):
    for kind, fmt in (
        ("summaries", "md"),
        ("matrix", "csv"),
        ("matrix", "md"),
        ("comparison", "md"),
        ("comparison", "csv"),
        ("codings", "csv"),
    ):
        out = tmp_path / "out" / f"{kind}.{fmt}"
        assert study("export", kind, "--format", fmt, "--out", str(out)).exit_code == 0
        first = out.read_bytes()
        refused = study("export", kind, "--format", fmt, "--out", str(out))
        assert refused.exit_code == 1
        assert "--force" in refused.stderr
        again = study("export", kind, "--format", fmt, "--out", str(out), "--force")
        assert again.exit_code == 0
        assert out.read_bytes() == first


def test_a_consensus_coder_without_a_finished_walk_is_asked_for_not_the_default(study, tmp_path):
    consensus = tmp_path / "consensus.csv"
    consensus.write_text(
        "transcript,coder,code,quote\nstor-9,consensus,kreftkoordinator,"
        "kreftkoordinatorer i hver sone\n",
        encoding="utf-8",
    )
    assert study("codings", "import", str(consensus)).exit_code == 0
    out = tmp_path / "matrix.csv"
    assert study("export", "matrix", "--format", "csv", "--out", str(out)).exit_code == 0
    assert sum(_expected_counts(study).values()) > 1
    body = _csv_rows(out.read_text("utf-8-sig"))[1:]
    assert sum(int(v) for r in body for v in r[2:]) == sum(_expected_counts(study).values())
    asked = tmp_path / "consensus-matrix.csv"
    result = study(
        "export", "matrix", "--coder", "consensus", "--format", "csv", "--out", str(asked)
    )
    assert result.exit_code == 0
    text = asked.read_text("utf-8-sig")
    assert text.startswith("# Kodinger: konsensus (ingen gjennomgang startet)")
    assert sum(int(v) for r in _csv_rows(text)[1:] for v in r[2:]) == 1


def test_unknown_kind_or_format_is_a_clear_error(study, tmp_path):
    bad = study("export", "nonsense", "--out", str(tmp_path / "x"))
    assert bad.exit_code == 1 and "summaries" in bad.stderr
    bad = study("export", "codings", "--format", "png", "--out", str(tmp_path / "x.png"))
    assert bad.exit_code == 1 and "csv" in bad.stderr
    assert not (tmp_path / "x.png").exists()


def test_summaries_import_is_all_or_nothing(study, tmp_path):
    before = study("summaries", "export", "--format", "json").stdout
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "case,theme,section,text\n"
        "Stor kommune 9,organisering,,Ny tekst.\n"
        "Ukjent kommune,organisering,,x\n"
        "Liten kommune 9,ikke-et-tema,,x\n"
        "Liten kommune 9,,ingen-seksjon,x\n"
        "Liten kommune 9,organisering,organisering,x\n",
        encoding="utf-8",
    )
    result = study("summaries", "import", str(bad))
    assert result.exit_code == 1
    for needle in (
        "line 3",
        "Ukjent kommune",
        "line 4",
        "ikke-et-tema",
        "line 5",
        "ingen-seksjon",
        "line 6",
    ):
        assert needle in result.stderr
    assert study("summaries", "export", "--format", "json").stdout == before


def test_summaries_export_round_trips_through_json(study, tmp_path):
    out = tmp_path / "s.json"
    assert study("summaries", "export", "--format", "json", "--out", str(out)).exit_code == 0
    rows = json.loads(out.read_text("utf-8"))
    filled = {(r["case"], r["theme"], r["section"]): r["text"] for r in rows if r["text"]}
    assert (
        filled[("Mellomstor kommune 9", "identifisering", "")]
        == "SPICT brukes ved melding fra fastlegen."
    )
    assert len(filled) == 4
    for r in rows:
        r["text"] = r["text"].upper()
    out.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    assert study("summaries", "import", str(out)).exit_code == 0
    again = json.loads(study("summaries", "export", "--format", "json").stdout)
    assert {(r["case"], r["theme"], r["section"]): r["text"] for r in again if r["text"]} == {
        k: v.upper() for k, v in filled.items()
    }
