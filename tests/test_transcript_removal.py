"""Taking a transcript out: refused while coded unless asked, all or none, after a backup,
and nothing of it left behind (turns, search rows, analysis, memo, an emptied case)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from qualcode.project import Project


def _code(cli, transcript: str, quote: str, coder: str) -> None:  # type: ignore[no-untyped-def]
    args = ("codings", "add", transcript, "--quote", quote, "--code", "palliativt-team")
    assert cli(*args, "--coder", coder).exit_code == 0


def _held(root: Path) -> tuple[int, int, int, int]:
    db = sqlite3.connect(root / "qualcode.db")
    try:
        return tuple(  # type: ignore[return-value]
            db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("transcripts", "turns", "codings", "turns_fts")
        )
    finally:
        db.close()


def test_a_coded_transcript_is_refused_without_with_codings(cli, project_dir):
    assert cli("status").exit_code == 0
    _code(cli, "liten-9", "tett kontakt med pårørende", "ann")
    before = _held(project_dir)
    refused = cli("transcripts", "remove", "liten-9")
    assert refused.exit_code == 1
    assert "liten-9 (1)" in refused.output and "--with-codings" in refused.output
    assert _held(project_dir) == before
    # all or none: a known id beside an unknown one removes nothing either
    unknown = cli("transcripts", "remove", "stor-9", "finnes-ikke")
    assert unknown.exit_code == 1 and "finnes-ikke" in unknown.output
    assert _held(project_dir) == before
    assert not (project_dir / ".qualcode-backups").exists() or not any(
        "transcript-remove" in p.name for p in (project_dir / ".qualcode-backups").iterdir()
    )


def test_removing_takes_everything_of_it_and_keeps_a_backup(cli, project_dir):
    assert cli("status").exit_code == 0
    _code(cli, "liten-9", "tett kontakt med pårørende", "ann")
    _code(cli, "liten-9", "tett kontakt med pårørende", "bo")
    _code(cli, "stor-9", "et palliativt team", "ann")
    assert cli("memos", "set", "transcript", "liten-9", "--text", "Ta ut?").exit_code == 0
    transcripts, turns, codings, indexed = _held(project_dir)
    found = json.loads(cli("search", "pårørende", "--json").stdout)
    assert {hit["transcript"] for hit in found} == {"liten-9"}

    result = cli("transcripts", "remove", "liten-9", "--with-codings", "--coder", "ann", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["removed"] == [
        {"transcript": "liten-9", "codings": 2, "case": "Liten kommune 9", "case_removed": True}
    ]
    assert _held(project_dir)[0] == transcripts - 1 and _held(project_dir)[2] == codings - 2
    assert _held(project_dir)[1] == _held(project_dir)[3] < turns  # index follows the turns
    with Project.open(project_dir) as project:
        store = project.store
        assert store.transcripts.ids() == ["stor-9"]
        assert "Liten kommune 9" not in store.transcripts.cases()
        assert store.memos.get("transcript", "liten-9") == ""
        assert store.integrity_ok()
    # its words are gone from search; the other transcript's are still found
    assert json.loads(cli("search", "pårørende", "--json").stdout) == []
    kept = json.loads(cli("search", "palliativt", "--json").stdout)
    assert {hit["transcript"] for hit in kept} == {"stor-9"}
    # the backup holds the project as it was
    backup = Path(report["backup"])
    old = sqlite3.connect(backup)
    try:
        assert old.execute("SELECT COUNT(*) FROM codings").fetchone()[0] == codings
        assert old.execute("SELECT COUNT(*) FROM transcripts").fetchone()[0] == transcripts
    finally:
        old.close()
    # the audit log says who removed what
    log = sqlite3.connect(project_dir / "qualcode.db")
    try:
        rows = log.execute(
            "SELECT actor, entity, entity_id FROM audit WHERE action = 'remove'"
        ).fetchall()
    finally:
        log.close()
    assert ("ann", "transcript", "liten-9") in rows
    assert sum(1 for r in rows if r[1] == "coding") == 2
    # importing the file again brings it back
    again = cli("import", str(project_dir / "transcripts" / "liten-9.md"), "--json")
    assert json.loads(again.stdout)[0]["status"] == "imported"


def test_the_refusal_is_in_the_users_language(cli, project_dir, norwegian):
    assert cli("status").exit_code == 0
    _code(cli, "liten-9", "tett kontakt med pårørende", "ann")
    refused = cli("transcripts", "remove", "liten-9")
    assert refused.exit_code == 1
    assert "--with-codings" in refused.output and "nothing was removed" not in refused.output
