"""`qualcode summaries import` refuses files it cannot use, and can clear cells."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _texts(cli) -> dict[tuple[str, str, str], str]:
    rows = json.loads(cli("summaries", "export", "--format", "json").stdout)
    return {(r["case"], r["section"], r["theme"]): r["text"] for r in rows if r["text"]}


@pytest.mark.parametrize("header", ["case,theme,summary", "kommune,tema,tekst", "case,text"])
def test_a_header_without_the_needed_columns_is_refused_naming_the_columns(cli, tmp_path, header):
    path = _write(tmp_path, "s.csv", f"{header}\nStor kommune 9,organisering,Tekst.\n")
    result = cli("summaries", "import", str(path))
    assert result.exit_code == 1
    assert "case, text, and theme or section" in result.stderr
    assert f"columns found: {header.replace(',', ', ')}" in result.stderr
    assert str(path) in result.stderr
    assert _texts(cli) == {}


def test_two_rows_for_the_same_cell_are_a_problem(cli, tmp_path):
    path = _write(
        tmp_path,
        "s.csv",
        "case,theme,section,text\n"
        "Stor kommune 9,organisering,,Første.\n"
        "Liten kommune 9,organisering,,Annen kommune.\n"
        "stor kommune 9,Organisering av tilbudet til palliative pasienter,,Andre.\n",
    )
    result = cli("summaries", "import", str(path))
    assert result.exit_code == 1
    assert "line 4" in result.stderr and "first is at line 2" in result.stderr
    assert "Error: 1 bad row in" in result.stderr  # one row, one "row"
    assert _texts(cli) == {}


def test_clear_empty_deletes_the_summaries_of_emptied_rows(cli, tmp_path):
    full = _write(
        tmp_path,
        "full.csv",
        "case,theme,section,text\n"
        "Stor kommune 9,organisering,,Tekst A.\n"
        "Stor kommune 9,,organisering,Tekst B.\n",
    )
    assert cli("summaries", "import", str(full)).exit_code == 0
    emptied = _write(
        tmp_path,
        "emptied.csv",
        "case,theme,section,text\n"
        "Stor kommune 9,organisering,,\n"
        "Stor kommune 9,,organisering,Tekst B.\n",
    )
    skipped = cli("summaries", "import", str(emptied))
    assert "1 empty row skipped" in skipped.stdout
    assert _texts(cli)[("Stor kommune 9", "", "organisering")] == "Tekst A."
    cleared = cli("summaries", "import", str(emptied), "--clear-empty")
    assert cleared.exit_code == 0 and "1 summary cleared" in cleared.stdout
    assert _texts(cli) == {("Stor kommune 9", "organisering", ""): "Tekst B."}


def test_messages_speak_of_summaries_not_codings(cli, tmp_path):
    sheet = _write(tmp_path, "s.xlsx", "not really a workbook")
    result = cli("summaries", "import", str(sheet))
    assert result.exit_code == 1 and "a summaries file must be .csv or .json" in result.stderr
    scalar = _write(tmp_path, "s.json", '"just a string"')
    result = cli("summaries", "import", str(scalar))
    assert result.exit_code == 1 and "one per row" in result.stderr
    assert "coding" not in result.stderr
    neither = _write(tmp_path, "n.csv", "case,theme,section,text\nStor kommune 9,,,Tekst.\n")
    result = cli("summaries", "import", str(neither))
    assert "give a theme or a section, not neither" not in result.stderr
    assert "give a theme or a section" in result.stderr


def test_key_quotes_column_marks_the_codings_holding_those_words(cli, tmp_path):
    codings = _write(
        tmp_path,
        "c.csv",
        "transcript,coder,code,quote\n"
        "liten-9,ann,parorende,Vi har tett kontakt med pårørende.\n"
        "liten-9,bob,parorende,Vi har tett kontakt med pårørende.\n"
        "liten-9,ann,parorende,De ringer oss når som helst.\n",
    )
    assert cli("codings", "import", str(codings)).exit_code == 0
    path = _write(
        tmp_path,
        "s.csv",
        "case,theme,section,text,key_quotes\n"
        'Liten kommune 9,parorende,,Tett kontakt.,"«tett kontakt med pårørende»"\n',
    )
    result = cli("summaries", "import", str(path))
    assert result.exit_code == 0, result.output
    rows = json.loads(cli("summaries", "export", "--format", "json").stdout)
    keyed = {(r["case"], r["theme"]): r["key_quotes"] for r in rows if r["key_quotes"]}
    # both coders' codings of those words are marked; the export names the span once
    assert keyed == {("Liten kommune 9", "parorende"): "Vi har tett kontakt med pårørende."}
    md = tmp_path / "r.md"
    assert cli("export", "summaries", "--out", str(md)).exit_code == 0
    assert md.read_text("utf-8").count("«Vi har tett kontakt med pårørende.»") == 1

    # an empty key_quotes cell unmarks; a file without the column leaves marks alone
    emptied = _write(
        tmp_path,
        "e.csv",
        "case,theme,section,text,key_quotes\nLiten kommune 9,parorende,,Tett kontakt.,\n",
    )
    plain = _write(
        tmp_path, "p.csv", "case,theme,section,text\nLiten kommune 9,parorende,,Tett kontakt.\n"
    )
    assert cli("summaries", "import", str(plain)).exit_code == 0
    assert any(
        r["key_quotes"] for r in json.loads(cli("summaries", "export", "--format", "json").stdout)
    )
    assert cli("summaries", "import", str(emptied)).exit_code == 0
    assert not any(
        r["key_quotes"] for r in json.loads(cli("summaries", "export", "--format", "json").stdout)
    )


def test_key_quotes_that_match_nothing_or_sit_on_a_section_row_are_refused(cli, tmp_path):
    path = _write(
        tmp_path,
        "s.csv",
        "case,theme,section,text,key_quotes\n"
        "Liten kommune 9,parorende,,Tekst.,Ingen har sagt dette.\n"
        "Liten kommune 9,,parorende,Tekst.,Vi har tett kontakt\n",
    )
    result = cli("summaries", "import", str(path))
    assert result.exit_code == 1
    assert (
        'line 2: no coded quote of Liten kommune 9, theme parorende, holds "Ingen har sagt'
        in result.stderr
    )
    assert "line 3: key quotes belong on a theme row" in result.stderr
    assert _texts(cli) == {}


def test_word_line_breaks_and_controls_in_notes_reach_every_export(cli, tmp_path):
    """A \\v (Word's manual line break, copied out) once crashed the xlsx and docx exports."""
    sheet = _write(
        tmp_path,
        "wb.csv",
        'case,theme,text\nStor kommune 9,bemanning,"Halv stilling.\x0bNettene er sårbare."\n',
    )
    assert cli("summaries", "import", str(sheet)).exit_code == 0
    assert (
        cli(
            "comparison", "set", "kreftkoordinator", "--likheter", "Linje en\x0bto\x0c\x01"
        ).exit_code
        == 0
    )
    assert _texts(cli)[("Stor kommune 9", "", "bemanning")] == "Halv stilling.\nNettene er sårbare."
    for kind, fmt in (
        ("matrix", "xlsx"),
        ("matrix", "docx"),
        ("comparison", "xlsx"),
        ("comparison", "docx"),
        ("summaries", "docx"),
    ):
        out = tmp_path / f"{kind}.{fmt}"
        result = cli("export", kind, "--out", str(out))
        assert result.exit_code == 0, (kind, fmt, result.output)
        assert out.stat().st_size > 0


def test_summaries_export_follows_the_file_name(cli, tmp_path):
    as_json = tmp_path / "t.json"
    assert cli("summaries", "export", "--out", str(as_json)).exit_code == 0
    assert as_json.read_text(encoding="utf-8").lstrip().startswith("[")
    assert cli("summaries", "import", str(as_json)).exit_code == 0
    clash = cli("summaries", "export", "--format", "json", "--out", str(tmp_path / "t.csv"))
    assert clash.exit_code == 1 and "does not match" in clash.output
