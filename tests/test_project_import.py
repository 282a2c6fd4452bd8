"""Importing into a project: what belongs to the case, where files came from, the first open."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from qualcode.cli import main
from qualcode.project import Project

INTERVIEW = """---
case: Kommune K
size: {size}
region: Vest
informants: [{who}]
date: {date}
duration_min: {minutes}
---
I: Hvordan er tilbudet organisert?

K: Vi har et palliativt team.
"""


def _interview(path: Path, *, size: str = "stor", who: str = "Rolle1", date: str = "2025-01-01",
               minutes: int = 55) -> Path:
    path.write_text(INTERVIEW.format(size=size, who=who, date=date, minutes=minutes),
                    encoding="utf-8")
    return path


def _json(result: Result) -> object:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def run(project_dir: Path) -> Callable[..., Result]:
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(main, ["--project", str(project_dir), *args], catch_exceptions=False)

    return invoke


def _audit(project_dir: Path, entity: str) -> list[dict[str, object]]:
    with Project.open(project_dir) as project:
        rows = [r for r in project.store.audit_log(1000) if r["entity"] == entity]
    return [{**r, "detail": json.loads(str(r["detail"]))} for r in reversed(rows)]


# --- what belongs to the case, and what to the interview -----------------------------------


def test_interview_details_stay_with_each_interview(run, tmp_path):
    first = _interview(tmp_path / "intervju1.md", who="Rolle1", date="2025-01-01", minutes=55)
    second = _interview(tmp_path / "intervju2.md", who="Rolle2", date="2025-02-01", minutes=42)
    assert _json(run("import", str(first), str(second), "--json"))[1]["status"] == "imported"
    one = _json(run("show", "intervju1", "--json"))
    assert one["attributes"] == {"size": "stor", "region": "Vest"}
    assert one["meta"]["date"] == "2025-01-01" and one["meta"]["informants"] == ["Rolle1"]
    assert one["meta"]["duration_min"] == 55  # a number stays a number
    rows = {r["id"]: r for r in _json(run("transcripts", "--json"))}
    assert rows["intervju2"]["meta"]["date"] == "2025-02-01"
    assert rows["intervju2"]["meta"]["informants"] == ["Rolle2"]
    assert rows["intervju1"]["attributes"] == rows["intervju2"]["attributes"]
    assert "date" not in rows["intervju1"]["attributes"]


def test_a_later_file_changing_a_case_attribute_is_warned_and_audited(run, project_dir, tmp_path):
    _interview(tmp_path / "a.md", size="stor")
    _json(run("import", str(tmp_path / "a.md"), "--json"))
    report = _json(run("import", str(_interview(tmp_path / "b.md", size="liten")), "--json"))
    assert report[0]["status"] == "imported"
    assert any('"stor"' in w and '"liten"' in w and "Kommune K" in w for w in report[0]["warnings"])
    assert _json(run("show", "a", "--json"))["attributes"]["size"] == "liten"
    changes = [r for r in _audit(project_dir, "case") if r["entity_id"] == "Kommune K"]
    assert [r["action"] for r in changes] == ["add", "update"]
    assert changes[1]["detail"]["changed"] == {"size": {"from": "stor", "to": "liten"}}
    # the same value again is no change: no warning, no audit row
    report = _json(run("import", str(_interview(tmp_path / "c.md", size="liten")), "--json"))
    assert "warnings" not in report[0]
    assert len([r for r in _audit(project_dir, "case") if r["entity_id"] == "Kommune K"]) == 2


def test_values_are_checked_against_the_guide(run, project_dir, tmp_path):
    run("status")
    odd = _interview(tmp_path / "odd.md", size="enorm")
    result = run("import", str(odd))
    assert result.exit_code == 1
    assert f"{odd}, line 3" in result.stderr and "enorm" in result.stderr
    plain = tmp_path / "plain.txt"
    plain.write_text("I: Hei\nK: Hallo\n", encoding="utf-8")
    result = run("import", str(plain), "--case", "Kommune P", "--attr", "size=enorm")
    assert result.exit_code == 1 and "--attr size=enorm" in result.stderr
    assert "plain" not in [r["id"] for r in _json(run("transcripts", "--json"))]
    _json(run("import", str(plain), "--case", "Kommune P", "--attr", "size=Mellomstor", "--json"))
    rows = {r["id"]: r for r in _json(run("transcripts", "--json"))}
    assert rows["plain"]["attributes"] == {"size": "mellomstor"}  # the guide's spelling


# --- replacing, and where a file came from ---------------------------------------------------


def test_replace_without_a_case_keeps_the_stored_case(run, tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("I: Hei der\r\nK: Fastlegen er viktig.\r\n".encode("cp1252"))
    _json(run("import", str(path), "--case", "Testkommune B", "--attr", "size=stor", "--json"))
    path.write_bytes("I: Hei der\r\nK: Fastlegen er svært viktig.\r\n".encode("cp1252"))
    assert _json(run("import", str(path), "--replace", "--json"))[0]["status"] == "replaced"
    shown = _json(run("show", "latin", "--json"))
    assert shown["case"] == "Testkommune B" and shown["attributes"] == {"size": "stor"}
    assert "svært" in shown["text"]
    csv_out = run("codings", "export").stdout  # no codings, but the command still works
    assert csv_out.startswith("transcript,case")


def test_same_file_from_another_working_folder_is_recognised(run, project_dir, tmp_path,
                                                             monkeypatch):
    folder = project_dir / "in"
    folder.mkdir()
    path = _interview(folder / "intervju1.md")
    monkeypatch.chdir(tmp_path)
    _json(run("import", os.path.relpath(path), "--json"))
    assert _json(run("show", "intervju1", "--json"))["source"] == "in/intervju1.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nI: Takk.\n", encoding="utf-8")
    monkeypatch.chdir(project_dir)
    result = run("import", "in/intervju1.md")
    assert result.exit_code == 1
    assert "has changed since it was imported" in result.stderr
    assert "different file" not in result.stderr
    # a truly different file with the same name is still told apart
    other = tmp_path / "annet" / "intervju1.md"
    other.parent.mkdir()
    other.write_text("I: Noe helt annet?\n\nK: Ja.\n", encoding="utf-8")
    result = run("import", str(other))
    assert result.exit_code == 1 and "a different file with the same name" in result.stderr


# --- the first open, and who the audit log names ---------------------------------------------


@pytest.fixture
def with_bad_files(project_dir: Path) -> Path:
    (project_dir / "transcripts" / "tom.txt").write_bytes(b"")
    (project_dir / "transcripts" / "feil.md").write_text("---\ncase: X\nsize: huge\n---\nI: a\n",
                                                        encoding="utf-8")
    return project_dir


def test_first_open_reports_refused_files(run, with_bad_files):
    result = run("status", "--json")
    assert result.exit_code == 0  # the project opens with what could be imported
    assert json.loads(result.stdout)["transcripts"] == 2
    assert "tom.txt: is empty" in result.stderr
    assert "feil.md, line 3" in result.stderr and "huge" in result.stderr
    assert "2 of 4 files" in result.stderr and "qualcode import" in result.stderr


def test_init_fails_when_a_file_was_refused(run, with_bad_files):
    result = run("init", "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["transcripts"] == 2 and len(report["not_imported"]) == 2
    assert "tom.txt" in result.stderr


def test_first_open_shows_anonymity_warnings(run, project_dir):
    (project_dir / "transcripts" / "navn.txt").write_text(
        "I: Hvem ringer dere?\n\nK: Jeg ringer Kari Nordmann på 912 34 567.\n", encoding="utf-8")
    result = run("init")
    assert result.exit_code == 0
    assert "warning:" in result.stderr and "navn.txt" in result.stderr


def test_init_without_a_guide_says_the_codebook_is_empty(tmp_path):
    result = CliRunner().invoke(main, ["--project", str(tmp_path / "ny"), "init"])
    assert result.exit_code == 0
    assert "no interview_guide.yaml" in result.stderr.lower()


def test_audit_names_the_person_and_keeps_the_mechanism(run, project_dir, monkeypatch):
    monkeypatch.setenv("QUALCODE_CODER", "Kari")
    run("status")
    assert run("codes", "add", "Nattevakt", "--parent", "bemanning").exit_code == 0
    transcripts = _audit(project_dir, "transcript")
    assert transcripts and {r["actor"] for r in transcripts} == {"Kari"}
    assert {r["detail"]["via"] for r in transcripts} == {"import"}
    guide_codes = [r for r in _audit(project_dir, "code") if r["detail"]["via"] == "guide"]
    assert guide_codes and {r["actor"] for r in guide_codes} == {"Kari"}
    added = [r for r in _audit(project_dir, "code") if r["entity_id"] == "nattevakt"]
    assert added[0]["actor"] == "Kari" and added[0]["detail"]["via"] == "qualcode codes add"
    cases = _audit(project_dir, "case")
    assert {r["entity_id"] for r in cases} == {"Liten kommune 9", "Stor kommune 9"}


def test_audit_falls_back_to_the_os_user(run, project_dir, monkeypatch):
    import getpass

    monkeypatch.delenv("QUALCODE_CODER", raising=False)
    run("status")
    actors = {r["actor"] for r in _audit(project_dir, "transcript")}
    assert actors == {getpass.getuser()}


async def test_workspace_opened_first_tells_what_was_refused(with_bad_files):
    from qualcode.tui.app import QualcodeApp

    project = Project.open(with_bad_files)
    try:
        app = QualcodeApp(project, "Kari")
        shown: list[tuple[str, str]] = []
        # what the app tells the user, caught where it is said rather than read off the screen
        app.notify = (  # type: ignore[method-assign]
            lambda message, *, title="", **_: shown.append((title, message)))
        async with app.run_test(size=(140, 45)) as pilot:
            await pilot.pause()
            assert any("2 files" in title and "tom.txt" in message and "feil.md" in message
                       for title, message in shown), shown
    finally:
        project.close()
