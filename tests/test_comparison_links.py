"""Tabell 1 says what supports a likhet or a forskjell: passages linked to a category's note
name their cases beside the coverage, in every format, and links are all or none."""

from __future__ import annotations

import json

import docx
import openpyxl

from qualcode.cli import main
from qualcode.cli.comparison_cmds import comparison
from qualcode.cli.report_cmds import export

for command in (export, comparison):
    main.add_command(command)


def _coded(cli, project_dir) -> dict[str, int]:
    rows = [
        {"transcript": "liten-9", "coder": "ann", "code": "kreftkoordinator", "quote": q}
        for q in ("Vi har tett kontakt med pårørende.", "Fastlegene er viktige.")
    ] + [
        {
            "transcript": "stor-9",
            "coder": "ann",
            "code": "kreftkoordinator",
            "quote": "Og så har vi kreftkoordinatorer i hver sone.",
        }
    ]
    path = project_dir / "c.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    assert cli("codings", "import", str(path)).exit_code == 0
    out = json.loads(cli("comparison", "passages", "kreftkoordinator", "--json").stdout)
    assert all(r["linked"] == [] for r in out)
    return {r["quote"]: r["id"] for r in out}


def test_linked_passages_name_their_cases_in_every_format(cli, project_dir, tmp_path):
    ids = _coded(cli, project_dir)
    stor = ids["Og så har vi kreftkoordinatorer i hver sone."]
    liten = ids["Fastlegene er viktige."]
    args = ["comparison", "link", "Kreftkoordinator", "--side"]
    assert cli(*args, "likheter", str(stor), str(liten)).exit_code == 0
    assert cli(*args, "forskjeller", str(liten)).exit_code == 0
    listed = json.loads(cli("comparison", "passages", "kreftkoordinator", "--json").stdout)
    assert {r["id"]: r["linked"] for r in listed}[liten] == ["likheter", "forskjeller"]
    shown = json.loads(cli("comparison", "show", "--json").stdout)["categories"]
    row = next(r for r in shown if r["id"] == "kreftkoordinator")
    # in the matrix's order: stor before liten
    assert row["support"] == {
        "likheter": ["Stor kommune 9", "Liten kommune 9"],
        "forskjeller": ["Liten kommune 9"],
    }
    assert all(r["support"] == {"likheter": [], "forskjeller": []} for r in shown if r is not row)

    md = tmp_path / "t.md"
    assert cli("export", "comparison", "--out", str(md)).exit_code == 0
    line = next(x for x in md.read_text("utf-8").splitlines() if x.startswith("| Kreftkoordinator"))
    assert "Støtter likhetene: Stor kommune 9, Liten kommune 9" in line
    assert "Støtter forskjellene: Liten kommune 9" in line

    word = tmp_path / "t.docx"
    assert cli("export", "comparison", "--out", str(word)).exit_code == 0
    cell = docx.Document(str(word)).tables[0].rows[1].cells[3].text.splitlines()
    assert cell[-2:] == [
        "Støtter likhetene: Stor kommune 9, Liten kommune 9",
        "Støtter forskjellene: Liten kommune 9",
    ]

    book = tmp_path / "t.xlsx"
    assert cli("export", "comparison", "--out", str(book)).exit_code == 0
    values = list(openpyxl.load_workbook(book).active.iter_rows(values_only=True))
    assert values[0][-2:] == ("Støtter likhetene", "Støtter forskjellene")
    assert values[1][-2:] == ("Stor kommune 9; Liten kommune 9", "Liten kommune 9")

    assert cli(*args, "likheter", str(stor), "--remove").exit_code == 0
    shown = json.loads(cli("comparison", "show", "--json").stdout)["categories"]
    assert shown[0]["support"]["likheter"] == ["Liten kommune 9"]


def test_a_link_to_an_unknown_coding_or_category_changes_nothing(cli, project_dir):
    ids = _coded(cli, project_dir)
    good = next(iter(ids.values()))
    refused = cli("comparison", "link", "Kreftkoordinator", "--side", "likheter", str(good), "9999")
    assert refused.exit_code == 1 and "9999" in refused.output
    refused = cli("comparison", "link", "Ingen slik", "--side", "likheter", str(good))
    assert refused.exit_code == 1 and "Ingen slik" in refused.output
    shown = json.loads(cli("comparison", "show", "--json").stdout)["categories"]
    assert all(not r["support"]["likheter"] for r in shown)
    wrong_side = cli("comparison", "link", "Kreftkoordinator", "--side", "begge", str(good))
    assert wrong_side.exit_code == 2


async def test_the_tabell_1_screen_links_a_passage_to_the_focused_note(cli, project_dir, norwegian):
    from textual.widgets import OptionList, Static

    from qualcode.project import Project
    from qualcode.tui.app import QualcodeApp
    from qualcode.tui.screens.comparison import ComparisonScreen
    from tests.test_tui import SIZE

    ids = _coded(cli, project_dir)
    stor = ids["Og så har vi kreftkoordinatorer i hver sone."]
    with Project.open(project_dir) as project:
        app = QualcodeApp(project, coder="ann")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            app.push_screen(ComparisonScreen(project, "ann"))
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ComparisonScreen)
            screen.query_one("#forskjeller-kreftkoordinator").focus()
            await pilot.press("ctrl+l")
            await pilot.pause()
            options = app.screen.query_one(OptionList)
            labels = [str(options.get_option_at_index(i).prompt) for i in range(3)]
            assert all(label.startswith("  ") for label in labels)  # none linked yet (no ✓)
            index = next(i for i, label in enumerate(labels) if "i hver sone" in label)
            options.highlighted = index
            await pilot.press("enter")
            await pilot.pause()
            evidence = str(screen.query_one("#evidence-kreftkoordinator", Static).render())
            assert "Støtter forskjellene: Stor kommune 9" in evidence
        assert project.store.summaries.comparison_links() == {
            ("kreftkoordinator", "forskjeller"): {stor}
        }
