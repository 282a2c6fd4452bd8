"""The project knows when its ground moved: a workspace open during `import --replace`
never saves a coding at the old text's positions (issue 14, reproduction 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui import SIZE, TID, TRANSCRIPT, make_project, quit_all, screen

from qualcode.coding import make_coding
from qualcode.model import TextChanged
from qualcode.project import Project
from qualcode.tui.app import QualcodeApp

# A greeting in front of everything: every offset after it moves.
CHANGED = TRANSCRIPT.replace(
    "[00:00:04] Intervjuer:",
    "[00:00:01] Intervjuer: Ja, hei. Velkommen til intervjuet.\n[00:00:04] Intervjuer:",
)


@pytest.fixture
def project(tmp_path: Path):
    p = make_project(tmp_path)
    yield p
    p.close()


def replace_elsewhere(root: Path) -> None:
    """Another qualcode re-imports the transcript while the workspace has it open."""
    path = root / "transcripts" / f"{TID}.md"
    path.write_text(CHANGED, encoding="utf-8")
    with Project.open(root) as other:
        [result] = other.import_paths([path], replace=True)
        assert result.status == "replaced", result.message


def every_coding_sits_on_its_quote(project: Project) -> None:
    text = project.store.transcripts.get(TID).text
    for c in project.store.codings.all():
        if c.status != "unresolved":
            assert text[c.start : c.end] == c.quote, c


async def test_coding_after_a_replace_is_refused_and_the_new_text_shown(project: Project) -> None:
    app = QualcodeApp(project, "tester", TID)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n", "1")
        await pilot.pause()
        assert len(project.store.codings.all(coder="tester")) == 1
        replace_elsewhere(project.root)
        await pilot.press("n", "2")  # a theme key on the (stale) screen
        await pilot.pause()
        shown = screen(app).session.transcript.text
        assert shown == project.store.transcripts.get(TID).text and "Ja, hei" in shown
        assert len(project.store.codings.all(coder="tester")) == 1  # nothing saved on old text
        every_coding_sits_on_its_quote(project)
        await pilot.press("n", "2")  # on the new text it codes again
        await pilot.pause()
        assert len(project.store.codings.all(coder="tester")) == 2
        every_coding_sits_on_its_quote(project)
        await quit_all(app, pilot)


async def test_undo_after_a_replace_does_not_use_old_offsets(project: Project) -> None:
    app = QualcodeApp(project, "tester", TID)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n", "1", "x")  # code, then remove: undo would re-add it
        await pilot.pause()
        assert project.store.codings.all(coder="tester") == []
        replace_elsewhere(project.root)
        await pilot.press("u")
        await pilot.pause()
        every_coding_sits_on_its_quote(project)
        assert "Ja, hei" in screen(app).session.transcript.text
        await quit_all(app, pilot)


def test_the_store_refuses_offsets_taken_on_another_text(project: Project) -> None:
    old = project.store.transcripts.get(TID)
    replace_elsewhere(project.root)
    with pytest.raises(TextChanged):
        project.store.codings.add(make_coding(old, 30, 40, "parorende", "tester"))
    assert project.store.codings.all(coder="tester") == []
    unresolved = [c for c in project.store.codings.all() if c.status == "unresolved"]
    assert unresolved == []  # nothing was placed wrong, so there is nothing to flag either
