"""`qualcode export` for the exchange and agreement kinds, through the CLI."""

from __future__ import annotations

import json
import zipfile

import docx
import xmlschema

from tests.conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "refi"


def _code_both(cli, project_dir):
    rows = [
        {"transcript": "liten-9", "coder": c, "code": code, "quote": q}
        for c, code, q in [
            ("ann", "parorende", "Vi har tett kontakt med pårørende."),
            ("bo", "parorende", "Vi har tett kontakt med pårørende."),
            ("ann", "fastlege-legevakt", "Fastlegene er viktige."),
            ("bo", "parorende", "Fastlegene er viktige."),
        ]
    ]
    path = project_dir / "c.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    assert cli("codings", "import", str(path)).exit_code == 0


def test_export_qdpx_and_qdc_validate(cli, project_dir, tmp_path):
    _code_both(cli, project_dir)
    out, book = tmp_path / "p.qdpx", tmp_path / "b.qdc"
    assert cli("export", "qdpx", "--out", str(out)).exit_code == 0
    assert cli("export", "qdc", "--out", str(book)).exit_code == 0
    with zipfile.ZipFile(out) as z:
        xmlschema.XMLSchema(FIXTURES / "Project.xsd").validate(z.read("project.qde"))
        assert sum(n.startswith("sources/") for n in z.namelist()) == 2
    xmlschema.XMLSchema(FIXTURES / "Codebook.xsd").validate(book.read_bytes())
    refused = cli("export", "qdpx", "--out", str(out))
    assert refused.exit_code == 1 and "--force" in refused.output


def test_export_agreement(cli, project_dir, tmp_path):
    _code_both(cli, project_dir)
    md = tmp_path / "a.md"
    assert cli("export", "agreement", "--coders", "ann", "bo", "--out", str(md)).exit_code == 0
    text = md.read_text(encoding="utf-8")
    assert "| Samarbeid med pårørende og nettverk |" in text and "## Overall" in text
    report = json.loads(cli("agreement", "--coders", "ann", "bo", "--json").stdout)
    kappa = report["per_code"]["parorende"]["cohen_kappa"]
    assert (f"{kappa:.3f}" if kappa is not None else "—") in text
    csv_out = tmp_path / "a.csv"
    assert cli("export", "agreement", "--coders", "ann", "bo", "--format", "csv", "--out", str(csv_out)).exit_code == 0
    lines = csv_out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("scope,name,cohen_kappa")
    assert lines[-1].startswith("overall,Overall,")
    word = tmp_path / "a.docx"
    assert cli("export", "agreement", "--coders", "ann", "bo", "--format", "docx", "--out", str(word)).exit_code == 0
    document = docx.Document(str(word))
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 2"] == \
        ["Per code", "Per transcript", "Overall"]
    assert len(document.tables) == 3
    missing = cli("export", "agreement", "--out", str(tmp_path / "x.md"))
    assert missing.exit_code == 1 and "--coders" in missing.output


def test_export_agreement_scope_matches_the_agreement_command(cli, project_dir, tmp_path):
    _code_both(cli, project_dir)
    scope = ["--transcript", "liten-9", "--code", "parorende", "--code", "Samarbeid med pårørende og nettverk",
             "--informant-only"]
    md = tmp_path / "scoped.md"
    result = cli("export", "agreement", "--coders", "ann", "bo", "--unit", "character", *scope,
                 "--out", str(md))
    assert result.exit_code == 0, result.output
    text = md.read_text(encoding="utf-8")
    assert ("Scope: 1 transcript (liten-9); informant turns only (the interviewer's left out); "
            "the codes chosen (Samarbeid med pårørende og nettverk).") in text
    assert "character units" in text
    report = json.loads(cli("agreement", "--coders", "ann", "bo", "--unit", "character",
                            *scope, "--json").stdout)
    assert list(report["per_code"]) == ["parorende"]  # given twice, counted once
    assert f"(n = {report['n_units']})" in text
    overall = report["overall"]
    row = next(line for line in text.splitlines() if line.startswith("| Overall |"))
    assert f"| {overall['both']} | {overall['only_a']} | {overall['only_b']} |" in row
    whole = tmp_path / "whole.md"
    assert cli("export", "agreement", "--coders", "ann", "bo", "--out", str(whole)).exit_code == 0
    assert "Scope: 2 transcripts (liten-9, stor-9); all turns; every code either coder used." in (
        whole.read_text(encoding="utf-8"))
