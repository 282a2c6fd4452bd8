"""Code names on every screen and in exports; ids only in --json and as their own column."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode import codebook
from qualcode.cli import main
from qualcode.coding import make_coding
from qualcode.project import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.screens.retrieval import RetrievalScreen
from tests.test_tui import SIZE, informant_turn, make_project


@pytest.fixture
def project(tmp_path: Path):  # type: ignore[no-untyped-def]
    p = make_project(tmp_path)
    yield p
    p.close()


def _new_code(project: Project) -> str:
    code = codebook.add_code(project.store, "Lav terskel for henvisning", "organisering", "ida")
    codebook.rename_code(project.store, code.id, "Lav terskel", "ida")
    t, turn = informant_turn(project)
    project.store.codings.add(make_coding(t, turn.start, turn.end, code.id, "ida"))
    return code.id


async def test_retrieval_shows_the_code_name_as_renamed(project: Project) -> None:
    from tests.test_screen_sizes import capture

    code_id = _new_code(project)
    app = QualcodeApp(project, "ida")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(RetrievalScreen(project, "ida", code_id))
        await pilot.pause()
        text = "\n".join(capture(app))
        assert "Lav terskel" in text and code_id not in text
        assert "Lav terskel for henvisning" not in text  # the old name is gone too


def test_codings_export_has_the_name_beside_the_id(tmp_path: Path) -> None:
    p = make_project(tmp_path)
    code_id = _new_code(p)
    p.close()
    out = CliRunner().invoke(main, ["--project", str(tmp_path), "codings", "export"])
    assert out.exit_code == 0, out.output
    (row,) = list(csv.DictReader(io.StringIO(out.stdout)))  # stderr says whose rows
    assert (row["code"], row["code_name"]) == (code_id, "Lav terskel")
