"""The export table in the core: the CLI and the workspace's "Export…" offer the same files."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from qualcode import exporters
from qualcode.model import QualcodeError
from qualcode.project import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.dialogs.prompts import ChoicePrompt
from tests.test_tui import SIZE, TID, make_project


def test_the_cli_offers_the_registry_kinds(cli, project_dir) -> None:
    refused = cli("export", "nonsense")
    assert refused.exit_code == 1
    listed = refused.output.split("choose one of", 1)[1]
    assert [k.strip() for k in listed.split(",")] == list(exporters.KINDS)


def test_only_agreement_takes_the_agreement_options(cli, tmp_path) -> None:
    for kind in exporters.KINDS.values():
        assert kind.formats, kind.name
        assert ("coders" in kind.options) == (kind.whose == "pair"), kind.name
    refused = cli("export", "matrix", "--unit", "turn", "--out", str(tmp_path / "m.csv"))
    assert refused.exit_code == 1 and "--unit only go with export agreement" in refused.output
    assert not (tmp_path / "m.csv").exists()


def test_the_cli_and_the_core_write_the_same_bytes(cli, project_dir, tmp_path) -> None:
    out = tmp_path / "matrix.csv"
    assert cli("export", "matrix", "--out", str(out)).exit_code == 0
    with Project.open(project_dir) as p:
        kind = exporters.find_kind("matrix")
        assert kind.writer("csv")(p, exporters.ExportRequest()) == out.read_bytes()
        with pytest.raises(QualcodeError, match="can be exported as csv, xlsx"):
            kind.writer("pdf")


def test_save_new_never_overwrites(project_dir, tmp_path) -> None:
    with Project.open(project_dir) as p:
        kind = exporters.find_kind("codings")
        (tmp_path / "out").mkdir()
        target = tmp_path / "out" / "c.csv"
        target.write_text("mine", encoding="utf-8")
        with pytest.raises(QualcodeError, match="already exists"):
            exporters.save_new(p, kind, "csv", target, exporters.ExportRequest())
        assert target.read_text(encoding="utf-8") == "mine"
        assert [f.name for f in target.parent.iterdir()] == ["c.csv"]  # no temporary file left


def _cells(xlsx: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet is not None
    return [list(row) for row in sheet.iter_rows(values_only=True)]


async def test_the_workspace_exports_through_the_palette(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    try:
        app = QualcodeApp(project, "tester", TID)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            titles = [c.title for c in app.get_system_commands(app.screen)]
            assert "Export…" in titles
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*"Export")
            await pilot.pause(0.3)
            await pilot.press("enter")
            await pilot.pause(0.3)
            kinds = [k for k in exporters.KINDS.values() if k.whose != "pair"]
            matrix = [k.name for k in kinds].index("matrix")
            await pilot.press(*["down"] * matrix, "enter")  # matrix
            await pilot.pause()
            await pilot.press("down", "enter")  # its second format: xlsx
            await pilot.pause()
            assert isinstance(app.screen, ChoicePrompt)  # whose codings
            assert app.screen.choices[0][0] == "me"  # only mine (blind), then the default
            await pilot.press("down", "enter")  # the default scope
            await pilot.pause()
            assert [c for c, _ in app.screen.choices][0] == "passages"  # how to count
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("enter")  # the suggested name: exports/matrix.xlsx
            await pilot.pause()
        written = tmp_path / "exports" / "matrix.xlsx"
        request = exporters.ExportRequest(coder="all", count="passages")
        want = exporters.find_kind("matrix").writer("xlsx")(project, request)
        assert _cells(written.read_bytes()) == _cells(want)
    finally:
        project.close()
