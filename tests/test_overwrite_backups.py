"""Backups before every overwrite, and audit rows that keep the old text (issue 14, item 7)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from qualcode.project import Project
from qualcode.store import Store


def _backups(root: Path, reason: str) -> list[Path]:
    return sorted((root / ".qualcode-backups").glob(f"*-{reason}.db"))


def _audit(root: Path, action: str) -> list[dict]:
    conn = sqlite3.connect(root / "qualcode.db")
    try:
        rows = conn.execute(
            "SELECT detail FROM audit WHERE action = ? ORDER BY id", (action,)
        ).fetchall()
    finally:
        conn.close()
    return [json.loads(r[0]) for r in rows]


def test_summaries_import_backs_up_and_audits_the_text_it_replaces(cli, project_dir, tmp_path):
    first = tmp_path / "a.csv"
    first.write_text(
        "case,theme,section,text\nStor kommune 9,organisering,,Gammel tekst.\n", "utf-8"
    )
    assert cli("summaries", "import", str(first)).exit_code == 0
    assert _backups(project_dir, "before-summaries-import") == []  # nothing was replaced
    second = tmp_path / "b.csv"
    second.write_text("case,theme,section,text\nStor kommune 9,organisering,,Ny tekst.\n", "utf-8")
    result = cli("summaries", "import", str(second))
    assert result.exit_code == 0 and "backup" in result.stderr
    [backup] = _backups(project_dir, "before-summaries-import")
    with Store(backup) as old:
        assert [s["text"] for s in old.summaries.all()] == ["Gammel tekst."]
    details = _audit(project_dir, "summary")
    assert details[-1]["old"] == "Gammel tekst." and details[-1]["new"] == "Ny tekst."


def test_codes_merge_backs_up_and_audits_what_it_removed(cli, project_dir):
    added = cli("codes", "add", "Tillit til teamet", "--parent", "organisering")
    assert added.exit_code == 0, added.output
    code = "tillit-til-teamet"
    coded = cli(
        "codings", "add", "stor-9", "--code", code, "--quote", "palliativt team", "--coder", "ann"
    )
    assert coded.exit_code == 0, coded.output
    merged = cli("codes", "merge", code, "organisering", "--coder", "ann")
    assert merged.exit_code == 0, merged.output
    [backup] = _backups(project_dir, "before-codes-merge")
    with Store(backup) as old:
        assert old.codes.get(code) is not None and len(old.codings.all(code=code)) == 1
    [detail] = _audit(project_dir, "merge")
    assert detail["code"]["name"] == "Tillit til teamet" and len(detail["coding_ids"]) == 1


def test_comparison_notes_back_up_and_audit_the_text_they_replace(project_dir):
    with Project.open(project_dir) as project:
        category = project.guide.comparison_categories[0].id
        project.store.summaries.set_comparison_note(category, "Første.", "", "ann")
        assert _backups(project_dir, "before-comparison-note") == []
        project.store.summaries.set_comparison_note(category, "Andre.", "", "ann")
    assert len(_backups(project_dir, "before-comparison-note")) == 1
    detail = _audit(project_dir, "comparison-note")[-1]
    assert detail["old"]["likheter"] == "Første." and detail["new"]["likheter"] == "Andre."
