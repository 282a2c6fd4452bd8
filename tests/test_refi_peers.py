"""REFI-QDA against the other tools' files: a project QualCoder itself exported, the real files
in ../shared/refi-qda, and a file holding what qualcode has no place for. Each element of a
file either comes back on export or is named in the import's ``not_imported``."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from qualcode.project import Project
from qualcode.refi.bridge import export_exchange, import_exchange
from qualcode.refi.read import read_qdpx
from qualcode.refi.write import project_xml
from qualcode.study import StudyParts
from tests.conftest import REPO, SHARED

FIXTURES = REPO / "tests" / "fixtures" / "refi"
QUALCODER = FIXTURES / "qualcoder-4.0-cases.qdpx"  # see tests/fixtures/refi/README.md
NS = {"q": "urn:QDA-XML:project:1.0"}


def _qde(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("project.qde"))


def _value(vv: etree._Element) -> str:
    values = [c.text or "" for c in vv if etree.QName(c).localname.endswith("Value")]
    return values[0].strip() if values else ""


def test_a_project_qualcoder_exported_comes_in_whole(tmp_path: Path) -> None:
    """QualCoder's export lists no sources under its cases, keeps file attributes on the
    sources, memos in selection Descriptions, and an emoji before a coded span."""
    root = _qde(QUALCODER)
    variables = {v.get("guid"): v.get("name") for v in root.iterfind(".//q:Variable", NS)}
    cases = {
        c.get("name"): {
            variables[vv.find("q:VariableRef", NS).get("targetGUID")]: _value(vv)
            for vv in c.iterfind("q:VariableValue", NS)
        }
        for c in root.iterfind(".//q:Case", NS)
    }
    sources = {
        s.get("name"): {
            variables[vv.find("q:VariableRef", NS).get("targetGUID")]: _value(vv)
            for vv in s.iterfind("q:VariableValue", NS)
        }
        for s in root.iterfind(".//q:TextSource", NS)
    }
    memos = sorted(d.text for d in root.iterfind(".//q:PlainTextSelection/q:Description", NS))
    assert root.find(".//q:Case/q:SourceRef", NS) is None and len(cases) == 2
    with Project.open(tmp_path / "p", create=True) as project:
        report = import_exchange(StudyParts(project.store), QUALCODER)
        store = project.store
        assert store.transcripts.cases() == cases  # cases without sources, with every value
        assert sorted(report.cases_added) == sorted(cases)
        transcripts = {t.id: t for t in store.transcripts.all()}
        assert set(transcripts) == set(sources)
        for name, values in sources.items():  # the source's variables: its own metadata
            assert {k: str(v) for k, v in transcripts[name].meta.items()} == values
        codings = store.codings.all()
        assert len(codings) == len(root.findall(".//q:PlainTextSelection/q:Coding", NS))
        assert sorted(c.memo for c in codings if c.memo) == memos
        for c in codings:  # exact spans: the text file's characters, after the emoji too
            assert transcripts[c.transcript].text[c.start : c.end] == c.quote
        assert "Pårørende fikk hjelp hjemme." in {c.quote for c in codings}
        assert {c.coder for c in codings} == {"anna", "bjorn"}
        named = "\n".join(report.not_imported)
        assert "note 'Refleksjoner' (on the project)" in named  # a QualCoder journal
        assert "annotation «Intervjuerens første spørsmål»" in named
        out = tmp_path / "back.qdpx"
        export_exchange(StudyParts(store), "qdpx", out, "")
    back = _qde(out)
    # Descriptions, a category that is not codable, colours: written back as they came.
    assert back.findtext("q:Description", namespaces=NS) == root.findtext(
        "q:Description", namespaces=NS
    )
    for source in root.iterfind(".//q:TextSource", NS):
        again = back.find(f".//q:TextSource[@name='{source.get('name')}']", NS)
        assert again.findtext("q:Description", namespaces=NS) == source.findtext(
            "q:Description", namespaces=NS
        )
    case_a = back.find(".//q:Case[@name='Kommune A']", NS)
    assert case_a.findtext("q:Description", namespaces=NS) == "Liten kommune på kysten."
    codes = {c.get("name"): c for c in root.iterfind(".//q:Code", NS)}
    for code in back.iterfind(".//q:Code", NS):
        original = codes[code.get("name")]
        assert code.get("isCodable") == original.get("isCodable")
        assert (code.get("color") or "").lower() == (original.get("color") or "").lower()


def _explained(el: etree._Element, named: str) -> bool:
    """Whether an element missing from the re-export is named by the import, by its line."""
    return any(f"(line {up.sourceline})" in named for up in (el, *el.iterancestors()))


REAL = [QUALCODER, FIXTURES / "qc-1.3.2-demo.qdpx", FIXTURES / "nvivo-mac-15-codebook-only.qdpx"]
REAL += sorted(p for p in (SHARED / "refi-qda").glob("*.qdpx") if p.name.startswith("nvivo-win"))


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_every_element_of_a_real_file_comes_back_or_is_named(path: Path) -> None:
    """Independently of the reader's bookkeeping: each (parent, element) and each filled
    attribute of the file is in qualcode's export of what it read, or the import names it
    (a note by name, an element by its line, an attribute with its element)."""
    original = _qde(path)
    ex = read_qdpx(path)
    back = etree.fromstring(project_xml(ex))
    named = "\n".join([*ex.not_imported, *ex.unattached_notes, *ex.notes])
    skipped = set(ex.skipped_sources)

    def local(el: etree._Element) -> str:
        return etree.QName(el).localname

    pairs = {(local(e.getparent()), local(e)) for e in back.iter() if e.getparent() is not None}
    attrs = {(local(e), a) for e in back.iter() for a in e.attrib}
    for el in original.iter():
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        tag = local(el)
        source = next((s for s in el.iterancestors() if local(s).endswith("Source")), None)
        if local(el).endswith("Source") and (el.get("name") or "") in skipped:
            continue
        if source is not None and (source.get("name") or "") in skipped:
            continue  # a skipped source is named once, as a whole
        if tag == "Description" and not (el.text or "").strip():
            continue  # nothing to lose
        if tag == "NoteRef":
            continue  # the note it points to is checked itself
        if tag == "Sources" and all((s.get("name") or "") in skipped for s in el):
            continue  # only skipped sources in it
        if tag == "Note" or any(local(up) == "Note" for up in el.iterancestors()):
            if tag == "Note":  # a note comes back as a note, or is named
                assert el.get("guid") in {n.get("guid") for n in back.iter("{*}Note")} or (
                    f"'{el.get('name')}'" in named or "«" in named
                ), el.get("name")
            continue
        if (local(el.getparent()), tag) not in pairs:
            assert _explained(el, named), f"<{tag}> on line {el.sourceline} of {path.name}"
        for attr, value in el.attrib.items():
            if "}" in attr or not value.strip() or (tag, attr) in attrs:
                continue
            where = "the project" if tag == "Project" else f"<{tag}>"
            assert any(attr in line and where in line for line in ex.not_imported), (tag, attr)


def test_what_qualcode_has_no_place_for_is_named_element_by_element(tmp_path: Path) -> None:
    qde = (FIXTURES / "variant.qde").read_text(encoding="utf-8")
    qde = (
        qde.replace(
            "</Sources>",
            '<PDFSource guid="51000000-0000-0000-0000-000000000001" name="Rapport" path="internal://r.pdf"/>'
            "</Sources>",
        )
        .replace(
            "    </TextSource>",
            '<Coding guid="71000000-0000-0000-0000-000000000001">'
            '<CodeRef targetGUID="20000000-0000-0000-0000-000000000001"/></Coding></TextSource>',
        )
        .replace(
            "</Project>",
            '<Links><Link guid="90000000-0000-0000-0000-000000000001" name="Se også"'
            ' originGUID="20000000-0000-0000-0000-000000000001"'
            ' targetGUID="20000000-0000-0000-0000-000000000003"/></Links>'
            '<Sets><Set guid="91000000-0000-0000-0000-000000000001" name="Hovedkoder">'
            '<MemberCode targetGUID="20000000-0000-0000-0000-000000000001"/></Set>'
            '<Set guid="91000000-0000-0000-0000-000000000002" name="Vår">'
            "<Description>Intervjuer fra våren</Description>"
            '<MemberSource targetGUID="50000000-0000-0000-0000-000000000001"/>'
            '<MemberCode targetGUID="20000000-0000-0000-0000-000000000003"/></Set></Sets>'
            '<Graphs><Graph guid="92000000-0000-0000-0000-000000000001" name="Kart"/></Graphs>'
            "<Description>Et prosjekt om skolen.</Description></Project>",
        )
    )
    path = tmp_path / "rest.qdpx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("project.qde", qde)
    lines = {n + 1: line for n, line in enumerate(qde.splitlines())}
    with Project.open(tmp_path / "p", create=True) as project:
        report = import_exchange(StudyParts(project.store), path)
        [t] = project.store.transcripts.all()
        assert t.meta["sets"] == ["Vår"]  # a set of sources: a tag on each of its transcripts
        out = tmp_path / "back.qdpx"
        export_exchange(StudyParts(project.store), "qdpx", out, "")
    named = report.not_imported
    expected = {
        "a link between two items 'Se også'": "<Link ",
        "a set with no sources 'Hovedkoder'": 'name="Hovedkoder"',
        "a code in a set": '<MemberCode targetGUID="20000000-0000-0000-0000-000000000003"',
        "a graph (network view) 'Kart'": "<Graph ",
        "a coding of a whole source": '<Coding guid="71000000',
    }
    for label, marker in expected.items():
        [line] = [n for n, text in lines.items() if marker in text]
        assert any(item.startswith(label) and f"(line {line})" in item for item in named), label
    assert "Rapport" in report.skipped_sources
    back = _qde(out)
    [one] = back.iterfind(".//q:Sets/q:Set", NS)
    assert (one.get("name"), one.findtext("q:Description", namespaces=NS)) == (
        "Vår",
        "Intervjuer fra våren",
    )
    assert back.findtext("q:Description", namespaces=NS) == "Et prosjekt om skolen."


def test_the_command_names_what_it_did_not_import_on_screen_and_in_json(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from qualcode.cli import main

    def run(project: Path, *args: str) -> tuple[str, str]:
        CliRunner().invoke(main, ["--project", str(project), "init"])
        result = CliRunner().invoke(main, ["--project", str(project), "import", *args])
        assert result.exit_code == 0, result.output
        return result.stdout, result.output

    _, screen = run(tmp_path / "a", str(QUALCODER))
    assert "not imported: note 'Refleksjoner' (on the project)" in screen
    [result] = json.loads(run(tmp_path / "b", str(QUALCODER), "--json")[0])
    assert (
        "note 'Refleksjoner' (on the project): qualcode has no place for it"
        in (result["not_imported"])
    )
    assert result["not_imported"] == result["exchange"]["not_imported"]


def test_positions_for_nvivo_count_utf16_units_over_crlf_text(tmp_path: Path) -> None:
    """--positions nvivo: what NVivo for Windows writes itself (its export in ../shared counts
    UTF-16 units with CRLF as two), checked by slicing the file's own UTF-16 encoding."""
    from tests.test_qdpx import build_project

    project = build_project()
    project.positions = "nvivo"
    path = tmp_path / "nvivo.qdpx"
    from qualcode.refi.write import write_qdpx

    write_qdpx(project, path)
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("project.qde"))
        cases = {c.get("guid") for c in root.iterfind(".//q:Case", NS)}
        quotes = []
        for source in root.iterfind(".//q:TextSource", NS):
            text = z.read("sources/" + source.get("plainTextPath").split("//")[1]).decode()
            assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
            units = text.encode("utf-16-le")
            for sel in source.iterfind("q:PlainTextSelection", NS):
                if sel.find("q:Coding/q:CodeRef", NS).get("targetGUID") in cases:
                    continue  # the case's whole-text link
                start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
                quotes.append(units[2 * start : 2 * end].decode("utf-16-le"))
    assert sorted(quotes) == sorted(c.quote.replace("\n", "\r\n") for c in project.codings)
    assert any("😊" in t.text for t in project.transcripts)  # an emoji before a selection
    back = read_qdpx(path)
    assert sorted((c.transcript, c.start, c.end, c.quote) for c in back.codings) == sorted(
        (c.transcript, c.start, c.end, c.quote) for c in project.codings
    )
