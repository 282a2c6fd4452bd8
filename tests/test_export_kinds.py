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
    # the guide is Norwegian: so is the document, numbers with a decimal comma
    assert "| Samarbeid med pårørende og nettverk |" in text and "## Samlet" in text
    report = json.loads(cli("agreement", "--coders", "ann", "bo", "--json").stdout)
    kappa = report["per_code"]["parorende"]["cohen_kappa"]
    assert (f"{kappa:.3f}".replace(".", ",") if kappa is not None else "—") in text
    share = report["overall"]["percent_agreement"]
    assert f"| {100 * share:.1f}\u00a0% |".replace(".", ",") in text
    assert "Overall" not in text and "reliable" not in text
    csv_out = tmp_path / "a.csv"
    assert (
        cli(
            "export", "agreement", "--coders", "ann", "bo", "--format", "csv", "--out", str(csv_out)
        ).exit_code
        == 0
    )
    lines = csv_out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("scope,name,cohen_kappa")
    assert lines[-1].startswith("overall,Samlet,")
    assert lines[0].endswith("unit,coder_a,coder_b,informant_only,scope_note")
    assert ",turn,ann,bo,yes," in lines[-1]  # every row says what it measured
    assert "1 transkripsjon kodet av begge" in lines[-1]  # and which transcripts, and why
    word = tmp_path / "a.docx"
    assert (
        cli(
            "export", "agreement", "--coders", "ann", "bo", "--format", "docx", "--out", str(word)
        ).exit_code
        == 0
    )
    document = docx.Document(str(word))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:3] == ["Per kode", "Per transkripsjon", "Samlet"]
    # then the spread, NVivo's comparison, the unitizing alphas and the methods paragraph
    assert "Kodesammenligning per kode og transkripsjon (NVivo)" in headings
    assert headings[-1] == "Metode"
    assert len(document.tables) == len(headings) - 1  # every section but the method a table
    missing = cli("export", "agreement", "--out", str(tmp_path / "x.md"))
    assert missing.exit_code == 1 and "--coders" in missing.output


def test_export_agreement_scope_matches_the_agreement_command(cli, project_dir, tmp_path):
    _code_both(cli, project_dir)
    scope = [
        "--transcript",
        "liten-9",
        "--code",
        "parorende",
        "--code",
        "Samarbeid med pårørende og nettverk",
        "--informant-only",
    ]
    md = tmp_path / "scoped.md"
    result = cli(
        "export",
        "agreement",
        "--coders",
        "ann",
        "bo",
        "--unit",
        "character",
        *scope,
        "--out",
        str(md),
    )
    assert result.exit_code == 0, result.output
    text = md.read_text(encoding="utf-8")
    assert (
        "Utvalg: 1 transkripsjon valgt (liten-9); bare informantenes replikker (intervjuerens "
        "utelatt); de valgte kodene (Samarbeid med pårørende og nettverk)."
    ) in text
    assert "med tegn som enhet" in text
    report = json.loads(
        cli("agreement", "--coders", "ann", "bo", "--unit", "character", *scope, "--json").stdout
    )
    assert list(report["per_code"]) == ["parorende"]  # given twice, counted once
    assert f"(n = {report['n_units']})" in text
    overall = report["overall"]
    row = next(line for line in text.splitlines() if line.startswith("| Samlet |"))
    assert f"| {overall['both']} | {overall['only_a']} | {overall['only_b']} |" in row
    whole = tmp_path / "whole.md"
    assert cli("export", "agreement", "--coders", "ann", "bo", "--out", str(whole)).exit_code == 0
    # by default: the transcripts both coded (stor-9 neither did) and informant turns
    assert (
        "Utvalg: 1 transkripsjon kodet av begge (liten-9); bare informantenes replikker "
        "(intervjuerens utelatt); alle koder som en av "
    ) in whole.read_text(encoding="utf-8")


# --- REFI-QDA import and export through the CLI (review findings 6, 7, 9) --------------------

