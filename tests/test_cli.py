"""The command line, driven through click's CliRunner as a user would drive it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.conftest import TRANSCRIPT_A


def _json(result) -> object:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _snapshot(project_dir: Path) -> tuple:
    """Everything a failed command must leave untouched."""
    con = sqlite3.connect(project_dir / "qualcode.db")
    try:
        return tuple(
            con.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in (
                "transcripts",
                "turns",
                "cases",
                "case_attributes",
                "codes",
                "codings",
                "audit",
            )
        )
    finally:
        con.close()


def test_first_command_initialises_and_imports(cli, project_dir):
    status = _json(cli("status", "--json"))
    assert (project_dir / "qualcode.db").exists()
    assert status["transcripts"] == 2
    assert status["cases"] == 2
    assert status["themes"] == 10
    assert status["cases_by"] == {"size": {"liten": 1, "stor": 1}}


def test_transcripts_and_show(cli):
    rows = _json(cli("transcripts", "--json"))
    by_id = {r["id"]: r for r in rows}
    assert set(by_id) == {"liten-9", "stor-9"}
    assert by_id["stor-9"]["case"] == "Stor kommune 9"
    assert by_id["stor-9"]["attributes"]["size"] == "stor"
    assert by_id["stor-9"]["speakers"] == ["Intervjuer", "Leder", "Kreftkoordinator"]
    assert by_id["liten-9"]["turns"] == 4
    shown = _json(cli("show", "liten-9", "--json"))
    text = shown["text"]
    contents = [text[t["start"] : t["end"]] for t in shown["turns"]]
    assert contents[0] == "Hvordan samarbeider dere med pårørende?"
    # an unlabelled paragraph continues the turn before it
    assert contents[1].endswith("samtaler med familien før utskrivelse.")
    assert all(":" not in c[:20] for c in contents)
    assert shown["turns"][1]["timestamp"] == 10


def test_reimport_of_unchanged_file_does_nothing(cli, project_dir):
    cli("status")
    before = _snapshot(project_dir)
    result = cli("import", str(project_dir / "transcripts"), "--json")
    assert [r["status"] for r in _json(result)] == ["unchanged", "unchanged"]
    assert _snapshot(project_dir) == before


def test_changed_file_refused_without_replace(cli, project_dir):
    cli("status")
    before = _snapshot(project_dir)
    path = project_dir / "transcripts" / "liten-9.md"
    path.write_text(TRANSCRIPT_A.replace("tett kontakt", "svært tett kontakt"), encoding="utf-8")
    result = cli("import", str(path))
    assert result.exit_code == 1
    assert "--replace" in result.output and "liten-9" in result.output
    assert _snapshot(project_dir) == before


def test_replace_keeps_codings_re_anchored(cli, project_dir):
    cli("status")
    rows = project_dir / "codings.json"
    rows.write_text(
        json.dumps(
            [
                {
                    "transcript": "liten-9",
                    "coder": "ann",
                    "code": "parorende",
                    "quote": "De ringer oss når som helst.",
                },
                {
                    "transcript": "liten-9",
                    "coder": "ann",
                    "code": "fastlege-legevakt",
                    "quote": "Fastlegene er viktige.",
                },
            ]
        ),
        encoding="utf-8",
    )
    assert cli("codings", "import", str(rows)).exit_code == 0
    path = project_dir / "transcripts" / "liten-9.md"
    path.write_text(
        TRANSCRIPT_A.replace("Vi har tett kontakt", "Altså, vi har veldig tett kontakt"),
        encoding="utf-8",
    )
    report = _json(cli("import", str(path), "--replace", "--json"))
    assert report[0]["status"] == "replaced"
    exported = _json(cli("codings", "export", "--format", "json"))
    shown = _json(cli("show", "liten-9", "--json"))
    assert len(exported) == 2
    for row in exported:
        assert shown["text"][row["start"] : row["end"]] == row["quote"]
    assert list((project_dir / ".qualcode-backups").iterdir()), "a backup is taken before --replace"


def test_bad_files_refused_and_project_unchanged(cli, project_dir, tmp_path):
    cli("status")
    before = _snapshot(project_dir)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    fronted = tmp_path / "fronted.md"
    fronted.write_text("---\ncase: X\nsize: [unclosed\n---\nI: hei\n", encoding="utf-8")
    for bad in (empty, binary, fronted):
        result = cli("import", str(bad))
        assert result.exit_code == 1, result.output
        assert bad.name in result.output
        assert "Traceback" not in result.output
    assert _snapshot(project_dir) == before
    fronted_result = cli("import", str(fronted))
    assert "line" in fronted_result.output


def test_broken_guide_refused_without_creating_a_project(cli, project_dir):
    guide = project_dir / "interview_guide.yaml"
    guide.write_text(guide.read_text(encoding="utf-8") + "\nthemes: [\n", encoding="utf-8")
    result = cli("status")
    assert result.exit_code == 1
    assert "interview_guide.yaml" in result.output and "line" in result.output
    assert "Traceback" not in result.output
    assert not (project_dir / "qualcode.db").exists()


def test_codebook_and_codes_add(cli):
    tree = _json(cli("codebook", "--json"))
    ids = [t["id"] for t in tree["themes"]]
    assert ids[0] == "organisering" and "parorende" in ids and len(ids) == 10
    added = cli("codes", "add", "Bruk av nabohjelp", "--parent", "parorende", "--json")
    assert _json(added)["id"] == "bruk-av-nabohjelp"
    tree = _json(cli("codebook", "--json"))
    parorende = next(t for t in tree["themes"] if t["id"] == "parorende")
    new = [c for c in parorende["codes"] if c["id"] == "bruk-av-nabohjelp"]
    assert new and new[0]["origin"] == "inductive"
    assert cli("codes", "add", "bruk av nabohjelp", "--parent", "parorende").exit_code == 1


def test_codings_import_is_all_or_nothing(cli, project_dir):
    cli("status")
    before = _snapshot(project_dir)
    csv_path = project_dir / "codings.csv"
    csv_path.write_text(
        "transcript,coder,code,quote\n"
        "liten-9,ann,parorende,Vi har tett kontakt med pårørende.\n"
        "liten-9,ann,no-such-code,Fastlegene er viktige.\n"
        "nope,ann,parorende,Vi har tett kontakt\n"
        "liten-9,ann,parorende,This sentence is not in the transcript at all\n",
        encoding="utf-8",
    )
    result = cli("codings", "import", str(csv_path))
    assert result.exit_code == 1
    for fragment in ("line 3", "no-such-code", "line 4", '"nope"', "line 5", "not found"):
        assert fragment in result.output
    assert _snapshot(project_dir) == before


def test_codings_import_quotes_by_name_and_fuzzy(cli, project_dir):
    csv_path = project_dir / "codings.csv"
    csv_path.write_text(
        "transcript,coder,code,quote\n"
        'liten-9,ann,Samarbeid med pårørende og nettverk,"Vi har tett  kontakt\nmed pårørende."\n'
        "liten-9,bo,FASTLEGE-LEGEVAKT,Fastlegene er vikitge.\n",
        encoding="utf-8",
    )
    report = _json(cli("codings", "import", str(csv_path), "--json"))
    assert report["imported"] == 2
    assert any("fuzzy" in n for n in report["notes"])
    rows = _json(cli("codings", "export", "--format", "json"))
    text = _json(cli("show", "liten-9", "--json"))["text"]
    assert {(r["coder"], r["code"]) for r in rows} == {
        ("ann", "parorende"),
        ("bo", "fastlege-legevakt"),
    }
    for r in rows:
        assert text[r["start"] : r["end"]] == r["quote"]
    only_bo = _json(cli("codings", "export", "--format", "json", "--coder", "bo"))
    assert [r["coder"] for r in only_bo] == ["bo"]
    assert only_bo[0]["case"] == "Liten kommune 9"
    csv_out = cli("codings", "export", "--format", "csv").stdout.splitlines()
    assert csv_out[0] == "transcript,case,coder,code,code_name,start,end,quote,memo"
    assert len(csv_out) == 3


def test_codings_import_with_create_codes(cli, project_dir):
    path = project_dir / "c.json"
    path.write_text(
        json.dumps(
            [
                {
                    "transcript": "stor-9",
                    "coder": "ann",
                    "code": "Åtte senger",
                    "parent": "organisering",
                    "start": 40,
                    "end": 60,
                }
            ]
        ),
        encoding="utf-8",
    )
    assert cli("codings", "import", str(path)).exit_code == 1
    report = _json(cli("codings", "import", str(path), "--create-codes", "--json"))
    assert report["new_codes"] == ["atte-senger"]


def test_import_with_case_and_attrs(cli, project_dir, tmp_path):
    plain = tmp_path / "intervju-x.txt"
    plain.write_text("I: Hei\nK: Hallo, vi har fastvakt.\n", encoding="utf-8")
    result = cli(
        "import",
        str(plain),
        "--case",
        "Mellomstor kommune 9",
        "--attr",
        "size=mellomstor",
        "--attr",
        "region=Midt",
        "--json",
    )
    assert _json(result)[0]["status"] == "imported"
    rows = {r["id"]: r for r in _json(cli("transcripts", "--json"))}
    assert rows["intervju-x"]["case"] == "Mellomstor kommune 9"
    assert rows["intervju-x"]["attributes"] == {"size": "mellomstor", "region": "Midt"}


def test_backup_and_restore(cli, project_dir, tmp_path):
    cli("status")
    out = tmp_path / "b.db"
    assert cli("backup", "--out", str(out)).exit_code == 0
    cli("codes", "add", "Ny kode", "--parent", "evaluering")
    assert cli("restore", str(out)).exit_code == 0
    ids = [c["id"] for t in _json(cli("codebook", "--json"))["themes"] for c in t["codes"]]
    assert "ny-kode" not in ids


def test_mixed_folder_imports_with_right_speakers_and_spans(cli, project_dir, tmp_path):
    """Issue 1's 'done when': Teams vtt, Word, latin-1 CRLF text, SRT and BOM markdown in one folder."""
    import docx

    folder = tmp_path / "inn"
    folder.mkdir()
    (folder / "teams.vtt").write_text(
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\n<v Intervjuer>Hvordan går det med pårørende?</v>\n\n"
        "2\n00:00:05.000 --> 00:00:09.500\n<v Kreftkoordinator>Det går bra.</v>\n\n"
        "3\n00:00:09.500 --> 00:00:12.000\n<v Kreftkoordinator>Vi ringer dem ofte.</v>\n",
        encoding="utf-8",
    )
    document = docx.Document()
    document.add_heading("Intervju, Mellomstor kommune 7", level=1)
    p = document.add_paragraph()
    p.add_run("Intervjuer:").bold = True
    p.add_run(" Har dere fastvakt?")
    p = document.add_paragraph()
    p.add_run("Leder:").bold = True
    p.add_run(" Ja, vi har fastvakt ved behov.")
    document.save(folder / "word.docx")
    (folder / "latin.txt").write_bytes(
        "I: Hvordan er samarbeidet med fastlegen?\r\nK: Fastlegen er viktig for pårørende og oss.\r\n".encode(
            "cp1252"
        )
    )
    (folder / "undertekst.srt").write_text(
        "1\n00:00:01,000 --> 00:00:03,000\nIntervjuer: Bruker dere SPICT?\n\n"
        "2\n00:00:03,500 --> 00:00:06,000\nSykepleier: Nei, ikke ennå.\n",
        encoding="utf-8",
    )
    (folder / "bom.md").write_bytes(
        "\ufeff---\ncase: Liten kommune 7\nsize: liten\nregion: Vest\n---\n"
        "Intervjuer: Har dere våketjeneste?\n\nKreftsykepleier: Ja, med Røde Kors.\n".encode(
            "utf-8"
        )
    )
    report = _json(cli("import", str(folder), "--case", "Blandet kommune", "--json"))
    assert sorted(r["status"] for r in report) == ["imported"] * 5

    expected = {
        "teams": [
            ("Intervjuer", "Hvordan går det med pårørende?"),
            ("Kreftkoordinator", "Det går bra. Vi ringer dem ofte."),
        ],
        "word": [("Intervjuer", "Har dere fastvakt?"), ("Leder", "Ja, vi har fastvakt ved behov.")],
        "latin": [
            ("I", "Hvordan er samarbeidet med fastlegen?"),
            ("K", "Fastlegen er viktig for pårørende og oss."),
        ],
        "undertekst": [("Intervjuer", "Bruker dere SPICT?"), ("Sykepleier", "Nei, ikke ennå.")],
        "bom": [
            ("Intervjuer", "Har dere våketjeneste?"),
            ("Kreftsykepleier", "Ja, med Røde Kors."),
        ],
    }
    for tid, turns in expected.items():
        shown = _json(cli("show", tid, "--json"))
        got = [(t["speaker"], shown["text"][t["start"] : t["end"]]) for t in shown["turns"]]
        assert got == turns, tid
        assert "\r" not in shown["text"] and "\ufeff" not in shown["text"]
    teams = _json(cli("show", "teams", "--json"))
    assert [t["timestamp"] for t in teams["turns"]] == [1.0, 5.0]
    assert [t["role"] for t in teams["turns"]] == ["interviewer", "informant"]
    rows = {r["id"]: r for r in _json(cli("transcripts", "--json"))}
    assert rows["word"]["case"] == "Blandet kommune"  # --case wins over the front matter
    assert rows["bom"]["attributes"]["size"] == "liten"


