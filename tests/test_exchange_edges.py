"""REFI-QDA edge cases from the second review: damaged archives, what a round trip through
qualcode keeps of another tool's project, and shapes that used to pass without a word."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest
import xmlschema
from lxml import etree

from qualcode.model import QualcodeError
from qualcode.project import Project
from qualcode.refi.bridge import export_exchange, import_exchange
from qualcode.refi.read import read_qdpx
from qualcode.study import StudyParts
from tests.conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "refi"
NS = {"q": "urn:QDA-XML:project:1.0"}
VARIANT = (FIXTURES / "variant.qde").read_text(encoding="utf-8")
SOURCE = "I: Hei.\nA: Skolen var fin.\n"
ONE_SOURCE = """<Project xmlns="urn:QDA-XML:project:1.0" name="s"><Sources>
<TextSource guid="50000000-0000-0000-0000-000000000009" name="liten"
 plainTextPath="internal://liten.txt"/></Sources></Project>"""


def stored_zip(path: Path, members: dict[str, str]) -> Path:
    """An uncompressed archive, so a member's bytes can be changed where they lie."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, text in members.items():
            zf.writestr(name, text.encode("utf-8"))
    return path


def _central_entry(data: bytes, member: str) -> int:
    pos = 0
    while True:
        pos = data.index(b"PK\x01\x02", pos)
        length = struct.unpack("<H", data[pos + 28 : pos + 30])[0]
        if data[pos + 46 : pos + 46 + length] == member.encode():
            return pos
        pos += 4


def damage(path: Path, member: str, how: str) -> None:
    """Break one member: a flipped byte (its checksum fails), the encrypted flag, or a
    compression method (99, AES) that zipfile cannot unpack."""
    data = bytearray(path.read_bytes())
    if how == "crc":
        with zipfile.ZipFile(path) as zf:
            offset = zf.getinfo(member).header_offset
        name_len, extra_len = struct.unpack("<HH", data[offset + 26 : offset + 30])
        data[offset + 30 + name_len + extra_len + 3] ^= 0x20
    elif how == "encrypted":
        data[_central_entry(data, member) + 8] |= 0x01
    else:
        entry = _central_entry(data, member)
        data[entry + 10 : entry + 12] = struct.pack("<H", 99)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("member", "how", "says"),
    [
        ("project.qde", "crc", "The archive is damaged: project.qde fails its checksum"),
        ("sources/liten.txt", "crc", "damaged: sources/liten.txt fails its checksum"),
        ("sources/liten.txt", "encrypted", "sources/liten.txt in the archive is encrypted"),
        ("project.qde", "method", "project.qde in the archive is packed with a compression method"),
    ],
)
def test_a_damaged_member_refuses_its_archive_by_name(tmp_path, member, how, says):
    path = stored_zip(
        tmp_path / "skadet.qdpx", {"project.qde": ONE_SOURCE, "sources/liten.txt": SOURCE}
    )
    assert [t.text for t in read_qdpx(path).transcripts] == [SOURCE]  # whole, it reads
    damage(path, member, how)
    with pytest.raises(QualcodeError) as err:
        read_qdpx(path)
    assert says in err.value.message and "export the project again" in err.value.message
    assert err.value.source == str(path)


def test_a_damaged_archive_is_refused_alone_and_the_other_files_import(tmp_path):
    first = stored_zip(tmp_path / "en.qdpx", {"project.qde": VARIANT})
    broken = stored_zip(
        tmp_path / "to.qdpx", {"project.qde": ONE_SOURCE, "sources/liten.txt": SOURCE}
    )
    damage(broken, "sources/liten.txt", "crc")
    last = stored_zip(
        tmp_path / "tre.qdpx",
        {
            "project.qde": ONE_SOURCE.replace(
                'plainTextPath="internal://liten.txt"/>',
                f"><PlainTextContent>{SOURCE}</PlainTextContent></TextSource>",
            )
        },
    )
    with Project.open(tmp_path / "p", create=True) as project:
        results = project.import_paths([first, broken, last])
        assert [r.status for r in results] == ["imported", "refused", "imported"]
        assert "to.qdpx" in results[1].message and "fails its checksum" in results[1].message
        assert sorted(project.store.transcripts.ids()) == ["Intervju 1", "liten"]
    from click.testing import CliRunner

    from qualcode.cli import main

    again = tmp_path / "q"
    Project.open(again, create=True).close()
    run = CliRunner().invoke(
        main, ["--project", str(again), "import", str(first), str(broken), str(last)]
    )
    assert run.exit_code == 1 and "unexpected problem" not in run.output
    assert f"{broken}: The archive is damaged" in run.output
    assert "imported  " in run.output and "1 refused" in run.output


