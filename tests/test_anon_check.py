"""anon-check on files and on a project (lines, exit codes, one bad file among good ones),
the findings counts kept per transcript, and the ⚠ mark on the TUI's home screen."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from qualcode.project import Project

# Front matter takes the file's first 6 lines; the name is on line 10 of the file but on
# line 4 of the stored text, which has no front matter.
LEAKY = """---
case: Liten kommune 9
size: liten
region: Nord
informants: [Kreftkoordinator]
---
Syntetisk testintervju.

[00:00:04] Intervjuer: Hvem ringer dere?

[00:00:10] Kreftkoordinator: Vi ringer Kari Nordmann på 912 34 567.
"""


def _rows(result: Result) -> list[dict[str, object]]:
    return json.loads(result.stdout)


@pytest.fixture
def leaky_dir(project_dir: Path) -> Path:
    (project_dir / "transcripts" / "leaky.md").write_text(LEAKY, encoding="utf-8")
    return project_dir


def test_all_reports_lines_of_the_file(leaky_dir: Path, cli: Callable[..., Result]) -> None:
    result = cli("anon-check", "--all", "--json")
    assert result.exit_code == 1
    rows = _rows(result)
    name = next(r for r in rows if r["kind"] == "name")
    assert name["text"] == "Kari Nordmann"
    assert Path(str(name["file"])).resolve() == (leaky_dir / "transcripts" / "leaky.md").resolve()
    line = LEAKY.splitlines()[int(name["line"]) - 1]  # type: ignore[call-overload]
    assert line[int(name["column"]) - 1 :].startswith("Kari Nordmann")  # type: ignore[call-overload]
    # the same line and column as checking the file itself
    direct = _rows(cli("anon-check", str(leaky_dir / "transcripts" / "leaky.md"), "--json"))
    assert [(r["line"], r["column"], r["kind"]) for r in direct] == [
        (r["line"], r["column"], r["kind"]) for r in rows
    ]


def test_all_labels_the_stored_text_once_the_file_changed(
    leaky_dir: Path, cli: Callable[..., Result]
) -> None:
    assert cli("status").exit_code == 0  # the first open imports
    path = leaky_dir / "transcripts" / "leaky.md"
    path.write_text(LEAKY + "\n[00:02:00] Intervjuer: Takk.\n", encoding="utf-8")
    result = cli("anon-check", "--all")
    assert result.exit_code == 1
    assert "leaky (stored text):5:" in result.stdout  # stored text: no front matter
    assert str(path) not in result.stdout


def test_exit_codes_and_one_bad_file_among_good_ones(
    tmp_path: Path, cli: Callable[..., Result]
) -> None:
    folder = tmp_path / "check"
    folder.mkdir()
    (folder / "a-leaky.md").write_text(LEAKY, encoding="utf-8")
    (folder / "b-binary.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "c-clean.md").write_text("Intervjuer: Hei.\n\nInformant: Hei.\n", encoding="utf-8")
    assert cli("anon-check", str(folder / "c-clean.md")).exit_code == 0
    assert cli("anon-check", str(folder / "a-leaky.md")).exit_code == 1
    missing = cli("anon-check", str(folder / "nosuch.md"))
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    binary = cli("anon-check", str(folder / "b-binary.txt"))
    assert binary.exit_code == 2 and "Traceback" not in binary.output
    both = cli("anon-check", str(folder), "--json")  # the binary file does not stop the rest
    assert both.exit_code == 2
    assert {r["kind"] for r in _rows(both)} == {"name", "phone"}
    assert "b-binary.txt" in both.stderr


def test_counts_are_kept_at_import_and_follow_the_text(leaky_dir: Path) -> None:
    with Project.open(leaky_dir) as project:
        counts = project.store.analysis.anon_findings()
        assert counts["leaky"] == 2 and counts["liten-9"] == 0 and counts["stor-9"] == 0
        path = leaky_dir / "transcripts" / "leaky.md"
        path.write_text(
            LEAKY.replace("Kari Nordmann på 912 34 567", "[NAVN] på [TLF]"), encoding="utf-8"
        )
        [result] = project.import_paths([path], replace=True)
        assert result.status == "replaced"
        assert project.store.analysis.anon_findings()["leaky"] == 0


def test_flag_counts_checks_transcripts_not_checked_yet(leaky_dir: Path) -> None:
    from qualcode.anon_scan import flag_counts

    with Project.open(leaky_dir) as project:
        project.store.conn.execute("DELETE FROM anon_findings")  # as before the counts existed
        assert project.store.analysis.anon_findings() == {}
        assert flag_counts(project.store, project.root) == {"leaky": 2, "liten-9": 0, "stor-9": 0}
        assert project.store.analysis.anon_findings()["leaky"] == 2  # kept


async def test_home_marks_flagged_transcripts(leaky_dir: Path) -> None:
    from textual.widgets import DataTable, Static

    from qualcode.tui.app import QualcodeApp
    from qualcode.tui.screens.anon import AnonScreen

    with Project.open(leaky_dir) as project:
        app = QualcodeApp(project, "tester")
        async with app.run_test(size=(140, 45)) as pilot:
            await pilot.pause()
            table = app.screen.query_one(DataTable)
            cells = {str(table.get_row(key)[0]).strip() for key in table.rows}
            assert "⚠ leaky" in cells and "liten-9" in cells and "⚠ liten-9" not in cells
            keys = [k.value for k in table.rows]
            table.move_cursor(row=keys.index("leaky"))  # ! shows the transcript's findings
            await pilot.press("exclamation_mark")
            await pilot.pause()
            assert isinstance(app.screen, AnonScreen)
            shown = str(app.screen.query_one("#anon-findings", Static).render())
            assert "Kari Nordmann" in shown and "912 34 567" in shown
            await pilot.press("q")
            await pilot.pause()
            assert not isinstance(app.screen, AnonScreen)