def test_demo_study(tmp_path):
    """The repository's own study: 10 cases (4 stor, 3 mellomstor, 3 liten), 10 themes."""
    import shutil

    from click.testing import CliRunner

    from qualcode.cli import main
    from tests.conftest import REPO

    root = tmp_path / "demo"
    shutil.copytree(REPO / "transcripts", root / "transcripts")
    shutil.copy(REPO / "interview_guide.yaml", root)
    status = _json(CliRunner().invoke(main, ["--project", str(root), "status", "--json"]))
    assert status["cases"] == 10 and status["transcripts"] == 10 and status["themes"] == 10
    assert status["cases_by"]["size"] == {"stor": 4, "mellomstor": 3, "liten": 3}


def test_study_files_beside_the_transcripts_are_imported_on_first_open(cli, project_dir):
    folder = project_dir / "transcripts"
    (folder / "codings.csv").write_text(
        "transcript,coder,code,quote\nliten-9,anna,parorende,Vi har tett kontakt med pårørende.\n"
        "stor-9,bjorn,palliativt-team,Vi har et palliativt team og åtte palliative senger.\n",
        encoding="utf-8",
    )
    (folder / "summaries.csv").write_text(
        "case,section,theme,text\nLiten kommune 9,parorende,,Tett kontakt med pårørende.\n"
        "Stor kommune 9,,organisering,Palliativt team og senger.\n",
        encoding="utf-8",
    )
    (folder / "comparison.csv").write_text(
        "category,likheter,forskjeller\nkreftkoordinator,Alle har en.,Ulik stillingsstørrelse.\n",
        encoding="utf-8",
    )
    result = cli("status", "--json")
    assert "codings.csv: imported 2 rows" in result.stderr
    assert "summaries.csv: imported 2 rows" in result.stderr
    assert _json(result)["codings"] == 2
    summaries = json.loads(cli("summaries", "export", "--format", "json").stdout)
    assert {
        "case": "Liten kommune 9",
        "section": "parorende",
        "theme": "",
        "text": "Tett kontakt med pårørende.",
    }.items() <= next(
        s for s in summaries if s["case"] == "Liten kommune 9" and s.get("section") == "parorende"
    ).items()
    notes = json.loads(cli("comparison", "show", "--json").stdout)
    assert "Alle har en." in json.dumps(notes, ensure_ascii=False)