BOOK = (
    '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
    '<Code guid="20000000-0000-0000-0000-000000000001" name="Evaluering av tilbudet" isCodable="true">'
    '<Code guid="20000000-0000-0000-0000-000000000002" name="Ny kode" isCodable="true"/></Code>'
    "</Codes></CodeBook>"
)


def test_codebook_import_lists_the_codes_it_added(cli, project_dir):
    book = project_dir / "book.qdc"
    book.write_text(BOOK, encoding="utf-8")
    result = cli("import", str(book))
    assert result.exit_code == 0
    assert "1 new code," in result.stdout
    assert "new code: Ny kode (under Evaluering av tilbudet)" in result.stdout
    [again] = json.loads(cli("import", str(book), "--json").stdout)
    assert "codes_added" not in again and again["exchange"]["codes_added"] == []
    other = project_dir.parent / "other"
    other.mkdir()
    (other / "interview_guide.yaml").write_bytes(
        (project_dir / "interview_guide.yaml").read_bytes()
    )
    [first] = json.loads(cli("--project", str(other), "import", str(book), "--json").stdout)
    assert first["codes_added"] == [{"id": "ny-kode", "name": "Ny kode", "parent": "evaluering"}]


def test_export_qdpx_refuses_an_unknown_coder(cli, project_dir, tmp_path):
    _code_both(cli, project_dir)
    out = tmp_path / "p.qdpx"
    result = cli("export", "qdpx", "--coder", "nobody", "--out", str(out))
    assert result.exit_code == 1 and 'coder "nobody" has no codings' in result.output
    assert "ann" in result.output and not out.exists()
    assert cli("export", "qdpx", "--coder", "ann", "--out", str(out)).exit_code == 0


def _qdpx_with(path, text: str, extra_source: str = ""):
    qde = (
        '<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Sources>'
        '<TextSource guid="50000000-0000-0000-0000-000000000001" name="intervju-x">'
        f"<PlainTextContent>{text}</PlainTextContent></TextSource>{extra_source}"
        "</Sources></Project>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("project.qde", qde)
    return path


def test_strict_refuses_a_qdpx_whose_text_names_someone(cli, project_dir):
    path = _qdpx_with(project_dir / "x.qdpx", "I: Nummeret?\nA: Ring meg på 912 34 567.")
    refused = cli("import", "--strict", str(path))
    assert refused.exit_code == 1 and "refused by --strict" in refused.output
    assert "x.qdpx#intervju-x, line 2, column 16: possible phone: 912 34 567" in refused.output
    ids = json.loads(cli("transcripts", "--json").stdout)
    assert "intervju-x" not in [t["id"] for t in ids]
    warned = cli("import", str(path))
    assert warned.exit_code == 0 and "possible phone" in warned.output
    assert "intervju-x" in [t["id"] for t in json.loads(cli("transcripts", "--json").stdout)]


def test_a_skipped_source_is_reported_once_with_its_reason(cli, project_dir):
    missing = (
        '<TextSource guid="50000000-0000-0000-0000-000000000002" name="borte" '
        'plainTextPath="internal://borte.txt"/>'
        '<PDFSource guid="50000000-0000-0000-0000-000000000003" name="rapport" '
        'path="internal://r.pdf"/>'
    )
    path = _qdpx_with(project_dir / "y.qdpx", "I: Hei.\nA: Hei.", missing)
    result = cli("import", str(path))
    assert result.exit_code == 0
    lines = [line for line in result.output.splitlines() if "borte" in line]
    assert lines == [
        "  warning: Skipped TextSource 'borte': its text file internal://borte.txt "
        "is not in the archive."
    ]
    assert sum("rapport" in line for line in result.output.splitlines()) == 1


def test_import_and_export_help_name_the_refi_formats(cli):
    help_text = " ".join(cli("import", "--help").output.split())
    assert ".qdpx" in help_text and ".qdc" in help_text
    export_help = " ".join(cli("export", "--help").output.split())
    assert "for qdpx every coder's" in export_help
