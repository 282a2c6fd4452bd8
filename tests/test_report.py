"""report.py: the matrix, the summary document and the comparison table as values."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode import report
from qualcode import scope as sc
from qualcode.coding import make_coding
from qualcode.model import Code, QualcodeError
from qualcode.project import Project
from qualcode.study import StudyParts


@pytest.fixture
def project(project_dir: Path):
    (project_dir / "transcripts" / "uten.md").write_text(
        "---\ncase: Alfa kommune\n---\nIntervjuer: Hei?\n\nLeder: Vi har frivillige.\n",
        encoding="utf-8",
    )
    p = Project.open(project_dir)
    yield p
    p.close()


def _code(project: Project, transcript: str, needle: str, code: str, coder: str = "ann"):
    t = project.store.transcripts.get(transcript)
    start = t.text.index(needle)
    return project.store.codings.add(make_coding(t, start, start + len(needle), code, coder))


def test_groups_follow_the_guide_then_unknown_sizes_last(project):
    attribute, groups = report.size_groups(project)
    assert attribute == project.guide.case_attributes[0].id
    assert groups == [
        ("stor", ["Stor kommune 9"]),
        ("liten", ["Liten kommune 9"]),
        (report.NO_SIZE, ["Alfa kommune"]),
    ]


def test_theme_count_includes_sub_codes_at_any_depth(project):
    # an inductive code under a sub-code still belongs to the theme at the top
    project.store.codes.upsert(
        Code(id="nattsykepleie", name="Nattsykepleie", parent="palliativt-team", origin="inductive")
    )
    _code(project, "stor-9", "palliativt team", "palliativt-team")
    _code(project, "stor-9", "åtte palliative senger", "nattsykepleie")
    _code(project, "stor-9", "Vi har et", "organisering")
    _code(project, "stor-9", "kreftkoordinatorer", "kreftkoordinator")
    matrix = report.build_matrix(project)
    assert matrix.cell("Stor kommune 9", "organisering").count == 3
    assert matrix.cell("Stor kommune 9", "bemanning").count == 1
    assert matrix.cell("Liten kommune 9", "organisering").count == 0
    assert [t.id for t in matrix.themes] == [t.id for t in project.guide.themes]
    assert matrix.cases == ["Stor kommune 9", "Liten kommune 9", "Alfa kommune"]


def test_a_consensus_without_a_finished_walk_is_never_the_default(project):
    store = project.store
    _code(project, "stor-9", "palliativt team", "palliativt-team", coder="ann")
    assert sc.resolve(StudyParts(store)).coders == ("ann",)
    store.settings.set("consensus_coder", "enighet")
    _code(project, "stor-9", "palliativt team", "palliativt-team", coder="enighet")
    default = sc.resolve(StudyParts(store))
    assert (default.kind, default.coders) == (sc.ALL, ("ann",))  # enighet is not a coder
    chosen = sc.resolve(StudyParts(store), "enighet")
    assert chosen.kind == sc.CONSENSUS and not chosen.complete
    assert chosen.who("nb") == "konsensus «enighet» (ingen gjennomgang startet)"
    matrix = report.build_matrix(project, chosen)
    assert {s.coder for s in matrix.cell("Stor kommune 9", "organisering").segments} == {"enighet"}
    assert matrix.scope_line.startswith("Kodinger: konsensus «enighet»")


def test_segment_source_uses_timestamp_else_turn(project):
    _code(project, "liten-9", "Fastlegene er viktige.", "fastlege-legevakt")
    _code(project, "uten", "Vi har frivillige.", "frivillige")
    segs = {s.transcript: s for s in report.segments(project.store)}
    assert segs["liten-9"].source == "liten-9, Kreftkoordinator, [00:01:08]"
    assert segs["uten"].source == "uten, Leder, tur 2"


def test_summaries_document_shapes(project):
    store = project.store
    coding = _code(project, "liten-9", "Vi har tett kontakt med pårørende.", "parorende")
    other = _code(project, "liten-9", "De ringer oss når som helst.", "parorende")
    store.summaries.set("Liten kommune 9", "theme", "parorende", "Tett kontakt.", "ann")
    store.summaries.set_key_quote("Liten kommune 9", "parorende", coding.id, True, "ann")
    chapters = report.build_summaries(project)
    assert [c.case for c in chapters] == ["Stor kommune 9", "Liten kommune 9", "Alfa kommune"]
    liten = chapters[1]
    assert [s.title for s in liten.sections] == [s.title for s in project.guide.report_sections]
    section = next(s for s in liten.sections if s.id == "parorende")
    block = section.themes[0]
    assert block.summary == "Tett kontakt."
    assert [s.coding_id for s in block.key_quotes] == [coding.id]
    assert {s.coding_id for s in block.coded} == {coding.id, other.id}
    # a section with neither summary nor codings is empty; themes without either are left out
    assert all(s.empty for s in chapters[0].sections)
    assert not section.empty and [b.theme.id for b in section.themes] == ["parorende"]


def test_comparison_evidence_by_size_group(project):
    _code(project, "uten", "Vi har frivillige.", "vaketjeneste")
    _code(project, "stor-9", "kreftkoordinatorer", "kreftkoordinator")
    project.store.summaries.set_comparison_note("kreftkoordinator", "Alle har.", "Ulikt.", "ann")
    rows = {r.id: r for r in report.build_comparison(project)}
    assert list(rows) == [c.id for c in project.guide.comparison_categories]
    assert rows["kreftkoordinator"].evidence_text == f"stor 1/1 · liten 0/1 · {report.NO_SIZE} 0/1"
    assert rows["kreftkoordinator"].likheter == "Alle har."
    assert rows["samarbeid-frivillige"].cases == ["Alfa kommune"]
    assert rows["dokumentasjon"].cases == []


def test_codings_table_has_attributes_and_is_sorted_by_report_order(project):
    _code(project, "liten-9", "Fastlegene er viktige.", "fastlege-legevakt")
    _code(project, "stor-9", "kreftkoordinatorer", "kreftkoordinator")
    columns, rows = report.codings_table(project)
    assert columns[:3] == ["case", "size", "region"]
    assert [r["case"] for r in rows] == ["Stor kommune 9", "Liten kommune 9"]
    assert rows[0]["theme"] == "bemanning" and rows[0]["region"] == "Vest"


def test_summary_start():
    assert report.summary_start("kort") == "kort"
    cut = report.summary_start("ord " * 30, 20)
    assert len(cut) <= 20 and cut.endswith("…")


def test_a_span_coded_by_two_coders_is_quoted_once_and_key_if_either_marked(project):
    ann = _code(project, "stor-9", "palliativt team", "palliativt-team", coder="ann")
    bob = _code(project, "stor-9", "palliativt team", "palliativt-team", coder="bob")
    _code(project, "stor-9", "åtte palliative senger", "palliative-senger", coder="bob")
    # all coders (no consensus coder): the matrix counts passages, the shared one once
    cell = report.build_matrix(project).cell("Stor kommune 9", "organisering")
    assert cell.count == 2 and len(cell.segments) == 3
    assert [p.coder for p in cell.passages] == ["ann, bob", "bob"]
    block = report.build_summaries(project)[0].sections[0].themes[0]
    # ... and the report quotes each passage once
    assert [s.quote for s in block.coded] == ["palliativt team", "åtte palliative senger"]
    assert not any(s.key for s in block.coded)
    project.store.summaries.set_key_quote("Stor kommune 9", "organisering", bob.id, True, "bob")
    block = report.build_summaries(project)[0].sections[0].themes[0]
    assert [(s.quote, s.key) for s in block.coded] == [
        ("palliativt team", True),
        ("åtte palliative senger", False),
    ]
    assert [s.quote for s in block.key_quotes] == ["palliativt team"]
    # one coder's report has that coder's own passages only; a mark is on the words, so
    # bob's mark makes ann's passage of the same words a key quote too
    ann_only = sc.resolve(StudyParts(project.store), "ann")
    block = report.build_summaries(project, ann_only)[0].sections[0].themes[0]
    assert [(s.codings, s.key) for s in block.coded] == [((ann.id,), True)]


def test_a_coder_without_codings_is_refused_naming_the_coders_who_have_some(project):
    _code(project, "stor-9", "palliativt team", "palliativt-team", coder="ann")
    _code(project, "liten-9", "Vi har tett kontakt", "parorende", coder="bob")
    with pytest.raises(QualcodeError) as err:
        sc.resolve(StudyParts(project.store), "nobody")
    assert '"nobody"' in str(err.value) and "ann, bob" in str(err.value)
    assert sc.resolve(StudyParts(project.store)).who("en") == "ann, bob"
    assert sc.resolve(StudyParts(project.store), "ann").who("en") == "ann"
