"""Importing into a project: what belongs to the case, where files came from, the first open."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from qualcode.cli import main
from qualcode.project import FIRST_IMPORT, Project

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


def _interview(
    path: Path,
    *,
    size: str = "stor",
    who: str = "Rolle1",
    date: str = "2025-01-01",
    minutes: int = 55,
) -> Path:
    path.write_text(
        INTERVIEW.format(size=size, who=who, date=date, minutes=minutes), encoding="utf-8"
    )
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


def test_same_file_from_another_working_folder_is_recognised(
    run, project_dir, tmp_path, monkeypatch
):
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
    (project_dir / "transcripts" / "feil.md").write_text(
        "---\ncase: X\nsize: huge\n---\nI: a\n", encoding="utf-8"
    )
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
        "I: Hvem ringer dere?\n\nK: Jeg ringer Kari Nordmann på 912 34 567.\n", encoding="utf-8"
    )
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
            lambda message, *, title="", **_: shown.append((title, message))
        )
        async with app.run_test(size=(140, 45)) as pilot:
            await pilot.pause()
            assert any(
                "2 files" in title and "tom.txt" in message and "feil.md" in message
                for title, message in shown
            ), shown
    finally:
        project.close()


# --- a first open that was stopped, and files that fail unexpectedly -------------------------

STUDY_CODINGS = """transcript,coder,code,quote
liten-9,anna,kreftkoordinator,Vi har tett kontakt med pårørende.
stor-9,anna,kreftkoordinator,Og så har vi kreftkoordinatorer i hver sone.
"""


@pytest.fixture
def study(project_dir: Path) -> Path:
    """The fixture project with the three study files the demo ships beside its transcripts."""
    folder = project_dir / "transcripts"
    (folder / "codings.csv").write_text(STUDY_CODINGS, encoding="utf-8")
    (folder / "summaries.csv").write_text(
        "case,section,theme,text\nLiten kommune 9,,organisering,Et lite team.\n", encoding="utf-8"
    )
    (folder / "comparison.csv").write_text(
        "category,likheter,forskjeller\nkreftkoordinator,Alle har en.,Ulik stilling.\n",
        encoding="utf-8",
    )
    return project_dir


def _held(root: Path) -> tuple[int, int, int, int]:
    with Project.open(root) as project:
        store = project.store
        return (
            len(store.transcripts.ids()),
            len(store.codings.all()),
            len(store.summaries.all()),
            len(store.summaries.comparison_notes()),
        )


@pytest.mark.parametrize("stop_in", ["import_file", "import_study_files", "import_comparison"])
def test_a_stopped_first_import_is_completed_on_the_next_open(study, monkeypatch, stop_in):
    import qualcode.study_files

    owner = qualcode.study_files if stop_in == "import_comparison" else Project
    calls = []
    real = getattr(owner, stop_in)

    def stop_on_second_call(*args, **kwargs):
        calls.append(stop_in)
        if len(calls) == 2 or stop_in != "import_file":
            raise KeyboardInterrupt  # Ctrl-C part-way
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, stop_in, stop_on_second_call)
    with pytest.raises(KeyboardInterrupt):
        Project.open(study)
    assert (study / "qualcode.db").exists()
    monkeypatch.undo()
    project = Project.open(study)
    try:
        assert any("had not finished" in n for n in project.notes), project.notes
        # what the stopped run had stored is recognised, not stored twice
        statuses = {Path(r.path).name: r.status for r in project.first_import}
        assert statuses["liten-9.md"] == "unchanged"
        assert statuses["stor-9.md"] == ("imported" if stop_in == "import_file" else "unchanged")
    finally:
        project.close()
    assert _held(study) == (2, 2, 1, 1)
    # done now: a later open imports nothing again, and says nothing about it
    with Project.open(study) as project:
        assert project.first_import == [] and project.notes == []
    assert _held(study) == (2, 2, 1, 1)


def test_a_first_import_redone_does_not_duplicate_the_study_files(study, monkeypatch):
    # Stopped after the study files were all in, just before the run was marked as finished.
    from qualcode.store.settings import Settings

    real = Settings.set

    def stop_at_done(self, key, value):
        if (key, value) == (FIRST_IMPORT, "done"):
            raise KeyboardInterrupt
        real(self, key, value)

    monkeypatch.setattr(Settings, "set", stop_at_done)
    with pytest.raises(KeyboardInterrupt):
        Project.open(study)
    monkeypatch.undo()
    with Project.open(study) as project:
        assert any(
            "codings.csv: imported 0 rows (2 already present, skipped)" in n for n in project.notes
        ), project.notes
    assert _held(study) == (2, 2, 1, 1)


def test_an_older_project_without_the_setting_is_not_imported_again(study):
    import sqlite3

    Project.open(study).close()
    # A database from before the setting existed: imported, but not marked.
    with sqlite3.connect(study / "qualcode.db") as conn:
        conn.execute("DELETE FROM settings WHERE key = ?", (FIRST_IMPORT,))
    (study / "transcripts" / "ny.md").write_text("I: Hei?\n\nK: Ja.\n", encoding="utf-8")
    with Project.open(study) as project:
        assert project.first_import == [] and "ny" not in project.store.transcripts.ids()


def test_an_unexpected_error_in_one_file_refuses_only_that_file(study, monkeypatch):
    import qualcode.project as project_module

    real = project_module.load_transcript

    def fails_on_liten(path, **kwargs):
        if Path(path).name == "liten-9.md":
            raise RuntimeError("something nobody foresaw")
        return real(path, **kwargs)

    monkeypatch.setattr(project_module, "load_transcript", fails_on_liten)
    with Project.open(study) as project:
        refused = [r for r in project.first_import if r.status == "refused"]
        assert [Path(r.path).name for r in refused] == ["liten-9.md"]
        assert "liten-9.md" in refused[0].message
        assert "RuntimeError: something nobody foresaw" in refused[0].message
        assert project.store.transcripts.ids() == ["stor-9"]
        # the study files still came in (the row of the refused transcript is reported)
        assert any("codings.csv: not imported" in n and "liten-9" in n for n in project.notes)
        assert any("comparison.csv: imported 1 row" in n for n in project.notes)


def test_an_impossible_date_in_transcripts_is_refused_and_the_rest_imported(study, run):
    (study / "transcripts" / "dato.md").write_text(
        "---\ncase: X\ndate: 2025-02-30\n---\nI: hei\n", encoding="utf-8"
    )
    result = run("status", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["transcripts"] == 2
    assert json.loads(result.stdout)["codings"] == 2
    assert "dato.md, line 3" in result.stderr and "2025-02-30 does not exist" in result.stderr
    assert "Traceback" not in result.stderr and "unexpected" not in result.stderr
    result = run("import", str(study / "transcripts" / "dato.md"))
    assert result.exit_code == 1 and "dato.md, line 3" in result.stderr


# --- giving a transcript its case after the import ------------------------------------------


def test_an_unchanged_file_imported_with_case_and_attr_updates_its_case(run, project_dir, tmp_path):
    plain = tmp_path / "word.txt"
    plain.write_text("I: Hei\n\nK: Vi har et palliativt team.\n", encoding="utf-8")
    _json(run("import", str(plain), "--json"))
    assert _json(run("show", "word", "--json"))["case"] is None
    report = _json(
        run("import", str(plain), "--case", "Liten kommune 7", "--attr", "size=Liten", "--json")
    )
    assert report[0]["status"] == "updated"
    assert 'case "Liten kommune 7" (had none)' in report[0]["message"]
    shown = _json(run("show", "word", "--json"))
    assert shown["case"] == "Liten kommune 7" and shown["attributes"] == {"size": "liten"}
    # the same again changes nothing, and says so
    again = _json(run("import", str(plain), "--case", "Liten kommune 7", "--json"))
    assert again[0]["status"] == "unchanged"
    # --attr alone changes the case the transcript is in
    report = _json(run("import", str(plain), "--attr", "size=mellomstor", "--json"))
    assert report[0]["status"] == "updated" and "size liten → mellomstor" in report[0]["message"]
    assert _json(run("show", "word", "--json"))["attributes"] == {"size": "mellomstor"}
    moves = [r for r in _audit(project_dir, "transcript") if r["action"] == "update"]
    assert [m["detail"]["case"] for m in moves] == [{"from": None, "to": "Liten kommune 7"}]
    changes = [r for r in _audit(project_dir, "case") if r["entity_id"] == "Liten kommune 7"]
    assert changes[-1]["detail"]["changed"] == {"size": {"from": "liten", "to": "mellomstor"}}
    # a value the guide does not allow is refused, and nothing changes
    result = run("import", str(plain), "--attr", "size=enorm")
    assert result.exit_code == 1 and "enorm" in result.stderr
    assert _json(run("show", "word", "--json"))["attributes"] == {"size": "mellomstor"}


def test_moving_the_last_transcript_out_of_a_case_removes_the_empty_case(
    run, project_dir, tmp_path
):
    plain = tmp_path / "word.txt"
    plain.write_text("I: Hei\n\nK: Ja.\n", encoding="utf-8")
    _json(run("import", str(plain), "--case", "Litn kommune 7", "--json"))
    report = _json(run("import", str(plain), "--case", "Liten kommune 7", "--json"))
    assert 'case "Litn kommune 7" removed' in report[0]["message"]
    names = [r["case"] for r in _json(run("cases", "list", "--json"))]
    assert "Litn kommune 7" not in names and "Liten kommune 7" in names
    # a case with a summary stays, even with no transcripts
    with Project.open(project_dir) as project:
        project.store.summaries.set("Liten kommune 7", "theme", "organisering", "Tekst.", "Kari")
    _json(run("import", str(plain), "--case", "Liten kommune 6", "--json"))
    names = [r["case"] for r in _json(run("cases", "list", "--json"))]
    assert "Liten kommune 7" in names


def test_cases_set_puts_transcripts_in_a_case(run, project_dir, tmp_path):
    run("status")
    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text("I: Hei\n\nK: Ja.\n", encoding="utf-8")
    _json(run("import", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--json"))
    listed = {r["case"]: r["transcripts"] for r in _json(run("cases", "list", "--json"))}
    assert listed[None] == ["a", "b"]
    result = run("cases", "set", "a", "nosuch", "--case", "Stor kommune 9")
    assert result.exit_code == 1 and '"nosuch"' in result.stderr
    assert _json(run("show", "a", "--json"))["case"] is None  # a typo changes nothing
    report = _json(
        run("cases", "set", "a", "b", "--case", "Stor kommune 9", "--attr", "region=Øst", "--json")
    )
    assert [r["transcript"] for r in report] == ["a", "b"]
    assert "region Vest → Øst" in report[0]["changed"]
    listed = {r["case"]: r for r in _json(run("cases", "list", "--json"))}
    assert listed["Stor kommune 9"]["transcripts"] == ["a", "b", "stor-9"]
    assert listed["Stor kommune 9"]["attributes"] == {"region": "Øst", "size": "stor"}
    assert None not in listed
    result = run("cases", "set", "a")
    assert result.exit_code == 1 and "--case" in result.stderr


def test_case_given_on_the_command_line_over_the_front_matter_warns(run, tmp_path):
    path = _interview(tmp_path / "intervju1.md", size="stor")
    report = _json(
        run("import", str(path), "--case", "Kommune Z", "--attr", "size=liten", "--json")
    )
    assert report[0]["status"] == "imported"
    warnings = report[0]["warnings"]
    assert any('--case "Kommune Z" replaces the case "Kommune K"' in w for w in warnings)
    assert any('--attr size=liten replaces the size "stor"' in w for w in warnings)
    assert _json(run("show", "intervju1", "--json"))["case"] == "Kommune Z"
    # the case the file names is no news; the same name in other letters is another case
    other = _interview(tmp_path / "intervju2.md")
    report = _json(run("import", str(other), "--case", "Kommune K", "--json"))
    assert not any("replaces" in w for w in report[0].get("warnings", []))
    third = _interview(tmp_path / "intervju3.md")
    report = _json(run("import", str(third), "--case", "kommune k", "--json"))
    assert any("replaces" in w for w in report[0]["warnings"])


@pytest.mark.parametrize("language", ["en", "nb"])
def test_an_interrupted_import_says_what_it_kept_and_how_to_go_on(
    cli, project_dir, tmp_path, monkeypatch, language
):
    assert cli("status").exit_code == 0  # the first open imports the two fixture files
    folder = tmp_path / "more"
    folder.mkdir()
    for n in range(4):
        text = (project_dir / "transcripts" / "liten-9.md").read_text("utf-8")
        (folder / f"liten-{20 + n}.md").write_text(
            text.replace("Liten kommune", f"Liten kommune {20 + n}"), encoding="utf-8"
        )
    real, calls = Project.import_file, []

    def stop_at_the_third(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt  # Ctrl-C while the third file is read
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Project, "import_file", stop_at_the_third)
    monkeypatch.setenv("QUALCODE_LANG", language)
    result = cli("import", str(folder))
    assert result.exit_code == 130
    said = result.output
    if language == "en":
        assert "Interrupted after 2 of 4 files: those 2 are imported and saved" in said
        assert "Run the same import again to go on" in said
    else:
        assert "Avbrutt etter 2 av 4 filer" in said and "Interrupted" not in said
    assert "Traceback" not in said
    with Project.open(project_dir) as project:
        assert len(project.store.transcripts.ids()) == 4  # two before, two kept
    monkeypatch.setattr(Project, "import_file", real)
    again = cli("import", str(folder), "--json")
    assert [r["status"] for r in json.loads(again.output)] == [
        "unchanged",
        "unchanged",
        "imported",
        "imported",
    ]