def test_bad_study_file_is_reported_and_the_rest_still_opens(cli, project_dir):
    (project_dir / "transcripts" / "codings.csv").write_text(
        "transcript,coder,code,quote\nliten-9,anna,no-such-code,Vi har tett kontakt\n",
        encoding="utf-8",
    )
    result = cli("status", "--json")
    assert "codings.csv: not imported" in result.stderr and "no-such-code" in result.stderr
    assert _json(result)["transcripts"] == 2 and _json(result)["codings"] == 0


def test_unresolved_codings_are_kept_listed_and_placeable(cli, project_dir):
    cli("status")
    rows = project_dir / "c.json"
    rows.write_text(
        json.dumps(
            [
                {
                    "transcript": "liten-9",
                    "coder": "ann",
                    "code": "parorende",
                    "quote": "De ringer oss når som helst.",
                }
            ]
        ),
        encoding="utf-8",
    )
    cli("codings", "import", str(rows))
    path = project_dir / "transcripts" / "liten-9.md"
    path.write_text(TRANSCRIPT_A.replace(" De ringer oss når som helst.", ""), encoding="utf-8")
    report = _json(cli("import", str(path), "--replace", "--json"))
    assert report[0]["unresolved"] == 1
    flagged = _json(cli("codings", "unresolved", "--json"))
    assert len(flagged) == 1 and flagged[0]["quote"] == "De ringer oss når som helst."
    assert len(_json(cli("codings", "export", "--format", "json"))) == 1, "kept, not dropped"
    placed = _json(
        cli(
            "codings",
            "place",
            str(flagged[0]["id"]),
            "--quote",
            "Vi har tett kontakt med pårørende.",
            "--coder",
            "ann",
            "--json",
        )
    )
    assert placed["status"] == "ok" and placed["quote"] == "Vi har tett kontakt med pårørende."
    assert _json(cli("codings", "unresolved", "--json")) == []


