"""The same coder, code and span is stored once: refused by the store (and so by every
face), skipped by the codings import, and removed from older projects by a migration that
keeps every memo."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.coding import make_coding
from qualcode.model import QualcodeError
from qualcode.project import Project
from qualcode.tui.app import QualcodeApp
from tests.test_tui import SIZE, TID, informant_turn, make_project, quit_all


@pytest.fixture
def project(tmp_path: Path):  # type: ignore[no-untyped-def]
    p = make_project(tmp_path)
    yield p
    p.close()


def test_the_store_refuses_a_second_identical_coding(project: Project) -> None:
    t = project.store.transcripts.get(TID)
    _, turn = informant_turn(project)
    project.store.codings.add(make_coding(t, turn.start, turn.end, "organisering", "anna"))
    with pytest.raises(QualcodeError, match="already coded"):
        project.store.codings.add(make_coding(t, turn.start, turn.end, "organisering", "anna"))
    # another coder, another code or another span is a coding of its own
    project.store.codings.add(make_coding(t, turn.start, turn.end, "organisering", "bjorn"))
    project.store.codings.add(make_coding(t, turn.start, turn.end - 1, "organisering", "anna"))
    assert len(project.store.codings.all(transcript=TID)) == 3


async def test_t_5_t_5_leaves_one_coding(project: Project) -> None:
    app = QualcodeApp(project, "tester", TID)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n", "t", "5", "t", "5")
        await pilot.pause()
        await quit_all(app, pilot)
    assert len(project.store.codings.all(transcript=TID)) == 1


def test_cli_add_refuses_a_duplicate_with_a_word(tmp_path: Path) -> None:
    make_project(tmp_path).close()
    args = ["--project", str(tmp_path), "codings", "add", TID, "--code", "organisering"]
    args += ["--quote", "Fastlegen er viktig for oss.", "--coder", "anna"]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    again = CliRunner().invoke(main, args)
    assert again.exit_code != 0
    assert "already coded" in again.output and "Traceback" not in again.output


def test_migration_removes_duplicates_keeping_memos(tmp_path: Path) -> None:
    p = make_project(tmp_path)
    t = p.store.transcripts.get(TID)
    _, turn = informant_turn(p)
    kept = p.store.codings.add(make_coding(t, turn.start, turn.end, "organisering", "anna", "A"))
    p.close()
    db = sqlite3.connect(tmp_path / "qualcode.db")
    db.execute("DROP INDEX codings_once")
    rows = [("B", 1001), ("A", 1002), ("", 1003)]  # a second memo, the same memo, none
    for memo, cid in rows:
        db.execute(
            'INSERT INTO codings (id, transcript_id, start, "end", code_id, coder, quote, '
            "text_hash, memo, status, created, updated) "
            'SELECT ?, transcript_id, start, "end", code_id, coder, quote, text_hash, ?, '
            "status, created, updated FROM codings WHERE id = ?",
            (cid, memo, kept.id),
        )
    db.execute("DELETE FROM _sqlite_migrations WHERE name = '0012_no_duplicate_codings'")
    db.commit()
    db.close()
    p = Project.open(tmp_path)
    try:
        left = p.store.codings.all(transcript=TID)
        assert [c.id for c in left] == [kept.id]
        assert left[0].memo == "A\n\nB"
        with pytest.raises(QualcodeError):
            p.store.codings.add(make_coding(t, turn.start, turn.end, "organisering", "anna"))
    finally:
        p.close()
