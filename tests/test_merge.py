"""`qualcode merge OTHER`: another coder's copy of the project comes in, nothing is overwritten."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.coding import make_coding
from qualcode.merge import merge_project
from qualcode.model import Code, QualcodeError
from qualcode.project import BACKUP_DIR, Project


def code_at(project: Project, tid: str, phrase: str, code: str, coder: str):  # type: ignore[no-untyped-def]
    t = project.store.transcripts.get(tid)
    start = t.text.index(phrase)
    return project.store.codings.add(make_coding(t, start, start + len(phrase), code, coder))


@pytest.fixture
def two_copies(project_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Our copy (ann) and bo's copy, made from the same start and then worked on apart."""
    Project.open(project_dir).close()
    other = tmp_path / "bo-copy"
    shutil.copytree(project_dir, other)
    with Project.open(project_dir) as here:
        code_at(here, "liten-9", "tett kontakt med pårørende", "organisering", "ann")
        here.store.codes.upsert(Code("nytt-tema", "Nytt tema", "organisering", origin="inductive"))
        here.store.summaries.set("Liten kommune 9", "theme", "organisering", "Ann's summary", "ann")
        here.store.summaries.set_comparison_note("kat", "like", "ulike", "ann")
    with Project.open(other) as there:
        code_at(there, "liten-9", "tett kontakt med pårørende", "organisering", "bo")
        code_at(there, "liten-9", "Fastlegene er viktige", "organisering", "bo")
        # The same new code, added on bo's side under another id: it must become one.
        there.store.codes.upsert(
            Code("nytt-tema-bo", "nytt TEMA", "organisering", origin="inductive")
        )
        code_at(there, "liten-9", "Noen er mer engasjert", "nytt-tema-bo", "bo")
        there.store.codes.upsert(Code("bare-bo", "Bare hos Bo", "organisering", origin="inductive"))
        code_at(there, "liten-9", "samtaler med familien", "bare-bo", "bo")
        # A guide code renamed on bo's side keeps its id: its codings still map to it.
        there.store.codes.update("palliativt-team", "bo", name="Teamet")
        code_at(there, "stor-9", "et palliativt team", "palliativt-team", "bo")
        there.store.summaries.set("Liten kommune 9", "theme", "organisering", "Bo's summary", "bo")
        there.store.summaries.set("Stor kommune 9", "theme", "organisering", "Bo on Stor", "bo")
        there.store.summaries.set_comparison_note("kat", "like", "ulike", "bo")
        there.store.summaries.set_comparison_note("annen", "a", "b", "bo")
    return project_dir, other


def test_merge_brings_codings_codes_and_summaries(two_copies: tuple[Path, Path]) -> None:
    here_dir, other = two_copies
    with Project.open(here_dir) as here:
        report = merge_project(here, other)
        store = here.store
        bo = store.codings.all(coder="bo")
        assert len(bo) == 5 and report.codings_added == 5
        # Same-name codes unified: bo's coding now carries our id; no second code.
        assert report.codes_unified == {"nytt-tema-bo": "nytt-tema"}
        assert store.codes.get("nytt-tema-bo") is None
        assert {c.code for c in bo} == {"organisering", "nytt-tema", "bare-bo", "palliativt-team"}
        assert report.codes_added == ["bare-bo"]
        assert store.codes.get("bare-bo").origin == "inductive"  # type: ignore[union-attr]
        # The rename is reported, our name kept.
        assert store.codes.get("palliativt-team").name == "Palliativt team"  # type: ignore[union-attr]
        assert any("Teamet" in c for c in report.conflicts)
        # Summary with different text: conflict, ours kept; a new one comes over.
        summaries = {(s["case"], s["target"]): s["text"] for s in store.summaries.all()}
        assert summaries[("Liten kommune 9", "organisering")] == "Ann's summary"
        assert summaries[("Stor kommune 9", "organisering")] == "Bo on Stor"
        assert any("summary" in c and "Liten kommune 9" in c for c in report.conflicts)
        notes = store.summaries.comparison_notes()
        assert set(notes) == {"kat", "annen"} and notes["kat"]["author"] == "ann"
        assert "bo" in store.coders.all()
        backups = list((here_dir / BACKUP_DIR).glob("*before-merge.db"))
        assert len(backups) == 1 and Path(report.backup) == backups[0]