# --- what a round trip keeps of another tool's project -------------------------------------


def _export_root(store, out: Path, name: str = "") -> etree._Element:
    """Export as `qualcode export qdpx` does (the guide's title, here none) and parse it;
    each note's text, from its file in the archive, is set as the note's ``text``."""
    export_exchange(StudyParts(store), "qdpx", out, name)
    with zipfile.ZipFile(out) as zf:
        data = zf.read("project.qde")
        texts = {n: zf.read(n).decode("utf-8") for n in zf.namelist()}
    xmlschema.XMLSchema(FIXTURES / "Project.xsd").validate(data)
    root = etree.fromstring(data)
    for note in root.iterfind("q:Notes/q:Note", NS):
        note.text = texts[f"sources/{note.get('guid')}.txt"]
    return root


def test_project_name_note_guids_and_variable_types_come_back(tmp_path):
    path = stored_zip(tmp_path / "variant.qdpx", {"project.qde": VARIANT})
    with Project.open(tmp_path / "p", create=True) as project:
        import_exchange(StudyParts(project.store), path)
        root = _export_root(project.store, tmp_path / "back.qdpx")
        assert root.get("name") == "Variant"
        [note] = root.iterfind("q:Notes/q:Note", NS)
        assert note.get("guid") == "80000000-0000-0000-0000-000000000001"
        assert note.text == "Ironisk sagt?"
        refs = root.xpath("//q:PlainTextSelection/q:NoteRef/@targetGUID", namespaces=NS)
        assert refs == [note.get("guid")]
        [variable] = root.iterfind("q:Variables/q:Variable", NS)
        assert (variable.get("name"), variable.get("typeOfVariable")) == ("Alder", "Integer")
        assert root.xpath("//q:Case/q:VariableValue/q:IntegerValue/text()", namespaces=NS) == ["15"]
        # An age edited into words no longer fits Integer: the variable is Text again.
        project.store.transcripts.upsert_case("Elev 1", {"Alder": "ca. 15"})
        root = _export_root(project.store, tmp_path / "edited.qdpx")
        assert root.find("q:Variables/q:Variable", NS).get("typeOfVariable") == "Text"
        assert root.xpath("//q:IntegerValue", namespaces=NS) == []
        assert "ca. 15" in root.xpath("//q:Case/q:VariableValue/q:TextValue/text()", namespaces=NS)
        # The guide's title, when there is one, still names the export.
        assert _export_root(project.store, tmp_path / "t.qdpx", "Studien").get("name") == "Studien"


def test_without_a_guide_or_an_imported_name_the_folder_names_the_project(tmp_path):
    text = tmp_path / "intervju.txt"
    text.write_text("I: Hei.\nA: Hei selv.\n", encoding="utf-8")
    with Project.open(tmp_path / "Hjemmetid 2025", create=True) as project:
        project.import_paths([text])
        assert _export_root(project.store, tmp_path / "x.qdpx").get("name") == "Hjemmetid 2025"
        nameless = stored_zip(
            tmp_path / "nameless.qdpx",
            {"project.qde": VARIANT.replace('name="Variant"', 'name=""')},
        )
        import_exchange(
            StudyParts(project.store), nameless
        )  # a file without a name changes nothing
        assert _export_root(project.store, tmp_path / "y.qdpx").get("name") == "Hjemmetid 2025"