def test_show_gives_the_preamble(cli):
    shown = _json(cli("show", "liten-9", "--json"))
    assert shown["preamble"] == "Syntetisk testintervju."
    out = cli("show", "liten-9").stdout
    assert "Syntetisk testintervju." in out
    assert out.index("Syntetisk testintervju.") < out.index("Intervjuer: ")


def test_status_of_an_empty_project_has_no_blank_line(tmp_path):
    from click.testing import CliRunner

    from qualcode.cli import main

    root = tmp_path / "tom"
    root.mkdir()
    (root / "interview_guide.yaml").write_text(
        (Path(__file__).resolve().parent.parent / "interview_guide.yaml").read_text("utf-8"),
        encoding="utf-8",
    )
    out = CliRunner().invoke(main, ["--project", str(root), "init"])
    assert out.exit_code == 0, out.output
    lines = CliRunner().invoke(main, ["--project", str(root), "status"]).stdout.splitlines()
    assert all(line.strip() for line in lines), lines
    assert "Cases     0" in lines and "Codings   0 by 0 coders" in lines


def test_status_counts_one_coder_as_one(cli, project_dir):
    path = project_dir / "c.json"
    path.write_text(
        json.dumps(
            [
                {
                    "transcript": "liten-9",
                    "coder": "ann",
                    "code": "parorende",
                    "quote": "Vi har tett kontakt med pårørende.",
                }
            ]
        ),
        "utf-8",
    )
    assert cli("codings", "import", str(path)).exit_code == 0
    assert "Codings   1 by 1 coder\n" in cli("status").stdout