def test_merge_twice_adds_nothing(two_copies: tuple[Path, Path]) -> None:
    here_dir, other = two_copies
    with Project.open(here_dir) as here:
        merge_project(here, other)
        before = here.store.codings.all()
        again = merge_project(here, other / "qualcode.db")
        assert again.codings_added == 0 and again.codings_skipped == 5
        assert again.codes_added == [] and again.summaries_added == 0 and again.notes_added == 0
        assert here.store.codings.all() == before


def test_changed_transcript_is_a_conflict(two_copies: tuple[Path, Path]) -> None:
    here_dir, other = two_copies
    with Project.open(other) as there:
        t = there.store.transcripts.get("stor-9")
        there.store.transcripts.add(replace(t, text=t.text.replace("åtte", "ni")), replace=True)
    with Project.open(here_dir) as here:
        report = merge_project(here, other)
        assert report.codings_added == 4
        assert any('"stor-9"' in c and "different text" in c for c in report.conflicts)
        assert here.store.codings.all(transcript="stor-9") == []


def test_merge_cli_json_and_bad_source(two_copies: tuple[Path, Path], tmp_path: Path) -> None:
    here_dir, other = two_copies
    runner = CliRunner()
    result = runner.invoke(main, ["--project", str(here_dir), "merge", str(other), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["codings_added"] == 5 and data["conflicts"]
    bad = runner.invoke(main, ["--project", str(here_dir), "merge", str(tmp_path / "nowhere")])
    assert bad.exit_code == 1 and "no qualcode project database" in bad.output
    with Project.open(here_dir) as here, pytest.raises(QualcodeError):
        merge_project(here, here_dir)


def test_same_coding_with_another_memo_is_a_conflict(two_copies: tuple[Path, Path]) -> None:
    here_dir, other = two_copies
    with Project.open(here_dir) as here:
        merge_project(here, other)  # both copies now hold bo's codings
        mine = next(c for c in here.store.codings.all(coder="bo") if "Fastlegene" in c.quote)
        here.store.codings.update(mine.id or 0, "bo", memo="my memo")
    with Project.open(other) as there:
        theirs = next(c for c in there.store.codings.all(coder="bo") if "Fastlegene" in c.quote)
        there.store.codings.update(theirs.id or 0, "bo", memo="their memo")
    with Project.open(here_dir) as here:
        report = merge_project(here, other)
        assert report.codings_added == 0 and report.codings_skipped == 5
        differ = [c for c in report.conflicts if "memo differs" in c]
        assert len(differ) == 1
        assert "by bo in liten-9" in differ[0] and "kept this project's" in differ[0]
        assert "Fastlegene er viktige" in differ[0]
        kept = next(c for c in here.store.codings.all(coder="bo") if "Fastlegene" in c.quote)
        assert kept.memo == "my memo"
        # Codings that agree on their memo are not reported.
        assert not any("Noen er mer engasjert" in c for c in report.conflicts)


def test_a_differing_code_description_is_reported_and_ours_kept(
    two_copies: tuple[Path, Path],
) -> None:
    here_dir, other = two_copies
    with Project.open(here_dir) as here:
        here.store.codes.update("nytt-tema", "ann", description="Annes beskrivelse")
    with Project.open(other) as there:
        there.store.codes.update("nytt-tema-bo", "bo", description="Bjørns beskrivelse")
    with Project.open(here_dir) as here:
        report = merge_project(here, other)
        [differs] = [c for c in report.conflicts if "description differs" in c]
        assert "Bjørns beskrivelse" in differs and "kept this project's" in differs
        assert here.store.codes.get("nytt-tema").description == "Annes beskrivelse"