def test_a_note_shared_by_two_codings_keeps_its_guid_once(tmp_path):
    shared = VARIANT.replace(
        '<CodeRef targetGUID="20000000-0000-0000-0000-000000000004"/>\n        </Coding>',
        '<CodeRef targetGUID="20000000-0000-0000-0000-000000000004"/>\n        </Coding>\n'
        '        <NoteRef targetGUID="80000000-0000-0000-0000-000000000001"/>',
    )
    assert shared != VARIANT
    path = stored_zip(tmp_path / "shared.qdpx", {"project.qde": shared})
    with Project.open(tmp_path / "p", create=True) as project:
        import_exchange(StudyParts(project.store), path)
        assert [c.memo for c in project.store.codings.all()] == ["Ironisk sagt?"] * 2
        root = _export_root(project.store, tmp_path / "back.qdpx")
    guids = root.xpath("//q:Notes/q:Note/@guid", namespaces=NS)
    assert len(guids) == len(set(guids)) == 2
    assert "80000000-0000-0000-0000-000000000001" in guids


# --- shapes that are refused or reported --------------------------------------------------


def test_two_users_with_one_guid_are_refused_naming_the_line(tmp_path):
    qde = VARIANT.replace(
        '<User guid="11111111-1111-1111-1111-111111111111" name="Kari"/>',
        '<User guid="11111111-1111-1111-1111-111111111111" name="Kari"/>\n'
        '    <User guid="11111111-1111-1111-1111-111111111111" name="Per"/>',
    )
    assert qde != VARIANT
    with pytest.raises(QualcodeError, match="already used by the user 'Kari' on line 9") as err:
        read_qdpx(stored_zip(tmp_path / "dupuser.qdpx", {"project.qde": qde}))
    assert err.value.line == 10 and "<User name='Per'>" in err.value.message


def test_a_note_ref_or_case_source_ref_to_nothing_is_reported(tmp_path):
    qde = VARIANT.replace(
        '<NoteRef targetGUID="80000000-0000-0000-0000-000000000001"/>',
        '<NoteRef targetGUID="80000000-0000-0000-0000-000000000001"/>'
        '<NoteRef targetGUID="80000000-0000-0000-0000-00000000dead"/>',
    ).replace(
        '<SourceRef targetGUID="50000000-0000-0000-0000-000000000001"/>',
        '<SourceRef targetGUID="50000000-0000-0000-0000-000000000001"/>\n'
        '      <SourceRef targetGUID="50000000-0000-0000-0000-0000000000ff"/>',
    )
    project = read_qdpx(stored_zip(tmp_path / "refs.qdpx", {"project.qde": qde}))
    assert any(
        n.startswith(
            "1 <NoteRef> points to a note that is not in the file (on "
            "line 45, to 80000000-0000-0000-0000-00000000dead)"
        )
        for n in project.notes
    )
    assert (
        "Case 'Elev 1' (line 32) names the source 50000000-0000-0000-0000-0000000000ff, "
        "which is not in the file; that reference was ignored."
    ) in project.notes
    assert [c.memo for c in project.codings if c.memo] == ["Ironisk sagt?"]  # the rest reads
    clean = read_qdpx(stored_zip(tmp_path / "clean.qdpx", {"project.qde": VARIANT}))
    assert not any("NoteRef" in n or "Case '" in n for n in clean.notes)


def test_export_qdc_to_the_screen_prints_the_codebook(cli):
    result = cli("export", "qdc", "--out", "-")
    assert result.exit_code == 0, result.output
    xmlschema.XMLSchema(FIXTURES / "Codebook.xsd").validate(result.stdout_bytes)
    names = etree.fromstring(result.stdout_bytes).xpath(
        "//c:Code/@name", namespaces={"c": "urn:QDA-XML:codebook:1.0"}
    )
    assert "Samarbeid med pårørende og nettverk" in names
    assert cli("export", "qdpx", "--out", "-").exit_code == 1  # a zip is not for a screen
